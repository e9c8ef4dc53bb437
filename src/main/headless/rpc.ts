/**
 * JSON-RPC 2.0 in front of dispatch(): one newline-delimited message in, at
 * most one line out. It keeps no list of methods — any name goes to the
 * contract in src/shared/api.ts — so methods added there need nothing here.
 */
import { z } from 'zod';
import { API_EVENT_NAMES, type ApiError, type ApiEventName, type ApiEvents, type ApiHandlers, apiInputs, isApiMethod } from '../../shared/api';
import { dispatch } from '../core/dispatch';
import type { CoreEvents } from '../core/emitter';

/** The codes the JSON-RPC 2.0 specification defines. */
export const RPC_ERRORS = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
} as const;

/**
 * One fixed JSON-RPC code per ApiError code (invalid_input is the standard
 * "invalid params"; the rest are in the implementation-defined -32000 range).
 * `satisfies` makes a new ApiError code a compile error here until it is mapped.
 */
export const API_ERROR_RPC_CODES = {
  invalid_input: RPC_ERRORS.invalidParams,
  internal: -32000,
  unauthorized: -32001,
  not_found: -32002,
  unavailable: -32003,
} as const satisfies Record<ApiError['code'], number>;

/** Methods answered by this layer itself; the spec reserves the `rpc.` prefix for such extensions. */
const BUILT_IN_METHODS: Record<string, () => unknown> = {
  'rpc.methods': () => Object.keys(apiInputs),
  'rpc.events': () => [...API_EVENT_NAMES],
};

/** The method name of every pushed core event. */
export const EVENT_NOTIFICATION_METHOD = 'event';

type RpcId = string | number | null;

const RequestSchema = z.object({
  jsonrpc: z.literal('2.0'),
  method: z.string(),
  // By name only: every API input is an object, so positional (array) params are refused.
  params: z.record(z.string(), z.unknown()).optional(),
  id: z.union([z.string(), z.number(), z.null()]).optional(),
});

interface RpcErrorObject {
  code: number;
  message: string;
  data?: { code: ApiError['code']; wording?: ApiError['wording'] };
}

type RpcResponse = { jsonrpc: '2.0'; id: RpcId; result: unknown } | { jsonrpc: '2.0'; id: RpcId; error: RpcErrorObject };

type Outcome = { ok: true; value: unknown } | { ok: false; error: RpcErrorObject };

/**
 * Answers one line: a request, a notification or a batch. Resolves to the
 * response line (without its newline), or undefined when nothing is owed
 * (notifications, blank lines). Never rejects.
 */
export async function handleRpcLine(handlers: ApiHandlers, line: string): Promise<string | undefined> {
  if (line.trim() === '') return undefined;
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return serialize(failure(null, { code: RPC_ERRORS.parseError, message: 'parse error: not valid JSON' }));
  }
  if (!Array.isArray(message)) {
    const response = await answer(handlers, message);
    return response && serialize(response);
  }
  if (message.length === 0) return serialize(failure(null, { code: RPC_ERRORS.invalidRequest, message: 'invalid request: empty batch' }));
  const responses = (await Promise.all(message.map((item) => answer(handlers, item)))).filter((r) => r !== undefined);
  // A batch of notifications only is owed nothing at all, not an empty array.
  return responses.length === 0 ? undefined : serialize(responses);
}

/** The notification line for one core event. */
export function eventNotification<E extends ApiEventName>(name: E, payload: ApiEvents[E]): string {
  return JSON.stringify({ jsonrpc: '2.0', method: EVENT_NOTIFICATION_METHOD, params: { name, payload } });
}

/** Writes every core event as a notification line; returns the unsubscribe. */
export function forwardEvents(events: Pick<CoreEvents, 'on'>, write: (line: string) => void): () => void {
  const offs = API_EVENT_NAMES.map((name) => events.on(name, (payload) => write(eventNotification(name, payload))));
  return () => {
    for (const off of offs) off();
  };
}

async function answer(handlers: ApiHandlers, message: unknown): Promise<RpcResponse | undefined> {
  const request = RequestSchema.safeParse(message);
  // Spec: an invalid request is answered even without an id, since it cannot be known to be a notification.
  if (!request.success) return failure(idOf(message), { code: RPC_ERRORS.invalidRequest, message: `invalid request: ${z.prettifyError(request.error)}` });
  const { method, params, id } = request.data;
  const outcome = await call(handlers, method, params ?? {});
  if (id === undefined) return undefined;
  return outcome.ok ? { jsonrpc: '2.0', id, result: outcome.value ?? null } : failure(id, outcome.error);
}

async function call(handlers: ApiHandlers, method: string, params: Record<string, unknown>): Promise<Outcome> {
  const builtIn = Object.hasOwn(BUILT_IN_METHODS, method) ? BUILT_IN_METHODS[method] : undefined;
  if (builtIn) return { ok: true, value: builtIn() };
  if (!isApiMethod(method)) return { ok: false, error: { code: RPC_ERRORS.methodNotFound, message: `method not found: ${method}` } };
  try {
    const result = await dispatch(handlers, method, params);
    if (result.ok) return result;
    const code = Object.hasOwn(API_ERROR_RPC_CODES, result.error.code) ? API_ERROR_RPC_CODES[result.error.code] : API_ERROR_RPC_CODES.internal;
    return { ok: false, error: { code, message: result.error.message, data: { code: result.error.code, ...(result.error.wording ? { wording: result.error.wording } : {}) } } };
  } catch (error) {
    // dispatch() never throws; this only guards the transport against a broken promise.
    return { ok: false, error: { code: RPC_ERRORS.internalError, message: error instanceof Error ? error.message : String(error) } };
  }
}

function failure(id: RpcId, error: RpcErrorObject): RpcResponse {
  return { jsonrpc: '2.0', id, error };
}

/** Echoes a usable id from an invalid request so the client can still match the error. */
function idOf(message: unknown): RpcId {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return null;
  const id = (message as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

function serialize(response: RpcResponse | RpcResponse[]): string {
  try {
    return JSON.stringify(response);
  } catch (error) {
    // A result that cannot be written as JSON is still answered, as one error line.
    const id = Array.isArray(response) ? null : response.id;
    return JSON.stringify(failure(id, { code: RPC_ERRORS.internalError, message: `could not serialize the response: ${error instanceof Error ? error.message : String(error)}` }));
  }
}
