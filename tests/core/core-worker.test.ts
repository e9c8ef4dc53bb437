/**
 * The console core in its worker thread (as both shells run it) against a
 * real demo hub: calls and events across the thread boundary, the SecretBox
 * answered on this thread, start-up failures as the core's own errors, a
 * clean close, and a thread that dies answering `unavailable`, never hanging.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import { CacheKeyError, type CoreEndpoint, CoreError, createConsoleCore, dispatch, type SecretBox, startConsoleCoreInWorker, type WorkerCoreEndpoint, type WorkerCoreOptions } from '../../src/main/core';
import { CACHE_FILE, CACHE_KEY_FILE } from '../../src/main/core/cache';
import type { ApiEventName, ApiEvents, ApiHandlers, ApiInput, ApiMethod, ApiOutput } from '../../src/shared/api';
import { startTcpProxy } from '../support/tcp-proxy';
import { tempDir } from './fixtures';
import { hubCases, hubToken, startDemoHub } from './hub-fixture';

async function ok<M extends ApiMethod>(core: CoreEndpoint, method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const result = await core.call(method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value as ApiOutput<M>;
}

/** Resolves with the first `name` event (on this thread) that `match` accepts. */
function nextEvent<E extends ApiEventName>(core: CoreEndpoint, name: E, match: (payload: ApiEvents[E]) => boolean = () => true): Promise<ApiEvents[E]> {
  return new Promise((resolve) => {
    const off = core.events.on(name, (payload) => {
      if (!match(payload)) return;
      off();
      resolve(payload);
    });
  });
}

const MARK = 'sealed-by-the-test-box:';

/** A stand-in keychain that notes the thread of every call and seals recognisably (MARK + the bytes reversed). */
function recordingBox() {
  const calls: { op: 'seal' | 'open'; thread: number; text: string }[] = [];
  const box: SecretBox = {
    seal(plain) {
      calls.push({ op: 'seal', thread: threadId, text: plain });
      return MARK + Buffer.from(plain).reverse().toString('base64');
    },
    open(sealed) {
      calls.push({ op: 'open', thread: threadId, text: sealed });
      if (!sealed.startsWith(MARK)) throw new Error('not sealed by this box');
      return Buffer.from(sealed.slice(MARK.length), 'base64').reverse().toString();
    },
  };
  return { box, calls };
}

describe('the console core in a worker thread', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  const running: WorkerCoreEndpoint[] = [];
  const dataDir = (name: string) => join(dir.path, name);

  /** A core in its worker on `name`'s data folder, closed after the test. */
  async function start(name: string, opts: Partial<WorkerCoreOptions> = {}): Promise<WorkerCoreEndpoint> {
    const core = await startConsoleCoreInWorker({ dataDir: dataDir(name), hubUrl: hub.url, retryBaseMs: 50, resyncIntervalMs: 3_600_000, ...opts });
    running.push(core);
    return core;
  }

  beforeAll(async () => {
    dir = await tempDir('switchboard-core-worker-');
    hub = await startDemoHub(dir.path);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((core) => core.close()));
  });
  afterAll(async () => {
    await hub?.close();
    await dir?.remove();
  });

  it('answers calls through the thread: a sign-in, and cases.list lists what the hub shows', async () => {
    const core = await start('round-trip');
    expect(await core.call('session.current', {})).toEqual({ ok: true, value: null });
    const session = await ok(core, 'session.login', { username: 'ana', password: 'demo' });
    expect(session).toMatchObject({ hubUrl: hub.url, user: { username: 'ana' } });

    const fromHub = await hubCases(hub.url, await hubToken(hub.url, 'ana'));
    const cached = await ok(core, 'cases.list', { limit: 10_000 });
    expect(fromHub.length).toBeGreaterThan(0);
    expect(cached.total).toBe(fromHub.length);
    expect(cached.items.map((c) => c.id).sort()).toEqual(fromHub.map((c) => c.id).sort());
  });

  it('answers invalid input and unknown methods exactly as dispatch() in this thread does', async () => {
    const core = await start('invalid-input');
    // dispatch() refuses these before any handler runs.
    const inProcess = (method: unknown, input: unknown) => dispatch({} as ApiHandlers, method, input);
    for (const [method, input] of [
      ['cases.get', { id: 'not-a-uuid' }],
      ['cases.list', { limit: -1 }],
      ['session.login', 'ana'],
      ['fs.readFile', {}],
    ] as const) {
      const answered = await core.call(method, input);
      expect(answered).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
      expect(answered).toEqual(await inProcess(method, input));
    }
  });

  it('brings the core’s API events to this thread', async () => {
    const core = await start('events');
    const signedIn = nextEvent(core, 'session:changed', ({ user }) => user?.username === 'ana');
    const online = nextEvent(core, 'connection:changed', ({ state }) => state === 'online');
    const casesChanged = nextEvent(core, 'cases:changed');
    const synced = nextEvent(core, 'sync:changed', (status) => status.cachedCases > 0);
    await ok(core, 'session.login', { username: 'ana', password: 'demo' });
    expect((await signedIn).user).toMatchObject({ username: 'ana' });
    expect(await online).toEqual({ state: 'online' });
    expect((await casesChanged).ids).toBeInstanceOf(Array);
    expect((await synced).cachedCases).toBeGreaterThan(0);
  });

  it('seals and opens with the SecretBox on this thread: the cache key and the token, which a restarted core opens', async () => {
    const { box, calls } = recordingBox();
    const first = await start('sealed', { secrets: box });
    await ok(first, 'session.login', { username: 'ana', password: 'demo' });
    const { total } = await ok(first, 'cases.list', { limit: 1 });
    await first.close();

    const keyFile = JSON.parse(readFileSync(join(dataDir('sealed'), CACHE_KEY_FILE), 'utf8')) as { sealed: boolean; key: string };
    expect(keyFile.sealed).toBe(true);
    expect(keyFile.key.startsWith(MARK)).toBe(true);
    const sealed = calls.filter((c) => c.op === 'seal');
    expect(sealed.some((c) => c.text.includes('"token"'))).toBe(true);
    expect(sealed.length).toBeGreaterThanOrEqual(2);

    calls.length = 0;
    const again = await start('sealed', { secrets: box });
    expect(await ok(again, 'session.current', {})).toMatchObject({ user: { username: 'ana' } });
    expect((await ok(again, 'cases.list', { limit: 1 })).total).toBe(total);
    const opened = calls.filter((c) => c.op === 'open');
    // The key file and the stored token, both sealed by this box.
    expect(opened.length).toBeGreaterThanOrEqual(2);
    expect(opened.every((c) => c.text.startsWith(MARK))).toBe(true);

    for (const call of [...sealed, ...opened]) expect(call.thread).toBe(threadId);
  });

  it('throws the box’s error in the worker, with its message', async () => {
    const keychain = recordingBox();
    await (await start('box-throws', { secrets: keychain.box })).close();
    const locked: SecretBox = {
      seal: keychain.box.seal,
      open() {
        throw new Error('the keychain is locked');
      },
    };
    const file = join(dataDir('box-throws'), CACHE_KEY_FILE);
    // cache/key.ts wraps what the box threw: the message has come back from this thread to the worker, and back.
    const unsealing = start('box-throws', { secrets: locked });
    await expect(unsealing).rejects.toThrow(CacheKeyError);
    await expect(unsealing).rejects.toThrow(`the keychain could not unseal the cache key in ${file}: the keychain is locked`);

    const refusing: SecretBox = {
      seal() {
        throw new Error('the keychain refused to seal');
      },
      open: keychain.box.open,
    };
    const sealing = start('box-refuses', { secrets: refusing });
    await expect(sealing).rejects.toThrow(new Error('the keychain refused to seal'));
  });

  it('fails to start with the core’s own error: a cache whose key was replaced, a refused hub', async () => {
    await (await start('replaced-key')).close();
    writeFileSync(join(dataDir('replaced-key'), CACHE_KEY_FILE), JSON.stringify({ version: 1, sealed: false, key: randomBytes(32).toString('base64') }));
    const inThisThread = await createConsoleCore({ dataDir: dataDir('replaced-key') }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(inThisThread).toBeInstanceOf(CacheKeyError);

    const inWorker = await start('replaced-key').then(
      () => null,
      (error: unknown) => error,
    );
    expect(inWorker).toBeInstanceOf(CacheKeyError);
    expect((inWorker as Error).message).toBe((inThisThread as Error).message);

    const refused = await start('refused-hub', { hubUrl: 'http://10.0.0.5:4710' }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(CoreError);
    expect(refused).toMatchObject({ code: 'invalid_input' });
  });

  it('close() closes the cache: its write-ahead log folded in, and another worker opens it', async () => {
    const first = await start('close');
    await ok(first, 'session.login', { username: 'ana', password: 'demo' });
    const { total } = await ok(first, 'cases.list', { limit: 1 });
    expect(existsSync(join(dataDir('close'), `${CACHE_FILE}-wal`))).toBe(true);
    await first.close();
    // SQLite removes the log when the last connection closes cleanly.
    expect(existsSync(join(dataDir('close'), `${CACHE_FILE}-wal`))).toBe(false);
    expect(await first.call('session.current', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });

    const second = await start('close');
    expect(await ok(second, 'session.current', {})).toMatchObject({ user: { username: 'ana' } });
    expect((await ok(second, 'cases.list', { limit: 1 })).total).toBe(total);
  });

  it('answers unavailable when the thread dies: the call in flight and every later one, and says so in the log', async () => {
    const proxy = await startTcpProxy(hub.url);
    try {
      const lines: string[] = [];
      const core = await start('crash', { hubUrl: proxy.url, log: (line) => lines.push(line) });
      const held = proxy.holdRequest('POST /api/auth/login');
      const inFlight = core.call('session.login', { username: 'ana', password: 'demo' });
      await held.holding;
      await core.terminate();
      expect(await inFlight).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringMatching(/thread stopped/) } });
      expect(await core.call('session.current', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect(lines.some((line) => /console core's thread stopped/.test(line))).toBe(true);
      held.release();
    } finally {
      await proxy.close();
    }
  });
});
