/**
 * The admin SLA tab's pure parts: durations in minutes, hours or days; a
 * calendar in a line; and a draft's problems keyed by field the same way
 * whether the shared schema found them as the admin typed or the hub refused
 * the save (so the hub's word lands on the field too).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { calendarSummary, formatMinutes, hasIssuesUnder, hubIssues, localIssues, officeHours, toMinutes, unitFor } from '../../src/renderer/src/components/admin/sla-form';
import { SlaSaveInputSchema, type SlaSettings } from '../../src/shared/protocol';
import { DEFAULT_SLA_POLICY } from '../../src/shared/sla';

const settings = (patch: (s: SlaSettings) => void): SlaSettings => {
  const s: SlaSettings = structuredClone({ policies: { default: DEFAULT_SLA_POLICY, byPlan: { plus: DEFAULT_SLA_POLICY } }, queueCalendars: {} });
  patch(s);
  return s;
};

describe('the SLA form', () => {
  it('reads durations in the largest whole unit and keeps minutes', () => {
    expect([unitFor(90), unitFor(240), unitFor(4320), unitFor(Number.NaN)]).toEqual(['minutes', 'hours', 'days', 'hours']);
    expect([toMinutes(1.1, 'hours'), toMinutes('3', 'days'), toMinutes('', 'hours')]).toEqual([66, 4320, Number.NaN]);
    expect([formatMinutes(2160), formatMinutes(45), formatMinutes(0)]).toEqual(['1 d 12 h', '45 min', '0 min']);
  });

  it('says a calendar in one line', () => {
    expect(calendarSummary({ kind: 'always' })).toBe('24/7');
    expect(calendarSummary({ ...officeHours('Europe/Lisbon'), holidays: ['2026-12-25'] })).toBe('Europe/Lisbon · Mon–Fri 09:00–17:00 · 1 holiday');
  });

  it('keys problems by field, in words for durations, folding a holiday into its list', () => {
    const draft = settings((s) => {
      s.policies.byPlan.plus!.targets.urgent.firstResponseMinutes = 0;
      s.policies.default.targets.low.resolutionMinutes = Number.NaN;
      s.policies.default.calendar = { ...officeHours('Europe/Lisbon'), holidays: ['2026-12-25', '2026-02-30'] };
    });
    const issues = localIssues(SlaSaveInputSchema.safeParse(draft).error);
    expect(issues.get('policies.byPlan.plus.targets.urgent.firstResponseMinutes')).toBe('must be at least 1 minute');
    expect(issues.get('policies.default.targets.low.resolutionMinutes')).toBe('enter a duration');
    expect(issues.get('policies.default.calendar.holidays')).toBe('not a date "YYYY-MM-DD"');
    expect(hasIssuesUnder(issues, 'policies.byPlan.plus')).toBe(true);
    expect(hasIssuesUnder(issues, 'policies.byPlan.premium')).toBe(false);
    expect(localIssues(SlaSaveInputSchema.safeParse(settings(() => undefined)).error).size).toBe(0);
  });

  it("puts the hub's refusal on the same keys as the schema's", () => {
    const draft = settings((s) => {
      s.policies.default.calendar = { kind: 'business', timeZone: 'Mars/Olympus', week: { mon: [{ start: '17:00', end: '09:00' }] }, holidays: [] };
    });
    // What the hub answers: zod's pretty print of the same parse.
    const refusal = z.prettifyError(SlaSaveInputSchema.safeParse(draft).error!);
    const hub = hubIssues(refusal);
    const local = localIssues(SlaSaveInputSchema.safeParse(draft).error);
    expect([...hub.keys()].sort()).toEqual([...local.keys()].sort());
    expect(hub.get('policies.default.calendar.timeZone')).toMatch(/IANA time zone/);
    expect(hub.get('policies.default.calendar.week.mon.0.end')).toBe('start must be before end');
    // A refusal without a field is kept whole.
    expect(hubIssues('a queue calendar names a queue that does not exist').get('')).toBe('a queue calendar names a queue that does not exist');
  });
});
