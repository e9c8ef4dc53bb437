/**
 * Electron's IPC binding of the console core: one invoke channel into the
 * core's dispatch() (in its worker thread) and one event channel out to the
 * windows. Only types come from electron, so this file is unit-tested in
 * plain Node with a fake ipcMain.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { API_EVENT_NAMES, type ApiResult, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../shared/api';
import type { CoreEndpoint } from './core';

/** The parts of an invoke event the sender check reads (Electron's IpcMainInvokeEvent fits). */
export interface InvokeEventLike {
  senderFrame: { url: string; parent: unknown } | null;
  sender: { mainFrame: unknown };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface WindowLike {
  isDestroyed(): boolean;
  webContents: { isDestroyed(): boolean; send(channel: string, ...args: unknown[]): void };
}

/**
 * Where the renderer may be loaded from: URL prefixes such as the built
 * renderer's folder (`file:///…/out/renderer/`) or the dev server (`http://localhost:5173/`).
 */
export interface SenderAllowList {
  urlPrefixes: string[];
}

/** Fails to compile if Electron's real objects stop fitting the structural types above. */
type Assert<T extends true> = T;
export type ElectronFits = Assert<IpcMain extends IpcMainLike ? (IpcMainInvokeEvent extends InvokeEventLike ? true : false) : false>;

export function isAllowedSender(event: InvokeEventLike, allow: SenderAllowList): boolean {
  const frame = event.senderFrame;
  // Only the top frame of our own page: never an iframe, never a navigated-away or destroyed frame.
  if (!frame || frame.parent !== null || frame !== event.sender.mainFrame) return false;
  let url: string;
  try {
    url = new URL(frame.url).href;
  } catch {
    return false;
  }
  return allow.urlPrefixes.some((prefix) => prefix.endsWith('/') && url.startsWith(prefix));
}

/** Binds the core to IPC; returns the unbind. */
export function bindIpc(ipc: IpcMainLike, core: Pick<CoreEndpoint, 'call' | 'events'>, getWindows: () => WindowLike[], allow: SenderAllowList): () => void {
  ipc.handle(IPC_INVOKE_CHANNEL, async (event, method, input): Promise<ApiResult<unknown>> => {
    if (!isAllowedSender(event, allow)) return { ok: false, error: { code: 'unauthorized', message: 'IPC from an unexpected frame refused' } };
    return core.call(method, input);
  });

  const unsubscribe = API_EVENT_NAMES.map((name) =>
    core.events.on(name, (payload) => {
      for (const window of getWindows()) {
        if (!window.isDestroyed() && !window.webContents.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, name, payload);
      }
    }),
  );

  return () => {
    ipc.removeHandler(IPC_INVOKE_CHANNEL);
    for (const off of unsubscribe) off();
  };
}
