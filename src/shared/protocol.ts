/**
 * The hub's wire protocol: HTTP request/response bodies and the socket.io
 * event maps. Hub and console are both typed from this file.
 */
import { z } from 'zod';
import { ConsentOverrideSchema } from './replies';
import type { ChannelSettingsAnswer } from './channel-settings';
import type { PlansSettings } from './entitlements';
import type { RuleNotice } from './rules';
import { type Offer, type OfferGone, RoutingModeSchema } from './routing';
import { BusinessCalendarSchema, SlaPoliciesSchema } from './sla';
import { LiveCallSchema } from './calls';
import { WordingSchema } from './wording';
import {
  type Alert,
  ArticleSchema,
  BodySchema,
  type Case,
  CaseSchema,
  CustomerSchema,
  DeviceIdSchema,
  DeviceSchema,
  freeText,
  LanguageSchema,
  type Mention,
  MentionSchema,
  type Message,
  MessageSchema,
  PartSchema,
  QueueSchema,
  RoleSchema,
  SubjectSchema,
  TagsSchema,
  TEXT_LIMITS,
  UserSchema,
} from './domain';

export const LoginRequestSchema = z.object({
  // A NUL is refused as malformed (400), whoever is asked for: Postgres cannot compare one, and no stored name holds one.
  username: freeText(100, z.string().min(1)),
  password: z.string().min(1).max(1000),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const LoginResponseSchema = z.object({
  token: z.string(),
  user: z.object({ id: z.string(), name: z.string(), role: UserSchema.shape.role, username: z.string() }),
});
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

/** `message` in English (logs, scripts); `wording` the same as a key and parameters for the console to word (src/shared/wording.ts). */
export const ErrorResponseSchema = z.object({ error: z.string(), message: z.string(), wording: WordingSchema.optional() });
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;

/** GET /api/cases query. */
export const CaseListQuerySchema = z.object({
  queueId: z.uuid().optional(),
  status: CaseSchema.shape.status.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const CaseListResponseSchema = z.object({ cases: z.array(CaseSchema), total: z.number().int() });
export type CaseListResponse = z.infer<typeof CaseListResponseSchema>;

export const CaseDetailResponseSchema = z.object({
  case: CaseSchema,
  messages: z.array(MessageSchema),
  customer: CustomerSchema.nullable(),
  device: DeviceSchema.nullable(),
});
export type CaseDetailResponse = z.infer<typeof CaseDetailResponseSchema>;

/** Entities that travel through sync pull. */
export const SYNC_ENTITIES = ['case', 'customer', 'message', 'device', 'queue', 'user', 'article', 'mention'] as const;
export const SyncEntitySchema = z.enum(SYNC_ENTITIES);
export type SyncEntity = z.infer<typeof SyncEntitySchema>;

export const SyncPullRequestSchema = z.object({
  cursor: z.number().int().min(0),
  limit: z.number().int().min(1).max(5000).default(1000),
});
export type SyncPullRequest = z.infer<typeof SyncPullRequestSchema>;

const rowOf = {
  case: CaseSchema,
  customer: CustomerSchema,
  message: MessageSchema,
  device: DeviceSchema,
  queue: QueueSchema,
  user: UserSchema,
  article: ArticleSchema,
  mention: MentionSchema,
} as const;

export const SyncChangeSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('upsert'), entity: SyncEntitySchema, id: z.string(), rev: z.number().int(), row: z.unknown() }),
  z.object({ op: z.literal('delete'), entity: SyncEntitySchema, id: z.string(), rev: z.number().int(), row: z.null() }),
]);
export type SyncChange = z.infer<typeof SyncChangeSchema>;

/** Validates the row of an upsert against its entity's schema. */
export function parseSyncRow(entity: SyncEntity, row: unknown) {
  return rowOf[entity].parse(row);
}

export const SyncPullResponseSchema = z.object({
  changes: z.array(SyncChangeSchema),
  cursor: z.number().int(),
  hasMore: z.boolean(),
  /** The hub's newest rev when the page was read: how far a long bootstrap still has to go (not every rev is in scope). */
  head: z.number().int().optional(),
  /** What decides the caller's scope (role, and an agent's queues): when it changes, a console pulls everything again and drops what it no longer may see. */
  scope: z.string().optional(),
  /** The queues the caller works (is a member of): what "Next case" and an agent's own queues are decided by. */
  queueIds: z.array(z.string()).max(10_000).optional(),
});
export type SyncPullResponse = z.infer<typeof SyncPullResponseSchema>;

export const PRESENCE = ['available', 'busy', 'away', 'offline'] as const;
export type Presence = (typeof PRESENCE)[number];
export const PresenceSchema = z.enum(PRESENCE);

/** Reasons the console offers for being away (any other text is taken too). */
export const AWAY_REASONS = ['Break', 'Lunch', 'Meeting', 'Training', 'Admin work'] as const;

/** What someone chose (or the sockets made them) and since when; the reason goes with away (and may with busy). */
export const PresenceStateSchema = z.object({
  presence: PresenceSchema,
  reason: z.string().nullable(),
  since: z.iso.datetime({ offset: true }),
});
export type PresenceState = z.infer<typeof PresenceStateSchema>;
export const PresenceUpdateSchema = PresenceStateSchema.extend({ userId: z.string() });
export type PresenceUpdate = z.infer<typeof PresenceUpdateSchema>;

/** `presence.set`: away needs a reason; available and offline take none. */
export const PresenceSetSchema = z
  .object({ presence: PresenceSchema, reason: freeText(100, z.string().trim().min(1)).optional() })
  .strict()
  .refine((p) => p.presence !== 'away' || p.reason !== undefined, { message: 'say why you are away', path: ['reason'] })
  .refine((p) => p.reason === undefined || p.presence === 'away' || p.presence === 'busy', { message: 'only away and busy take a reason', path: ['reason'] });

/** `queue:stats`, to supervisors and admins every few seconds and on change: one row per queue. */
export const QueueStatsSchema = z.object({
  queueId: z.string(),
  /** Not done and nobody's yet. */
  waiting: z.number().int(),
  oldestWaitSeconds: z.number().int(),
  /** Not done, SLA due within the hour. */
  atRisk: z.number().int(),
  /** Not done, SLA past due. */
  breached: z.number().int(),
  arrivals15m: z.number().int(),
  /** Arrivals per quarter-hour over the last 4 hours, oldest first (16 windows ending now; the last one is `arrivals15m`). */
  arrivalsSeries: z.array(z.number().int()).max(96),
  /**
   * The usual arrivals for this time of day: the mean of the same quarter-hour
   * (the 15 minutes before now) on each of the previous 7 days, days without a
   * case counting as 0; two decimals.
   */
  usualArrivals15m: z.number().nonnegative(),
  agentsAvailable: z.number().int(),
  agentsSignedIn: z.number().int(),
  /** From opened to solved, over the cases solved in the last 24 hours; null when none was. */
  averageHandleSeconds: z.number().int().nullable(),
  /** By Erlang C (src/shared/staffing.ts) for 80 % within 60 s, from the last hour's arrivals and the handle time. */
  agentsNeeded: z.number().int(),
});
export type QueueStats = z.infer<typeof QueueStatsSchema>;

/**
 * `agent:stats`, with `queue:stats` (same rooms, same moments): one row per
 * agent and technician, and per supervisor or admin who holds an unfinished
 * case (so no current work is invisible).
 */
export const AgentStatsSchema = z.object({
  userId: z.string(),
  name: z.string(),
  role: RoleSchema,
  presence: PresenceSchema,
  reason: z.string().nullable(),
  /** When the current presence began (time in state). */
  since: z.iso.datetime({ offset: true }),
  queueIds: z.array(z.string()),
  skills: z.array(z.string()),
  /** How many cases the user is meant to hold at once. */
  capacity: z.number().int(),
  /** Cases assigned to the user and not solved or closed: their current work (capacity used). */
  activeCases: z.number().int(),
  /** The call they are on now, which takes all their capacity (src/shared/calls.ts); null when none (or a hub from before). */
  onCall: LiveCallSchema.omit({ userId: true }).nullable().default(null),
  /** Cases the user made solved (or closed) since midnight UTC, each counted once. */
  handledToday: z.number().int(),
  /** Over those cases: from when the case became theirs (its last assignment to them, else its opening) to solved; null when none. */
  averageHandleSeconds: z.number().int().nullable(),
});
export type AgentStats = z.infer<typeof AgentStatsSchema>;

/** A ringing call offered to one agent (the screen pop): the caller's customer (null when the number is unknown) and open cases. */
export const CallOfferedSchema = z.object({
  callSid: z.string().min(1),
  /** The caller's number as the phone provider gives it. */
  from: z.string().min(1),
  customer: CustomerSchema.nullable(),
  cases: z.array(CaseSchema),
  /** The agent it is offered to. */
  userId: z.string(),
});
export type CallOffered = z.infer<typeof CallOfferedSchema>;

/** A call that rang for this agent is no longer theirs to answer: a colleague answered it, or it ended. */
export const CallGoneSchema = z.object({
  callSid: z.string().min(1),
  reason: z.enum(['answered', 'ended']),
});
export type CallGone = z.infer<typeof CallGoneSchema>;

/* ------------------------------------------------------- collision detection */

export const WATCH_MODES = ['viewing', 'replying'] as const;
export const WatchModeSchema = z.enum(WATCH_MODES);
export type WatchMode = z.infer<typeof WatchModeSchema>;

/** `case:watch`, console → hub: the one case this socket has open (null: none) and whether a reply is being written. */
export const CaseWatchSchema = z.object({ caseId: z.uuid().nullable(), mode: WatchModeSchema }).strict();
export type CaseWatch = z.infer<typeof CaseWatchSchema>;
/** The answer to `case:watch` when the console asks for one: refused when malformed or outside the user's scope. */
export type CaseWatchAck = { ok: true } | { ok: false; error: 'invalid_input' | 'not_found' };

/** One person on a case: several consoles of one user are one entry, replying if any of them is. */
export const CaseWatcherSchema = z.object({
  userId: z.string(),
  name: z.string(),
  mode: WatchModeSchema,
  /** Since when they have been in this mode. */
  since: z.iso.datetime({ offset: true }),
});
export type CaseWatcher = z.infer<typeof CaseWatcherSchema>;
/** `case:watchers`, hub → the consoles on a case: everyone there now, the receiver included (the console hides itself). */
export const CaseWatchersSchema = z.object({ caseId: z.uuid(), watchers: z.array(CaseWatcherSchema).max(1000) });
export type CaseWatchers = z.infer<typeof CaseWatchersSchema>;

/* ------------------------------------------------------------ surge alerts */

/** Most cases one surge alert carries: as many as one bulk move takes (ReassignRequestSchema). */
export const SURGE_MAX_CASES = 1000;

/** One arrival shown in a surge alert: an inbound message of a case, or a post in the mentions inbox. */
export const SurgeSampleSchema = z.object({
  caseId: z.uuid().nullable(),
  number: z.number().int().nullable(),
  subject: z.string().nullable(),
  mentionId: z.uuid().nullable(),
  channel: CaseSchema.shape.channel,
  author: z.string(),
  /** The start of its text. */
  excerpt: z.string().max(300),
  at: z.string(),
});
export type SurgeSample = z.infer<typeof SurgeSampleSchema>;

/* ------------------------------------------------------------------ SLA */

export const SLA_TARGETS = ['first_response', 'resolution'] as const;
export const SlaTargetSchema = z.enum(SLA_TARGETS);
export type SlaTarget = z.infer<typeof SlaTargetSchema>;

/**
 * `sla:warning` / `sla:breach` (hub sla/watch.ts): one target of one case,
 * told once per due time, whichever hub recorded it first.
 */
export const SlaAlertSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['warning', 'breach']),
  target: SlaTargetSchema,
  caseId: z.uuid(),
  caseNumber: z.number().int(),
  subject: z.string(),
  queueId: z.uuid(),
  assigneeId: z.uuid().nullable(),
  dueAt: z.iso.datetime({ offset: true }),
  at: z.iso.datetime({ offset: true }),
});
export type SlaAlert = z.infer<typeof SlaAlertSchema>;

/**
 * GET/PUT /api/admin/sla-policies: the policies per plan (targets per
 * priority, a calendar), and the queues whose cases run on their own
 * business hours instead of the policy's calendar.
 */
export const SlaSettingsSchema = z.object({
  policies: SlaPoliciesSchema,
  queueCalendars: z.record(z.uuid(), BusinessCalendarSchema).default({}),
});
export type SlaSettings = z.infer<typeof SlaSettingsSchema>;
/**
 * PUT /api/admin/sla-policies: the document and, optionally, why (kept in the audit log) and `expected`, the
 * document the admin's edit started from: the hub saves only while it still keeps that (else 409).
 */
export const SlaSaveInputSchema = SlaSettingsSchema.extend({ reason: z.string().trim().max(500).optional(), expected: SlaSettingsSchema.optional() });
export type SlaSaveInput = z.input<typeof SlaSaveInputSchema>;

/** GET /api/admin/queues/routing (admins): how each queue hands out work, as PUT …/:id/routing sets it. */
export const QueueRoutingViewSchema = z.object({
  queueId: z.uuid(),
  routing: RoutingModeSchema,
  requiredSkills: z.array(z.string()),
  offerSeconds: z.number().int(),
});
export type QueueRoutingView = z.infer<typeof QueueRoutingViewSchema>;

/**
 * `surge:alert`, to supervisors and admins (and `GET /api/surges`): arrivals on
 * one channel, or naming one keyword, in the last window far above the usual
 * rate. Sent once per surge, whichever hub saw it first.
 */
export const SurgeAlertSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['channel', 'keyword']),
  /** The channel, or the keyword (lower case). */
  key: z.string().min(1).max(100),
  /** Arrivals (inbound messages and mentions) in the window. */
  count: z.number().int().nonnegative(),
  /** The usual arrivals per window of that length, over the previous 7 days. */
  usual: z.number().nonnegative(),
  windowMinutes: z.number().int().positive(),
  at: z.string(),
  /** The latest few arrivals. */
  sample: z.array(SurgeSampleSchema).max(5),
  /** The surge's cases still open and nobody's, latest first: what a bulk move takes. */
  caseIds: z.array(z.uuid()).max(SURGE_MAX_CASES),
});
export type SurgeAlert = z.infer<typeof SurgeAlertSchema>;

/** `GET /api/surges` (supervisors and admins): the recent alerts, latest first, for a console that connects later. */
export const SurgeListResponseSchema = z.object({ alerts: z.array(SurgeAlertSchema).max(100) });
export type SurgeListResponse = z.infer<typeof SurgeListResponseSchema>;

/** A case left a console's scope (moved to a queue or agent it does not follow): its id and the rev of the move. */
export const CaseRemovedSchema = z.object({ id: z.uuid(), rev: z.number().int().nonnegative() });

/** The most rows one `cases:batch` carries; a bigger change comes in several. */
export const CASES_BATCH_MAX = 250;
/**
 * Many cases changed at once (a bulk move): their rows with the customers and
 * devices they name, the cases that left the console's scope and the notes
 * added, for a console to apply in one go — a thousand single events would
 * cost every console a thousand transactions, and a case whose customer it
 * lacked a call back to the hub.
 */
export const CasesBatchSchema = z.object({
  cases: z.array(CaseSchema).max(CASES_BATCH_MAX),
  customers: z.array(CustomerSchema).max(CASES_BATCH_MAX),
  devices: z.array(DeviceSchema).max(CASES_BATCH_MAX),
  removed: z.array(CaseRemovedSchema).max(CASES_BATCH_MAX),
  messages: z.array(MessageSchema).max(CASES_BATCH_MAX),
});
export type CasesBatch = z.infer<typeof CasesBatchSchema>;

/** Events the hub pushes to consoles. Each synced row carries its `rev`. */
export interface HubToConsoleEvents {
  'case:upsert': (row: Case) => void;
  'case:removed': (payload: { id: string; rev: number }) => void;
  'cases:batch': (batch: CasesBatch) => void;
  /** Added to the contract: a new message (e.g. the alert text of a device case). */
  'message:upsert': (row: Message) => void;
  /** A post arrived in the mentions inbox. */
  'mention:new': (mention: Mention) => void;
  /** A mention changed (converted into a case, dismissed). */
  'mention:upsert': (mention: Mention) => void;
  'call:offered': (offer: CallOffered) => void;
  'call:gone': (gone: CallGone) => void;
  'device:alert': (alert: Alert) => void;
  'presence:update': (payload: PresenceUpdate) => void;
  'queue:stats': (stats: QueueStats[]) => void;
  'case:watchers': (payload: CaseWatchers) => void;
  'agent:stats': (stats: AgentStats[]) => void;
  /** Arrivals on a channel or keyword far above the usual rate (supervisors and admins). */
  'surge:alert': (alert: SurgeAlert) => void;
  /** The user's queues or role changed (an admin or supervisor), or how one of their queues routes: their console pulls again. */
  'scope:changed': () => void;
  /** An admin saved the channel settings (handles, keywords, consent policy): to every console. */
  'settings:changed': (answer: ChannelSettingsAnswer) => void;
  /** An admin saved what each plan includes (PUT /api/admin/plans): consoles score their queues with it. */
  'plans:changed': (answer: PlansSettings) => void;
  /** An admin saved the SLA policies (PUT /api/admin/sla-policies): to every console (the countdown follows each case's policy; GET /api/settings/sla reads them); an open SLA tab shows it or warns. */
  'sla:changed': (answer: SlaSettings) => void;
  /** A rule's notify action (src/shared/rules.ts): to a queue's members or a role, and those who oversee. */
  'rule:notify': (notice: RuleNotice) => void;
  /** A case offered to this agent by push routing (src/shared/routing.ts): accept or decline before it lapses. */
  'offer:new': (offer: Offer) => void;
  /** An offer to this agent is over: accepted, declined, lapsed or withdrawn. */
  'offer:gone': (gone: OfferGone) => void;
  /** An SLA target of a case falls due soon (the watcher's window): to its assignee and those who oversee. */
  'sla:warning': (alert: SlaAlert) => void;
  /** An SLA target of a case was missed: to its assignee and those who oversee. */
  'sla:breach': (alert: SlaAlert) => void;
}

/** Writes go through HTTP; over the socket a console says only which case it has open (collision detection). */
export interface ConsoleToHubEvents {
  /** Payload checked against CaseWatchSchema on the hub; the ack is optional. */
  'case:watch': (payload: CaseWatch, ack?: (answer: CaseWatchAck) => void) => void;
}

export interface SocketAuth {
  token: string;
}

/* ---------------------------------------------------------------- sync push */

/** Scalar case fields a console may change; assignment and queue go through case.assign. */
export const CaseFieldsSchema = z
  .object({
    subject: SubjectSchema,
    status: CaseSchema.shape.status,
    priority: CaseSchema.shape.priority,
    tags: TagsSchema,
    resolution: freeText(TEXT_LIMITS.body).nullable(),
    parts: z.array(PartSchema).max(200),
  })
  .partial()
  .strict()
  .refine((fields) => Object.keys(fields).length > 0, 'at least one field is required');
export type CaseFields = z.infer<typeof CaseFieldsSchema>;
export const CASE_FIELDS = ['subject', 'status', 'priority', 'tags', 'resolution', 'parts'] as const;
export type CaseField = (typeof CASE_FIELDS)[number];

const mutationBase = {
  id: z.uuid(),
  entityId: freeText(100, z.string().min(1)),
  baseVersion: z.number().int().min(0),
  createdAt: z.iso.datetime({ offset: true }),
};

export const NewCaseSchema = CaseSchema.pick({
  id: true,
  status: true,
  priority: true,
  channel: true,
  customerId: true,
  queueId: true,
}).extend({
  // Free text through the one text rule; the row schema also takes what the hub wrote itself.
  subject: SubjectSchema,
  deviceId: DeviceIdSchema.nullable(),
  language: LanguageSchema,
  tags: TagsSchema,
  assigneeId: z.uuid().nullable().optional(),
});
export type NewCase = z.infer<typeof NewCaseSchema>;

export const MutationSchema = z.discriminatedUnion('kind', [
  z.object({ ...mutationBase, kind: z.literal('case.create'), payload: z.object({ case: NewCaseSchema }) }),
  z.object({ ...mutationBase, kind: z.literal('case.update'), payload: z.object({ fields: CaseFieldsSchema }) }),
  z.object({ ...mutationBase, kind: z.literal('case.assign'), payload: z.object({ assigneeId: z.uuid().nullable(), queueId: z.uuid().optional() }) }),
  z.object({ ...mutationBase, kind: z.literal('case.note'), payload: z.object({ body: BodySchema }) }),
  z.object({
    ...mutationBase,
    kind: z.literal('message.send'),
    // The length and consent rules are src/shared/replies.ts; `override` is a supervisor's, past the consent rule.
    payload: z.object({ channel: CaseSchema.shape.channel, body: BodySchema, override: ConsentOverrideSchema.optional() }),
  }),
  // entityId: the failed reply's message id. Sends it again (a new attempt of the same delivery).
  z.object({ ...mutationBase, kind: z.literal('message.retry'), payload: z.object({}).strict() }),
  // entityId: the mention's id. Joins the post to `caseId`, or opens a case for it whose id is this mutation's id.
  z.object({ ...mutationBase, kind: z.literal('mention.convert'), payload: z.object({ caseId: z.uuid().optional() }).strict() }),
  z.object({ ...mutationBase, kind: z.literal('mention.dismiss'), payload: z.object({}).strict() }),
  // entityId: a customer's id. What they agreed to: opted in to being engaged, or asked not to be contacted at all.
  z.object({
    ...mutationBase,
    kind: z.literal('customer.consent'),
    payload: z
      .object({ consent: z.boolean(), doNotEngage: z.boolean() })
      .partial()
      .strict()
      .refine((p) => Object.keys(p).length > 0, 'at least one of consent and doNotEngage is required'),
  }),
  z.object({ ...mutationBase, kind: z.literal('presence.set'), payload: PresenceSetSchema }),
]);
export type Mutation = z.infer<typeof MutationSchema>;
export type MutationKind = Mutation['kind'];

export const SyncPushRequestSchema = z.object({ mutations: z.array(MutationSchema).min(1).max(500) });
export type SyncPushRequest = z.infer<typeof SyncPushRequestSchema>;

const FieldConflictSchema = z.object({
  field: z.enum(CASE_FIELDS),
  /** What this console sent. */
  yours: z.unknown(),
  /** What the hub kept. */
  theirs: z.unknown(),
});
export type FieldConflict = z.infer<typeof FieldConflictSchema>;

const SettledResultSchema = z.discriminatedUnion('status', [
  z.object({ id: z.string(), status: z.enum(['applied', 'merged']), version: z.number().int(), rev: z.number().int() }),
  z.object({ id: z.string(), status: z.literal('conflict'), version: z.number().int(), rev: z.number().int(), conflicts: z.array(FieldConflictSchema) }),
  // `detail` says more where `reason` is a code, e.g. reason `consent` (src/shared/replies.ts); `wording` is the
  // refusal as a key and parameters (src/shared/rejections.ts), absent from an older hub.
  z.object({ id: z.string(), status: z.literal('rejected'), reason: z.string(), detail: z.string().optional(), wording: WordingSchema.optional() }),
]);
export const MutationResultSchema = z.union([SettledResultSchema, z.object({ id: z.string(), status: z.literal('duplicate'), original: SettledResultSchema })]);
export type MutationResult = z.infer<typeof MutationResultSchema>;

export const SyncPushResponseSchema = z.object({ results: z.array(MutationResultSchema) });
export type SyncPushResponse = z.infer<typeof SyncPushResponseSchema>;

/* ------------------------------------------------------- bulk reassignment */

/** `POST /api/cases/reassign` (supervisors and admins): many cases to an agent and/or a queue, in one transaction. */
/** The most cases one bulk move takes (one transaction on the hub). */
export const REASSIGN_MAX_CASES = 1000;

export const ReassignRequestSchema = z
  .object({
    caseIds: z.array(z.uuid()).min(1).max(REASSIGN_MAX_CASES),
    /** null: unassigned; absent: the assignee stays. */
    assigneeId: z.uuid().nullable().optional(),
    queueId: z.uuid().optional(),
    /** To the new assignee: kept as an internal note on each case. */
    note: BodySchema.optional(),
  })
  .strict()
  .refine((body) => body.assigneeId !== undefined || body.queueId !== undefined, 'say where the cases go: assigneeId, queueId or both');
export type ReassignRequest = z.infer<typeof ReassignRequestSchema>;

export const ReassignResponseSchema = z.object({
  moved: z.number().int(),
  cases: z.array(z.object({ id: z.string(), version: z.number().int(), rev: z.number().int() })),
});
export type ReassignResponse = z.infer<typeof ReassignResponseSchema>;
