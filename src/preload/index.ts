/**
 * The sandboxed preload: exposes the console API as two named functions.
 * Never the raw ipcRenderer; only the contract's channels and event names.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_EVENT_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type ApiEventName, type ConsoleApi } from '../shared/api';

const listeners = new Map<ApiEventName, Set<(payload: unknown) => void>>();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: IpcRendererEvent, name: ApiEventName, payload: unknown) => {
  for (const listener of listeners.get(name) ?? []) listener(payload);
});

const api: ConsoleApi = {
  call: (method, input) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, method, input),
  on(event, listener) {
    if (!(API_EVENT_NAMES as readonly string[]).includes(event)) throw new Error(`unknown event ${String(event)}`);
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => void set.delete(wrapped);
  },
};

contextBridge.exposeInMainWorld('switchboard', api);
