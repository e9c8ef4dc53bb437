/**
 * Binds the console API to Electron IPC: one invoke channel checked for its
 * sender (main frame of one of our pages only), one event channel out.
 * Only electron's types are imported, so this is unit-tested in plain Node.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { API_EVENT_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type ApiResult } from '../shared/api';
import type { ConsoleCore } from './core';
import { dispatch } from './core/dispatch';

export interface IpcBindingOptions {
  /** Origins our pages load from: 'file://' in production, the dev server's origin in development. */
  allowedOrigins: string[];
  /** The windows that receive core events. */
  targets: () => Pick<WebContents, 'send' | 'isDestroyed'>[];
}

function trustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>, allowed: string[]): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  const origin = url.protocol === 'file:' ? 'file://' : url.origin;
  return allowed.includes(origin);
}

export function bindIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, core: ConsoleCore, opts: IpcBindingOptions): () => void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, method: unknown, input: unknown): Promise<ApiResult<unknown>> => {
    if (!trustedSender(event, opts.allowedOrigins)) return { ok: false, error: { code: 'unauthorized', message: 'IPC from an untrusted frame' } };
    return dispatch(core.handlers, method, input);
  });
  const offs = API_EVENT_NAMES.map((name) =>
    core.events.on(name, (payload) => {
      for (const target of opts.targets()) if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, name, payload);
    }),
  );
  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    for (const off of offs) off();
  };
}
