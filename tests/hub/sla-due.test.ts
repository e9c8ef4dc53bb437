/**
 * The hub's due times on the shared clock (pure, no database): a plan's
 * policy with business hours in the queue's time zone, the queue calendar
 * over the policy's, the pause while pending on the customer; the contract
 * term incidents are counted in; the countdown's time left.
 */
import { describe, expect, it } from 'vitest';
import { dueTimesOf, termStart } from '../../src/hub/sla';
import { type BusinessCalendar, DEFAULT_SLA_POLICY, dueState, pausesFromHistory, type SlaPolicy, timeLeft } from '../../src/shared/sla';

const BERLIN_OFFICE: BusinessCalendar = {
  kind: 'business',
  timeZone: 'Europe/Berlin',
  week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
  holidays: ['2026-12-25'],
};
const PLUS: SlaPolicy = { ...DEFAULT_SLA_POLICY, name: 'Plus', calendar: { kind: 'always' }, targets: { ...DEFAULT_SLA_POLICY.targets, high: { firstResponseMinutes: 120, resolutionMinutes: 16 * 60 } } };

describe('due times from a plan’s policy and the queue’s calendar', () => {
  it('opens Friday 16:30 in Berlin with 2 business hours: due Monday 10:30', () => {
    // Friday 27 November 2026, 16:30 CET = 15:30 UTC.
    const due = dueTimesOf({ policy: PLUS, queueCalendar: BERLIN_OFFICE }, 'high', new Date('2026-11-27T15:30:00Z'));
    expect(due.firstResponseDueAt!.toISOString()).toBe('2026-11-30T09:30:00.000Z'); // Monday 10:30 CET
    // 16 business hours = two working days: 30 min Friday, 8 h Monday, 7 h 30 Tuesday → Tuesday 16:30 CET.
    expect(due.resolutionDueAt!.toISOString()).toBe('2026-12-01T15:30:00.000Z');
  });

  it('runs on the policy’s calendar when the queue has none (24/7: plain addition)', () => {
    const due = dueTimesOf({ policy: PLUS, queueCalendar: null }, 'high', new Date('2026-11-27T15:30:00Z'));
    expect(due.firstResponseDueAt!.toISOString()).toBe('2026-11-27T17:30:00.000Z');
  });

  it('skips holidays in the queue’s zone', () => {
    // Thursday 24 December 16:00 CET, 2 h: 1 h that day, Christmas closed, 1 h Monday 28th.
    const due = dueTimesOf({ policy: PLUS, queueCalendar: BERLIN_OFFICE }, 'high', new Date('2026-12-24T15:00:00Z'));
    expect(due.firstResponseDueAt!.toISOString()).toBe('2026-12-28T09:00:00.000Z');
  });

  it('pauses the clock while the case is pending on the customer', () => {
    const opened = new Date('2026-11-30T08:00:00Z'); // Monday 09:00 CET
    // Pending from 09:30 to 11:00 CET: 90 business minutes do not count.
    const pauses = pausesFromHistory([
      { status: 'new', at: opened },
      { status: 'pending', at: '2026-11-30T08:30:00Z' },
      { status: 'open', at: '2026-11-30T10:00:00Z' },
    ]);
    const due = dueTimesOf({ policy: PLUS, queueCalendar: BERLIN_OFFICE }, 'high', opened, pauses);
    expect(due.firstResponseDueAt!.toISOString()).toBe('2026-11-30T11:30:00.000Z'); // 12:30 CET, not 11:00
    // Still pending: no due time while the clock stands.
    const open = pausesFromHistory([{ status: 'pending', at: '2026-11-30T08:30:00Z' }]);
    expect(dueTimesOf({ policy: PLUS, queueCalendar: BERLIN_OFFICE }, 'high', opened, open).firstResponseDueAt).toBeNull();
  });
});

describe('the contract term incidents count in', () => {
  it('starts at the last anniversary of the customer record', () => {
    expect(termStart(new Date('2024-03-10T12:00:00Z'), new Date('2026-11-30T00:00:00Z')).toISOString()).toBe('2026-03-10T12:00:00.000Z');
    expect(termStart(new Date('2024-12-10T12:00:00Z'), new Date('2026-11-30T00:00:00Z')).toISOString()).toBe('2025-12-10T12:00:00.000Z');
    expect(termStart(new Date('2024-02-29T00:00:00Z'), new Date('2026-03-01T00:00:00Z')).toISOString()).toBe('2026-02-28T00:00:00.000Z');
  });
});

describe('the countdown', () => {
  it('counts to the stored due time on the shared clock', () => {
    const now = Date.parse('2026-11-30T09:00:00Z');
    expect(timeLeft('2026-11-30T09:10:00Z', now)).toBe(10 * 60_000);
    expect(timeLeft('2026-11-30T08:55:00Z', now)).toBe(-5 * 60_000);
    expect(dueState('2026-11-30T09:10:00Z', now, false)).toBe('at-risk');
    expect(dueState('2026-11-30T08:55:00Z', now, false)).toBe('breached');
    expect(dueState('2026-11-30T08:55:00Z', now, true)).toBe('none');
  });
});
