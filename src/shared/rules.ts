/**
 * Rules as data: the shape of a brand's rules document (YAML or JSON), which
 * the hub loads and evaluates (src/hub/rules/) and the admin screen edits.
 * One schema, so the console and the hub refuse the same document.
 */
import { z } from 'zod';
import { ChannelSchema, PLANS, PrioritySchema, RoleSchema, TagsSchema } from './domain';
import { EntitlementKindSchema } from './entitlements';

/** "beyond a threshold": above (>, >=) or below (<, <=). */
export const OperatorSchema = z.enum(['>', '>=', '<', '<=']);
export type Operator = z.infer<typeof OperatorSchema>;
export const OPERATOR_WORDS: Record<Operator, string> = { '>': 'above', '>=': 'at or above', '<': 'below', '<=': 'at or below' };

/** Which way is worse, for a trend or a rate of change. */
export const DirectionSchema = z.enum(['rising', 'falling']);
export type Direction = z.infer<typeof DirectionSchema>;

const MetricSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'expected a snake_case metric name, as devices send it');
const finite = z.number().finite();

/* --------------------------------------------------------------- device kinds */

export const DEVICE_KINDS = ['threshold', 'consecutive', 'trend', 'rate', 'silence'] as const;
export const MESSAGE_KINDS = ['keywords', 'language', 'sentiment', 'influence', 'channel'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];
export type MessageKind = (typeof MESSAGE_KINDS)[number];

const ThresholdWhen = z.strictObject({ kind: z.literal('threshold'), metric: MetricSchema, operator: OperatorSchema, threshold: finite });
const ConsecutiveWhen = z.strictObject({
  kind: z.literal('consecutive'),
  metric: MetricSchema,
  operator: OperatorSchema,
  threshold: finite,
  /** Readings in a row beyond the threshold. */
  count: z.number().int().min(2).max(100),
});
const TrendWhen = z.strictObject({
  kind: z.literal('trend'),
  metric: MetricSchema,
  /** Worse means rising (a temperature) or falling (a battery). */
  worse: DirectionSchema,
  /** Readings in a row, each worse than the one before. */
  count: z.number().int().min(2).max(100),
  /** Optionally every one of them also beyond this ("bad and getting worse"). */
  operator: OperatorSchema.optional(),
  threshold: finite.optional(),
});
const RateWhen = z.strictObject({
  kind: z.literal('rate'),
  metric: MetricSchema,
  worse: DirectionSchema,
  /** Change per minute that is too fast. */
  perMinute: z.number().positive().finite(),
  /** Measured over this window (at least half of it must be covered by readings). */
  windowMinutes: z.number().positive().max(24 * 60),
});
const SilenceWhen = z.strictObject({
  kind: z.literal('silence'),
  /** Only readings of this metric count; any reading when absent. */
  metric: MetricSchema.optional(),
  /** No telemetry for this long. */
  minutes: z.number().positive().max(30 * 24 * 60),
});

/* -------------------------------------------------------------- message kinds */

/** Every message kind may be limited to some channels. */
const channels = z.array(ChannelSchema).min(1).optional();
const KeywordsWhen = z.strictObject({
  kind: z.literal('keywords'),
  /** Whole words or phrases, any script, case-insensitive. */
  keywords: z.array(z.string().trim().min(1).max(100)).min(1).max(500),
  /** any (default): one is enough; all: every one must appear. */
  match: z.enum(['any', 'all']).default('any'),
  channels,
});
const LanguageWhen = z.strictObject({
  kind: z.literal('language'),
  /** Primary subtags ("ru", "is", "id"); "pt" also matches "pt-BR". */
  languages: z.array(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a language tag such as "ru" or "pt-BR"')).min(1),
  channels,
});
const SentimentWhen = z.strictObject({ kind: z.literal('sentiment'), below: z.number().min(-1).max(1), channels });
const InfluenceWhen = z.strictObject({ kind: z.literal('influence'), above: z.number().min(0).max(100), channels });
const ChannelWhen = z.strictObject({ kind: z.literal('channel'), channels: z.array(ChannelSchema).min(1) });

export const WhenSchema = z.discriminatedUnion('kind', [
  ThresholdWhen,
  ConsecutiveWhen,
  TrendWhen,
  RateWhen,
  SilenceWhen,
  KeywordsWhen,
  LanguageWhen,
  SentimentWhen,
  InfluenceWhen,
  ChannelWhen,
]);
export type When = z.infer<typeof WhenSchema>;
export type DeviceWhen = Extract<When, { kind: DeviceKind }>;
export type MessageWhen = Extract<When, { kind: MessageKind }>;
export const isDeviceKind = (kind: string): kind is DeviceKind => (DEVICE_KINDS as readonly string[]).includes(kind);

/* ----------------------------------------------------------------- conditions */

/** Conditions on the customer; all must hold. A rule with any fires only for a known customer. */
export const CustomerConditionSchema = z.strictObject({
  plans: z.array(z.enum(PLANS)).min(1).optional(),
  /** The customer's entitlement is one of these (src/shared/entitlements.ts). */
  entitlements: z.array(EntitlementKindSchema).min(1).optional(),
  minLifetimeValue: z.number().nonnegative().optional(),
  minOpenCases: z.number().int().nonnegative().optional(),
});
export type CustomerCondition = z.infer<typeof CustomerConditionSchema>;

/* -------------------------------------------------------------------- actions */

/** The placeholders a subject may use, by the family of the rule's kind. */
export const DEVICE_PLACEHOLDERS = ['rule', 'customer', 'device', 'metric', 'value', 'threshold', 'count'] as const;
export const MESSAGE_PLACEHOLDERS = ['rule', 'customer', 'author', 'channel', 'keyword', 'language', 'sentiment', 'influence'] as const;
const PLACEHOLDER = /\{([^{}]*)\}/g;
export const placeholdersOf = (template: string) => [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);

export const SEVERITIES = ['info', 'warning', 'critical'] as const;

const OpenCaseAction = z.strictObject({
  type: z.literal('open_case'),
  /** Queue name, as the admin screen lists them. */
  queue: z.string().trim().min(1),
  subject: z.string().trim().min(1).max(300),
  priority: PrioritySchema.default('normal'),
  severity: z.enum(SEVERITIES).default('warning'),
  /** Join the open case this rule opened for the same device (or message author) instead of opening another. */
  join: z.boolean().default(true),
});
const SetPriorityAction = z.strictObject({ type: z.literal('set_priority'), priority: PrioritySchema });
const AddTagsAction = z.strictObject({ type: z.literal('add_tags'), tags: TagsSchema.min(1) });
const NotifyAction = z
  .strictObject({ type: z.literal('notify'), queue: z.string().trim().min(1).optional(), role: RoleSchema.optional() })
  .refine((a) => (a.queue === undefined) !== (a.role === undefined), 'notify names either a queue or a role');

export const ACTION_TYPES = ['open_case', 'set_priority', 'add_tags', 'notify'] as const;
export const ActionSchema = z.discriminatedUnion('type', [OpenCaseAction, SetPriorityAction, AddTagsAction, NotifyAction]);
export type Action = z.infer<typeof ActionSchema>;
export type OpenCaseAction = z.infer<typeof OpenCaseAction>;

/* ---------------------------------------------------------------------- rules */

export const RuleSchema = z
  .strictObject({
    /** Stable within the document: state and firings are keyed by it. */
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a lowercase id of letters, digits, - or _'),
    name: z.string().trim().min(1).max(200),
    enabled: z.boolean().default(true),
    when: WhenSchema,
    customer: CustomerConditionSchema.optional(),
    then: z.array(ActionSchema).min(1),
  })
  .superRefine((rule, ctx) => {
    const allowed: readonly string[] = isDeviceKind(rule.when.kind) ? DEVICE_PLACEHOLDERS : MESSAGE_PLACEHOLDERS;
    rule.then.forEach((action, index) => {
      if (action.type !== 'open_case') return;
      for (const name of placeholdersOf(action.subject))
        if (!allowed.includes(name))
          ctx.addIssue({ code: 'custom', path: ['then', index, 'subject'], message: `unknown placeholder {${name}}; a ${rule.when.kind} rule may use ${allowed.map((p) => `{${p}}`).join(', ')}` });
    });
    if (rule.when.kind === 'trend' && (rule.when.operator === undefined) !== (rule.when.threshold === undefined))
      ctx.addIssue({ code: 'custom', path: ['when', rule.when.operator === undefined ? 'operator' : 'threshold'], message: 'a trend takes operator and threshold together, or neither' });
  });
export type Rule = z.infer<typeof RuleSchema>;
export type RuleInput = z.input<typeof RuleSchema>;

export const RulesDocumentSchema = z
  .strictObject({
    version: z.literal(1),
    /** The brand this document belongs to. */
    brand: z.string().trim().min(1).max(100),
    rules: z.array(RuleSchema).max(1000),
  })
  .superRefine((doc, ctx) => {
    const seen = new Set<string>();
    doc.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `duplicate rule id "${rule.id}"` });
      seen.add(rule.id);
    });
  });
export type RulesDocument = z.infer<typeof RulesDocumentSchema>;

/** One validation error, naming where: "line 14, rules[2].when.threshold: expected a number". */
export interface RuleError {
  /** 1-based; 0 when the place is unknown. */
  line: number;
  /** "rules[2].when.threshold"; "" for the document itself. */
  path: string;
  message: string;
}

export const formatPath = (path: readonly PropertyKey[]) =>
  path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');

export const formatRuleError = (e: RuleError) => `${e.line > 0 ? `line ${e.line}, ` : ''}${e.path || 'document'}: ${e.message}`;

/** What a firing did to its case: opened it, joined it, changed it (priority, tags), or only told people. */
export const FIRING_OUTCOMES = ['opened', 'joined', 'updated', 'notified'] as const;

/** A firing as a case shows it: 'Opened by rule "Engine overheating" because engine_temp above 110 …'. */
export const RuleFiringSchema = z.object({
  id: z.uuid(),
  ruleId: z.string(),
  ruleName: z.string(),
  kind: z.string(),
  outcome: z.enum(FIRING_OUTCOMES),
  because: z.string(),
  at: z.iso.datetime({ offset: true }),
});
export type RuleFiring = z.infer<typeof RuleFiringSchema>;

/** The rules document as the admin API answers it: its text, format and version. */
export const RulesDocumentViewSchema = z.object({
  brand: z.string(),
  format: z.enum(['yaml', 'json']),
  source: z.string(),
  version: z.number().int().nonnegative(),
  updatedAt: z.iso.datetime({ offset: true }).nullable(),
  updatedBy: z.uuid().nullable(),
});
export type RulesDocumentView = z.infer<typeof RulesDocumentViewSchema>;

/** What an admin saves (or asks to check): the whole document, as text. */
export const RulesDocumentInputSchema = z.strictObject({
  format: z.enum(['yaml', 'json']),
  source: z.string().min(1).max(512 * 1024),
});
export type RulesDocumentInput = z.infer<typeof RulesDocumentInputSchema>;

/** A rule's notify action as it reaches consoles (`rule:notify`): the members of a queue, or everyone of a role. */
export const RuleNoticeSchema = z.object({
  queueId: z.uuid().nullable(),
  role: RoleSchema.nullable(),
  ruleId: z.string(),
  ruleName: z.string(),
  because: z.string(),
  caseId: z.uuid().nullable(),
  caseNumber: z.number().int().nullable(),
});
export type RuleNotice = z.infer<typeof RuleNoticeSchema>;

export const RuleErrorSchema = z.object({ line: z.number().int().min(0), path: z.string(), message: z.string() });

/** The hub's verdict on a document: how many rules it holds, or where it is wrong. */
export const RulesCheckSchema = z.union([z.object({ ok: z.literal(true), rules: z.number().int().min(0) }), z.object({ ok: z.literal(false), errors: z.array(RuleErrorSchema) })]);
export type RulesCheck = z.infer<typeof RulesCheckSchema>;

/** An admin's save: a new version, or why the document does not load (nothing saved). */
export type RulesSaveResult = { ok: true; view: RulesDocumentView } | { ok: false; errors: RuleError[] };

export const RulesSaveInputSchema = RulesDocumentInputSchema.extend({ reason: z.string().trim().max(500).optional() });
