/**
 * The console API contract: every call the renderer can make into the console
 * core, and every event the core pushes back. Electron (preload + IPC), the
 * browser shell's loopback bridge and the headless core are all typed from
 * this one file. Inputs are validated with these schemas on the core side.
 */
import { z } from 'zod';
import type { Alert, Case, Customer, Device, Message, Queue, User } from './domain';
import { CaseStatusSchema } from './domain';

export const CONNECTION_STATES = ['online', 'offline', 'reconnecting'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

/** A case as the queue shows it: the row plus what the list needs to display. */
export interface QueueItem extends Case {
  customerName: string | null;
  queueName: string;
  assigneeName: string | null;
}

export interface CaseView {
  case: QueueItem;
  messages: Message[];
  customer: Customer | null;
  device: Device | null;
  /** The customer's other cases, most recent first. */
  customerCases: Pick<Case, 'id' | 'number' | 'subject' | 'status' | 'channel' | 'createdAt'>[];
}

export interface SessionInfo {
  user: User;
  hubUrl: string;
}

export interface SyncStatus {
  connection: ConnectionState;
  cursor: number;
  lastSyncAt: string | null;
  cachedCases: number;
}

export const apiInputs = {
  'session.login': z.object({
    hubUrl: z.url().optional(),
    username: z.string().min(1).max(100),
    password: z.string().min(1).max(1000),
  }),
  'session.current': z.object({}),
  'session.logout': z.object({}),
  'queues.list': z.object({}),
  'cases.list': z.object({
    queueId: z.uuid().optional(),
    status: z.union([CaseStatusSchema, z.literal('active')]).optional(),
    assignee: z.enum(['me', 'unassigned', 'any']).optional(),
    search: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(10_000).default(5000),
  }),
  'cases.get': z.object({ id: z.uuid() }),
  'sync.status': z.object({}),
  'sync.now': z.object({}),
} as const;

export type ApiMethod = keyof typeof apiInputs;
export type ApiInput<M extends ApiMethod> = z.input<(typeof apiInputs)[M]>;
export type ApiParsedInput<M extends ApiMethod> = z.output<(typeof apiInputs)[M]>;

export interface ApiOutputs {
  'session.login': SessionInfo;
  'session.current': SessionInfo | null;
  'session.logout': null;
  'queues.list': Queue[];
  'cases.list': { items: QueueItem[]; total: number };
  'cases.get': CaseView | null;
  'sync.status': SyncStatus;
  'sync.now': SyncStatus;
}
export type ApiOutput<M extends ApiMethod> = ApiOutputs[M];

/** What every call returns across a process boundary: never a thrown error. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };
export interface ApiError {
  code: 'invalid_input' | 'unauthorized' | 'not_found' | 'unavailable' | 'internal';
  message: string;
}

/** Events the core pushes to the renderer. */
export interface ApiEvents {
  /** Cases were added or changed in the cache (ids may be empty = "reload all"). */
  'cases:changed': { ids: string[] };
  'connection:changed': { state: ConnectionState };
  'device:alert': Alert;
  'session:changed': { user: User | null };
}
export type ApiEventName = keyof ApiEvents;
export const API_EVENT_NAMES = ['cases:changed', 'connection:changed', 'device:alert', 'session:changed'] as const satisfies readonly ApiEventName[];

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
