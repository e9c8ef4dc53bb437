/** Loading a rules document: errors that name the line and the field, in YAML and JSON (src/hub/rules/load.ts). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateReading, type Firing } from '../../src/hub/rules/engine';
import { DEFAULT_RULES_PATH } from '../../src/hub/rules';
import { loadRules } from '../../src/hub/rules/load';
import { formatRuleError } from '../../src/shared/rules';

const errorsOf = (text: string, format: 'yaml' | 'json') => {
  const result = loadRules(text, format);
  if (result.ok) throw new Error('expected the document to be refused');
  return result.errors.map(formatRuleError);
};

const BAD_YAML = `version: 1
brand: acme
rules:
  - id: hot
    name: Hot
    when:
      kind: threshold
      metric: engine_temp
      operator: ">"
      threshold: 110
    then:
      - type: open_case
        queue: Devices
        subject: "{device} is hot"
  - id: cold
    name: Cold
    when:
      kind: consecutive
      metric: room_temp
      operator: "<"
      threshold: cold
      count: 3
    then:
      - type: notify
        role: boss
  - id: hot
    name: Mentions
    when: { kind: keywords, keywords: [outage] }
    priority: high
    then:
      - type: open_case
        queue: Social
        subject: "{author} wrote about {device}"
`;

describe('a bad YAML document', () => {
  it('names the line and field of each error', () => {
    expect(errorsOf(BAD_YAML, 'yaml')).toEqual([
      'line 21, rules[1].when.threshold: expected a number, got a string',
      'line 25, rules[1].then[0].role: expected one of "agent"|"supervisor"|"technician"|"admin"',
      'line 29, rules[2].priority: unknown field "priority"',
      'line 33, rules[2].then[0].subject: unknown placeholder {device}; a keywords rule may use {rule}, {customer}, {author}, {channel}, {keyword}, {language}, {sentiment}, {influence}',
    ]);
  });
  it('names a duplicate id once the rules are right', () => {
    const fixed = BAD_YAML.replace('threshold: cold', 'threshold: 5').replace('role: boss', 'role: supervisor').replace('    priority: high\n', '');
    expect(errorsOf(fixed, 'yaml')).toEqual([
      'line 32, rules[2].then[0].subject: unknown placeholder {device}; a keywords rule may use {rule}, {customer}, {author}, {channel}, {keyword}, {language}, {sentiment}, {influence}',
      'line 26, rules[2].id: duplicate rule id "hot"',
    ]);
  });
  it('names a missing field, an unknown kind and a YAML syntax error', () => {
    expect(errorsOf('version: 1\nbrand: acme\nrules:\n  - id: a\n    when: { kind: threshold, metric: m, operator: ">" }\n    then: [{ type: notify, queue: Q }]\n', 'yaml')).toEqual([
      'line 4, rules[0].name: required: expected a string',
      'line 5, rules[0].when.threshold: required: expected a number',
    ]);
    expect(errorsOf('version: 1\nbrand: acme\nrules:\n  - id: a\n    name: A\n    when: { kind: hotness }\n    then: [{ type: notify, queue: Q }]\n', 'yaml')).toEqual([
      'line 6, rules[0].when.kind: expected one of threshold, consecutive, trend, rate, silence, keywords, language, sentiment, influence, channel',
    ]);
    // The parser notices the missing "]" where the input ends.
    expect(errorsOf('version: 1\nbrand: acme\nrules:\n  - id: a\n    name: [A\n', 'yaml')[0]).toMatch(/^line 6, document: Flow sequence/);
  });
});

describe('a bad JSON document', () => {
  it('names the line and field of a wrong value', () => {
    const text = JSON.stringify(
      { version: 1, brand: 'acme', rules: [{ id: 'sad', name: 'Sad', when: { kind: 'sentiment', below: 'very' }, then: [{ type: 'notify', queue: 'Social' }] }] },
      null,
      2,
    );
    expect(errorsOf(text, 'json')).toEqual(['line 10, rules[0].when.below: expected a number, got a string']);
  });
  it('refuses what YAML would accept but JSON does not, with the line', () => {
    expect(errorsOf('{\n  "version": 1,\n  "brand": acme,\n  "rules": []\n}', 'json')[0]).toMatch(/^line 3, document: /);
    expect(errorsOf('{\n  "version": 1,\n  "brand": "acme",\n  "rules": [],\n}', 'json')[0]).toMatch(/^line [45], document: not valid JSON/);
  });
});

describe('a good document', () => {
  it('loads the default rules, the demo device rules as data, and they run', () => {
    const result = loadRules(readFileSync(DEFAULT_RULES_PATH, 'utf8'), 'yaml');
    if (!result.ok) throw new Error(result.errors.map(formatRuleError).join('\n'));
    expect(result.document.rules.map((r) => r.id)).toEqual(['engine-overheating', 'room-too-cold', 'heavy-packet-loss', 'engine-getting-worse']);
    let state = null;
    const becauses: string[] = [];
    const fired: Firing[] = [];
    for (const [i, value] of [112, 115, 118].entries()) {
      const out = evaluateReading(result.rules, state, { deviceId: 'car-0001', metric: 'engine_temp', value, ts: new Date(Date.UTC(2026, 10, 29, 10, i)).toISOString() }, null);
      state = out.state;
      becauses.push(...out.firings.map((f) => f.because));
      fired.push(...out.firings);
    }
    expect(becauses).toEqual(['engine_temp above 110 for 3 readings in a row: 112, 115, 118']);
    // The subject the demo rule's case always had.
    expect(fired[0]!.actions[0]).toMatchObject({ type: 'open_case', queue: 'Devices', subject: 'car-0001: engine_temp above 110 (118) for 3 consecutive readings', priority: 'high' });
  });
  it('loads the same document as JSON', () => {
    const json = JSON.stringify({ version: 1, brand: 'acme', rules: [{ id: 'x', name: 'X', when: { kind: 'channel', channels: ['x'] }, then: [{ type: 'set_priority', priority: 'high' }] }] });
    const result = loadRules(json, 'json');
    expect(result.ok && result.document.rules[0]).toMatchObject({ id: 'x', enabled: true });
  });
});
