/**
 * The rules engine's throughput (src/hub/rules/): readings/s through 100
 * device rules on one metric (every reading meets all of them: the worst
 * case), and messages/s through 100 message rules (keywords in several
 * scripts, language, sentiment, influence, channel), posts from the labelled
 * multilingual sample. Pure CPU, one call at a time after a warm-up.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { compileRules, type CustomerFacts, type DeviceState, evaluateMessage, evaluateReading, type RuleMessage } from '../src/hub/rules/engine';
import { CHANNELS } from '../src/shared/domain';
import { type RuleInput, RuleSchema } from '../src/shared/rules';
import { report } from './stats';

const RULES = 100;
const READINGS = 200_000;
const MESSAGES = 50_000;
const DEVICES = 1_000;

const OPEN = { type: 'open_case', queue: 'Devices', subject: '{device}: {metric} {value}' } as const;
const NOTIFY = { type: 'notify', role: 'supervisor' } as const;

function deviceRules() {
  const kinds: ((i: number) => RuleInput['when'])[] = [
    (i) => ({ kind: 'threshold', metric: 'engine_temp', operator: '>', threshold: 100 + i }),
    (i) => ({ kind: 'consecutive', metric: 'engine_temp', operator: '>', threshold: 100 + i, count: 3 + (i % 5) }),
    (i) => ({ kind: 'trend', metric: 'engine_temp', worse: 'rising', count: 10, operator: '>', threshold: 90 + (i % 20) }),
    (i) => ({ kind: 'rate', metric: 'engine_temp', worse: 'rising', perMinute: 5 + (i % 10), windowMinutes: 5 }),
    (i) => ({ kind: 'silence', metric: 'engine_temp', minutes: 30 + i }),
  ];
  return Array.from({ length: RULES }, (_, i) => RuleSchema.parse({ id: `d${i}`, name: `Device ${i}`, when: kinds[i % kinds.length]!(i), then: [OPEN] }));
}

const KEYWORDS = ['outage', 'broken', 'refund', 'сбой', 'сломан', 'не работает', 'bilun', 'þjónusta', 'rusak', 'tidak bisa', 'cancel', 'lawsuit', 'terrible', 'help'];

function messageRules() {
  const kinds: ((i: number) => RuleInput['when'])[] = [
    (i) => ({ kind: 'keywords', keywords: Array.from({ length: 5 }, (_, k) => KEYWORDS[(i + k) % KEYWORDS.length]!) }),
    (i) => ({ kind: 'keywords', keywords: [KEYWORDS[i % KEYWORDS.length]!, `brand${i}`], match: 'all' }),
    (i) => ({ kind: 'language', languages: [['ru', 'is', 'id', 'en'][i % 4]!] }),
    (i) => ({ kind: 'sentiment', below: -0.6 - (i % 4) / 10 }),
    (i) => ({ kind: 'influence', above: 90 + (i % 10) }),
    (i) => ({ kind: 'channel', channels: [CHANNELS[i % CHANNELS.length]!] }),
  ];
  return Array.from({ length: RULES }, (_, i) =>
    RuleSchema.parse({ id: `m${i}`, name: `Message ${i}`, when: kinds[i % kinds.length]!(i), customer: i % 6 === 5 ? { plans: ['enterprise'] } : undefined, then: [{ ...OPEN, queue: 'Social', subject: '{author}: {keyword}' }, NOTIFY] }),
  );
}

function time(count: number, run: (i: number) => void): number {
  for (let i = 0; i < Math.min(count, 5_000); i++) run(i);
  const start = performance.now();
  for (let i = 0; i < count; i++) run(i);
  return count / ((performance.now() - start) / 1000);
}

const ENTERPRISE: CustomerFacts = { id: '0190a1b2-0000-7000-8000-000000000001', name: 'Bench Corp', plan: 'enterprise', entitlement: 'premium', lifetimeValue: 90_000, openCases: 1 };

const perSecond = (n: number) => `${Math.round(n).toLocaleString('en')}/s`;

export async function benchRules(): Promise<void> {
  const devices = compileRules(deviceRules());
  const states = new Map<string, DeviceState>();
  const t0 = Date.parse('2026-11-29T10:00:00Z');
  let firings = 0;
  const readings = time(READINGS, (i) => {
    const device = i % DEVICES;
    const deviceId = `car-${device}`;
    const n = Math.floor(i / DEVICES);
    // Most engines run at 80 give or take 3; one in twenty climbs and wavers, so streaks, trends and rates start and break.
    const noise = ((i * 7919) % 7) - 3;
    const value = device % 20 === 0 ? 95 + (n % 60) + noise : 80 + noise;
    const out = evaluateReading(devices, states.get(deviceId) ?? null, { deviceId, metric: 'engine_temp', value, ts: new Date(t0 + n * 10_000).toISOString() }, null);
    states.set(deviceId, out.state);
    firings += out.firings.length;
  });
  report(`rules: readings through ${RULES} device rules`, `${perSecond(readings)} (${firings} firings in ${READINGS.toLocaleString('en')} readings)`, { ok: readings >= 20_000, text: '≥ 20,000 readings/s' });

  const sample = JSON.parse(readFileSync(new URL('../tests/hub/fixtures/text-sample.json', import.meta.url), 'utf8')) as { text: string; language: string }[];
  const messages: RuleMessage[] = sample.map((s, i) => ({
    id: `m${i}`,
    channel: CHANNELS[i % CHANNELS.length]!,
    author: `@user${i}`,
    body: (i % 3 === 0 ? `${s.text} ${KEYWORDS[i % KEYWORDS.length]}` : s.text).slice(0, 280),
    language: s.language,
    sentiment: ((i % 21) - 10) / 10,
    influence: i % 100,
  }));
  const rules = compileRules(messageRules());
  firings = 0;
  const now = new Date();
  const rate = time(MESSAGES, (i) => {
    firings += evaluateMessage(rules, messages[i % messages.length]!, i % 10 === 0 ? ENTERPRISE : null, now).length;
  });
  report(`rules: messages through ${RULES} message rules`, `${perSecond(rate)} (${firings} firings in ${MESSAGES.toLocaleString('en')} messages)`, { ok: rate >= 5_000, text: '≥ 5,000 messages/s' });
}
