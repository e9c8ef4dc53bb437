/** The SLA clock: business hours, holidays, time zones, DST, pauses, states (src/shared/sla.ts). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRIORITIES } from '../../src/shared/domain';
import {
  ALWAYS,
  type BusinessCalendar,
  BusinessCalendarSchema,
  type BusinessCalendarInput,
  businessDueAt,
  businessMsBetween,
  DEFAULT_SLA_POLICIES,
  DEFAULT_SLA_POLICY,
  dueState,
  firstResponseDueAt,
  pausesFromHistory,
  policyFor,
  readClock,
  SlaPoliciesSchema,
  SlaPolicySchema,
  slaStateOf,
  zonedInstant,
} from '../../src/shared/sla';

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (d: Date | null) => d?.toISOString() ?? null;

const officeHours = (timeZone: string, holidays: string[] = []): BusinessCalendar => {
  const day = [{ start: '09:00', end: '17:00' }];
  return BusinessCalendarSchema.parse({ kind: 'business', timeZone, week: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays } satisfies BusinessCalendarInput);
};

describe('business hours', () => {
  const utc = officeHours('UTC');

  it('skips the night and the weekend', () => {
    // Fri 2026-11-27 16:00 + 2 business hours: one hour on Friday, one on Monday.
    expect(iso(businessDueAt(utc, '2026-11-27T16:00:00Z', 120))).toBe('2026-11-30T10:00:00.000Z');
    // Overnight on a weekday.
    expect(iso(businessDueAt(utc, '2026-11-24T16:30:00Z', 60))).toBe('2026-11-25T09:30:00.000Z');
  });

  it('starts counting when the office opens', () => {
    expect(iso(businessDueAt(utc, '2026-11-28T12:00:00Z', 30))).toBe('2026-11-30T09:30:00.000Z');
    expect(iso(businessDueAt(utc, '2026-11-30T06:00:00Z', 30))).toBe('2026-11-30T09:30:00.000Z');
  });

  it('counts business time between two instants', () => {
    expect(businessMsBetween(utc, '2026-11-27T16:00:00Z', '2026-11-30T10:00:00Z')).toBe(2 * HOUR);
    expect(businessMsBetween(utc, '2026-11-28T00:00:00Z', '2026-11-29T23:59:00Z')).toBe(0);
    expect(businessMsBetween(utc, '2026-11-30T10:00:00Z', '2026-11-27T10:00:00Z')).toBe(0);
  });

  it('uses every range of a day (a lunch break)', () => {
    const split = BusinessCalendarSchema.parse({ kind: 'business', timeZone: 'UTC', week: { mon: [{ start: '13:00', end: '17:00' }, { start: '08:00', end: '12:00' }] } });
    expect(iso(businessDueAt(split, '2026-11-30T11:00:00Z', 120))).toBe('2026-11-30T14:00:00.000Z');
  });

  it('skips a holiday', () => {
    const withHoliday = officeHours('UTC', ['2026-11-30']);
    expect(iso(businessDueAt(withHoliday, '2026-11-27T16:00:00Z', 120))).toBe('2026-12-01T10:00:00.000Z');
    expect(businessMsBetween(withHoliday, '2026-11-30T00:00:00Z', '2026-12-01T00:00:00Z')).toBe(0);
  });
});

describe('time zones', () => {
  it('reads the hours in the calendar’s zone', () => {
    const tokyo = officeHours('Asia/Tokyo'); // UTC+9, no DST
    // Fri 16:00 JST = 07:00Z; due Mon 10:00 JST = 01:00Z.
    expect(iso(businessDueAt(tokyo, '2026-11-27T07:00:00Z', 120))).toBe('2026-11-30T01:00:00.000Z');
    // Sunday 23:30Z is already Monday 08:30 in Tokyo: the clock starts at 09:00 JST, Sunday 24:00Z.
    expect(iso(businessDueAt(tokyo, '2026-11-29T23:30:00Z', 60))).toBe('2026-11-30T01:00:00.000Z');
  });

  it('reads holidays as local dates', () => {
    // 2026-11-30 in Tokyo begins at 2026-11-29T15:00Z.
    const tokyo = officeHours('Asia/Tokyo', ['2026-11-30']);
    expect(iso(businessDueAt(tokyo, '2026-11-29T23:30:00Z', 60))).toBe('2026-12-01T01:00:00.000Z');
  });

  it('keeps local office hours across the European DST changes', () => {
    const berlin = officeHours('Europe/Berlin');
    // Spring (29 March 2026): Friday is CET (+1), Monday CEST (+2). Fri 16:00 CET → Mon 10:00 CEST.
    expect(iso(businessDueAt(berlin, '2026-03-27T15:00:00Z', 120))).toBe('2026-03-30T08:00:00.000Z');
    // Autumn (25 October 2026): Fri 16:00 CEST → Mon 10:00 CET.
    expect(iso(businessDueAt(berlin, '2026-10-23T14:00:00Z', 120))).toBe('2026-10-26T09:00:00.000Z');
  });

  it('keeps local office hours across the US DST changes', () => {
    const newYork = officeHours('America/New_York');
    // Spring (8 March 2026): Fri 16:00 EST (-5) → Mon 10:00 EDT (-4).
    expect(iso(businessDueAt(newYork, '2026-03-06T21:00:00Z', 120))).toBe('2026-03-09T14:00:00.000Z');
    // Autumn (1 November 2026): Fri 16:00 EDT → Mon 10:00 EST.
    expect(iso(businessDueAt(newYork, '2026-10-30T20:00:00Z', 120))).toBe('2026-11-02T15:00:00.000Z');
  });

  it('counts real minutes on the change days: 23 hours in spring, 25 in autumn', () => {
    const allDay = [{ start: '00:00', end: '24:00' }];
    const berlinAllDay = BusinessCalendarSchema.parse({ kind: 'business', timeZone: 'Europe/Berlin', week: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay } });
    expect(businessMsBetween(berlinAllDay, '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z')).toBe(23 * HOUR);
    expect(businessMsBetween(berlinAllDay, '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z')).toBe(25 * HOUR);
    // So an around-the-clock calendar in a zone equals plain addition across the change.
    expect(iso(businessDueAt(berlinAllDay, '2026-03-28T11:00:00Z', 24 * 60))).toBe('2026-03-29T11:00:00.000Z');
  });

  it('handles hours inside the skipped and the repeated hour', () => {
    // Sunday 02:00–04:00 local: in spring 02:00 does not exist (the range is 03:00–04:00 CEST, one hour); in autumn 02:00–03:00 happens twice (three hours).
    const sundayNight = BusinessCalendarSchema.parse({ kind: 'business', timeZone: 'Europe/Berlin', week: { sun: [{ start: '02:00', end: '04:00' }] } });
    expect(businessMsBetween(sundayNight, '2026-03-28T00:00:00Z', '2026-03-30T00:00:00Z')).toBe(1 * HOUR);
    expect(businessMsBetween(sundayNight, '2026-10-24T00:00:00Z', '2026-10-26T00:00:00Z')).toBe(3 * HOUR);
  });

  it('maps wall-clock times to instants: a skipped time lands after the gap, a repeated one is its first occurrence', () => {
    expect(new Date(zonedInstant('Europe/Berlin', { y: 2026, m: 3, d: 29 }, 150)).toISOString()).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    expect(new Date(zonedInstant('Europe/Berlin', { y: 2026, m: 10, d: 25 }, 150)).toISOString()).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
    expect(new Date(zonedInstant('America/New_York', { y: 2026, m: 11, d: 1 }, 90)).toISOString()).toBe('2026-11-01T05:30:00.000Z'); // 01:30 EDT
    expect(new Date(zonedInstant('America/New_York', { y: 2026, m: 3, d: 8 }, 150)).toISOString()).toBe('2026-03-08T07:30:00.000Z'); // 03:30 EDT
  });

  it('due time and business time between agree, anywhere in the year', () => {
    const calendars = [officeHours('Europe/Berlin', ['2026-12-25']), officeHours('America/New_York'), officeHours('Australia/Lord_Howe')];
    fc.assert(
      fc.property(fc.constantFrom(...calendars), fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }), fc.integer({ min: 1, max: 5000 }), (calendar, start, minutes) => {
        const due = businessDueAt(calendar, start, minutes)!;
        expect(businessMsBetween(calendar, start, due)).toBe(minutes * MIN);
      }),
      { seed: 12, numRuns: 200 },
    );
  });
});

describe('24/7', () => {
  it('is plain addition', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }), fc.integer({ min: 0, max: 1_000_000 }), (start, minutes) => {
        expect(businessDueAt(ALWAYS, start, minutes)!.getTime()).toBe(start + minutes * MIN);
        expect(businessMsBetween(ALWAYS, start, start + minutes * MIN)).toBe(minutes * MIN);
      }),
      { seed: 7 },
    );
  });

  it('the default policy keeps today’s first-response targets: urgent 1 h, high 4 h, normal 24 h, low 72 h', () => {
    const from = new Date('2026-11-27T16:00:00Z');
    const hours = Object.fromEntries(PRIORITIES.map((p) => [p, (firstResponseDueAt(DEFAULT_SLA_POLICY, p, from)!.getTime() - from.getTime()) / HOUR]));
    expect(hours).toEqual({ urgent: 1, high: 4, normal: 24, low: 72 });
    expect(policyFor(DEFAULT_SLA_POLICIES, 'premium')).toBe(DEFAULT_SLA_POLICY);
  });
});

describe('pauses (pending on the customer)', () => {
  const start = '2026-11-30T10:00:00Z';

  it('moves the due time on by the paused time', () => {
    expect(iso(businessDueAt(ALWAYS, start, 240, [{ from: '2026-11-30T11:00:00Z', to: '2026-11-30T12:00:00Z' }]))).toBe('2026-11-30T15:00:00.000Z');
    // Overlapping pauses count once.
    const overlapping = [
      { from: '2026-11-30T11:00:00Z', to: '2026-11-30T12:00:00Z' },
      { from: '2026-11-30T11:30:00Z', to: '2026-11-30T12:30:00Z' },
    ];
    expect(iso(businessDueAt(ALWAYS, start, 240, overlapping))).toBe('2026-11-30T15:30:00.000Z');
  });

  it('a pause outside business hours costs nothing', () => {
    const utc = officeHours('UTC');
    expect(iso(businessDueAt(utc, '2026-11-27T16:00:00Z', 120, [{ from: '2026-11-28T00:00:00Z', to: '2026-11-29T12:00:00Z' }]))).toBe('2026-11-30T10:00:00.000Z');
  });

  it('stops the clock while the case is pending, and counts on once it is not', () => {
    const history = [
      { status: 'new' as const, at: start },
      { status: 'pending' as const, at: '2026-11-30T11:00:00Z' },
      { status: 'open' as const, at: '2026-11-30T12:00:00Z' },
    ];
    const pauses = pausesFromHistory(history);
    expect(pauses).toEqual([{ from: Date.parse('2026-11-30T11:00:00Z'), to: Date.parse('2026-11-30T12:00:00Z') }]);

    const during = readClock({ calendar: ALWAYS, start, targetMinutes: 240, at: '2026-11-30T11:30:00Z', pauses });
    expect(during).toMatchObject({ elapsedMs: 60 * MIN, remainingMs: 180 * MIN, paused: true, state: 'ok' });
    // Paused: the due time as if it resumed now.
    expect(iso(during.dueAt)).toBe('2026-11-30T14:30:00.000Z');

    const after = readClock({ calendar: ALWAYS, start, targetMinutes: 240, at: '2026-11-30T12:30:00Z', pauses });
    expect(after).toMatchObject({ elapsedMs: 90 * MIN, remainingMs: 150 * MIN, paused: false, state: 'ok' });
    expect(iso(after.dueAt)).toBe('2026-11-30T15:00:00.000Z');
  });

  it('an open pause has no due time yet', () => {
    const pauses = pausesFromHistory([
      { status: 'open', at: start },
      { status: 'pending', at: '2026-11-30T11:00:00Z' },
    ]);
    expect(pauses).toEqual([{ from: Date.parse('2026-11-30T11:00:00Z'), to: null }]);
    expect(businessDueAt(ALWAYS, start, 240, pauses)).toBeNull();
    const later = readClock({ calendar: ALWAYS, start, targetMinutes: 240, at: '2026-11-30T20:00:00Z', pauses });
    expect(later).toMatchObject({ elapsedMs: 60 * MIN, remainingMs: 180 * MIN, paused: true, state: 'ok' });
  });

  it('uses the statuses the policy pauses on', () => {
    const history = [
      { status: 'open' as const, at: start },
      { status: 'on_hold' as const, at: '2026-11-30T11:00:00Z' },
      { status: 'pending' as const, at: '2026-11-30T11:30:00Z' },
      { status: 'open' as const, at: '2026-11-30T12:00:00Z' },
    ];
    expect(pausesFromHistory(history)).toEqual([{ from: Date.parse('2026-11-30T11:30:00Z'), to: Date.parse('2026-11-30T12:00:00Z') }]);
    expect(pausesFromHistory(history, ['pending', 'on_hold'])).toEqual([{ from: Date.parse('2026-11-30T11:00:00Z'), to: Date.parse('2026-11-30T12:00:00Z') }]);
  });

  it('reads a breached clock, with the due time in the past', () => {
    const utc = officeHours('UTC');
    const reading = readClock({ calendar: utc, start: '2026-11-27T16:00:00Z', targetMinutes: 60, at: '2026-11-30T09:30:00Z' });
    expect(reading).toMatchObject({ elapsedMs: 90 * MIN, remainingMs: -30 * MIN, state: 'breached' });
    expect(iso(reading.dueAt)).toBe('2026-11-27T17:00:00.000Z');
  });
});

describe('ok, at risk, breached', () => {
  it('turns at-risk inside the warning lead and breached past the due time', () => {
    expect(slaStateOf(60 * MIN)).toBe('ok');
    expect(slaStateOf(60 * MIN - 1)).toBe('at-risk');
    expect(slaStateOf(0)).toBe('at-risk');
    expect(slaStateOf(-1)).toBe('breached');
    expect(slaStateOf(20 * MIN, 15)).toBe('ok');
    expect(slaStateOf(14 * MIN, 15)).toBe('at-risk');
    expect(slaStateOf(5 * MIN, 0)).toBe('ok');
  });

  it('reads a stored due time in wall-clock time; none without one or once done', () => {
    const now = Date.parse('2026-11-30T10:00:00Z');
    expect(dueState('2026-11-30T12:00:00Z', now, false)).toBe('ok');
    expect(dueState('2026-11-30T10:30:00Z', now, false)).toBe('at-risk');
    expect(dueState('2026-11-30T09:59:00Z', now, false)).toBe('breached');
    expect(dueState('2026-11-30T09:59:00Z', now, true)).toBe('none');
    expect(dueState(null, now, false)).toBe('none');
  });

  it('readClock turns at-risk on the policy’s lead', () => {
    const at = '2026-11-30T10:50:00Z';
    expect(readClock({ calendar: ALWAYS, start: '2026-11-30T10:00:00Z', targetMinutes: 60, at }).state).toBe('at-risk');
    expect(readClock({ calendar: ALWAYS, start: '2026-11-30T10:00:00Z', targetMinutes: 60, at, warnLeadMinutes: 5 }).state).toBe('ok');
  });
});

describe('policy schemas', () => {
  it('accepts the default policy and fills defaults', () => {
    expect(SlaPolicySchema.parse(DEFAULT_SLA_POLICY)).toEqual(DEFAULT_SLA_POLICY);
    const parsed = SlaPoliciesSchema.parse({ default: { name: 'x', calendar: { kind: 'always' }, targets: DEFAULT_SLA_POLICY.targets } });
    expect(parsed.default).toMatchObject({ warnLeadMinutes: 60, pausedStatuses: ['pending'] });
    expect(parsed.byPlan).toEqual({});
  });

  it('refuses what cannot be a calendar, naming the field', () => {
    const bad = (input: unknown) => {
      const r = BusinessCalendarSchema.safeParse(input);
      return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(bad({ kind: 'business', timeZone: 'Mars/Olympus', week: { mon: [{ start: '09:00', end: '17:00' }] } })?.[0]).toMatch(/^timeZone: must be an IANA time zone/);
    expect(bad({ kind: 'business', timeZone: 'UTC', week: { mon: [{ start: '17:00', end: '09:00' }] } })?.[0]).toMatch(/^week\.mon\.0\.end: start must be before end/);
    expect(bad({ kind: 'business', timeZone: 'UTC', week: { mon: [{ start: '09:00', end: '13:00' }, { start: '12:00', end: '17:00' }] } })?.[0]).toMatch(/^week\.mon: ranges of a day must not overlap/);
    expect(bad({ kind: 'business', timeZone: 'UTC', week: { mon: [] } })?.[0]).toMatch(/at least one weekday/);
    expect(bad({ kind: 'business', timeZone: 'UTC', week: { mon: [{ start: '9:00', end: '25:00' }] } })).toEqual(expect.arrayContaining([expect.stringMatching(/^week\.mon\.0\.start: must be a time/), expect.stringMatching(/^week\.mon\.0\.end: must be a time/)]));
    expect(bad({ kind: 'business', timeZone: 'UTC', week: { mon: [{ start: '09:00', end: '17:00' }] }, holidays: ['2026-13-01'] })?.[0]).toMatch(/^holidays\.0/);
  });
});
