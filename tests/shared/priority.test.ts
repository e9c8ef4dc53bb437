/** The explained priority score (src/shared/priority.ts): monotone, deterministic, explained, weighted by configuration. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLANS, PRIORITIES } from '../../src/shared/domain';
import { DEFAULT_PLAN_ENTITLEMENTS, ENTITLEMENT_KINDS } from '../../src/shared/entitlements';
import { casePriorityInput, DEFAULT_PRIORITY_CONFIG, durationWords, sentimentBand, PriorityConfigSchema, type PriorityInput, priorityInputOf, priorityScore, priorityScoreValue } from '../../src/shared/priority';

const MIN = 60_000;

const base: PriorityInput = { slaRemainingMs: 6 * 60 * MIN, entitlement: 'per-incident', plan: 'plus', lifetimeValue: 2000, influence: 20, sentiment: 0.2, priority: 'normal' };

const inputArb: fc.Arbitrary<PriorityInput> = fc.record({
  slaRemainingMs: fc.option(fc.integer({ min: -3 * 24 * 60 * MIN, max: 5 * 24 * 60 * MIN })),
  entitlement: fc.option(fc.constantFrom(...ENTITLEMENT_KINDS)),
  plan: fc.option(fc.constantFrom(...PLANS)),
  lifetimeValue: fc.option(fc.double({ min: 0, max: 50_000, noNaN: true })),
  influence: fc.option(fc.integer({ min: 0, max: 100 })),
  sentiment: fc.option(fc.double({ min: -1, max: 1, noNaN: true })),
  priority: fc.constantFrom(...PRIORITIES),
});
const score = (input: PriorityInput) => priorityScore(input).score;

describe('monotone in each factor', () => {
  // For every factor: a change that should never lower the score, from any starting point.
  const raises: Record<string, [fc.Arbitrary<unknown>, (input: PriorityInput, x: never) => [PriorityInput, PriorityInput]]> = {
    'less SLA time left': [fc.tuple(fc.integer({ min: -3 * 1440, max: 5 * 1440 }), fc.integer({ min: 0, max: 5 * 1440 })), (i, [left, less]: [number, number]) => [{ ...i, slaRemainingMs: left * MIN }, { ...i, slaRemainingMs: (left - less) * MIN }]],
    'more entitlement': [fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), (i, [a, b]: [number, number]) => [{ ...i, entitlement: ENTITLEMENT_KINDS[Math.min(a, b)]! }, { ...i, entitlement: ENTITLEMENT_KINDS[Math.max(a, b)]! }]],
    'more lifetime value': [fc.tuple(fc.double({ min: 0, max: 50_000, noNaN: true }), fc.double({ min: 0, max: 50_000, noNaN: true })), (i, [a, b]: [number, number]) => [{ ...i, lifetimeValue: Math.min(a, b) }, { ...i, lifetimeValue: Math.max(a, b) }]],
    'more influence': [fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })), (i, [a, b]: [number, number]) => [{ ...i, influence: Math.min(a, b) }, { ...i, influence: Math.max(a, b) }]],
    'worse sentiment': [fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })), (i, [a, b]: [number, number]) => [{ ...i, sentiment: Math.max(a, b) }, { ...i, sentiment: Math.min(a, b) }]],
    'higher severity': [fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), (i, [a, b]: [number, number]) => [{ ...i, priority: PRIORITIES[Math.max(a, b)]! }, { ...i, priority: PRIORITIES[Math.min(a, b)]! }]],
  };
  for (const [name, [arb, pair]] of Object.entries(raises)) {
    it(`never falls with ${name}`, () => {
      fc.assert(
        fc.property(inputArb, arb, (input, x) => {
          const [lower, higher] = pair(input, x as never);
          expect(score(higher)).toBeGreaterThanOrEqual(score(lower));
        }),
        { seed: 42, numRuns: 300 },
      );
    });
  }

  it('rises strictly where each factor is in its range', () => {
    expect(score({ ...base, slaRemainingMs: 12 * MIN })).toBeGreaterThan(score(base));
    expect(score({ ...base, entitlement: 'premium' })).toBeGreaterThan(score(base));
    expect(score({ ...base, lifetimeValue: 9000 })).toBeGreaterThan(score(base));
    expect(score({ ...base, influence: 90 })).toBeGreaterThan(score(base));
    expect(score({ ...base, sentiment: -0.8 })).toBeGreaterThan(score(base));
    expect(score({ ...base, priority: 'urgent' })).toBeGreaterThan(score(base));
  });

  it('a breached SLA outranks one due later, all else equal', () => {
    expect(score({ ...base, slaRemainingMs: -5 * MIN })).toBeGreaterThan(score({ ...base, slaRemainingMs: 2 * 60 * MIN }));
  });
});

describe('score', () => {
  it('is 0–100 and deterministic', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const a = priorityScore(input);
        expect(a.score).toBeGreaterThanOrEqual(0);
        expect(a.score).toBeLessThanOrEqual(100 + 1e-9);
        expect(priorityScore({ ...input })).toEqual(a);
        expect(priorityScoreValue(input)).toBe(a.score);
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  it('is the sum of its reasons’ points, every factor listed, most points first', () => {
    const s = priorityScore(base);
    expect(s.reasons.map((r) => r.factor).sort()).toEqual(['entitlement', 'influence', 'lifetimeValue', 'sentiment', 'severity', 'sla']);
    expect(s.reasons.reduce((sum, r) => sum + r.points, 0)).toBeCloseTo(s.score, 9);
    expect(s.reasons.map((r) => r.points)).toEqual([...s.reasons.map((r) => r.points)].sort((a, b) => b - a));
  });

  it('is 100 with every factor at its top', () => {
    expect(score({ slaRemainingMs: -1, entitlement: 'premium', plan: 'enterprise', lifetimeValue: 1e6, influence: 100, sentiment: -1, priority: 'urgent' })).toBeCloseTo(100, 9);
  });
});

describe('the explanation an agent reads', () => {
  it('names what drives the score, most first', () => {
    const s = priorityScore({ slaRemainingMs: 12 * MIN, entitlement: 'package', plan: 'premium', lifetimeValue: 1200, influence: 10, sentiment: -0.4, priority: 'normal' });
    expect(s.explanation).toBe('SLA due in 12 min · premium plan · negative sentiment');
  });

  it('says how long ago a breach was, and falls back when nothing presses', () => {
    expect(priorityScore({ ...base, slaRemainingMs: -(3 * 60 + 5) * MIN }).explanation).toBe('SLA breached 3 h 5 min ago');
    expect(priorityScore({ ...base, slaRemainingMs: -10_000 }).explanation).toBe('SLA breached just now');
    expect(priorityScore({ ...base, slaRemainingMs: null, sentiment: 0.5 }).explanation).toBe('nothing pressing');
  });

  it('names lifetime value, influence and severity when they are high', () => {
    const s = priorityScore({ slaRemainingMs: null, entitlement: null, plan: null, lifetimeValue: 8400, influence: 91, sentiment: null, priority: 'urgent' });
    expect(s.explanation).toBe('urgent · influential author (91) · lifetime value 8.4k');
  });

  it('reads durations in words', () => {
    expect(durationWords(11.5 * MIN)).toBe('12 min');
    expect(durationWords(60 * MIN)).toBe('1 h');
    expect(durationWords(200 * MIN)).toBe('3 h 20 min');
    expect(durationWords(52 * 60 * MIN)).toBe('2 d 4 h');
  });
});

describe('weights as configuration', () => {
  it('parses defaults from nothing', () => {
    expect(PriorityConfigSchema.parse({})).toEqual(DEFAULT_PRIORITY_CONFIG);
    expect(DEFAULT_PRIORITY_CONFIG.weights).toEqual({ sla: 40, entitlement: 15, lifetimeValue: 10, influence: 10, sentiment: 10, severity: 15 });
  });

  it('a weight decides what counts: influence alone, or SLA alone', () => {
    const onlyInfluence = PriorityConfigSchema.parse({ weights: { sla: 0, entitlement: 0, lifetimeValue: 0, influence: 1, sentiment: 0, severity: 0 } });
    const influencer = { ...base, influence: 90, slaRemainingMs: 10 * 60 * MIN };
    const urgentSla = { ...base, influence: 10, slaRemainingMs: 5 * MIN };
    expect(priorityScore(influencer, onlyInfluence).score).toBeCloseTo(90, 9);
    expect(priorityScore(influencer, onlyInfluence).score).toBeGreaterThan(priorityScore(urgentSla, onlyInfluence).score);
    expect(priorityScore(influencer).score).toBeLessThan(priorityScore(urgentSla).score);
    // A factor weighted 0 is never named.
    expect(priorityScore(urgentSla, onlyInfluence).explanation).toBe('nothing pressing');
  });

  it('refuses a configuration that would break monotonicity or score nothing', () => {
    expect(PriorityConfigSchema.safeParse({ entitlementFactors: { none: 0.5, 'per-incident': 0.2, package: 0.7, premium: 1 } }).success).toBe(false);
    expect(PriorityConfigSchema.safeParse({ severityFactors: { urgent: 0.2, high: 1, normal: 0.1, low: 0 } }).success).toBe(false);
    expect(PriorityConfigSchema.safeParse({ weights: { sla: 0, entitlement: 0, lifetimeValue: 0, influence: 0, sentiment: 0, severity: 0 } }).success).toBe(false);
    expect(PriorityConfigSchema.safeParse({ weights: { sla: -1 } }).success).toBe(false);
  });

  it('names at most maxReasons', () => {
    const all = { slaRemainingMs: -1, entitlement: 'premium' as const, plan: 'enterprise' as const, lifetimeValue: 1e6, influence: 100, sentiment: -1, priority: 'urgent' as const };
    expect(priorityScore(all).explanation.split(' · ')).toHaveLength(3);
    expect(priorityScore(all, PriorityConfigSchema.parse({ maxReasons: 6 })).explanation.split(' · ')).toHaveLength(6);
  });
});

describe('priorityInputOf', () => {
  const now = Date.parse('2026-11-30T10:00:00Z');
  const c = { priority: 'high' as const, sentiment: -0.3, slaDueAt: '2026-11-30T10:12:00Z', status: 'open' as const };
  it('reads a stored case and its customer', () => {
    expect(priorityInputOf(c, { plan: 'premium', lifetimeValue: 500, influence: 40 }, 'package', now)).toEqual({
      slaRemainingMs: 12 * MIN,
      entitlement: 'package',
      plan: 'premium',
      lifetimeValue: 500,
      influence: 40,
      sentiment: -0.3,
      priority: 'high',
    });
  });
  it('runs no SLA once the case is done', () => {
    expect(priorityInputOf({ ...c, status: 'solved' }, null, null, now).slaRemainingMs).toBeNull();
  });
  it('gives the named reasons as data, in the explanation\'s order, for a console to word', () => {
    const input = priorityInputOf(c, { plan: 'premium', lifetimeValue: 500, influence: 40 }, 'package', now);
    const { explanation, parts } = priorityScore(input);
    expect(parts.length).toBe(explanation.split(' · ').length);
    expect(parts[0]).toEqual({ factor: 'sla', remainingMs: 12 * MIN });
    expect(explanation.startsWith('SLA due in 12 min')).toBe(true);
    expect(priorityScore({ ...input, slaRemainingMs: null, entitlement: null, plan: null, sentiment: 1, priority: 'low' }).parts).toEqual([]);
    expect([null, -0.7, -0.2, 0, 0.4].map(sentimentBand)).toEqual(['unknown', 'veryNegative', 'negative', 'neutral', 'positive']);
  });
  it('reads the entitlement from the plan table in force, the defaults when none is given', () => {
    const customer = { plan: 'basic' as const, lifetimeValue: 100, influence: 0 };
    expect(casePriorityInput(c, customer, now).entitlement).toBe('none');
    const table = { ...DEFAULT_PLAN_ENTITLEMENTS, basic: { kind: 'premium' as const } };
    expect(casePriorityInput(c, customer, now, table).entitlement).toBe('premium');
    expect(priorityScoreValue(casePriorityInput(c, customer, now, table))).toBeGreaterThan(priorityScoreValue(casePriorityInput(c, customer, now)));
  });
});
