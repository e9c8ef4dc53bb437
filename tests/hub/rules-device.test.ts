/** Device rule kinds, incrementally: each through sequences that fire and that do not (src/hub/rules/engine.ts). */
import { describe, expect, it } from 'vitest';
import { compileRules, type CustomerFacts, decideCase, type DeviceState, emptyDeviceState, evaluateReading, evaluateSilence, type Firing, firingNote, type RuleSet } from '../../src/hub/rules/engine';
import { type CustomerCondition, type OpenCaseAction, type RuleInput, RuleSchema } from '../../src/shared/rules';

const T0 = Date.parse('2026-11-29T10:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const OPEN = { type: 'open_case', queue: 'Devices', subject: '{device}: {metric} {value}' } as const;

const rules = (...inputs: Omit<RuleInput, 'id' | 'name' | 'then'>[]): RuleSet =>
  compileRules(inputs.map((r, i) => RuleSchema.parse({ id: `r${i}`, name: `Rule ${i}`, then: [OPEN], ...r })));

/** Feeds values one a minute to device car-1; returns every firing and the final state. */
function feed(set: RuleSet, values: number[], options: { metric?: string; customer?: CustomerFacts | null; state?: DeviceState | null; start?: number; every?: number } = {}) {
  let state = options.state ?? null;
  const firings: Firing[] = [];
  values.forEach((value, i) => {
    const result = evaluateReading(set, state, { deviceId: 'car-1', metric: options.metric ?? 'engine_temp', value, ts: at((options.start ?? 0) + i * (options.every ?? 1)) }, options.customer ?? null);
    state = result.state;
    firings.push(...result.firings);
  });
  return { firings, state: state! };
}

const PREMIUM: CustomerFacts = { id: '0190a1b2-0000-7000-8000-000000000001', name: 'Ana Pereira', plan: 'premium', entitlement: 'premium', lifetimeValue: 12_000, openCases: 2 };

describe('threshold', () => {
  const set = rules({ when: { kind: 'threshold', metric: 'engine_temp', operator: '>', threshold: 110 } });
  it('fires on the reading beyond, once per excursion', () => {
    const { firings } = feed(set, [100, 112, 115, 100, 111]);
    expect(firings.map((f) => f.readings.map((r) => r.value))).toEqual([[112], [111]]);
    expect(firings[0]!.because).toBe('engine_temp above 110: 112');
  });
  it('does not fire at the threshold itself, nor for another metric', () => {
    expect(feed(set, [110, 110]).firings).toEqual([]);
    expect(feed(set, [200], { metric: 'room_temp' }).firings).toEqual([]);
  });
});

describe('consecutive', () => {
  const set = rules({ when: { kind: 'consecutive', metric: 'engine_temp', operator: '>', threshold: 110, count: 3 } });
  it('fires on the third reading in a row beyond the threshold, with them as evidence', () => {
    const { firings } = feed(set, [112, 115, 118]);
    expect(firings).toHaveLength(1);
    expect(firings[0]!.because).toBe('engine_temp above 110 for 3 readings in a row: 112, 115, 118');
    expect(firings[0]!.readings.map(({ value, ts }) => ({ value, ts }))).toEqual([
      { value: 112, ts: at(0) },
      { value: 115, ts: at(1) },
      { value: 118, ts: at(2) },
    ]);
    expect(firings[0]!.actions[0]).toMatchObject({ type: 'open_case', subject: 'car-1: engine_temp 118', join: true });
  });
  it('does not fire when a reading in between is back within', () => {
    expect(feed(set, [112, 115, 100, 118, 119]).firings).toEqual([]);
  });
  it('starts counting again after firing, carried in the state between calls', () => {
    const first = feed(set, [112, 115, 118, 120]);
    expect(first.firings).toHaveLength(1);
    expect(first.state.rules.r0!.streak).toBe(1);
    // The state passed in is left as it was: a caller whose transaction rolls back keeps it.
    const before = JSON.stringify(first.state);
    feed(set, [121, 122], { state: first.state, start: 5 });
    expect(JSON.stringify(first.state)).toBe(before);
    const second = feed(set, [121, 122], { state: first.state, start: 10 });
    expect(second.firings.map((f) => f.because)).toEqual(['engine_temp above 110 for 3 readings in a row: 120, 121, 122']);
  });
  it('keeps only the last count readings in its state', () => {
    const { state } = feed(set, [100, 111, 112]);
    expect(state.rules.r0!.recent.map((s) => s.value)).toEqual([111, 112]);
  });
});

describe('trend: bad and getting worse', () => {
  const set = rules({ when: { kind: 'trend', metric: 'engine_temp', worse: 'rising', count: 10, operator: '>', threshold: 100 } });
  const rising = [101, 102, 103, 105, 106, 108, 109, 111, 112, 115];
  it('fires after ten readings in a row, each beyond and worse than the last', () => {
    const { firings } = feed(set, rising);
    expect(firings).toHaveLength(1);
    expect(firings[0]!.because).toBe('engine_temp getting worse (rising) for 10 readings in a row, each above 100: 101, 102, 103, 105, 106, 108, 109, 111, 112, 115');
  });
  it('does not fire when one reading is no worse, or one is not beyond the threshold', () => {
    expect(feed(set, [...rising.slice(0, 5), 106, ...rising.slice(5)]).firings).toEqual([]);
    expect(feed(set, [99, ...rising.slice(1)]).firings).toEqual([]);
  });
  it('restarts the run from the reading that broke it', () => {
    // 104 breaks the run but starts a new one: 104…113 are ten worsening readings.
    const { firings } = feed(set, [101, 102, 103, 104, 105, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113]);
    expect(firings.map((f) => f.readings[0]!.value)).toEqual([104]);
  });
  it('falling is worse for a battery; no threshold needed', () => {
    const battery = rules({ when: { kind: 'trend', metric: 'battery', worse: 'falling', count: 3 } });
    expect(feed(battery, [80, 70, 60], { metric: 'battery' }).firings.map((f) => f.because)).toEqual(['battery getting worse (falling) for 3 readings in a row: 80, 70, 60']);
    expect(feed(battery, [80, 70, 75, 60], { metric: 'battery' }).firings).toEqual([]);
  });
});

describe('rate of change', () => {
  const set = rules({ when: { kind: 'rate', metric: 'engine_temp', worse: 'rising', perMinute: 5, windowMinutes: 4 } });
  it('fires when the change per minute over the window is too fast', () => {
    // One a minute: 90, 92, 100, 110 → 20 in 3 minutes = 6.67 per minute.
    const { firings } = feed(set, [90, 92, 100, 110]);
    expect(firings).toHaveLength(1);
    expect(firings[0]!.because).toBe('engine_temp rising 6.67 per minute over 3 minutes (90 → 110), more than 5 per minute');
    expect(firings[0]!.readings.map((r) => r.value)).toEqual([90, 110]);
  });
  it('does not fire for a slow rise, a fall, or a jump before half the window is covered', () => {
    expect(feed(set, [90, 93, 96, 99, 102]).firings).toEqual([]);
    expect(feed(set, [110, 100, 90, 80]).firings).toEqual([]);
    expect(feed(set, [90, 200], { every: 1 / 60 }).firings).toEqual([]);
  });
  it('forgets readings older than the window', () => {
    // 0 at minute 0 is out of the 4-minute window by minute 5: 40, 41, 42 is a slow rise (remembered, 42 in 7 minutes would fire).
    const first = feed(set, [0]);
    const { firings, state } = feed(set, [40, 41, 42], { state: first.state, start: 5 });
    expect(firings).toEqual([]);
    expect(state.rules.r0!.recent.map((s) => s.value)).toEqual([40, 41, 42]);
  });
});

describe('silence, on a clock tick', () => {
  const set = rules({ when: { kind: 'silence', minutes: 30 } });
  it('fires once when a device has been quiet too long, and again only after it spoke', () => {
    const { state } = feed(set, [90], { metric: 'room_temp' });
    expect(evaluateSilence(set, [state], new Date(T0 + 29 * 60_000)).firings).toEqual([]);
    const tick = evaluateSilence(set, [state], new Date(T0 + 31 * 60_000));
    expect(tick.firings.map((f) => f.because)).toEqual([`no telemetry for 31 minutes (last at ${at(0)}), more than 30`]);
    const silenced = tick.states[0]!;
    expect(evaluateSilence(set, [silenced], new Date(T0 + 60 * 60_000)).firings).toEqual([]);
    const spoke = feed(set, [91], { state: silenced, start: 61, metric: 'room_temp' }).state;
    expect(evaluateSilence(set, [spoke], new Date(T0 + 80 * 60_000)).firings).toEqual([]);
    expect(evaluateSilence(set, [spoke], new Date(T0 + 92 * 60_000)).firings).toHaveLength(1);
  });
  it('counts from a seeded last-telemetry time, and a metric rule only from its metric', () => {
    expect(evaluateSilence(set, [emptyDeviceState('car-2', at(0))], new Date(T0 + 45 * 60_000)).firings.map((f) => f.deviceId)).toEqual(['car-2']);
    const perMetric = rules({ when: { kind: 'silence', metric: 'engine_temp', minutes: 30 } });
    const { state } = feed(perMetric, [1], { metric: 'engine_temp' });
    const other = feed(perMetric, [1], { metric: 'room_temp', state, start: 20 }).state;
    expect(evaluateSilence(perMetric, [other], new Date(T0 + 31 * 60_000)).firings.map((f) => f.because)).toEqual([`no engine_temp reading for 31 minutes (last at ${at(0)}), more than 30`]);
  });
});

describe('conditions on the customer', () => {
  const when = { kind: 'threshold', metric: 'engine_temp', operator: '>', threshold: 110 } as const;
  it('fire only when every condition holds, and say so', () => {
    const set = rules({ when, customer: { plans: ['premium', 'enterprise'], minLifetimeValue: 10_000, minOpenCases: 2 } });
    const { firings } = feed(set, [112], { customer: PREMIUM });
    expect(firings.map((f) => f.because)).toEqual(['engine_temp above 110: 112; customer Ana Pereira: premium plan, lifetime value 12000, 2 open cases']);
    expect(firings[0]!.customerId).toBe(PREMIUM.id);
  });
  it.each<[string, CustomerCondition]>([
    ['plan', { plans: ['enterprise'] }],
    ['entitlement', { entitlements: ['per-incident'] }],
    ['lifetime value', { minLifetimeValue: 12_001 }],
    ['open cases', { minOpenCases: 3 }],
  ])('do not fire when the %s does not match', (_name, customer) => {
    expect(feed(rules({ when, customer }), [112], { customer: PREMIUM }).firings).toEqual([]);
  });
  it('do not fire for a device without a customer; a rule without conditions does', () => {
    expect(feed(rules({ when, customer: { minOpenCases: 0 } }), [112]).firings).toEqual([]);
    expect(feed(rules({ when }), [112]).firings).toHaveLength(1);
  });
});

describe('join instead of open', () => {
  const open = RuleSchema.parse({ id: 'x', name: 'X', when: { kind: 'threshold', metric: 'm', operator: '>', threshold: 1 }, then: [OPEN] }).then[0] as OpenCaseAction;
  it('joins the open case of the same rule, opens when there is none or joining is off', () => {
    expect(decideCase(open, '0190a1b2-0000-7000-8000-00000000000c')).toEqual({ do: 'join', caseId: '0190a1b2-0000-7000-8000-00000000000c' });
    expect(decideCase(open, null)).toEqual({ do: 'open' });
    expect(decideCase({ ...open, join: false }, '0190a1b2-0000-7000-8000-00000000000c')).toEqual({ do: 'open' });
  });
  it('says on the case which rule opened or joined it, and why', () => {
    const { firings } = feed(rules({ when: { kind: 'consecutive', metric: 'engine_temp', operator: '>', threshold: 110, count: 3 } }), [112, 115, 118]);
    expect(firingNote(firings[0]!, 'opened')).toBe('Opened by rule "Rule 0" because engine_temp above 110 for 3 readings in a row: 112, 115, 118');
    expect(firingNote(firings[0]!, 'joined')).toBe('Joined by rule "Rule 0" because engine_temp above 110 for 3 readings in a row: 112, 115, 118');
  });
  it('a firing names whose case it joins', () => {
    const { firings } = feed(rules({ when: { kind: 'threshold', metric: 'engine_temp', operator: '>', threshold: 1 } }), [5]);
    expect(firings[0]).toMatchObject({ ruleId: 'r0', subjectKey: 'device:car-1' });
  });
});

describe('a disabled rule', () => {
  it('never fires', () => {
    expect(feed(rules({ enabled: false, when: { kind: 'threshold', metric: 'engine_temp', operator: '>', threshold: 1 } }), [5]).firings).toEqual([]);
  });
});
