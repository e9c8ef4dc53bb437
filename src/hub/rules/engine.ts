/**
 * The rules engine: pure functions over a compiled rule set and a small state
 * per device and rule. A reading advances only the rules of its metric, each
 * in O(1) or O(N) for its N readings; history is never rescanned. Silence is
 * evaluated by a clock tick, messages statelessly. Nothing here does I/O: the
 * caller stores the state, looks up the customer and carries out the actions.
 */
import type { Channel, Customer } from '../../shared/domain';
import type { EntitlementKind } from '../../shared/entitlements';
import {
  type Action,
  type CustomerCondition,
  type DeviceWhen,
  isDeviceKind,
  type MessageWhen,
  OPERATOR_WORDS,
  type OpenCaseAction,
  type Operator,
  type Rule,
  type When,
} from '../../shared/rules';
import { keywordMatcher, type KeywordMatcher } from './keywords';

/* ---------------------------------------------------------------------- inputs */

export interface Reading {
  deviceId: string;
  metric: string;
  value: number;
  /** ISO time the device took it. */
  ts: string;
}

/** A message from any channel, analysed (language, sentiment) before it reaches the rules. */
export interface RuleMessage {
  id: string;
  channel: Channel;
  author: string;
  body: string;
  language: string | null;
  /** -1 … 1; null when unknown. */
  sentiment: number | null;
  /** 0–100, the author's reach; null when unknown. */
  influence: number | null;
}

/** What conditions may read about the customer (the device's owner, the message's author). */
export interface CustomerFacts {
  id: string;
  name: string;
  plan: Customer['plan'];
  /** The customer's entitlement kind; null when unknown. */
  entitlement: EntitlementKind | null;
  lifetimeValue: number;
  openCases: number;
}

export interface Sample {
  value: number;
  /** As the device sent it. */
  ts: string;
  /** `ts` in ms since the epoch, parsed once: comparing times is the engine's commonest work. */
  t: number;
}

/* ----------------------------------------------------------------------- state */

/** One rule's memory of one device: plain data, so the caller can store it as JSON. */
export interface RuleState {
  /** consecutive: readings in a row beyond the threshold. */
  streak: number;
  /** consecutive: the last `count` readings; trend: the current worsening run; rate: the window. */
  recent: Sample[];
  /** threshold, rate: already fired for the current excursion (fires again once it ends); silence: see `silentSince`. */
  fired: boolean;
  /** silence: the time of the last reading before the silence it fired for (fires again after a newer one). */
  silentSince: number | null;
}

export interface DeviceState {
  deviceId: string;
  /** The latest reading of any metric (a seed from the device's last telemetry has no value). */
  last: { ts: string; t: number } | null;
  /** The latest reading per metric, for silence rules that name one. */
  lastByMetric: Record<string, Sample>;
  rules: Record<string, RuleState>;
}

/** A device's state before any reading; `lastAt` seeds silence (e.g. from the device's last telemetry). */
export const emptyDeviceState = (deviceId: string, lastAt: string | null = null): DeviceState => ({
  deviceId,
  last: lastAt === null ? null : { ts: lastAt, t: Date.parse(lastAt) },
  lastByMetric: {},
  rules: {},
});

const EMPTY: RuleState = { streak: 0, recent: [], fired: false, silentSince: null };

/** A rate window keeps readings at least 1/16 of the window apart: at most 17 of them. */
const RATE_RESOLUTION = 16;

/* --------------------------------------------------------------------- firings */

export interface Firing {
  ruleId: string;
  ruleName: string;
  kind: When['kind'];
  at: string;
  deviceId: string | null;
  metric: string | null;
  /** The readings that made it fire, oldest first (device kinds; the last reading for silence). */
  readings: Sample[];
  message: { id: string; channel: Channel; author: string } | null;
  customerId: string | null;
  /** The rule's actions, subjects filled in. */
  actions: Action[];
  /** "engine_temp above 110 for 3 readings in a row: 112, 115, 118", shown on the case. */
  because: string;
  /**
   * Whose open case this rule joins: "device:car-0001", "customer:<id>" or
   * "author:x:@ana"; with the rule id, the key of "the open case for the same rule".
   */
  subjectKey: string;
}

/** Open a case, or join the one this rule already has open for the same subject. */
export function decideCase(action: OpenCaseAction, openCaseId: string | null): { do: 'open' } | { do: 'join'; caseId: string } {
  return action.join && openCaseId ? { do: 'join', caseId: openCaseId } : { do: 'open' };
}

/** The line shown on the case: 'Opened by rule "Engine overheating" because engine_temp above 110 for 3 readings in a row: 112, 115, 118'. */
export function firingNote(firing: Firing, did: 'opened' | 'joined' | 'updated'): string {
  const verb = did === 'opened' ? 'Opened' : did === 'joined' ? 'Joined' : 'Updated';
  return `${verb} by rule "${firing.ruleName}" because ${firing.because}`;
}

/* -------------------------------------------------------------------- compiled */

interface DeviceRule extends Rule {
  when: DeviceWhen;
}
interface MessageRule extends Rule {
  when: MessageWhen;
}

export interface RuleSet {
  /** Every rule of the document, enabled or not. */
  readonly all: readonly Rule[];
  /** Enabled device rules by metric, silence excepted. */
  readonly byMetric: ReadonlyMap<string, readonly DeviceRule[]>;
  /** Enabled silence rules, judged on a clock tick. */
  readonly silence: readonly DeviceRule[];
  readonly messages: readonly MessageRule[];
  readonly keywords: ReadonlyMap<string, KeywordMatcher>;
}

export function compileRules(rules: readonly Rule[]): RuleSet {
  const byMetric = new Map<string, DeviceRule[]>();
  const silence: DeviceRule[] = [];
  const messages: MessageRule[] = [];
  const keywords = new Map<string, KeywordMatcher>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    if (isDeviceKind(rule.when.kind)) {
      const device = rule as DeviceRule;
      // Silence is judged on the clock tick, from the device state's latest readings: readings need not visit it.
      if (device.when.kind === 'silence') silence.push(device);
      else byMetric.set(device.when.metric, [...(byMetric.get(device.when.metric) ?? []), device]);
    } else {
      const message = rule as MessageRule;
      messages.push(message);
      if (message.when.kind === 'keywords') keywords.set(rule.id, keywordMatcher(message.when.keywords));
    }
  }
  return { all: rules, byMetric, silence, messages, keywords };
}

/* --------------------------------------------------------------------- helpers */

const beyond = (operator: Operator, threshold: number, value: number) =>
  operator === '>' ? value > threshold : operator === '>=' ? value >= threshold : operator === '<' ? value < threshold : value <= threshold;

export const formatValue = (value: number) => String(Math.round(value * 100) / 100);
const list = (samples: readonly Sample[]) => samples.map((s) => formatValue(s.value)).join(', ');
const minutes = (ms: number) => formatValue(ms / 60_000);

export function customerMatches(condition: CustomerCondition | undefined, customer: CustomerFacts | null): boolean {
  if (!condition) return true;
  if (!customer) return false;
  if (condition.plans && !condition.plans.includes(customer.plan)) return false;
  if (condition.entitlements && (customer.entitlement === null || !condition.entitlements.includes(customer.entitlement))) return false;
  if (condition.minLifetimeValue !== undefined && customer.lifetimeValue < condition.minLifetimeValue) return false;
  if (condition.minOpenCases !== undefined && customer.openCases < condition.minOpenCases) return false;
  return true;
}

/** The conditions that held, said for the "because" text. */
function conditionsText(condition: CustomerCondition | undefined, customer: CustomerFacts | null): string {
  if (!condition || !customer) return '';
  const parts: string[] = [];
  if (condition.plans) parts.push(`${customer.plan} plan`);
  if (condition.entitlements) parts.push(`${customer.entitlement} entitlement`);
  if (condition.minLifetimeValue !== undefined) parts.push(`lifetime value ${formatValue(customer.lifetimeValue)}`);
  if (condition.minOpenCases !== undefined) parts.push(`${customer.openCases} open case${customer.openCases === 1 ? '' : 's'}`);
  return parts.length > 0 ? `; customer ${customer.name}: ${parts.join(', ')}` : '';
}

export function renderSubject(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, name: string) => values[name] ?? whole).slice(0, 300);
}

function fire(
  rule: Rule,
  customer: CustomerFacts | null,
  base: Omit<Firing, 'ruleId' | 'ruleName' | 'kind' | 'actions' | 'because' | 'customerId'>,
  because: string,
  values: Record<string, string>,
): Firing {
  const all = { rule: rule.name, customer: customer?.name ?? '', ...values };
  return {
    ruleId: rule.id,
    ruleName: rule.name,
    kind: rule.when.kind,
    customerId: customer?.id ?? null,
    ...base,
    actions: rule.then.map((action) => (action.type === 'open_case' ? { ...action, subject: renderSubject(action.subject, all) } : action)),
    because: because + conditionsText(rule.customer, customer),
  };
}

/* ------------------------------------------------------------ device readings */

interface Step {
  state: RuleState;
  /** The readings that make it fire now, or null. */
  evidence: Sample[] | null;
}

/** Why it fired, said once it has (building the text for every reading would cost more than the rule). */
function because(when: DeviceWhen, evidence: Sample[]): string {
  switch (when.kind) {
    case 'threshold':
      return `${when.metric} ${OPERATOR_WORDS[when.operator]} ${formatValue(when.threshold)}: ${list(evidence)}`;
    case 'consecutive':
      return `${when.metric} ${OPERATOR_WORDS[when.operator]} ${formatValue(when.threshold)} for ${when.count} readings in a row: ${list(evidence)}`;
    case 'trend': {
      const limit = when.operator !== undefined && when.threshold !== undefined ? `, each ${OPERATOR_WORDS[when.operator]} ${formatValue(when.threshold)}` : '';
      return `${when.metric} getting worse (${when.worse}) for ${when.count} readings in a row${limit}: ${list(evidence)}`;
    }
    case 'rate': {
      const [first, last] = evidence as [Sample, Sample];
      const span = last.t - first.t;
      const rate = (last.value - first.value) / (span / 60_000);
      return `${when.metric} ${when.worse} ${formatValue(Math.abs(rate))} per minute over ${minutes(span)} minutes (${formatValue(first.value)} → ${formatValue(last.value)}), more than ${formatValue(when.perMinute)} per minute`;
    }
    case 'silence':
      // Said by evaluateSilence, which knows how long it has been.
      return '';
  }
}

/**
 * Advances one rule by one reading (`t` its time in ms); what the state
 * becomes once it has fired is `afterFiring`. Silence rules are not stepped:
 * the device state's latest readings are all they need.
 */
function step(when: DeviceWhen, prev: RuleState, sample: Sample): Step {
  const t = sample.t;
  switch (when.kind) {
    case 'threshold': {
      const over = beyond(when.operator, when.threshold, sample.value);
      if (!over) return { state: prev.fired ? { ...prev, fired: false } : prev, evidence: null };
      return { state: prev, evidence: prev.fired ? null : [sample] };
    }
    case 'consecutive': {
      const over = beyond(when.operator, when.threshold, sample.value);
      const state: RuleState = over ? { ...prev, streak: prev.streak + 1, recent: [...prev.recent, sample].slice(-when.count) } : prev.streak === 0 ? prev : { ...prev, streak: 0, recent: [] };
      return { state, evidence: state.streak >= when.count ? state.recent : null };
    }
    case 'trend': {
      const ok = when.operator === undefined || when.threshold === undefined || beyond(when.operator, when.threshold, sample.value);
      const last = prev.recent.at(-1);
      const worse = last !== undefined && (when.worse === 'rising' ? sample.value > last.value : sample.value < last.value);
      if (!ok) return { state: prev.recent.length === 0 ? prev : { ...prev, recent: [] }, evidence: null };
      const recent = worse ? [...prev.recent.slice(prev.recent.length >= when.count ? 1 : 0), sample] : [sample];
      return { state: { ...prev, recent }, evidence: recent.length >= when.count ? recent : null };
    }
    case 'rate': {
      const windowMs = when.windowMinutes * 60_000;
      const kept = prev.recent;
      const newest = kept.at(-1);
      const newestT = newest ? newest.t : -Infinity;
      // A late reading older than the window's newest says nothing about the current rate.
      if (t < newestT) return { state: prev, evidence: null };
      // Oldest first: drop from the front only what has left the window.
      let from = 0;
      while (from < kept.length && t - kept[from]!.t > windowMs) from++;
      const first = kept[from] ?? sample;
      const span = t - first.t;
      // Half the window covered at least, so two readings a second apart do not make a rate.
      const rate = span >= windowMs / 2 && span > 0 ? (sample.value - first.value) / (span / 60_000) : 0;
      const over = (when.worse === 'rising' ? rate : -rate) > when.perMinute;
      // Readings are kept at least 1/RATE_RESOLUTION of the window apart: a rate needs the oldest
      // one in the window, not every one, so the state stays small however fast a device speaks.
      const keep = t - newestT >= windowMs / RATE_RESOLUTION;
      const recent = keep ? [...kept.slice(from), sample] : from > 0 ? kept.slice(from) : kept;
      const fired = over && prev.fired;
      const state = recent === kept && fired === prev.fired ? prev : { ...prev, recent, fired };
      return { state, evidence: over && !prev.fired ? [first, sample] : null };
    }
    case 'silence':
      return { state: prev, evidence: null };
  }
}

function afterFiring(when: DeviceWhen, state: RuleState, sample: Sample): RuleState {
  switch (when.kind) {
    case 'consecutive':
      return { ...state, streak: 0, recent: [] };
    case 'trend':
      // The latest reading starts the next run: a trend still worsening fires again after `count - 1` more.
      return { ...state, recent: [sample] };
    default:
      return { ...state, fired: true };
  }
}

/** One reading through the rules of its metric: the device's next state and what fired. */
export function evaluateReading(rules: RuleSet, state: DeviceState | null, reading: Reading, customer: CustomerFacts | null): { state: DeviceState; firings: Firing[] } {
  const prev = state ?? emptyDeviceState(reading.deviceId);
  const t = Date.parse(reading.ts);
  const sample: Sample = { value: reading.value, ts: reading.ts, t };
  // Copied on the first change only: the caller may keep the state it passed in (a rolled-back transaction).
  let next: Record<string, RuleState> | null = null;
  const firings: Firing[] = [];
  const run = (rule: DeviceRule) => {
    const before = prev.rules[rule.id] ?? EMPTY;
    const result = step(rule.when, before, sample);
    let ruleState = result.state;
    if (result.evidence && customerMatches(rule.customer, customer)) {
      const when = rule.when;
      const values = {
        device: reading.deviceId,
        metric: reading.metric,
        value: formatValue(reading.value),
        threshold: 'threshold' in when && when.threshold !== undefined ? formatValue(when.threshold) : '',
        count: 'count' in when ? String(when.count) : '',
      };
      const base = { at: reading.ts, deviceId: reading.deviceId, metric: reading.metric, readings: result.evidence, message: null, subjectKey: `device:${reading.deviceId}` };
      firings.push(fire(rule, customer, base, because(rule.when, result.evidence), values));
      ruleState = afterFiring(rule.when, ruleState, sample);
    }
    if (ruleState !== before) (next ??= { ...prev.rules })[rule.id] = ruleState;
  };
  for (const rule of rules.byMetric.get(reading.metric) ?? []) run(rule);
  // A late reading does not move the clocks silence counts from back.
  const newer = (seen: { t: number } | null | undefined) => !seen || t > seen.t;
  const last = newer(prev.last) ? { ts: reading.ts, t } : prev.last;
  const lastByMetric = newer(prev.lastByMetric[reading.metric]) ? { ...prev.lastByMetric, [reading.metric]: sample } : prev.lastByMetric;
  return { state: { deviceId: prev.deviceId, last, lastByMetric, rules: next ?? prev.rules }, firings };
}

/**
 * A clock tick: silence rules over every device's state. Each silence fires
 * once, until a newer reading ends it. Returns the states that changed (those
 * that fired) and the firings; `customerOf` supplies the device's customer.
 */
export function evaluateSilence(
  rules: RuleSet,
  states: readonly DeviceState[],
  now: Date,
  customerOf: (deviceId: string) => CustomerFacts | null = () => null,
): { states: DeviceState[]; firings: Firing[] } {
  const changed: DeviceState[] = [];
  const firings: Firing[] = [];
  for (const state of states) {
    let next: Record<string, RuleState> | null = null;
    for (const rule of rules.silence) {
      if (rule.when.kind !== 'silence') continue;
      // A metric rule counts from that metric's last reading (or, before any, from the device's).
      const since: { ts: string; t: number; value?: number } | null = rule.when.metric === undefined ? state.last : (state.lastByMetric[rule.when.metric] ?? state.last);
      if (!since) continue;
      const ruleState = state.rules[rule.id] ?? EMPTY;
      if (ruleState.silentSince === since.t) continue;
      const quietMs = now.getTime() - since.t;
      if (quietMs < rule.when.minutes * 60_000) continue;
      const customer = customerOf(state.deviceId);
      if (!customerMatches(rule.customer, customer)) continue;
      const what = rule.when.metric ? `no ${rule.when.metric} reading` : 'no telemetry';
      const because = `${what} for ${minutes(quietMs)} minutes (last at ${since.ts}), more than ${formatValue(rule.when.minutes)}`;
      const lastReading: Sample[] = since.value === undefined ? [] : [{ value: since.value, ts: since.ts, t: since.t }];
      const base = { at: now.toISOString(), deviceId: state.deviceId, metric: rule.when.metric ?? null, readings: lastReading, message: null, subjectKey: `device:${state.deviceId}` };
      firings.push(fire(rule, customer, base, because, { device: state.deviceId, metric: rule.when.metric ?? '', value: since.value === undefined ? '' : formatValue(since.value), threshold: '', count: '' }));
      (next ??= { ...state.rules })[rule.id] = { ...ruleState, silentSince: since.t };
    }
    if (next) changed.push({ ...state, rules: next });
  }
  return { states: changed, firings };
}

/* --------------------------------------------------------------------- messages */

const primaryMatches = (wanted: string, language: string) => {
  const a = wanted.toLowerCase();
  const b = language.toLowerCase();
  return b === a || b.startsWith(`${a}-`);
};

/** Why the message matches the rule ("mentions \"refund\""), or null; `found` the keywords it names. */
function matchMessage(rule: MessageRule, keywords: KeywordMatcher | undefined, message: RuleMessage, found: string[]): string | null {
  const when = rule.when;
  if (when.channels && !when.channels.includes(message.channel)) return null;
  switch (when.kind) {
    case 'keywords': {
      found.push(...(keywords?.find(message.body) ?? []));
      const hit = when.match === 'all' ? found.length === when.keywords.length : found.length > 0;
      return hit ? `mentions ${found.map((k) => `"${k}"`).join(', ')}` : null;
    }
    case 'language':
      return message.language && when.languages.some((l) => primaryMatches(l, message.language!)) ? `written in ${message.language}` : null;
    case 'sentiment':
      return message.sentiment !== null && message.sentiment < when.below ? `sentiment ${formatValue(message.sentiment)} below ${formatValue(when.below)}` : null;
    case 'influence':
      return message.influence !== null && message.influence > when.above ? `author influence ${formatValue(message.influence)} above ${formatValue(when.above)}` : null;
    case 'channel':
      return `arrived on ${message.channel}`;
  }
}

/** One message through every message rule: what fires. Stateless; `now` dates the firings. */
export function evaluateMessage(rules: RuleSet, message: RuleMessage, customer: CustomerFacts | null, now: Date = new Date()): Firing[] {
  const firings: Firing[] = [];
  for (const rule of rules.messages) {
    const found: string[] = [];
    const because = matchMessage(rule, rules.keywords.get(rule.id), message, found);
    if (because === null || !customerMatches(rule.customer, customer)) continue;
    const values = {
      author: message.author,
      channel: message.channel,
      keyword: found[0] ?? '',
      language: message.language ?? '',
      sentiment: message.sentiment === null ? '' : formatValue(message.sentiment),
      influence: message.influence === null ? '' : formatValue(message.influence),
    };
    const subjectKey = customer ? `customer:${customer.id}` : `author:${message.channel}:${message.author}`;
    const base = { at: now.toISOString(), deviceId: null, metric: null, readings: [], message: { id: message.id, channel: message.channel, author: message.author }, subjectKey };
    firings.push(fire(rule, customer, base, `${message.author} on ${message.channel}: ${because}`, values));
  }
  return firings;
}
