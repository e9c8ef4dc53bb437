/** The browser shell's transport: socket.io to the console core on loopback, with the launch secret. */
import { io } from 'socket.io-client';
import type { ApiEventName, ApiEvents, ApiResult, ConsoleApi } from '../../../shared/api';
import { BRIDGE_CALL_EVENT, BRIDGE_PATH, BRIDGE_PUSH_EVENT, BRIDGE_SECRET_PARAM } from '../../../shared/bridge';

const STORAGE_KEY = 'switchboard.bridgeSecret';

/** Takes the secret from the URL fragment once, then keeps it for reloads of this tab only. */
function readSecret(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get(BRIDGE_SECRET_PARAM);
  if (fromHash) {
    sessionStorage.setItem(STORAGE_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(STORAGE_KEY) ?? '';
}

export function createBridgeApi(): ConsoleApi {
  const socket = io({ path: BRIDGE_PATH, auth: { secret: readSecret() }, transports: ['websocket'] });
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  socket.on(BRIDGE_PUSH_EVENT, (name: string, payload: unknown) => {
    for (const listener of listeners.get(name) ?? []) listener(payload);
  });
  return {
    call(method, input) {
      return new Promise((resolve) => {
        socket.timeout(60_000).emit(BRIDGE_CALL_EVENT, method, input, (error: Error | null, result: ApiResult<never>) => {
          resolve(error ? { ok: false, error: { code: 'unavailable', message: 'the console core did not answer' } } : result);
        });
      });
    },
    on<E extends ApiEventName>(event: E, listener: (payload: ApiEvents[E]) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  };
}
