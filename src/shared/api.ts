/**
 * The console API contract: every call the renderer can make into the console
 * core, and every event the core pushes back. Electron (preload + IPC), the
 * browser shell's loopback bridge and the headless core are all typed from
 * this one file. Inputs are validated with these schemas on the core side.
 */
import { z } from 'zod';
import type { Wording } from './wording';
import type { Alert, Article, Case, Customer, Device, Mention, Message, Queue, User } from './domain';
import { BodySchema, CaseStatusSchema, ChannelSchema, DeviceIdSchema, IdSchema, LanguageSchema, MentionStatusSchema, PrioritySchema, SubjectSchema, TagsSchema } from './domain';
import { type AgentStats, type CallGone, type CallOffered, type CaseField, CaseFieldsSchema, type CaseWatchers, WatchModeSchema, PresenceSetSchema, type PresenceState, type PresenceUpdate, type QueueStats, ReassignRequestSchema, type ReassignResponse } from './protocol';
import { type QueueRoutingView, SlaSaveInputSchema, type SlaSettings } from './protocol';
import { type Offer, type OfferGone, type QueueRouting, QueueRoutingSchema } from './routing';
import { ConsentOverrideSchema } from './replies';
import type { PriorityWhyPart } from './priority';
import type { CaseClockView } from './sla';
import { CallSidSchema, type LiveCall } from './calls';
import type { SlaAlert, SurgeAlert } from './protocol';
import { type AdminUser, MembersSchema, NewQueueSchema, NewUserSchema, QueuePatchSchema, UserPatchSchema } from './admin';
import { type AuditEntry, AuditFilterSchema, AuditReasonSchema } from './audit';
import { PlansSaveInputSchema, type PlansSettings } from './entitlements';
import { type ChannelSettings, ChannelSettingsSchema } from './channel-settings';
import { type RuleFiring, type RulesCheck, RulesDocumentInputSchema, type RulesDocumentView, RulesSaveInputSchema, type RulesSaveResult } from './rules';

export const CONNECTION_STATES = ['online', 'offline', 'reconnecting'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** A case as the queue shows it: the row plus what the list needs to display. */
export interface QueueItem extends Case {
  /** 0–100, the queue's order (src/shared/priority.ts), as of the read. */
  priorityScore: number;
  /** Why, in a line: "SLA due in 12 min · premium plan · negative sentiment" (English). */
  priorityWhy: string;
  /** The same reasons as data, for the window to say in the user's language. */
  priorityWhyParts: PriorityWhyPart[];
  customerName: string | null;
  queueName: string;
  assigneeName: string | null;
  /** This console's changes of the case the hub has not confirmed yet. */
  pendingChanges: number;
  /** Fields where the hub kept another value than the user's, waiting for a decision. */
  conflicts: number;
  /** Created here and not on the hub yet (no number until it is). */
  localOnly: boolean;
  /** The case's SLA clock by its own policy (plan, queue; src/shared/sla.ts caseSlaOf): paused in its status, warning lead, calendar. */
  sla: CaseClockView;
}

export type DraftKind = 'reply' | 'note';

/** A field the hub kept its own value of; the user's value is kept until they choose. */
export interface CaseConflict {
  id: string;
  mutationId: string;
  caseId: string;
  field: CaseField;
  yours: unknown;
  theirs: unknown;
  /** The case version the hub answered at: keeping the user's value is a change on top of it. */
  hubVersion: number;
  createdAt: string;
}

/** Something the user must be told about after a sync. */
export interface Notice {
  id: string;
  /** rejected: the hub refused a change (detail holds everything it carried); reassigned: a case left this user. */
  kind: 'rejected' | 'reassigned';
  caseId: string | null;
  /** English (logs, scripts). */
  text: string;
  /** The same as a key and parameters, for the window to word in the user's language (absent in notices from before). */
  wording?: Wording;
  detail: unknown;
  createdAt: string;
}

export interface CaseView {
  case: QueueItem;
  messages: Message[];
  customer: Customer | null;
  device: Device | null;
  /** The customer's other cases, most recent first. */
  customerCases: Pick<Case, 'id' | 'number' | 'subject' | 'status' | 'channel' | 'createdAt'>[];
  conflicts: CaseConflict[];
  /** The reply being written, as last saved. */
  draft: string | null;
  /** The internal note being written, as last saved. */
  noteDraft: string | null;
  /** Knowledge articles that fit the case, best first (from the cache: offline too). */
  articles: Article[];
}

/** A post in the mentions inbox as the list shows it. */
export interface MentionItem extends Mention {
  customerName: string | null;
  /** This console's convert/dismiss of it the hub has not confirmed yet. */
  pendingChanges: number;
}

/** A case push routing offers this agent (src/shared/routing.ts), as the offer card shows it: accept or decline before `expiresAt`. */
export interface OfferItem extends Offer {
  /** The case's customer as this console knows them (null: none, or not cached). */
  customerName: string | null;
  queueName: string | null;
  /** When this console heard of it: with `expiresAt`, how much of the time to answer is left (the countdown's ring). */
  receivedAt: string;
}

/** An attachment's bytes, fetched from the hub on demand (base64: every transport carries it, the headless JSON-RPC too). */
export interface AttachmentFile {
  fileName: string;
  contentType: string;
  size: number;
  base64: string;
}

/** A queue as the console lists it: the synced row, and whether the user works it (the hub's pull says so). */
export interface QueueView extends Queue {
  member: boolean;
}

export interface HubSetting {
  /** The hub a sign-in without an address goes to: the policy's when it fixes one, else the last session's, else the configured one. */
  hubUrl: string;
  /** Fixed by the administrator's policy: a sign-in naming another hub is refused. */
  lockedByPolicy: boolean;
}

export interface SessionInfo {
  user: User;
  hubUrl: string;
}

export interface SyncStatus {
  /** The live connection to the hub is up. */
  online: boolean;
  connection: ConnectionState;
  /** A push or pull is running. */
  syncing: boolean;
  /** Changes made here that the hub has not confirmed. */
  pending: number;
  /** Fields waiting for the user to choose between their value and the hub's. */
  conflicts: number;
  cursor: number;
  lastSyncAt: string | null;
  cachedCases: number;
  /** Knowledge articles available offline. */
  cachedArticles: number;
  /** A long pull under way: revs done of the revs to go (an estimate: not every rev is in scope). */
  progress: { done: number; total: number } | null;
  /** Why the last sync attempt failed, while it keeps failing. */
  lastError: string | null;
  /** The same as a key and parameters (src/shared/wording.ts), for the window to say in the user's language; absent when unknown. */
  lastErrorWording?: Wording | null;
}

export const apiInputs = {
  'session.login': z.object({
    hubUrl: z.url().optional(),
    username: z.string().min(1).max(100),
    password: z.string().min(1).max(1000),
  }),
  'session.current': z.object({}),
  'session.logout': z.object({}),
  /** The hub a sign-in uses when it names none, and whether the workstation's policy fixes it (the sign-in screen then shows it read-only). */
  'session.hub': z.object({}),
  'queues.list': z.object({}),
  'cases.list': z.object({
    queueId: z.uuid().optional(),
    /** A queue by id or name (for scripts; the UI sends queueId). */
    queue: z.string().min(1).max(200).optional(),
    status: z.union([CaseStatusSchema, z.literal('active')]).optional(),
    assignee: z.enum(['me', 'unassigned', 'any']).optional(),
    search: z.string().max(200).optional(),
    /** Only cases with an open conflict, whatever their status (the top bar's "N conflicts" list). */
    conflicts: z.boolean().optional(),
    limit: z.number().int().min(1).max(10_000).default(5000),
  }),
  'cases.get': z.object({ id: z.uuid() }),
  'cases.update': z.object({ id: IdSchema, fields: CaseFieldsSchema }),
  // The text rules of the push itself (src/shared/domain.ts): what the hub would refuse is refused here, at once.
  'cases.addNote': z.object({ id: IdSchema, body: z.string().trim().pipe(BodySchema) }),
  // `override`: a supervisor's reason for sending past the consent rule (src/shared/replies.ts).
  'cases.reply': z.object({ id: IdSchema, body: z.string().trim().pipe(BodySchema), channel: ChannelSchema.optional(), override: ConsentOverrideSchema.optional() }),
  /** Sends a failed reply again (its message id). */
  'messages.retry': z.object({ id: IdSchema }),
  'attachments.download': z.object({ caseId: IdSchema, attachmentId: IdSchema }),
  'mentions.list': z.object({
    status: MentionStatusSchema.optional(),
    channel: ChannelSchema.optional(),
    language: z.string().min(2).max(35).optional(),
    limit: z.number().int().min(1).max(10_000).default(2000),
  }),
  /** Into the case `caseId`, or (without it) into a new case the hub opens. */
  'mentions.convert': z.object({ id: IdSchema, caseId: IdSchema.optional() }),
  'mentions.dismiss': z.object({ id: IdSchema }),
  /** Customers whose name, email, phone or a handle contains the text (from the cache: offline too). */
  'customers.search': z.object({ query: z.string().trim().max(200), limit: z.number().int().min(1).max(100).default(20) }),
  'customers.devices': z.object({ customerId: IdSchema }),
  /** What the customer agreed to: opted in to being engaged, or asked not to be contacted (src/shared/replies.ts reads both). */
  'customers.setConsent': z
    .object({ id: IdSchema, consent: z.boolean().optional(), doNotEngage: z.boolean().optional() })
    .refine((input) => input.consent !== undefined || input.doNotEngage !== undefined, 'say what changes: consent, doNotEngage or both'),
  'cases.assign': z.object({ id: IdSchema, assigneeId: z.union([IdSchema, z.literal('me')]).nullable(), queueId: IdSchema.optional() }),
  /** Supervisors and admins: many cases to an agent and/or a queue in one atomic move on the hub (online only, never queued). */
  'cases.reassign': ReassignRequestSchema,
  'cases.create': z.object({
    subject: SubjectSchema,
    priority: PrioritySchema.default('normal'),
    channel: ChannelSchema.default('phone'),
    queueId: IdSchema,
    customerId: IdSchema.nullable().default(null),
    deviceId: DeviceIdSchema.nullable().default(null),
    language: LanguageSchema.default('en'),
    tags: TagsSchema.default([]),
    note: z.string().trim().pipe(BodySchema).optional(),
  }),
  'drafts.save': z.object({ caseId: IdSchema, body: z.string().max(20_000), kind: z.enum(['reply', 'note']).default('reply') }),
  'users.list': z.object({}),
  'articles.search': z.object({ query: z.string().trim().max(200).optional(), caseId: IdSchema.optional(), limit: z.number().int().min(1).max(100).default(10) }),
  'conflicts.list': z.object({ caseId: IdSchema.optional() }),
  'conflicts.resolve': z.object({ id: z.string().min(1).max(100), keep: z.enum(['mine', 'theirs']) }),
  'notices.list': z.object({}),
  'notices.dismiss': z.object({ id: z.string().min(1).max(100) }),
  'sync.status': z.object({}),
  'sync.now': z.object({}),
  /** The user's presence as the hub last said it (null before it has). */
  'presence.get': z.object({}),
  /** The latest queue statistics the hub sent (supervisors and admins get them); null before any came. */
  'queues.stats': z.object({}),
  /** Available, busy, away (with a reason), offline: shown at once, sent to the hub like every change. */
  'presence.set': PresenceSetSchema,
  // Admins (supervisors: the user list, presence and members): online only, the hub's word; never queued (src/main/core/admin-handlers.ts).
  'admin.users.list': z.object({}),
  'admin.users.create': NewUserSchema,
  'admin.users.update': z.object({ id: IdSchema, patch: UserPatchSchema }),
  /** Ends every session of the user on every hub (a lost laptop). */
  'admin.users.signOut': z.object({ id: IdSchema }),
  /** Sets someone else's presence, e.g. away with the reason (supervisors and admins). */
  'admin.users.setPresence': z.object({ id: IdSchema, state: PresenceSetSchema }),
  'admin.queues.create': NewQueueSchema,
  'admin.queues.update': z.object({ id: IdSchema, patch: QueuePatchSchema }),
  'admin.queues.setMembers': z.object({ id: IdSchema, userIds: MembersSchema.shape.userIds }),
  /** How every queue hands out work: push, pull or manual, offer time, required skills (admins; online only). */
  'admin.queues.routing': z.object({}),
  /** Sets one queue's (admins; audited as a queue change; push rounds follow at once). */
  'admin.queues.setRouting': z.object({ id: IdSchema, routing: QueueRoutingSchema, reason: AuditReasonSchema.optional() }),
  /** The SLA policies per plan and the queues' business calendars, as the hub keeps them (admins; online only). */
  'admin.sla.get': z.object({}),
  /** Replaces them, with an optional reason (audited `sla.update`); new cases use them at once. */
  'admin.sla.save': SlaSaveInputSchema,
  /** What each plan includes (no support, per-incident with incidents per contract year, package, premium), as the hub keeps it (admins; online only). */
  'admin.plans.get': z.object({}),
  /** Replaces it, with an optional reason (audited `plans.update`); new cases are routed by it at once. */
  'admin.plans.save': PlansSaveInputSchema,
  /** The audit log, newest first (supervisors and admins; online only). */
  'audit.list': AuditFilterSchema,
  /** The same filter as CSV text, for a download. */
  'audit.export': AuditFilterSchema,
  /** The latest agent statistics the hub sent (supervisors and admins get them); null before any came. */
  'agents.stats': z.object({}),
  /** Collision detection: the case open here (null: none) and whether a reply is being written; told to the hub, again after each reconnect. */
  'cases.watch': z.object({ caseId: IdSchema.nullable(), mode: WatchModeSchema }),
  /** The surge alerts of the last day, latest first (supervisors and admins; online only, the hub's word). */
  'surges.list': z.object({}),
  /** The hub's channel settings (brand handles, keywords, consent policy) as last heard; offline: the last known. */
  'settings.channels': z.object({}),
  /** Replaces them (admins; online only, the hub's word). */
  'admin.settings.channels.update': ChannelSettingsSchema,
  /** The brand's rules document, as the hub runs it (admins; online only). */
  'admin.rules.get': z.object({}),
  /** The hub's own validation of a document being edited (line and field of each error); nothing is saved. */
  'admin.rules.check': RulesDocumentInputSchema,
  /** Saves it: a new version, audited, applied by every hub within seconds; or its errors, nothing saved. */
  'admin.rules.save': RulesSaveInputSchema,
  /** What the rules did to a case ("Opened by rule … because …"), oldest first; online only, the hub's word. */
  'cases.firings': z.object({ id: IdSchema }),
  /** The cases push routing offers this user now (kept by the core from the live events; lapsed ones dropped), soonest to lapse first. */
  'routing.offers': z.object({}),
  /** Takes an offered case (online only, the hub's word): it is the user's at once, in the cache too. */
  'routing.accept': z.object({ caseId: IdSchema }),
  /** Turns an offer down (online only): the hub offers it to the next agent. */
  'routing.decline': z.object({ caseId: IdSchema }),
  /** "Next case" (pull queues): the best waiting case the user may take, theirs at once; null when nothing waits. Online only. */
  'routing.next': z.object({}),
  /** Answers a call ringing for the user (the screen pop; online only, the hub's word): it is theirs, and takes all their capacity until it ends. */
  'calls.answer': z.object({ callSid: CallSidSchema }),
} as const;

export type ApiMethod = keyof typeof apiInputs;
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputs)[M]>;
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof apiInputs)[M]>;

export interface ApiOutputs {
  'session.login': SessionInfo;
  'session.current': SessionInfo | null;
  'session.logout': null;
  'session.hub': HubSetting;
  'queues.list': QueueView[];
  'cases.list': { items: QueueItem[]; total: number };
  'cases.get': CaseView | null;
  'cases.update': QueueItem;
  'cases.addNote': Message;
  'cases.reply': Message;
  'messages.retry': Message;
  'attachments.download': AttachmentFile;
  'mentions.list': { items: MentionItem[]; total: number };
  /** `caseId`: the case it joins, or the id the hub gives the case it opens (it arrives after the push). */
  'mentions.convert': { mention: MentionItem; caseId: string };
  'mentions.dismiss': MentionItem;
  'customers.search': Customer[];
  'customers.devices': Device[];
  'customers.setConsent': Customer;
  'cases.assign': QueueItem;
  'cases.reassign': ReassignResponse;
  'cases.create': QueueItem;
  'drafts.save': null;
  'users.list': User[];
  'articles.search': Article[];
  'conflicts.list': CaseConflict[];
  'conflicts.resolve': null;
  'notices.list': Notice[];
  'notices.dismiss': null;
  'sync.status': SyncStatus;
  'sync.now': SyncStatus;
  'presence.get': PresenceState | null;
  'queues.stats': QueueStats[] | null;
  'presence.set': PresenceState;
  'admin.users.list': AdminUser[];
  'admin.users.create': AdminUser;
  'admin.users.update': AdminUser;
  'admin.users.signOut': null;
  'admin.users.setPresence': PresenceUpdate;
  'admin.queues.create': Queue;
  'admin.queues.update': Queue;
  'admin.queues.setMembers': { queueId: string; userIds: string[] };
  'admin.queues.routing': QueueRoutingView[];
  'admin.queues.setRouting': QueueRouting;
  'admin.sla.get': SlaSettings;
  'admin.sla.save': SlaSettings;
  'admin.plans.get': PlansSettings;
  'admin.plans.save': PlansSettings;
  /** `more`: the limit was reached, older entries match too; `names`: the users, queues and cases (`#1042`) the entries name, by id, as this console knows them. */
  'audit.list': { entries: AuditEntry[]; more: boolean; names: Record<string, string> };
  'audit.export': string;
  'agents.stats': AgentStats[] | null;
  'cases.watch': null;
  'surges.list': SurgeAlert[];
  'settings.channels': ChannelSettings;
  'admin.settings.channels.update': ChannelSettings;
  'admin.rules.get': RulesDocumentView;
  'admin.rules.check': RulesCheck;
  'admin.rules.save': RulesSaveResult;
  'cases.firings': RuleFiring[];
  'routing.offers': OfferItem[];
  'routing.accept': QueueItem;
  'routing.decline': null;
  'routing.next': QueueItem | null;
  'calls.answer': LiveCall;
}
export type ApiOutput<M extends ApiMethod> = ApiOutputs[M];

/** What every call returns across a process boundary: never a thrown error. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };
export interface ApiError {
  code: 'invalid_input' | 'unauthorized' | 'not_found' | 'unavailable' | 'internal';
  /** English, for logs and scripts. */
  message: string;
  /** The same as a key and parameters, for the renderer to word in the user's language (absent: show `message`). */
  wording?: Wording;
}

/** Events the core pushes to the renderer. */
export interface ApiEvents {
  /** Cases were added or changed in the cache (ids may be empty = "reload all"). */
  'cases:changed': { ids: string[] };
  'connection:changed': { state: ConnectionState };
  'device:alert': Alert;
  'session:changed': { user: User | null };
  /** Pending changes, conflicts, notices or the sync's progress changed. */
  'sync:changed': SyncStatus;
  /** Mentions were added or changed in the cache; `arrived`: new ones that came live (for a toast). */
  'mentions:changed': { ids: string[]; arrived: MentionItem[] };
  /** A call is ringing for this user: the screen pop. */
  'call:offered': CallOffered;
  /** A call that rang for this user was answered by a colleague, or ended: its pop closes. */
  'call:gone': CallGone;
  /** New queue statistics from the hub (supervisors and admins). */
  'queue:stats': QueueStats[];
  /** The user's presence changed (here, on another of their consoles, or by the hub as their sockets came and went). */
  'presence:changed': PresenceState;
  /** New agent statistics from the hub (supervisors and admins), with each `queue:stats`. */
  'agent:stats': AgentStats[];
  /** Who else has the watched case open (this user left out): on every change, and an empty list when the hub is out of reach. */
  'case:watchers': CaseWatchers;
  /** Arrivals on a channel or keyword far above the usual rate (supervisors and admins). */
  'surge:alert': SurgeAlert;
  /** An SLA target of a case falls due soon, or was missed (the hub's watcher): the assignee and those who oversee. */
  'sla:alert': SlaAlert;
  /** The channel settings changed (an admin saved them, here or elsewhere), or this console heard newer ones on connecting. */
  'settings:changed': ChannelSettings;
  /** What each plan includes, saved by an admin (here or elsewhere; the hub's `plans:changed`): the Plans tab shows it or warns of it. */
  'plans:changed': PlansSettings;
  /** The SLA policies, saved by an admin (here or elsewhere; the hub's `sla:changed`, to every console): the SLA tab shows them or warns of them. */
  'sla:changed': SlaSettings;
  /** Push routing offers this user a case (the offer card). */
  'offer:new': OfferItem;
  /** An offer to this user is over: accepted, declined, lapsed or withdrawn (the card leaves). */
  'offer:gone': OfferGone;
}
export type ApiEventName = keyof ApiEvents;
export const API_EVENT_NAMES = [
  'cases:changed',
  'connection:changed',
  'device:alert',
  'session:changed',
  'sync:changed',
  'mentions:changed',
  'call:offered',
  'call:gone',
  'presence:changed',
  'queue:stats',
  'agent:stats',
  'case:watchers',
  'surge:alert',
  'sla:alert',
  'settings:changed',
  'plans:changed',
  'sla:changed',
  'offer:new',
  'offer:gone',
] as const satisfies readonly ApiEventName[];

/** The handlers the core implements; also the shape the renderer calls. */
export type ApiHandlers = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutput<M>> };

/** The renderer-side client, whatever the transport. */
export interface ConsoleApi {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiResult<ApiOutput<M>>>;
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/** IPC channel names (Electron) — the one place they are spelled. */
export const IPC_INVOKE_CHANNEL = 'switchboard:invoke';
export const IPC_EVENT_CHANNEL = 'switchboard:event';

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(apiInputs, name);
}
