/**
 * The SLA clock: one implementation that the hub (due times it stores), the
 * console core and the renderer (the countdown) all call.
 *
 * A target is a number of business minutes. Business minutes are real
 * minutes that fall inside the calendar's working hours, read as wall-clock
 * times in the calendar's IANA time zone (so 09:00–17:00 stays 09:00–17:00
 * local across a DST change), minus whole local dates that are holidays, minus
 * the intervals the case was paused (pending on the customer). A 24/7
 * calendar makes every minute a business minute: the due time is plain
 * addition.
 *
 * Pure: `zod` and the ECMAScript `Intl` API only.
 */
import { z } from 'zod';
import { type CaseStatus, CaseStatusSchema, PLANS, type Priority, PRIORITIES } from './domain';

const MINUTE = 60_000;
const DAY_MS = 86_400_000;

/* ------------------------------------------------------------- schemas */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** "HH:MM" on a 24-hour clock; "24:00" ends a range at midnight. */
const TimeOfDaySchema = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time "HH:MM" between 00:00 and 24:00');
const minutesOfDay = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const HoursRangeSchema = z
  .object({ start: TimeOfDaySchema, end: TimeOfDaySchema })
  .refine((r) => minutesOfDay(r.start) < minutesOfDay(r.end), { message: 'start must be before end', path: ['end'] });
export type HoursRange = z.infer<typeof HoursRangeSchema>;

/** Intl knows every IANA zone it supports: anything else throws. */
function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const DayHoursSchema = z
  .array(HoursRangeSchema)
  .max(8)
  .refine((ranges) => [...ranges].sort((a, b) => minutesOfDay(a.start) - minutesOfDay(b.start)).every((r, i, all) => i === 0 || minutesOfDay(all[i - 1]!.end) <= minutesOfDay(r.start)), 'ranges of a day must not overlap');

export const BusinessCalendarSchema = z.discriminatedUnion('kind', [
  /** Every minute counts. */
  z.object({ kind: z.literal('always') }),
  z.object({
    kind: z.literal('business'),
    /** IANA zone the hours and holidays are read in, e.g. "Europe/Lisbon". */
    timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as "Europe/Berlin"'),
    /** Working hours per weekday; a day left out or empty is closed. */
    week: z.partialRecord(z.enum(WEEKDAYS), DayHoursSchema).refine((week) => Object.values(week).some((ranges) => ranges && ranges.length > 0), 'at least one weekday must have working hours'),
    /** Local dates ("2026-12-25") on which the clock does not run. */
    holidays: z.array(z.iso.date()).max(1000).default([]),
  }),
]);
export type BusinessCalendar = z.infer<typeof BusinessCalendarSchema>;
export type BusinessCalendarInput = z.input<typeof BusinessCalendarSchema>;

export const SlaTargetsSchema = z.object({
  firstResponseMinutes: z.number().int().positive(),
  resolutionMinutes: z.number().int().positive(),
});
export type SlaTargets = z.infer<typeof SlaTargetsSchema>;

export const SlaPolicySchema = z.object({
  name: z.string().trim().min(1).max(100),
  calendar: BusinessCalendarSchema,
  targets: z.object(Object.fromEntries(PRIORITIES.map((p) => [p, SlaTargetsSchema])) as Record<Priority, typeof SlaTargetsSchema>),
  /** How long before a breach the clock reads "at-risk" (the live warning). */
  warnLeadMinutes: z.number().int().nonnegative().default(60),
  /** Statuses that stop the clock: the case waits on the customer. */
  pausedStatuses: z.array(CaseStatusSchema).default(['pending']),
});
export type SlaPolicy = z.infer<typeof SlaPolicySchema>;

/** The policy every plan uses unless one is set for it. */
export const SlaPoliciesSchema = z.object({
  default: SlaPolicySchema,
  byPlan: z.partialRecord(z.enum(PLANS), SlaPolicySchema).default({}),
});
export type SlaPolicies = z.infer<typeof SlaPoliciesSchema>;

/* ------------------------------------------------------------ defaults */

export const ALWAYS: BusinessCalendar = { kind: 'always' };

/**
 * Today's targets, around the clock: first response urgent 1 h, high 4 h,
 * normal 24 h, low 72 h, as the hub always used them (`slaDueAt`). Resolution
 * targets are new; nothing reads them until an admin edits policies.
 */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  name: 'Standard (24/7)',
  calendar: ALWAYS,
  targets: {
    urgent: { firstResponseMinutes: 60, resolutionMinutes: 8 * 60 },
    high: { firstResponseMinutes: 4 * 60, resolutionMinutes: 24 * 60 },
    normal: { firstResponseMinutes: 24 * 60, resolutionMinutes: 72 * 60 },
    low: { firstResponseMinutes: 72 * 60, resolutionMinutes: 168 * 60 },
  },
  warnLeadMinutes: 60,
  pausedStatuses: ['pending'],
};
export const DEFAULT_SLA_POLICIES: SlaPolicies = { default: DEFAULT_SLA_POLICY, byPlan: {} };

export function policyFor(policies: SlaPolicies, plan: (typeof PLANS)[number] | null | undefined): SlaPolicy {
  return (plan && policies.byPlan[plan]) || policies.default;
}

/** The SLA document as the hub stores it: the policies and the queues with their own business hours (protocol.ts `SlaSettings`). */
export interface SlaDocument {
  policies: SlaPolicies;
  queueCalendars: Readonly<Record<string, BusinessCalendar>>;
}
export const DEFAULT_SLA_DOCUMENT: SlaDocument = { policies: DEFAULT_SLA_POLICIES, queueCalendars: {} };

/** The policy a case runs on and the calendar its clock reads. */
export interface CaseSla {
  policy: SlaPolicy;
  calendar: BusinessCalendar;
}

/**
 * Which policy and calendar a case runs on — the hub (due times, pauses) and
 * the console (countdown, paused) pick them here: the customer's plan's
 * policy, else the default; the queue's business hours, when an admin set
 * them, replace the policy's calendar (Zendesk's "schedule" of the group).
 */
export function caseSlaOf(doc: SlaDocument, plan: (typeof PLANS)[number] | null | undefined, queueId: string | null | undefined): CaseSla {
  const policy = policyFor(doc.policies, plan);
  return { policy, calendar: calendarOf(policy, (queueId ? doc.queueCalendars[queueId] : undefined) ?? null) };
}

/** The calendar a case's clock reads: its queue's business hours when set, else its policy's. */
export const calendarOf = (policy: SlaPolicy, queueCalendar: BusinessCalendar | null): BusinessCalendar => queueCalendar ?? policy.calendar;

/* ------------------------------------------------------- wall-clock parts */

interface Civil {
  y: number;
  m: number; // 1–12
  d: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock in `timeZone` at `ms`, as if it were UTC (ms since epoch of that wall time). */
function wallMs(timeZone: string, ms: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!, parts.second!) + (((ms % 1000) + 1000) % 1000);
}

/** Offsets read so far, by zone and instant: due times of many cases walk the same days (Intl formatting is the cost). */
const offsets = new Map<string, number>();
const MAX_OFFSETS = 50_000;

/** The zone's offset from UTC at the instant `ms`. */
function offsetAt(timeZone: string, ms: number): number {
  const key = `${timeZone}|${ms}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = wallMs(timeZone, ms) - ms;
    if (offsets.size >= MAX_OFFSETS) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/**
 * The instant a wall-clock time happens in `timeZone`. A time the spring
 * change skips (02:30 when clocks jump 02:00 → 03:00) is read with the offset
 * before the jump, so it lands after the gap (03:30); a time the autumn
 * change repeats is its first occurrence.
 */
export function zonedInstant(timeZone: string, wall: Civil, minuteOfDay: number): number {
  const midnight = Date.UTC(wall.y, wall.m - 1, wall.d);
  const asUtc = midnight + minuteOfDay * MINUTE;
  // Offsets a day before and after the local day (day-aligned, so every range of a day and the next days share them):
  // equal, the day has no change (changes are months apart) and the offset is the answer.
  const before = offsetAt(timeZone, midnight - DAY_MS);
  const after = offsetAt(timeZone, midnight + 2 * DAY_MS);
  if (before === after) return asUtc - before;
  // Try the earlier instant first (first occurrence); keep it only if it reads back as the wall time asked for.
  for (const offset of [Math.max(before, after), Math.min(before, after)]) {
    const candidate = asUtc - offset;
    if (wallMs(timeZone, candidate) === asUtc) return candidate;
  }
  // In a gap: the offset from before the change.
  return asUtc - before;
}

function civilAt(timeZone: string, ms: number): Civil {
  const w = new Date(wallMs(timeZone, ms));
  return { y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate() };
}
const nextDay = (c: Civil): Civil => {
  const t = new Date(Date.UTC(c.y, c.m - 1, c.d + 1));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
};
const isoDate = (c: Civil): string => `${String(c.y).padStart(4, '0')}-${String(c.m).padStart(2, '0')}-${String(c.d).padStart(2, '0')}`;
const weekdayOf = (c: Civil): Weekday => WEEKDAYS[(new Date(Date.UTC(c.y, c.m - 1, c.d)).getUTCDay() + 6) % 7]!;

/* ------------------------------------------------------ working intervals */

interface Interval {
  from: number;
  to: number;
}

/** Ten years of closed days in a row means the calendar never opens: stop rather than loop. */
const MAX_DAYS = 3660;

/** Working intervals from `from` onwards, in order, clipped to start at `from`. Endless for a calendar that opens. */
function* workingIntervals(calendar: BusinessCalendar, from: number): Generator<Interval> {
  if (calendar.kind === 'always') {
    yield { from, to: Number.POSITIVE_INFINITY };
    return;
  }
  const holidays = new Set(calendar.holidays);
  // Start a day early: a local day can begin before `from` in UTC terms and still hold it.
  let day = civilAt(calendar.timeZone, from - DAY_MS);
  let closedRun = 0;
  for (;;) {
    const ranges = holidays.has(isoDate(day)) ? [] : [...(calendar.week[weekdayOf(day)] ?? [])].sort((a, b) => minutesOfDay(a.start) - minutesOfDay(b.start));
    let opened = false;
    for (const r of ranges) {
      const start = zonedInstant(calendar.timeZone, day, minutesOfDay(r.start));
      const end = zonedInstant(calendar.timeZone, day, minutesOfDay(r.end));
      if (end <= from || end <= start) continue;
      opened = true;
      yield { from: Math.max(start, from), to: end };
    }
    closedRun = opened ? 0 : closedRun + 1;
    if (closedRun > MAX_DAYS) throw new Error('the business calendar has no working hours in ten years');
    day = nextDay(day);
  }
}

/** A paused stretch (status pending on the customer); `to` null: still paused. */
export interface Pause {
  from: Date | string | number;
  to: Date | string | number | null;
}
const instant = (t: Date | string | number): number => (typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime());

/** Pauses as sorted, merged intervals; an open pause runs forever. */
function normalisePauses(pauses: readonly Pause[]): Interval[] {
  const list = pauses
    .map((p) => ({ from: instant(p.from), to: p.to === null ? Number.POSITIVE_INFINITY : instant(p.to) }))
    .filter((p) => p.to > p.from)
    .sort((a, b) => a.from - b.from);
  const merged: Interval[] = [];
  for (const p of list) {
    const last = merged[merged.length - 1];
    if (last && p.from <= last.to) last.to = Math.max(last.to, p.to);
    else merged.push({ ...p });
  }
  return merged;
}

/** Working intervals with the pauses cut out. */
function* runningIntervals(calendar: BusinessCalendar, from: number, pauses: Interval[]): Generator<Interval> {
  let i = 0;
  for (const w of workingIntervals(calendar, from)) {
    let start = w.from;
    while (start < w.to) {
      while (i < pauses.length && pauses[i]!.to <= start) i++;
      const p = pauses[i];
      if (!p || p.from >= w.to) {
        yield { from: start, to: w.to };
        break;
      }
      if (p.from > start) yield { from: start, to: p.from };
      if (p.to === Number.POSITIVE_INFINITY) return;
      start = p.to;
    }
  }
}

/* ----------------------------------------------------------- the clock */

/**
 * When `minutes` business minutes after `start` fall due. With pauses, the
 * time is moved on by the business time they cover; with an open pause the
 * clock is stopped and there is no due time: null.
 */
export function businessDueAt(calendar: BusinessCalendar, start: Date | string | number, minutes: number, pauses: readonly Pause[] = []): Date | null {
  let left = minutes * MINUTE;
  for (const r of runningIntervals(calendar, instant(start), normalisePauses(pauses))) {
    if (r.to - r.from >= left) return new Date(r.from + left);
    left -= r.to - r.from;
  }
  return null;
}

/** Business milliseconds between two instants, pauses not counted (0 when `to` is not after `from`). */
export function businessMsBetween(calendar: BusinessCalendar, from: Date | string | number, to: Date | string | number, pauses: readonly Pause[] = []): number {
  const end = instant(to);
  let total = 0;
  for (const r of runningIntervals(calendar, instant(from), normalisePauses(pauses))) {
    if (r.from >= end) break;
    total += Math.min(r.to, end) - r.from;
  }
  return total;
}

/**
 * The stretches a case spent in a paused status, from its status history
 * (each change with the instant it took effect, any order). The last one is
 * open (`to` null) when the case is paused now.
 */
export function pausesFromHistory(history: readonly { status: CaseStatus; at: Date | string | number }[], pausedStatuses: readonly CaseStatus[] = ['pending']): Pause[] {
  const sorted = [...history].sort((a, b) => instant(a.at) - instant(b.at));
  const pauses: Pause[] = [];
  let open: number | null = null;
  for (const change of sorted) {
    const paused = clockPausedIn(change.status, pausedStatuses);
    if (paused && open === null) open = instant(change.at);
    else if (!paused && open !== null) {
      pauses.push({ from: open, to: instant(change.at) });
      open = null;
    }
  }
  if (open !== null) pauses.push({ from: open, to: null });
  return pauses;
}

/**
 * Whether the clock stands for a case in `status` (it waits on the customer),
 * by its policy's paused statuses (`caseClockView`; the default's when none is
 * given). The hub's stored due times move on when the case resumes.
 */
export function clockPausedIn(status: CaseStatus, pausedStatuses: readonly CaseStatus[] = DEFAULT_SLA_POLICY.pausedStatuses): boolean {
  return pausedStatuses.includes(status);
}

export const SLA_STATES = ['ok', 'at-risk', 'breached'] as const;
export type SlaState = (typeof SLA_STATES)[number];

export const DEFAULT_WARN_LEAD_MINUTES = DEFAULT_SLA_POLICY.warnLeadMinutes;

/** Breached once nothing is left; at risk with less than the warning lead left. */
export function slaStateOf(remainingMs: number, warnLeadMinutes: number = DEFAULT_WARN_LEAD_MINUTES): SlaState {
  if (remainingMs < 0) return 'breached';
  return remainingMs < warnLeadMinutes * MINUTE ? 'at-risk' : 'ok';
}

/**
 * The state of a stored due time, in wall-clock time (the console only has
 * `slaDueAt`): 'none' without a due time or once the case is done.
 */
export function dueState(dueAt: string | Date | null, now: number, done: boolean, warnLeadMinutes: number = DEFAULT_WARN_LEAD_MINUTES): SlaState | 'none' {
  if (dueAt === null || done) return 'none';
  return slaStateOf(timeLeft(dueAt, now), warnLeadMinutes);
}

/**
 * What the countdown shows: the time until a stored due time (negative once
 * past). The due time already holds the business calendar and the pauses
 * (the hub computed it with this clock), so what is left is plain time.
 */
export function timeLeft(dueAt: string | Date | number, now: number): number {
  return instant(dueAt) - now;
}

/**
 * What the console's countdown reads of a case's own policy (the queue
 * item's `sla`): whether its clock stands in the case's status, the warning
 * lead, and the calendar the time left is counted on.
 */
export interface CaseClockView {
  paused: boolean;
  warnLeadMinutes: number;
  calendar: BusinessCalendar;
}

export function caseClockView(sla: CaseSla, status: CaseStatus): CaseClockView {
  return { paused: clockPausedIn(status, sla.policy.pausedStatuses), warnLeadMinutes: sla.policy.warnLeadMinutes, calendar: sla.calendar };
}

/** The default policy's view (a case the console has no policies for yet). */
export const defaultClockView = (status: CaseStatus): CaseClockView => caseClockView(caseSlaOf(DEFAULT_SLA_DOCUMENT, null, null), status);

/**
 * Business time left until a stored due time on the case's calendar (what the
 * targets count: outside working hours nothing is used up); negative, in plain
 * time, once past. 24/7: the same as `timeLeft`.
 */
export function businessTimeLeft(view: Pick<CaseClockView, 'calendar'>, dueAt: string | Date | number, now: number): number {
  const left = timeLeft(dueAt, now);
  if (left <= 0 || view.calendar.kind === 'always') return left;
  return businessMsBetween(view.calendar, now, dueAt);
}

/**
 * The countdown's state by the case's own policy: 'none' without a due time
 * or once done; else breached once past, at risk with less business time
 * left than its warning lead.
 */
export function countdownState(dueAt: string | Date | null, now: number, done: boolean, view: Pick<CaseClockView, 'calendar' | 'warnLeadMinutes'>): SlaState | 'none' {
  if (dueAt === null || done) return 'none';
  return slaStateOf(businessTimeLeft(view, dueAt, now), view.warnLeadMinutes);
}

export interface SlaReading {
  /** When the target falls due if the clock runs from `at` on; with the clock paused, as if it resumed at `at`. */
  dueAt: Date;
  /** Business time the clock has run. */
  elapsedMs: number;
  /** Business time left; negative once breached. */
  remainingMs: number;
  paused: boolean;
  state: SlaState;
}

/**
 * Where one target's clock stands at `at`: a case that started at `start`,
 * with `targetMinutes` business minutes, paused over `pauses`.
 */
export function readClock(opts: { calendar: BusinessCalendar; start: Date | string | number; targetMinutes: number; at: Date | string | number; pauses?: readonly Pause[]; warnLeadMinutes?: number }): SlaReading {
  const at = instant(opts.at);
  const pauses = normalisePauses(opts.pauses ?? []);
  const paused = pauses.some((p) => p.from <= at && at < p.to);
  // What happened up to `at` counts; the future has no pauses yet.
  const past = pauses.filter((p) => p.from < at).map((p) => ({ from: p.from, to: Math.min(p.to, at) }));
  const elapsedMs = businessMsBetween(opts.calendar, opts.start, at, past);
  const target = opts.targetMinutes * MINUTE;
  // With the pauses clipped at `at`, the running time after `at` is unpaused: one walk from the start gives the due time.
  const dueAt = businessDueAt(opts.calendar, opts.start, opts.targetMinutes, past)!;
  const remainingMs = target - elapsedMs;
  return { dueAt, elapsedMs, remainingMs, paused, state: slaStateOf(remainingMs, opts.warnLeadMinutes) };
}

/** The first-response due time for a case: the policy's target for its priority, from when it was opened. */
export function firstResponseDueAt(policy: SlaPolicy, priority: Priority, openedAt: Date | string | number, pauses: readonly Pause[] = []): Date | null {
  return businessDueAt(policy.calendar, openedAt, policy.targets[priority].firstResponseMinutes, pauses);
}
