import { z } from 'zod';

/** Every record id is a UUIDv7 minted where the record is born. */
export const IdSchema = z.uuid();

/* ------------------------------------------------------- text people write */

// NUL and half a surrogate pair: Postgres stores neither (text refuses NUL, jsonb both), and a
// mutation carrying one would fail its whole batch. (With the u flag, \p{Cs} matches only an unpaired half.)
const LONE_SURROGATE = /\p{Cs}/u;
const storable = (value: string) => !value.includes('\u0000') && !LONE_SURROGATE.test(value);

/**
 * Free text a person writes, at most `max` characters: every text field of
 * every mutation is one, so the hub and the console refuse the same input.
 * `base` adds what a field needs first (trim, a minimum).
 */
export function freeText(max: number, base: z.ZodString = z.string()) {
  return base.max(max).refine(storable, 'must not contain a NUL character or half of a surrogate pair');
}

export const TEXT_LIMITS = { subject: 300, tag: 50, tags: 20, language: 35, body: 20_000 } as const;

export const SubjectSchema = freeText(TEXT_LIMITS.subject, z.string().min(1));
/** A note or a reply. */
export const BodySchema = freeText(TEXT_LIMITS.body, z.string().min(1));
export const TagsSchema = z.array(freeText(TEXT_LIMITS.tag, z.string().trim().min(1))).max(TEXT_LIMITS.tags);

/** Intl knows BCP 47: a well-formed tag canonicalises, anything else throws. */
function isLanguageTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}
export const LanguageSchema = freeText(TEXT_LIMITS.language).refine(isLanguageTag, 'must be a BCP 47 language tag such as "en" or "pt-BR"');

export const CHANNELS = ['phone', 'email', 'x', 'facebook', 'instagram', 'mastodon', 'bluesky', 'web', 'device'] as const;
export const ChannelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof ChannelSchema>;

export const CASE_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const CaseStatusSchema = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;
/** The statuses that mean the work is done: no SLA runs, the queue does not list it, a customer's answer opens a new case. */
export const DONE_STATUSES = ['solved', 'closed'] as const satisfies readonly CaseStatus[];
export const isDone = (status: CaseStatus): boolean => (DONE_STATUSES as readonly CaseStatus[]).includes(status);

/** Ordered most to least urgent; `PRIORITY_RANK` is the sort key everywhere. */
export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export const PrioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof PrioritySchema>;
export const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

export const ROLES = ['agent', 'supervisor', 'technician', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Columns every synced row carries. */
const synced = {
  version: z.number().int().nonnegative(),
  rev: z.number().int().nonnegative(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
};

/** A knowledge-base article: written by staff, or a community answer promoted into the base. */
export const ArticleSchema = z.object({
  id: IdSchema,
  title: z.string().min(1),
  body: z.string(),
  tags: z.array(z.string()),
  /** Device models it applies to (empty: any). */
  deviceModels: z.array(z.string()),
  source: z.enum(['internal', 'community']),
  language: z.string().min(2),
  ...synced,
});
export type Article = z.infer<typeof ArticleSchema>;

/** How a queue hands out work (src/shared/routing.ts): offers to one agent at a time, "Next case", or by hand. Here, not in routing.ts, because a queue row carries it. */
export const ROUTING_MODES = ['manual', 'push', 'pull'] as const;
export const RoutingModeSchema = z.enum(ROUTING_MODES);
export type RoutingMode = z.infer<typeof RoutingModeSchema>;

export const QueueSchema = z.object({
  id: IdSchema,
  name: z.string().min(1),
  description: z.string(),
  /** A hub from before routing sends none: its queues are assigned by hand. */
  routing: RoutingModeSchema.default('manual'),
  ...synced,
});
export type Queue = z.infer<typeof QueueSchema>;

export const UserSchema = z.object({
  id: IdSchema,
  username: z.string().min(1),
  name: z.string().min(1),
  role: RoleSchema,
});
export type User = z.infer<typeof UserSchema>;

export const PLANS = ['basic', 'plus', 'premium', 'enterprise'] as const;

export const CustomerSchema = z.object({
  id: IdSchema,
  name: z.string().min(1),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  /** Social handles by network, e.g. `{ x: "@ana", facebook: "ana.p" }`. */
  handles: z.record(z.string(), z.string()),
  plan: z.enum(PLANS),
  lifetimeValue: z.number().nonnegative(),
  /** 0–100: reach of the customer's social presence. */
  influence: z.number().min(0).max(100),
  language: z.string().min(2),
  preferredChannel: ChannelSchema,
  /** The customer opted in to being engaged on public channels (replies to posts not addressed to the brand, first contact). */
  consent: z.boolean(),
  /** The customer asked not to be contacted: every reply needs a supervisor's override (src/shared/replies.ts). Absent on rows from before it existed. */
  doNotEngage: z.boolean().default(false),
  ...synced,
});
export type Customer = z.infer<typeof CustomerSchema>;

export const DEVICE_HEALTH = ['ok', 'warning', 'critical'] as const;
export const DeviceSchema = z.object({
  id: z.string().min(1),
  model: z.string(),
  serial: z.string(),
  ownerId: IdSchema.nullable(),
  health: z.enum(DEVICE_HEALTH),
  lastTelemetryAt: z.iso.datetime({ offset: true }).nullable(),
  ...synced,
});
export type Device = z.infer<typeof DeviceSchema>;

export const PartSchema = z.object({
  name: freeText(200, z.string().trim().min(1)),
  quantity: z.number().int().min(1).max(10_000),
});
export type Part = z.infer<typeof PartSchema>;

export const CaseSchema = z.object({
  id: IdSchema,
  number: z.number().int().positive(),
  subject: z.string().min(1),
  status: CaseStatusSchema,
  priority: PrioritySchema,
  channel: ChannelSchema,
  customerId: IdSchema.nullable(),
  deviceId: z.string().nullable(),
  queueId: IdSchema,
  assigneeId: IdSchema.nullable(),
  /** First response due (the SLA clock of src/shared/sla.ts, computed by the hub). */
  slaDueAt: z.iso.datetime({ offset: true }).nullable(),
  /** Resolution due, on the same clock (a hub from before it sends none). */
  resolutionDueAt: z.iso.datetime({ offset: true }).nullable().default(null),
  language: z.string().min(2),
  /** -1 (angry) … 1 (delighted); null when unknown. */
  sentiment: z.number().min(-1).max(1).nullable(),
  tags: z.array(z.string()),
  /** What fixed it, as the technician or agent wrote it. */
  resolution: z.string().nullable(),
  /** Parts used on site. */
  parts: z.array(PartSchema),
  ...synced,
});
export type Case = z.infer<typeof CaseSchema>;

export const MESSAGE_DIRECTIONS = ['in', 'out', 'note'] as const;

/**
 * Where an outbound reply is: `queued` until the provider has taken it (retries included), `sent` with
 * the provider's id, `failed` with the provider's reason (for good: a 4xx, or retries used up; the
 * agent may retry). Every change reaches consoles as `message:upsert` and through the pull.
 */
export const DELIVERY_STATUSES = ['queued', 'sent', 'failed'] as const;
export const DeliveryStatusSchema = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;
export const DeliverySchema = z.object({
  status: DeliveryStatusSchema,
  /** The provider's id of the sent reply (tweet id, status id, record URI, Message-ID…). */
  externalId: z.string().nullable(),
  /** Why it failed, in the provider's words; or why the last attempt did not go through while it is retried. */
  reason: z.string().nullable(),
  attempts: z.number().int().nonnegative(),
  /** A supervisor sent it past the consent rule: their reason, kept. */
  consentOverride: z.string().nullable().default(null),
  at: z.iso.datetime({ offset: true }),
});
export type Delivery = z.infer<typeof DeliverySchema>;
/** A file that came with a message (an email attachment): its bytes are downloaded from the case, on demand. */
export const AttachmentMetaSchema = z.object({
  id: IdSchema,
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
});
export type AttachmentMeta = z.infer<typeof AttachmentMetaSchema>;
export const MessageSchema = z.object({
  id: IdSchema,
  caseId: IdSchema,
  direction: z.enum(MESSAGE_DIRECTIONS),
  channel: ChannelSchema,
  author: z.string(),
  body: z.string(),
  /** Id on the originating channel (tweet id, Message-ID…) for dedupe. */
  externalId: z.string().nullable(),
  /** Absent on rows stored before attachments existed: none. */
  attachments: z.array(AttachmentMetaSchema).default([]),
  /**
   * An inbound post was addressed to the brand (it names or answers the brand, or came privately:
   * mail, DMs, calls); false for a post found by a keyword. Replies to it follow the consent rule.
   */
  addressed: z.boolean().default(true),
  /** An outbound reply's delivery on its channel; null for inbound messages and notes. */
  delivery: DeliverySchema.nullable().default(null),
  ...synced,
});
export type Message = z.infer<typeof MessageSchema>;

/** How far ahead of the hub's clock a reading may be dated: device clocks drift, but not into next year. */
export const TELEMETRY_MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** One reading, as published on `devices/{id}/telemetry` or POSTed. */
export const TelemetryReadingSchema = z.object({
  metric: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'metric must be snake_case, at most 64 characters'),
  value: z.number().finite(),
  ts: z.iso
    .datetime({ offset: true })
    .refine((ts) => Date.parse(ts) <= Date.now() + TELEMETRY_MAX_CLOCK_SKEW_MS, `ts must not be more than ${TELEMETRY_MAX_CLOCK_SKEW_MS / 60_000} minutes ahead of the hub's clock`),
});
export type TelemetryReading = z.infer<typeof TelemetryReadingSchema>;
export const TelemetryBatchSchema = z.array(TelemetryReadingSchema).min(1).max(1000);
export const TelemetryPayloadSchema = z.union([TelemetryReadingSchema, TelemetryBatchSchema]);
export type TelemetryPayload = z.infer<typeof TelemetryPayloadSchema>;

export const DeviceIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'device id must be 1–64 letters, digits, _ or -');

export const AlertSchema = z.object({
  id: IdSchema,
  deviceId: z.string(),
  /** The id of the rule in the brand's rules document (src/shared/rules.ts). */
  ruleId: z.string().min(1).max(64),
  caseId: IdSchema,
  metric: z.string(),
  value: z.number(),
  message: z.string(),
  at: z.iso.datetime({ offset: true }),
});
export type Alert = z.infer<typeof AlertSchema>;

export const MENTION_STATUSES = ['new', 'converted', 'dismissed'] as const;
export const MentionStatusSchema = z.enum(MENTION_STATUSES);
export type MentionStatus = z.infer<typeof MentionStatusSchema>;

/** A post that mentions the brand without being addressed to it or to a thread it knows: the mentions inbox (`mention:new`). */
export const MentionSchema = z.object({
  id: IdSchema,
  channel: ChannelSchema,
  author: z.string(),
  body: z.string(),
  /** The post's id on its network. */
  externalId: z.string(),
  language: z.string(),
  /** When it was posted. */
  at: z.iso.datetime({ offset: true }),
  status: MentionStatusSchema,
  /** The customer the author's identity belongs to (created for an unknown author); null for a post not from one. */
  customerId: IdSchema.nullable(),
  /** Where the post can be read. */
  url: z.url().nullable(),
  /** The network's id of the post it answers, if any. */
  inReplyTo: z.string().nullable(),
  /** It names the brand's account; false for a post found only by a keyword (the consent rule). */
  addressed: z.boolean().default(true),
  /** -1 … 1, as for cases; null when unknown. */
  sentiment: z.number().min(-1).max(1).nullable().default(null),
  /** The queue whose agents see it (the channel's queue). */
  queueId: IdSchema.nullable().default(null),
  /** The case it was converted into. */
  caseId: IdSchema.nullable().default(null),
  /** Synced rows (entity `mention`): converting or dismissing one is a mutation like any other. */
  ...synced,
});
export type Mention = z.infer<typeof MentionSchema>;
