/**
 * Words what was made outside the renderer — a hub's refusal, an error of
 * the core, a notice the core wrote — in the user's language, from the key
 * and parameters it carries (src/shared/wording.ts; messages under `texts.*`
 * in the locales). A key this window does not know (a newer hub's) falls
 * back to the English text, so nothing shows blank. Pure: it takes the
 * i18next instance, so tests run it in Node with `createI18n`.
 */
import type { i18n as I18n } from 'i18next';
import type { Notice } from '../../../shared/api';
import type { Wording, WordingParams } from '../../../shared/wording';

/** The part of a zod issue the forms word (zod's own type is not needed here). */
interface FormIssue {
  code: string;
  message: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
}

type Words = Pick<I18n, 't' | 'exists'>;

const PREFIX = 'texts.';

/** `case.create` → `caseCreate`: a change's kind as one key segment. */
const segment = (value: string | number | undefined): string => String(value ?? '').replace(/[.\-_](\w)/g, (_, c: string) => c.toUpperCase());

function say(words: Words, key: string, params: Record<string, unknown> = {}): string | null {
  const full = PREFIX + key;
  return words.exists(full) ? String(words.t(full as never, named(words, params) as never)) : null;
}

/** A channel travels as its id (`x`, `mastodon`): said by its name in the user's language ("X", "Mastodon"). */
function named(words: Words, params: Record<string, unknown>): Record<string, unknown> {
  const channel = params.channel;
  if (typeof channel !== 'string' || !words.exists(`channels.${channel}`)) return params;
  return { ...params, channel: String(words.t(`channels.${channel}` as never)) };
}

/** The wording in the user's language, or `fallback` (the English) when there is none or its key is unknown here. */
export function wordText(words: Words, wording: Wording | null | undefined, fallback: string): string {
  if (!wording) return fallback;
  if (wording.key.startsWith('notice.')) return noticeWording(words, wording) ?? fallback;
  return say(words, wording.key, wording.params) ?? fallback;
}

/** An error thrown by `call` (ApiCallError carries the wording) or anything else, for the user. */
export function errorWords(words: Words, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const wording = typeof error === 'object' && error !== null && 'wording' in error ? (error as { wording?: Wording }).wording : undefined;
  return wordText(words, wording, message);
}

/** A notice's text: its wording when it has one (every notice this version writes), else the English it was stored with. */
export function noticeWords(words: Words, notice: Pick<Notice, 'text' | 'wording'>): string {
  return wordText(words, notice.wording, notice.text);
}

function target(words: Words, params: WordingParams, capital = false): string | null {
  const key = capital && (params.target === 'case' || params.target === 'newCase') ? `targetStart.${params.target}` : `target.${segment(params.target)}`;
  return say(words, key, params);
}

/** A notice's parameters under `prefix` (a reason's own parameters, flattened by the core), unprefixed. */
function prefixed(params: WordingParams, prefix: string): WordingParams {
  return Object.fromEntries(Object.entries(params).flatMap(([name, value]) => (name.startsWith(prefix) ? [[name.slice(prefix.length), value]] : [])));
}

function reason(words: Words, params: WordingParams): string {
  const english = String(params.reason ?? '');
  if (params.reasonKey === 'consent') {
    // The consent rule's detail has its own key (this version), else the English detail inside the general sentence.
    const worded = typeof params.consentDetailKey === 'string' ? say(words, params.consentDetailKey, prefixed(params, 'consent_')) : null;
    return worded ?? say(words, 'reason.consent', { detail: params.consentDetail ?? '' }) ?? english;
  }
  if (typeof params.reasonKey === 'string') return say(words, params.reasonKey, prefixed(params, 'reason_')) ?? english;
  return english;
}

function noticeWording(words: Words, wording: Wording): string | null {
  const params = wording.params ?? {};
  if (wording.key === 'notice.reassigned') {
    const label = target(words, params, true);
    const main = label === null ? null : say(words, 'notice.reassigned', { ...params, label });
    if (main === null) return null;
    const pending = Number(params.pending ?? 0);
    const unsynced = pending > 0 ? say(words, 'notice.unsynced', { pending }) : null;
    const kept = params.kept === 'yes' ? say(words, 'notice.kept') : null;
    return [main, unsynced, kept].filter((part): part is string => part !== null).join(' ');
  }
  const what = say(words, `what.${segment(params.what)}`) ?? say(words, 'what.other');
  const where = target(words, params);
  if (what === null || where === null) return null;
  return say(words, wording.key, { ...params, what, target: where, reason: reason(words, params) });
}

/**
 * A shared schema's refusal of a form field (src/shared: the same schema the
 * hub checks with) in the user's language: a text too short or too long by
 * its limit; anything else as the schema says it.
 */
export function issueWords(words: Words, issue: FormIssue | undefined): string | undefined {
  if (!issue) return undefined;
  if (issue.origin === 'string' && issue.code === 'too_small' && issue.minimum !== undefined) return say(words, 'form.tooShort', { minimum: Number(issue.minimum) }) ?? issue.message;
  if (issue.origin === 'string' && issue.code === 'too_big' && issue.maximum !== undefined) return say(words, 'form.tooLong', { maximum: Number(issue.maximum) }) ?? issue.message;
  return issue.message;
}
