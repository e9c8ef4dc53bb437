/**
 * Which SLA policy and calendar a case runs on (src/shared/sla.ts caseSlaOf: the hub's due times and the
 * console's countdown pick them there), and the countdown's reading of it: paused in the statuses the case's
 * own policy pauses on, at risk by the working time left on its calendar and its policy's warning lead.
 */
import { describe, expect, it } from 'vitest';
import {
  ALWAYS,
  BusinessCalendarSchema,
  businessTimeLeft,
  caseClockView,
  caseSlaOf,
  countdownState,
  DEFAULT_SLA_POLICY,
  defaultClockView,
  type SlaDocument,
  SlaPolicySchema,
} from '../../src/shared/sla';

const MIN = 60_000;
const HOUR = 60 * MIN;
const day = [{ start: '09:00', end: '17:00' }];
const office = BusinessCalendarSchema.parse({ kind: 'business', timeZone: 'UTC', week: { mon: day, tue: day, wed: day, thu: day, fri: day } });
const premium = SlaPolicySchema.parse({ ...DEFAULT_SLA_POLICY, name: 'Premium', pausedStatuses: ['on_hold'], warnLeadMinutes: 120 });
const QUEUE = '0190a000-0000-7000-8000-000000000001';
const doc: SlaDocument = { policies: { default: DEFAULT_SLA_POLICY, byPlan: { premium } }, queueCalendars: { [QUEUE]: office } };

describe('the policy and calendar of a case', () => {
  it("picks the plan's policy, else the default; the queue's hours, else the policy's calendar", () => {
    expect(caseSlaOf(doc, 'premium', null)).toEqual({ policy: premium, calendar: ALWAYS });
    expect(caseSlaOf(doc, 'basic', null).policy).toBe(DEFAULT_SLA_POLICY);
    expect(caseSlaOf(doc, null, QUEUE)).toEqual({ policy: DEFAULT_SLA_POLICY, calendar: office });
    expect(caseSlaOf(doc, 'premium', QUEUE)).toEqual({ policy: premium, calendar: office });
  });

  it("shows paused in the statuses the case's own policy pauses on, not the default's", () => {
    // Premium pauses on hold and not while pending; the default the other way round.
    expect(caseClockView(caseSlaOf(doc, 'premium', null), 'on_hold').paused).toBe(true);
    expect(caseClockView(caseSlaOf(doc, 'premium', null), 'pending').paused).toBe(false);
    expect(caseClockView(caseSlaOf(doc, 'basic', null), 'on_hold').paused).toBe(false);
    expect(caseClockView(caseSlaOf(doc, 'basic', null), 'pending').paused).toBe(true);
    expect(defaultClockView('pending')).toEqual({ paused: true, warnLeadMinutes: DEFAULT_SLA_POLICY.warnLeadMinutes, calendar: ALWAYS });
    expect(caseClockView(caseSlaOf(doc, 'premium', null), 'open').warnLeadMinutes).toBe(120);
  });
});

describe('the countdown by the case policy', () => {
  // Friday 16:30 UTC; due Monday 09:45: 65 h of wall-clock time, 75 min of working hours.
  const now = Date.parse('2026-11-27T16:30:00Z');
  const due = '2026-11-30T09:45:00Z';

  it('counts what is left in working hours on a business calendar, plain time around the clock', () => {
    expect(businessTimeLeft({ calendar: office }, due, now)).toBe(75 * MIN);
    expect(businessTimeLeft({ calendar: ALWAYS }, due, now)).toBe(65 * HOUR + 15 * MIN);
    // Past: how long ago, in plain time.
    expect(businessTimeLeft({ calendar: office }, '2026-11-27T16:00:00Z', now)).toBe(-30 * MIN);
  });

  it('is at risk by working time left against the policy’s lead, breached once past, none when done', () => {
    expect(countdownState(due, now, false, { calendar: office, warnLeadMinutes: 60 })).toBe('ok');
    expect(countdownState(due, now, false, { calendar: office, warnLeadMinutes: 120 })).toBe('at-risk');
    // The same due time on a 24/7 clock is days away.
    expect(countdownState(due, now, false, { calendar: ALWAYS, warnLeadMinutes: 120 })).toBe('ok');
    expect(countdownState('2026-11-27T16:00:00Z', now, false, { calendar: office, warnLeadMinutes: 60 })).toBe('breached');
    expect(countdownState(due, now, true, { calendar: office, warnLeadMinutes: 60 })).toBe('none');
    expect(countdownState(null, now, false, { calendar: office, warnLeadMinutes: 60 })).toBe('none');
  });
});
