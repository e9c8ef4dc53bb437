/** drizzle table definitions mirroring migrations.ts (the SQL is the source of truth). */
import { sql } from 'drizzle-orm';
import { bigint, boolean, customType, doublePrecision, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AttachmentMeta, Delivery } from '../../shared/domain';

/** A provider's reply details of an inbound post (channels/inbound.ts `replyContext`). */
type ReplyContext = Record<string, string | string[]>;

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

const synced = {
  version: integer('version').notNull().default(1),
  rev: bigint('rev', { mode: 'number' }).notNull().default(sql`nextval('rev_seq')`),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
};

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  username: text('username').notNull(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  passwordHash: text('password_hash').notNull(),
  presence: text('presence').notNull().default('offline'),
  presenceReason: text('presence_reason'),
  presenceSince: ts('presence_since').notNull().defaultNow(),
  skills: jsonb('skills').$type<string[]>().notNull().default([]),
  capacity: integer('capacity').notNull().default(10),
  /** Tokens signed in an earlier epoch are refused (migration 5). */
  sessionEpoch: integer('session_epoch').notNull().default(0),
  /** The number that rings this user directly (migration 9). */
  extension: text('extension'),
  /** Migration 19: when routing last gave the user work. */
  lastRoutedAt: ts('last_routed_at'),
  ...synced,
});

export const queues = pgTable('queues', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull(),
  /** Migration 19: how the queue hands out work (routing/). */
  routing: text('routing').notNull().default('manual'),
  requiredSkills: jsonb('required_skills').$type<string[]>().notNull().default([]),
  offerSeconds: integer('offer_seconds').notNull().default(30),
  ...synced,
});

export const queueMembers = pgTable(
  'queue_members',
  { queueId: uuid('queue_id').notNull(), userId: uuid('user_id').notNull() },
  (t) => [primaryKey({ columns: [t.queueId, t.userId] })],
);

export const customers = pgTable('customers', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email'),
  phone: text('phone'),
  handles: jsonb('handles').$type<Record<string, string>>().notNull(),
  plan: text('plan').notNull(),
  /** Migration 18: false for a customer made from an unknown author (the plan is a placeholder). */
  planOnRecord: boolean('plan_on_record').notNull().default(true),
  lifetimeValue: doublePrecision('lifetime_value').notNull(),
  influence: doublePrecision('influence').notNull(),
  language: text('language').notNull(),
  preferredChannel: text('preferred_channel').notNull(),
  consent: boolean('consent').notNull(),
  doNotEngage: boolean('do_not_engage').notNull().default(false),
  ...synced,
});

export const devices = pgTable('devices', {
  id: text('id').primaryKey(),
  model: text('model').notNull(),
  serial: text('serial').notNull(),
  ownerId: uuid('owner_id'),
  health: text('health').notNull(),
  lastTelemetryAt: ts('last_telemetry_at'),
  tokenHash: text('token_hash').notNull(),
  ...synced,
});

export const articles = pgTable('articles', {
  id: uuid('id').primaryKey(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  tags: jsonb('tags').$type<string[]>().notNull(),
  deviceModels: jsonb('device_models').$type<string[]>().notNull(),
  source: text('source').notNull(),
  language: text('language').notNull(),
  ...synced,
});

export const cases = pgTable('cases', {
  id: uuid('id').primaryKey(),
  number: integer('number').notNull().default(sql`nextval('case_number_seq')`),
  subject: text('subject').notNull(),
  status: text('status').notNull(),
  priority: text('priority').notNull(),
  channel: text('channel').notNull(),
  customerId: uuid('customer_id'),
  deviceId: text('device_id'),
  queueId: uuid('queue_id').notNull(),
  assigneeId: uuid('assignee_id'),
  slaDueAt: ts('sla_due_at'),
  /** Migration 18: the resolution target's due time, read by the SLA watcher; syncs with the case (the console shows it). */
  resolutionDueAt: ts('resolution_due_at'),
  language: text('language').notNull(),
  sentiment: doublePrecision('sentiment'),
  tags: jsonb('tags').$type<string[]>().notNull(),
  resolution: text('resolution'),
  parts: jsonb('parts').$type<{ name: string; quantity: number }[]>().notNull().default([]),
  ...synced,
});

export const messages = pgTable('messages', {
  id: uuid('id').primaryKey(),
  caseId: uuid('case_id').notNull(),
  direction: text('direction').notNull(),
  channel: text('channel').notNull(),
  author: text('author').notNull(),
  body: text('body').notNull(),
  externalId: text('external_id'),
  attachments: jsonb('attachments').$type<AttachmentMeta[]>().notNull().default([]),
  addressed: boolean('addressed').notNull().default(true),
  delivery: jsonb('delivery').$type<Delivery>(),
  replyContext: jsonb('reply_context').$type<ReplyContext>(),
  ...synced,
});

/** The delivery queue of outbound replies (migration 11): one job per reply, written with it. */
export const deliveries = pgTable('deliveries', {
  messageId: uuid('message_id').primaryKey(),
  caseId: uuid('case_id').notNull(),
  channel: text('channel').notNull(),
  state: text('state').$type<'queued' | 'sending' | 'sent' | 'failed'>().notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: ts('next_attempt_at').notNull().defaultNow(),
  leaseUntil: ts('lease_until'),
  leasedBy: text('leased_by'),
  target: jsonb('target').$type<Record<string, unknown>>().notNull(),
  idempotencyKey: text('idempotency_key').notNull(),
  externalId: text('external_id'),
  reason: text('reason'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Where each streamed channel stopped (migration 10). */
export const channelCursors = pgTable('channel_cursors', {
  channel: text('channel').primaryKey(),
  cursor: text('cursor').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  // pg gives a Buffer, PGlite a Uint8Array: one shape for the hub.
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)),
});

/** The files that came with inbound messages (email attachments): their bytes, downloaded from the case. */
export const attachments = pgTable('attachments', {
  id: uuid('id').primaryKey(),
  messageId: uuid('message_id').notNull(),
  fileName: text('file_name').notNull(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  content: bytea('content').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const telemetry = pgTable('telemetry', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  deviceId: text('device_id').notNull(),
  metric: text('metric').notNull(),
  value: doublePrecision('value').notNull(),
  ts: ts('ts').notNull(),
  receivedAt: ts('received_at').notNull().defaultNow(),
});

export const deviceRules = pgTable('device_rules', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  deviceId: text('device_id'),
  metric: text('metric').notNull(),
  operator: text('operator').notNull(),
  threshold: doublePrecision('threshold').notNull(),
  consecutive: integer('consecutive').notNull(),
  queueId: uuid('queue_id').notNull(),
  priority: text('priority').notNull(),
  enabled: boolean('enabled').notNull(),
});

export const ruleState = pgTable(
  'rule_state',
  {
    ruleId: uuid('rule_id').notNull(),
    deviceId: text('device_id').notNull(),
    streak: integer('streak').notNull(),
    openCaseId: uuid('open_case_id'),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.deviceId] })],
);

export const alerts = pgTable('alerts', {
  id: uuid('id').primaryKey(),
  deviceId: text('device_id').notNull(),
  ruleId: text('rule_id').notNull(),
  caseId: uuid('case_id').notNull(),
  metric: text('metric').notNull(),
  value: doublePrecision('value').notNull(),
  message: text('message').notNull(),
  at: ts('at').notNull().defaultNow(),
});

export const mentions = pgTable('mentions', {
  id: uuid('id').primaryKey(),
  channel: text('channel').notNull(),
  author: text('author').notNull(),
  body: text('body').notNull(),
  externalId: text('external_id').notNull(),
  language: text('language').notNull(),
  at: ts('at').notNull().defaultNow(),
  status: text('status').notNull().default('new'),
  customerId: uuid('customer_id'),
  url: text('url'),
  inReplyTo: text('in_reply_to'),
  addressed: boolean('addressed').notNull().default(true),
  sentiment: doublePrecision('sentiment'),
  replyContext: jsonb('reply_context').$type<ReplyContext>(),
  queueId: uuid('queue_id'),
  caseId: uuid('case_id'),
  ...synced,
});

/** A handle or address (normalised) on a channel → its customer (migration 7). */
export const customerIdentities = pgTable(
  'customer_identities',
  {
    channel: text('channel').notNull(),
    value: text('value').notNull(),
    customerId: uuid('customer_id').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.value] })],
);

/** The provider's conversation an inbound message belongs to (an X DM conversation…): the next one joins its case. */
export const messageThreads = pgTable('message_threads', {
  messageId: uuid('message_id').primaryKey(),
  channel: text('channel').notNull(),
  threadRef: text('thread_ref').notNull(),
});

/** Which queue opens the cases of a channel. */
export const channelQueues = pgTable('channel_queues', {
  channel: text('channel').primaryKey(),
  queueId: uuid('queue_id').notNull(),
});

export const mutations = pgTable('mutations', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull(),
  kind: text('kind').notNull(),
  entityId: text('entity_id').notNull(),
  result: jsonb('result').notNull(),
  receivedAt: ts('received_at').notNull().defaultNow(),
});

/** Which fields each version of a case changed: the base of field-level merge. */
export const caseChanges = pgTable(
  'case_changes',
  {
    caseId: uuid('case_id').notNull(),
    version: integer('version').notNull(),
    fields: jsonb('fields').$type<Record<string, unknown>>().notNull(),
    userId: uuid('user_id'),
    changedAt: ts('changed_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.version] })],
);

export const revokedTokens = pgTable('revoked_tokens', {
  jti: uuid('jti').primaryKey(),
  expiresAt: ts('expires_at').notNull(),
});

export const loginFailures = pgTable(
  'login_failures',
  {
    username: text('username').notNull(),
    ip: text('ip').notNull(),
    failures: integer('failures').notNull(),
    lastFailedAt: ts('last_failed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.username, t.ip] })],
);

export const caseMoves = pgTable(
  'case_moves',
  {
    caseId: uuid('case_id').notNull(),
    rev: bigint('rev', { mode: 'number' }).notNull(),
    fromQueue: uuid('from_queue').notNull(),
    fromAssignee: uuid('from_assignee'),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.rev] })],
);

/** Which queue answers each of the brand's phone numbers (migration 9). */
export const phoneNumbers = pgTable('phone_numbers', {
  number: text('number').primaryKey(),
  queueId: uuid('queue_id').notNull(),
});

/** Every call the phone provider reported: repeated status callbacks change nothing. */
export const calls = pgTable('calls', {
  callSid: text('call_sid').primaryKey(),
  fromNumber: text('from_number').notNull(),
  toNumber: text('to_number').notNull(),
  status: text('status').notNull(),
  startedAt: ts('started_at').notNull().defaultNow(),
  endedAt: ts('ended_at'),
  duration: integer('duration'),
  caseId: uuid('case_id'),
  /** Migration 21: the agent on the call (repos/live-calls.ts), from its answer until its release. */
  answeredBy: uuid('answered_by'),
  answeredAt: ts('answered_at'),
  releasedAt: ts('released_at'),
});

/** Who changed what (migration 12); append-only. */
export const auditLog = pgTable('audit_log', {
  id: uuid('id').primaryKey(),
  at: ts('at').notNull().defaultNow(),
  actorId: uuid('actor_id'),
  action: text('action').notNull(),
  entity: text('entity').notNull(),
  entityId: text('entity_id').notNull(),
  before: jsonb('before'),
  after: jsonb('after'),
  reason: text('reason'),
});

export const surgeAlerts = pgTable('surge_alerts', {
  id: uuid('id').primaryKey(),
  keyKind: text('key_kind').notNull(),
  key: text('key').notNull(),
  windowStart: ts('window_start').notNull(),
  windowMinutes: integer('window_minutes').notNull(),
  bucket: bigint('bucket', { mode: 'number' }).notNull(),
  count: integer('count').notNull(),
  usual: doublePrecision('usual').notNull(),
  sample: jsonb('sample').notNull(),
  caseIds: jsonb('case_ids').$type<string[]>().notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** A sign-in's refresh tokens (migration 16, auth/refresh-tokens.ts). */
export const refreshFamilies = pgTable('refresh_families', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull(),
  epoch: integer('epoch').notNull(),
  signedInAt: ts('signed_in_at').notNull(),
  rotationKey: text('rotation_key').notNull(),
  accessJti: uuid('access_jti'),
  accessExpiresAt: ts('access_expires_at'),
  revokedAt: ts('revoked_at'),
  revokedReason: text('revoked_reason'),
});

export const refreshTokens = pgTable('refresh_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  familyId: uuid('family_id').notNull(),
  createdAt: ts('created_at').notNull(),
  expiresAt: ts('expires_at').notNull(),
  usedAt: ts('used_at'),
});

/** The brand's rules document (migration 17, rules/store.ts). */
export const rulesDocuments = pgTable('rules_documents', {
  brand: text('brand').primaryKey(),
  format: text('format').notNull(),
  source: text('source').notNull(),
  version: integer('version').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
});

export const deviceRuleStates = pgTable('device_rule_states', {
  deviceId: text('device_id').primaryKey(),
  state: jsonb('state').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const ruleOpenCases = pgTable(
  'rule_open_cases',
  {
    ruleId: text('rule_id').notNull(),
    subjectKey: text('subject_key').notNull(),
    caseId: uuid('case_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.subjectKey] })],
);

export const ruleFirings = pgTable('rule_firings', {
  id: uuid('id').primaryKey(),
  ruleId: text('rule_id').notNull(),
  ruleName: text('rule_name').notNull(),
  kind: text('kind').notNull(),
  deviceId: text('device_id'),
  messageId: uuid('message_id'),
  customerId: uuid('customer_id'),
  caseId: uuid('case_id'),
  outcome: text('outcome').notNull(),
  because: text('because').notNull(),
  readings: jsonb('readings').notNull(),
  actions: jsonb('actions').notNull(),
  at: ts('at').notNull().defaultNow(),
});

/** SLA policies per plan and 'default' (migration 18, sla/policies.ts); `policy` is a SlaPolicy. */
export const slaPolicies = pgTable('sla_policies', {
  plan: text('plan').primaryKey(),
  policy: jsonb('policy').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
  updatedBy: uuid('updated_by'),
});

/** A queue's business calendar for the SLA clock (migration 18). */
export const slaQueueCalendars = pgTable('sla_queue_calendars', {
  queueId: uuid('queue_id').primaryKey(),
  calendar: jsonb('calendar').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Per-incident support used, one row per case (migration 18, sla/entitlement.ts). */
export const supportIncidents = pgTable('support_incidents', {
  caseId: uuid('case_id').primaryKey(),
  customerId: uuid('customer_id').notNull(),
  at: ts('at').notNull().defaultNow(),
});

/** SLA warnings and breaches (migration 18, sla/watch.ts). */
export const slaEvents = pgTable('sla_events', {
  id: uuid('id').primaryKey(),
  caseId: uuid('case_id').notNull(),
  target: text('target').notNull(),
  kind: text('kind').notNull(),
  dueAt: ts('due_at').notNull(),
  assigneeId: uuid('assignee_id'),
  at: ts('at').notNull().defaultNow(),
});

/** A case offered to one agent (migration 19, routing/). */
export const caseOffers = pgTable('case_offers', {
  caseId: uuid('case_id').primaryKey(),
  userId: uuid('user_id').notNull(),
  offeredAt: ts('offered_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
});

export const caseOfferRefusals = pgTable(
  'case_offer_refusals',
  { caseId: uuid('case_id').notNull(), userId: uuid('user_id').notNull(), reason: text('reason').notNull(), at: ts('at').notNull().defaultNow() },
  (t) => [primaryKey({ columns: [t.caseId, t.userId] })],
);
