/**
 * The browser shell's transport: socket.io to the console core on loopback,
 * authenticated by the per-launch secret the shell printed in the URL fragment.
 */
import { io } from 'socket.io-client';
import type { ApiEventName, ApiEvents, ApiResult, ConsoleApi } from '../../../shared/api';
import { BRIDGE_CALL_EVENT, BRIDGE_PATH, BRIDGE_PUSH_EVENT, BRIDGE_SECRET_PARAM } from '../../../shared/bridge';

const STORAGE_KEY = 'switchboard.bridgeSecret';
/** Login waits for the hub and the first pull; anything slower means the core is stuck. */
const CALL_TIMEOUT_MS = 60_000;

/**
 * Takes the secret from the URL fragment once, keeps it for reloads of this tab
 * only (sessionStorage), and removes it from the address bar and history.
 */
export function readBridgeSecret(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get(BRIDGE_SECRET_PARAM);
  if (fromHash) {
    sessionStorage.setItem(STORAGE_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? '';
}

const unavailable = (message: string): ApiResult<never> => ({ ok: false, error: { code: 'unavailable', message } });

export function createBridgeApi(): ConsoleApi {
  const secret = readBridgeSecret();
  const socket = io({ path: BRIDGE_PATH, auth: { secret }, transports: ['websocket'] });
  const refusal = unavailable(
    secret
      ? 'The console refused this page: its launch secret has changed. Open the address the console printed.'
      : 'This page has no launch secret. Open the address the console printed.',
  );
  let refused = false;
  const pending = new Set<(result: ApiResult<never>) => void>();
  socket.on('connect', () => (refused = false));
  socket.on('connect_error', () => {
    // A handshake the shell refused (missing or wrong secret) is final — socket.io
    // does not retry it — so waiting calls fail now instead of at the timeout.
    if (socket.active) return;
    refused = true;
    for (const resolve of pending) resolve(refusal);
    pending.clear();
  });

  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  socket.on(BRIDGE_PUSH_EVENT, (name: string, payload: unknown) => {
    for (const listener of listeners.get(name) ?? []) {
      try {
        listener(payload);
      } catch (error) {
        console.error(`switchboard: a ${name} listener failed`, error);
      }
    }
  });

  return {
    call(method, input) {
      if (refused) return Promise.resolve(refusal);
      return new Promise((resolve) => {
        const settle = (result: ApiResult<never>) => {
          pending.delete(settle);
          resolve(result);
        };
        pending.add(settle);
        socket.timeout(CALL_TIMEOUT_MS).emit(BRIDGE_CALL_EVENT, method, input, (error: Error | null, result: ApiResult<never>) => {
          if (pending.has(settle)) settle(error ? unavailable('The console core did not answer.') : result);
        });
      });
    },
    on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => void set.delete(wrapped);
    },
  };
}
