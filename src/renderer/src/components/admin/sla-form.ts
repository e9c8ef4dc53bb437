/**
 * The SLA tab's pure parts: durations in minutes, hours or days; a working
 * week to start from; a calendar in one line; and the problems of a draft by
 * field, from the shared schema as the admin types and from the hub's
 * refusal (zod's pretty print) after a save — one key per field either way.
 */
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { type BusinessCalendar, WEEKDAYS, type Weekday } from '../../../../shared/sla';
import { createI18n } from '../../i18n/instance';

/** The console's `t` (components pass theirs); English without one (tests, and the words the hub also speaks). */
export type Translate = TFunction;
let english: Translate | null = null;
export const englishT = (): Translate => (english ??= createI18n('en').t);

export const UNITS = { minutes: 1, hours: 60, days: 1440 } as const;
export type Unit = keyof typeof UNITS;

/** The largest unit the minutes are a whole number of: 90 → minutes, 240 → hours, 4320 → days. */
export function unitFor(minutes: number): Unit {
  if (!Number.isFinite(minutes) || minutes <= 0) return 'hours';
  if (minutes % UNITS.days === 0) return 'days';
  if (minutes % UNITS.hours === 0) return 'hours';
  return 'minutes';
}

/** What the admin typed, in minutes: NaN for nothing (the schema says "enter a duration"). */
export function toMinutes(value: number | string, unit: Unit): number {
  const n = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  // 1.1 h is 66 min, not 66.00000000000001.
  return Math.round(n * UNITS[unit] * 1e6) / 1e6;
}

/** "1 d 12 h", "45 min": how a target reads in a summary. */
export function formatMinutes(minutes: number, t: Translate = englishT()): string {
  if (!Number.isFinite(minutes)) return '—';
  const d = Math.floor(minutes / UNITS.days);
  const h = Math.floor((minutes % UNITS.days) / 60);
  const m = minutes % 60;
  return [d ? t('admin.duration.days', { n: d }) : '', h ? t('admin.duration.hours', { n: h }) : '', m ? t('admin.duration.minutes', { n: m }) : ''].filter(Boolean).join(' ') || t('admin.duration.minutes', { n: 0 });
}

/** Monday to Friday, 09:00–17:00, in the browser's zone: where business hours usually start. */
export function officeHours(timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'): Extract<BusinessCalendar, { kind: 'business' }> {
  const day = [{ start: '09:00', end: '17:00' }];
  return { kind: 'business', timeZone, week: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays: [] };
}

/** "Monday" (in the locale files: Chromium's Intl has no Icelandic day names). */
export const weekdayLabel = (day: Weekday, t: Translate = englishT()): string => t(`admin.weekdays.${day}`);

/** "24/7", or "Europe/Lisbon · Mon–Fri 09:00–17:00 · 2 holidays". */
export function calendarSummary(calendar: BusinessCalendar, t: Translate = englishT()): string {
  if (calendar.kind === 'always') return t('admin.calendar.always');
  const open = WEEKDAYS.filter((d) => (calendar.week[d] ?? []).length > 0);
  const hours = (d: Weekday) => (calendar.week[d] ?? []).map((r) => `${r.start}–${r.end}`).join(', ');
  const same = open.every((d) => hours(d) === hours(open[0]!));
  const contiguous = open.length > 1 && WEEKDAYS.indexOf(open[open.length - 1]!) - WEEKDAYS.indexOf(open[0]!) === open.length - 1;
  const short = (d: Weekday) => t(`admin.weekdaysShort.${d}`);
  const days = same ? `${contiguous ? `${short(open[0]!)}–${short(open[open.length - 1]!)}` : open.map(short).join(', ')} ${hours(open[0]!)}` : open.map((d) => `${short(d)} ${hours(d)}`).join('; ');
  const holidays = calendar.holidays.length ? ` · ${t('admin.calendar.holidays', { count: calendar.holidays.length })}` : '';
  return `${calendar.timeZone} · ${days}${holidays}`;
}

/** Problems by field. An item's index is folded into its list (a holiday, a skill: the list shows which). */
export type Issues = Map<string, string>;

const fold = (path: string) => path.replace(/\.\d+$/, '');

/** A duration's problem as the admin reads it; other fields keep the schema's words. */
function wordsFor(issue: z.core.$ZodIssue, t: Translate): string {
  const last = String(issue.path[issue.path.length - 1] ?? '');
  if (/Minutes$/.test(last)) {
    if (issue.code === 'invalid_type' && issue.expected === 'number') return t('admin.problems.enterDuration');
    if (issue.code === 'invalid_type' && issue.expected === 'int') return t('admin.problems.wholeMinutes');
    if (issue.code === 'too_small') return issue.minimum === 0 && issue.inclusive ? t('admin.problems.notNegative') : t('admin.problems.atLeastMinute');
  }
  if (issue.path.includes('holidays') && typeof issue.path[issue.path.length - 1] === 'number') return t('admin.problems.notDate');
  return issue.message;
}

/** The draft's problems, from the same schema the hub checks with. */
export function localIssues(error: z.ZodError | undefined, t: Translate = englishT()): Issues {
  const found: Issues = new Map();
  for (const issue of error?.issues ?? []) {
    const key = fold(issue.path.map(String).join('.'));
    if (!found.has(key)) found.set(key, wordsFor(issue, t));
  }
  return found;
}

/**
 * The hub's refusal by field: zod's pretty print ("✖ message" then
 * "→ at policies.default.calendar.week.mon[0].end"), indices as dots like
 * the local keys; a message without a field is kept under "".
 */
export function hubIssues(message: string): Issues {
  const found: Issues = new Map();
  let pending: string | null = null;
  for (const line of message.split('\n')) {
    const issue = /^\s*✖\s*(.+)$/.exec(line);
    const path = /^\s*→ at (.+)$/.exec(line);
    if (issue) {
      if (pending) found.set('', pending);
      pending = issue[1]!.trim();
    } else if (path && pending) {
      found.set(fold(path[1]!.trim().replace(/\[(\d+)\]/g, '.$1')), pending);
      pending = null;
    }
  }
  if (pending) found.set('', pending);
  if (found.size === 0 && message.trim()) found.set('', message.trim());
  return found;
}

/** Whether any problem lies at or under `prefix` (a section with one shows a mark). */
export const hasIssuesUnder = (issues: Issues, prefix: string): boolean => [...issues.keys()].some((k) => k === prefix || k.startsWith(`${prefix}.`));
