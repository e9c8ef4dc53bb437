/**
 * Text made outside the renderer — a hub's refusal, a notice the core writes,
 * a refused form field — travels as a stable key plus parameters beside its
 * English message (as Zammad and Chatwoot do): the renderer words the key in
 * the user's language (src/renderer/src/i18n/wording.ts), logs and scripts
 * keep the English. A key the renderer does not know falls back to the
 * English message, so a newer hub never shows a blank.
 */
import { z } from 'zod';
import { REFUSALS } from './policy';

export const WordingParamsSchema = z.record(z.string().max(100), z.union([z.string().max(2000), z.number()]));
export const WordingSchema = z.object({
  /** Dotted, e.g. `policy.hubLocked`, `forbidden.adminsOnly`, `notice.refused`. */
  key: z.string().regex(/^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9]+)*$/).max(100),
  params: WordingParamsSchema.optional(),
});
export type Wording = z.infer<typeof WordingSchema>;
export type WordingParams = z.infer<typeof WordingParamsSchema>;

export function wording(key: string, params?: WordingParams): Wording {
  return params ? { key, params } : { key };
}

/** A 403 for a role: `hub.forbiddenRole` with `roles` "admins" or "overseers" (supervisors and admins). */
export function forbiddenRoleWording(roles: readonly string[]): Wording {
  return wording('hub.forbiddenRole', { roles: roles.includes('supervisor') ? 'overseers' : 'admins' });
}

/** The domain policy's refusals (src/shared/policy.ts) are known texts: each has its key, `refusal.<name>`. */
export function refusalWording(text: string): Wording | null {
  const name = (Object.keys(REFUSALS) as (keyof typeof REFUSALS)[]).find((key) => REFUSALS[key] === text);
  return name ? wording(`refusal.${name}`) : null;
}

/**
 * The hub's other refusals (a change it rejects, an offer or case taken
 * meanwhile, the consent rule's detail) are English texts the hub writes in
 * one place each (src/hub/repos/push.ts, replies.ts, reassign.ts,
 * routing/take.ts, src/shared/replies.ts): each pattern gives its key,
 * `rejection.<name>`, and its facts as parameters. tests/shared/wording.test.ts
 * checks every literal the hub throws is known here, so a new or reworded
 * one is caught. An unknown text has no key and is shown as the hub said it.
 */
const REJECTIONS: readonly (readonly [RegExp, string, ...string[]])[] = [
  [/^the case was taken meanwhile$/, 'takenMeanwhile'],
  [/^no such offer: it lapsed or went to someone else$/, 'offerGone'],
  [/^this mutation id was already used by someone else$/, 'mutationIdUsed'],
  [/^this mutation id is already the id of a message; send it again under a new id$/, 'mutationIdUsed'],
  [/^no such (case|customer|mention|device|reply) in your scope$/, 'notInScope', 'what'],
  [/^no such (user|assignee|queue)$/, 'noSuch', 'what'],
  [/^(\d+) of the cases do not exist$/, 'casesMissing', 'count'],
  [/^the mention was already converted into a case$/, 'mentionConverted'],
  [/^presence can only be set for yourself$/, 'presenceSelf'],
  [/^baseVersion (\d+) is ahead of the hub's version (\d+)$/, 'versionAhead', 'base', 'version'],
  [/^entityId must be the new case id$/, 'badEntity'],
  [/^a case with this id already exists$/, 'caseExists'],
  [/^the device must belong to the case’s customer$/, 'deviceOwner'],
  [/^only a failed reply can be sent again \(this one is (.+)\)$/, 'retryNotFailed', 'status'],
  [/^the case is closed: convert the mention into a new case$/, 'mentionCaseClosed'],
  [/^no queue owns this channel: an admin must set one$/, 'noQueueForChannel'],
  [/^the customer has no (\S+) identity to reply to, and the case has no \S+ message to answer$/, 'noIdentity', 'channel'],
  [/^a reply cannot be sent on (\S+)$/, 'notReplyChannel', 'channel'],
  [/^a reply on (\S+) takes at most (\d+) characters$/, 'replyTooLong', 'channel', 'limit'],
  // The consent rule's reasons (src/shared/replies.ts `consentRefusal`), with or without the override's note.
  [/^the customer is marked do-not-engage(; only a supervisor may override it)?$/, 'consentDoNotEngage', 'override'],
  [/^the customer has not opted in to being contacted first on this network(; only a supervisor may override it)?$/, 'consentFirstContact', 'override'],
  [/^the post was not addressed to the brand and its author has not opted in(; only a supervisor may override it)?$/, 'consentUnaddressed', 'override'],
  // A change the hub's schema refused (zod's prettifyError, one issue a line): the detail stays English.
  [/^(✖[\s\S]*)$/, 'invalidInput', 'detail'],
];

export function rejectionWording(text: string): Wording | null {
  const known = refusalWording(text);
  if (known) return known;
  for (const [pattern, name, ...names] of REJECTIONS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const params: WordingParams = {};
    names.forEach((param, index) => {
      const value = match[index + 1];
      // `override`: the optional "; only a supervisor may override it" as yes/no; digits as numbers for plurals.
      params[param] = param === 'override' ? (value ? 'yes' : 'no') : /^\d+$/.test(value ?? '') ? Number(value) : (value ?? '').slice(0, 2000);
    });
    return wording(`rejection.${name}`, names.length > 0 ? params : undefined);
  }
  return null;
}

/** A request the hub's schema refused (400, zod's issues in English as the detail). */
export const invalidInputWording = (detail: string): Wording => wording('hub.invalidInput', { detail: detail.slice(0, 2000) });
