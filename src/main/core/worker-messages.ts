/**
 * What crosses between the shell's main thread and the core's worker
 * (worker-host.ts, worker-entry.ts), each side checking what it receives, and
 * a start-up failure carried over as the same error class with the same message.
 */
import { MessagePort } from 'node:worker_threads';
import { z } from 'zod';
import { API_EVENT_NAMES, type ApiError } from '../../shared/api';
import { WordingSchema } from '../../shared/wording';
import { CacheKeyError, CacheTooNewError } from './cache';
import { CoreError } from './errors';

const ApiErrorCodeSchema = z.enum(['invalid_input', 'unauthorized', 'not_found', 'unavailable', 'internal']) satisfies z.ZodType<ApiError['code']>;

/** What the worker is started with: the serialisable options; the SecretBox stays on the main thread behind `secrets`. */
export const WorkerDataSchema = z.object({
  options: z.object({
    dataDir: z.string(),
    hubUrl: z.string().optional(),
    lockedHubUrl: z.string().optional(),
    allowInsecureHub: z.boolean().optional(),
    nativeBinding: z.string().optional(),
    resyncIntervalMs: z.number().optional(),
    retryBaseMs: z.number().optional(),
    pullPageSize: z.number().optional(),
  }),
  /** secret-bridge.ts's port to the main thread's SecretBox. */
  secrets: z.instanceof(MessagePort).optional(),
  /** Whether the core's log lines are posted (the host was given a `log`). */
  log: z.boolean(),
});
export type WorkerData = z.infer<typeof WorkerDataSchema>;

export const HostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id: z.number().int(), method: z.unknown(), input: z.unknown() }),
  z.object({ type: z.literal('close') }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

export const StartFailureSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('CacheKeyError'), message: z.string(), stack: z.string().optional() }),
  z.object({ kind: z.literal('CacheTooNewError'), message: z.string(), stack: z.string().optional(), found: z.number(), known: z.number() }),
  z.object({ kind: z.literal('CoreError'), message: z.string(), stack: z.string().optional(), code: ApiErrorCodeSchema, status: z.number().optional(), wording: WordingSchema.optional() }),
  z.object({ kind: z.literal('Error'), message: z.string(), stack: z.string().optional() }),
]);
export type StartFailure = z.infer<typeof StartFailureSchema>;

// An event's payload and a result's value are the core's own output, checked where they were made; here only their envelope.
export const WorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('failed'), error: StartFailureSchema }),
  z.object({
    type: z.literal('result'),
    id: z.number().int(),
    result: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: z.object({ code: ApiErrorCodeSchema, message: z.string(), wording: WordingSchema.optional() }) }),
    ]),
  }),
  z.object({ type: z.literal('event'), name: z.enum(API_EVENT_NAMES), payload: z.unknown() }),
  z.object({ type: z.literal('log'), message: z.string() }),
  z.object({ type: z.literal('closed') }),
]);
export type WorkerMessage = z.infer<typeof WorkerMessageSchema>;

/** In the worker: the error that stopped the start, as data. */
export function describeFailure(error: unknown): StartFailure {
  if (!(error instanceof Error)) return { kind: 'Error', message: String(error) };
  const { message, stack } = error;
  if (error instanceof CacheKeyError) return { kind: 'CacheKeyError', message, stack };
  if (error instanceof CacheTooNewError) return { kind: 'CacheTooNewError', message, stack, found: error.found, known: error.known };
  if (error instanceof CoreError) return { kind: 'CoreError', message, stack, code: error.code, status: error.status, wording: error.wording };
  return { kind: 'Error', message, stack };
}

/** On the main thread: the same class (the Electron shell checks `instanceof CacheKeyError`), the same message, the worker's stack. */
export function reviveFailure(failure: StartFailure): Error {
  const error =
    failure.kind === 'CacheKeyError'
      ? new CacheKeyError(failure.message)
      : failure.kind === 'CacheTooNewError'
        ? new CacheTooNewError(failure.found, failure.known)
        : failure.kind === 'CoreError'
          ? new CoreError(failure.code, failure.message, failure.status, failure.wording)
          : new Error(failure.message);
  if (failure.stack) error.stack = failure.stack;
  return error;
}
