/**
 * The sandboxed preload: exposes the console API (ConsoleApi from
 * src/shared/api.ts) as `window.switchboard` with two functions. Never the
 * raw ipcRenderer: only the contract's two channels and its event names.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_EVENT_NAMES, type ApiEventName, type ConsoleApi, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/api';

const known = new Set<string>(API_EVENT_NAMES);
const listeners = new Map<ApiEventName, Set<(payload: unknown) => void>>();

// One IPC listener for all events, so page code never touches an IpcRendererEvent.
ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string' || !known.has(name)) return;
  for (const listener of listeners.get(name as ApiEventName) ?? []) {
    try {
      listener(payload);
    } catch (error) {
      console.error(`switchboard: a ${name} listener failed`, error);
    }
  }
});

const api: ConsoleApi = {
  call: (method, input) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, input),
  on(event, listener) {
    if (!known.has(event)) throw new Error(`unknown event ${String(event)}`);
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => void set.delete(wrapped);
  },
};

contextBridge.exposeInMainWorld('switchboard', api);
