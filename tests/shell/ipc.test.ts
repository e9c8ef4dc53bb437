/**
 * The Electron IPC binding in plain Node: a fake ipcMain and fake windows
 * (Electron's binary is not needed), a real console core on a real SQLite file.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConsoleCore, coreEndpoint, createConsoleCore } from '../../src/main/core';
import { bindIpc, type InvokeEventLike, type IpcMainLike, type WindowLike } from '../../src/main/ipc';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../src/shared/api';
import { aCase, aQueue, tempDir } from '../core/fixtures';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(event: InvokeEventLike, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(IPC_INVOKE_CHANNEL);
    if (!handler) throw new Error('no handler');
    return handler(event, ...args);
  }
}

class FakeWindow implements WindowLike {
  readonly sent: unknown[][] = [];
  destroyed = false;
  isDestroyed = () => this.destroyed;
  webContents = { isDestroyed: () => this.destroyed, send: (...args: unknown[]) => void this.sent.push(args) };
}

const rendererDir = '/opt/switchboard/out/renderer';
const allow = { urlPrefixes: [`${pathToFileURL(rendererDir).href}/`] };

/** An invoke event from a frame at `url`; by default the window's main frame. */
function eventFrom(url: string, shape: 'main' | 'subframe' | 'detached' | 'no-frame' = 'main'): InvokeEventLike {
  const mainFrame = { url, parent: null };
  if (shape === 'no-frame') return { senderFrame: null, sender: { mainFrame } };
  if (shape === 'subframe') return { senderFrame: { url, parent: mainFrame }, sender: { mainFrame } };
  if (shape === 'detached') return { senderFrame: { url, parent: null }, sender: { mainFrame } };
  return { senderFrame: mainFrame, sender: { mainFrame } };
}
const fromRenderer = () => eventFrom(`${pathToFileURL(join(rendererDir, 'index.html')).href}#/queue`);

describe('Electron IPC binding', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let core: ConsoleCore;
  let ipc: FakeIpcMain;
  let windows: FakeWindow[];
  let unbind: () => void;

  beforeEach(async () => {
    dir = await tempDir('switchboard-ipc-');
    core = await createConsoleCore({ dataDir: dir.path, hubUrl: 'http://127.0.0.1:9' });
    ipc = new FakeIpcMain();
    windows = [new FakeWindow(), new FakeWindow()];
    unbind = bindIpc(ipc, coreEndpoint(core), () => windows, allow);
  });
  afterEach(async () => {
    unbind();
    await core.close();
    await dir.remove();
  });

  it('passes a valid call from the renderer to the core', async () => {
    const queue = aQueue({ name: 'Devices' });
    const row = aCase({ queueId: queue.id, subject: 'Engine overheating' });
    core.cache.apply('queue', queue, 1);
    core.cache.apply('case', row, row.rev);

    const result = await ipc.invoke(fromRenderer(), 'cases.list', { status: 'active' });
    expect(result).toMatchObject({ ok: true, value: { total: 1, items: [{ id: row.id, subject: 'Engine overheating', queueName: 'Devices' }] } });
    expect(await ipc.invoke(fromRenderer(), 'session.current', {})).toEqual({ ok: true, value: null });
  });

  it.each([
    ['another origin', eventFrom('https://evil.example/index.html')],
    ['a file outside the renderer', eventFrom('file:///tmp/evil.html')],
    ['a sibling folder with the same prefix', eventFrom(`${pathToFileURL(`${rendererDir}-evil`).href}/index.html`)],
    ['a subframe of the renderer', eventFrom(pathToFileURL(join(rendererDir, 'index.html')).href, 'subframe')],
    ['a frame that is not the main frame', eventFrom(pathToFileURL(join(rendererDir, 'index.html')).href, 'detached')],
    ['a destroyed frame', eventFrom(pathToFileURL(join(rendererDir, 'index.html')).href, 'no-frame')],
  ])('refuses a call from %s', async (_what, event) => {
    let reached = false;
    core.handlers['queues.list'] = async () => {
      reached = true;
      return [];
    };
    expect(await ipc.invoke(event, 'queues.list', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(reached).toBe(false);
  });

  it('accepts the dev server origin when it is the allowed one', async () => {
    unbind();
    unbind = bindIpc(ipc, coreEndpoint(core), () => windows, { urlPrefixes: ['http://localhost:5173/'] });
    expect(await ipc.invoke(eventFrom('http://localhost:5173/'), 'queues.list', {})).toEqual({ ok: true, value: [] });
    expect(await ipc.invoke(eventFrom('http://localhost:5173.evil.example/'), 'queues.list', {})).toMatchObject({ ok: false });
  });

  it('answers bad input and unknown methods with invalid_input', async () => {
    expect(await ipc.invoke(fromRenderer(), 'cases.get', { id: 'not-a-uuid' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await ipc.invoke(fromRenderer(), 'cases.list', { limit: -1 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await ipc.invoke(fromRenderer(), 'session.login', 'ana')).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await ipc.invoke(fromRenderer(), 'fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await ipc.invoke(fromRenderer(), 'toString', {})).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('turns a failing handler into an error result, never a throw', async () => {
    const result = await ipc.invoke(fromRenderer(), 'session.login', { hubUrl: 'http://127.0.0.1:9', username: 'ana', password: 'demo' });
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('forwards core events to every live window on the event channel', () => {
    windows[1]!.destroyed = true;
    core.events.emit('cases:changed', { ids: ['a', 'b'] });
    core.events.emit('connection:changed', { state: 'reconnecting' });
    expect(windows[0]!.sent).toEqual([
      [IPC_EVENT_CHANNEL, 'cases:changed', { ids: ['a', 'b'] }],
      [IPC_EVENT_CHANNEL, 'connection:changed', { state: 'reconnecting' }],
    ]);
    expect(windows[1]!.sent).toEqual([]);
  });

  it('unbinding removes the handler and stops forwarding', () => {
    unbind();
    unbind = () => undefined;
    expect(ipc.handlers.size).toBe(0);
    core.events.emit('cases:changed', { ids: [] });
    expect(windows[0]!.sent).toEqual([]);
  });
});
