/**
 * The explained priority score: one number a queue sorts by, and the words
 * an agent reads for it ("SLA due in 12 min · premium plan · negative
 * sentiment"). Each factor is read as 0…1, weighted by configuration, and the
 * score is their weighted share out of 100. Deterministic, and monotone in
 * every factor: less SLA time left, more entitlement, more lifetime value,
 * more influence, worse sentiment or a higher severity never lower the score.
 */
import { z } from 'zod';
import { type Case, type Customer, isDone, PLANS, type Priority, PRIORITIES } from './domain';
import { DEFAULT_PLAN_ENTITLEMENTS, ENTITLEMENT_KINDS, ENTITLEMENT_LABELS, type EntitlementKind, entitlementOf, type Plan, type PlanEntitlements } from './entitlements';
import { timeLeft } from './sla';

export const PRIORITY_FACTORS = ['sla', 'entitlement', 'lifetimeValue', 'influence', 'sentiment', 'severity'] as const;
export type PriorityFactor = (typeof PRIORITY_FACTORS)[number];

const weight = (value: number) => z.number().min(0).max(1000).default(value);
/** Factor values must rise with what they read, or the score would not be monotone. */
const rising = <K extends string>(keys: readonly K[]) => (values: Record<K, number>) => keys.every((k, i) => i === 0 || values[keys[i - 1]!] <= values[k]);
const unit = z.number().min(0).max(1);

export const PriorityConfigSchema = z.object({
  weights: z
    .object({ sla: weight(40), entitlement: weight(15), lifetimeValue: weight(10), influence: weight(10), sentiment: weight(10), severity: weight(15) })
    .prefault({})
    .refine((w) => Object.values(w).some((v) => v > 0), 'at least one weight must be above 0'),
  /** SLA time left beyond this adds nothing; the factor grows linearly to 1 at the due time. */
  slaHorizonMinutes: z.number().int().positive().default(24 * 60),
  /** The lifetime value at which that factor is full. */
  lifetimeValueCap: z.number().positive().default(10_000),
  /** What each entitlement is worth, least to most support. */
  entitlementFactors: z
    .object({ none: unit, 'per-incident': unit, package: unit, premium: unit })
    .default({ none: 0, 'per-incident': 1 / 3, package: 2 / 3, premium: 1 })
    .refine(rising(ENTITLEMENT_KINDS), 'entitlement factors must not fall from none to premium'),
  /** What each priority (severity) is worth; least urgent last in PRIORITIES. */
  severityFactors: z
    .object({ urgent: unit, high: unit, normal: unit, low: unit })
    .default({ urgent: 1, high: 2 / 3, normal: 1 / 3, low: 0 })
    .refine(rising([...PRIORITIES].reverse()), 'severity factors must not fall from low to urgent'),
  /** A factor is named in the explanation when it reads above this. */
  mentionAbove: unit.default(0.5),
  /** How many reasons the one-line explanation names. */
  maxReasons: z.number().int().min(1).max(PRIORITY_FACTORS.length).default(3),
});
export type PriorityConfig = z.infer<typeof PriorityConfigSchema>;
export const DEFAULT_PRIORITY_CONFIG: PriorityConfig = PriorityConfigSchema.parse({});

export interface PriorityInput {
  /** Business time left on the SLA (negative once breached); null when no clock runs (none, or the case is done). */
  slaRemainingMs: number | null;
  entitlement: EntitlementKind | null;
  /** Named in the explanation ("premium plan") when known. */
  plan: Plan | null;
  lifetimeValue: number | null;
  /** 0–100. */
  influence: number | null;
  /** -1 (angry) … 1 (delighted). */
  sentiment: number | null;
  priority: Priority;
}

export interface PriorityReason {
  factor: PriorityFactor;
  /** 0…1: how strongly the factor reads. */
  value: number;
  /** Its share of the score (weight × value, out of 100). */
  points: number;
  label: string;
  /** Named in the one-line explanation. */
  mentioned: boolean;
}

/**
 * A reason the explanation names, as data rather than words: each console
 * says it in its own language (the English `explanation` is for the hub's
 * logs and its API).
 */
export const PriorityWhyPartSchema = z.discriminatedUnion('factor', [
  /** Business time left; negative once breached; null when no clock runs. */
  z.object({ factor: z.literal('sla'), remainingMs: z.number().nullable() }),
  z.object({ factor: z.literal('entitlement'), plan: z.enum(PLANS).nullable(), entitlement: z.enum(ENTITLEMENT_KINDS).nullable() }),
  z.object({ factor: z.literal('lifetimeValue'), value: z.number() }),
  z.object({ factor: z.literal('influence'), value: z.number() }),
  z.object({ factor: z.literal('sentiment'), value: z.number().nullable() }),
  z.object({ factor: z.literal('severity'), priority: z.enum(PRIORITIES) }),
]);
export type PriorityWhyPart = z.infer<typeof PriorityWhyPartSchema>;

export interface PriorityScore {
  /** 0–100, higher first. */
  score: number;
  /** Every factor, most points first. */
  reasons: PriorityReason[];
  /** "SLA due in 12 min · premium plan · negative sentiment". */
  explanation: string;
  /** What `explanation` names, in its order, as data; empty for "nothing pressing". */
  parts: PriorityWhyPart[];
}

const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
const MINUTE = 60_000;

/** "12 min", "3 h 20 min", "2 d 4 h". */
export function durationWords(ms: number, round: (x: number) => number = Math.ceil): string {
  const minutes = Math.max(0, round(ms / MINUTE));
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  if (h < 48) return minutes % 60 ? `${h} h ${minutes % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

function slaLabel(remainingMs: number | null): string {
  if (remainingMs === null) return 'no SLA running';
  if (remainingMs < 0) return -remainingMs < MINUTE ? 'SLA breached just now' : `SLA breached ${durationWords(-remainingMs, Math.floor)} ago`;
  return `SLA due in ${durationWords(remainingMs)}`;
}

const compactNumber = (n: number) => (n >= 1000 ? `${(Math.round(n / 100) / 10).toString()}k` : String(Math.round(n)));

export type SentimentBand = 'unknown' | 'veryNegative' | 'negative' | 'neutral' | 'positive';

/** How the explanation names a sentiment (the console says the same band in its language). */
export function sentimentBand(s: number | null): SentimentBand {
  if (s === null) return 'unknown';
  if (s <= -0.5) return 'veryNegative';
  if (s < 0) return 'negative';
  return s > 0 ? 'positive' : 'neutral';
}

const SENTIMENT_WORDS: Record<SentimentBand, string> = {
  unknown: 'sentiment unknown',
  veryNegative: 'very negative sentiment',
  negative: 'negative sentiment',
  neutral: 'neutral sentiment',
  positive: 'positive sentiment',
};
const sentimentLabel = (s: number | null): string => SENTIMENT_WORDS[sentimentBand(s)];

/** The SLA factor read as 0…1: full once due, nothing beyond the horizon, linear between. */
const slaValue = (left: number | null, config: PriorityConfig) => (left === null ? 0 : left <= 0 ? 1 : clamp01(1 - left / (config.slaHorizonMinutes * MINUTE)));

/** Each factor read as 0…1. */
function factorValues(input: PriorityInput, config: PriorityConfig): Record<PriorityFactor, number> {
  const { slaRemainingMs: left } = input;
  return {
    sla: slaValue(left, config),
    entitlement: input.entitlement === null ? 0 : clamp01(config.entitlementFactors[input.entitlement]),
    lifetimeValue: input.lifetimeValue === null ? 0 : clamp01(input.lifetimeValue / config.lifetimeValueCap),
    influence: input.influence === null ? 0 : clamp01(input.influence / 100),
    // Unknown sentiment reads as neutral, not as calm.
    sentiment: clamp01((1 - (input.sentiment ?? 0)) / 2),
    severity: clamp01(config.severityFactors[input.priority]),
  };
}

function factorLabels(input: PriorityInput): Record<PriorityFactor, string> {
  return {
    sla: slaLabel(input.slaRemainingMs),
    entitlement: input.plan ? `${input.plan} plan` : ENTITLEMENT_LABELS[input.entitlement ?? 'none'],
    lifetimeValue: `lifetime value ${compactNumber(input.lifetimeValue ?? 0)}`,
    influence: `influential author (${Math.round(input.influence ?? 0)})`,
    sentiment: sentimentLabel(input.sentiment),
    severity: input.priority === 'urgent' ? 'urgent' : `${input.priority} priority`,
  };
}

const totalWeightOf = (config: PriorityConfig) => PRIORITY_FACTORS.reduce((sum, f) => sum + config.weights[f], 0);
/** A factor's share of the score, out of 100. */
const factorPoints = (weight: number, value: number, totalWeight: number) => (totalWeight > 0 ? (100 * weight * value) / totalWeight : 0);

const pointsOf = (values: Record<PriorityFactor, number>, config: PriorityConfig): Record<PriorityFactor, number> => {
  const totalWeight = totalWeightOf(config);
  return Object.fromEntries(PRIORITY_FACTORS.map((f) => [f, factorPoints(config.weights[f], values[f], totalWeight)])) as Record<PriorityFactor, number>;
};

/** The factors whose points do not move with the clock: all but the SLA's. */
const STANDING_FACTORS = PRIORITY_FACTORS.filter((f) => f !== 'sla');

/** The score from its points: the SLA's plus the standing ones, summed in one order wherever a score is made. */
const scoreOfPoints = (sla: number, points: Record<PriorityFactor, number>) => sla + STANDING_FACTORS.reduce((sum, f) => sum + points[f], 0);

/** Just the score, for sorting many cases (the same number `priorityScore` gives). */
export function priorityScoreValue(input: PriorityInput, config: PriorityConfig = DEFAULT_PRIORITY_CONFIG): number {
  const points = pointsOf(factorValues(input, config), config);
  return scoreOfPoints(points.sla, points);
}

/**
 * The score in two parts, for scoring many cases again as time passes (push routing's waiting board): the
 * points that stand until the case or its customer changes, read once, and the SLA's, which grow with the
 * clock. `standing + slaPointsBy()(left)` is the number `priorityScoreValue` gives for that time left.
 */
export function standingPoints(input: Omit<PriorityInput, 'slaRemainingMs'>, config: PriorityConfig = DEFAULT_PRIORITY_CONFIG): number {
  return scoreOfPoints(0, pointsOf(factorValues({ ...input, slaRemainingMs: null }, config), config));
}

/** The SLA's points for a time left (null: no clock runs), by one configuration: for scoring thousands at once. */
export function slaPointsBy(config: PriorityConfig = DEFAULT_PRIORITY_CONFIG): (slaRemainingMs: number | null) => number {
  const totalWeight = totalWeightOf(config);
  return (slaRemainingMs) => factorPoints(config.weights.sla, slaValue(slaRemainingMs, config), totalWeight);
}

/** The score of one case, with its reasons and the line an agent reads. */
export function priorityScore(input: PriorityInput, config: PriorityConfig = DEFAULT_PRIORITY_CONFIG): PriorityScore {
  const values = factorValues(input, config);
  const points = pointsOf(values, config);
  const labels = factorLabels(input);
  const reasons = PRIORITY_FACTORS.map((factor): PriorityReason => ({ factor, value: values[factor], points: points[factor], label: labels[factor], mentioned: points[factor] > 0 && values[factor] > config.mentionAbove }));
  const score = scoreOfPoints(points.sla, points);
  // Most points first; ties keep the factor order, so equal inputs explain alike.
  const ordered = reasons.map((r, i) => ({ r, i })).sort((a, b) => b.r.points - a.r.points || a.i - b.i).map(({ r }) => r);
  const named = ordered.filter((r) => r.mentioned).slice(0, config.maxReasons);
  return {
    score,
    reasons: ordered,
    explanation: named.length > 0 ? named.map((r) => r.label).join(' · ') : 'nothing pressing',
    parts: named.map((r) => whyPart(r.factor, input)),
  };
}

/** The data a factor's words are made from (factorLabels says them in English). */
function whyPart(factor: PriorityFactor, input: PriorityInput): PriorityWhyPart {
  switch (factor) {
    case 'sla':
      return { factor, remainingMs: input.slaRemainingMs };
    case 'entitlement':
      return { factor, plan: input.plan, entitlement: input.entitlement };
    case 'lifetimeValue':
      return { factor, value: input.lifetimeValue ?? 0 };
    case 'influence':
      return { factor, value: input.influence ?? 0 };
    case 'sentiment':
      return { factor, value: input.sentiment };
    case 'severity':
      return { factor, priority: input.priority };
  }
}

/**
 * The input for a stored case: SLA time left read from its due time at `now`
 * (wall clock, as the countdown shows it), none once it is done.
 */
export function priorityInputOf(
  c: Pick<Case, 'priority' | 'sentiment' | 'slaDueAt' | 'status'>,
  customer: Pick<Customer, 'plan' | 'lifetimeValue' | 'influence'> | null,
  entitlement: EntitlementKind | null,
  now: number,
): PriorityInput {
  const done = isDone(c.status);
  return {
    slaRemainingMs: done || c.slaDueAt === null ? null : timeLeft(c.slaDueAt, now),
    entitlement,
    plan: customer?.plan ?? null,
    lifetimeValue: customer?.lifetimeValue ?? null,
    influence: customer?.influence ?? null,
    sentiment: c.sentiment,
    priority: c.priority,
  };
}

/**
 * The input for a case and its customer as stored, the entitlement read from the customer's plan in the plan
 * table in force (what an admin saved: the hub reads it, consoles keep the copy the hub last sent): what the
 * queue and routing score alike.
 */
export function casePriorityInput(
  c: Pick<Case, 'priority' | 'sentiment' | 'slaDueAt' | 'status'>,
  customer: Pick<Customer, 'plan' | 'lifetimeValue' | 'influence'> | null,
  now: number,
  plans: PlanEntitlements = DEFAULT_PLAN_ENTITLEMENTS,
): PriorityInput {
  return priorityInputOf(c, customer, customer ? entitlementOf(customer, 0, plans).kind : null, now);
}
