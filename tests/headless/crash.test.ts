/**
 * Crash safety: a headless console killed with SIGKILL in the middle of a
 * batch of writes loses none it acknowledged, keeps a sound cache, and on
 * restart sends them all to the hub exactly once.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import type { Message } from '../../src/shared/domain';
import type { QueueItem, SyncStatus } from '../../src/shared/api';
import { openCacheFile, tempDir } from '../core/fixtures';
import { hubCases, hubToken, startDemoHub, waitFor } from '../core/hub-fixture';
import { hubCase } from '../core/console-fixture';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { HeadlessConsole } from './headless-process';

describe('headless console killed mid-write', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let proxy: TcpProxy;
  const running: HeadlessConsole[] = [];
  const start = (extra: string[] = [], data = 'console') => {
    const cli = new HeadlessConsole(['--hub', proxy.url, '--data', join(dir.path, data), ...extra]);
    running.push(cli);
    return cli;
  };

  beforeAll(async () => {
    dir = await tempDir('switchboard-crash-');
    hub = await startDemoHub(dir.path);
    proxy = await startTcpProxy(hub.url);
  });
  afterAll(async () => {
    for (const cli of running) cli.kill();
    await proxy?.close();
    await hub?.close();
    await dir?.remove();
  });

  for (const [name, online] of [
    ['offline (mid-write)', false],
    ['online (mid-push)', true],
  ] as const) {
    it(`keeps every acknowledged note when killed ${name}, and delivers each once after restart`, async () => {
      proxy.setOnline(true);
      const first = start();
      await first.ok('session.login', { username: 'tess', password: 'demo' });
      const [target] = (await first.ok<{ items: QueueItem[] }>('cases.list', { status: 'active' })).items;
      proxy.setOnline(online);

      // Send many writes at once and kill the process the moment the 50th is answered: the kill lands
      // while most are still queued or in flight, however fast or loaded this machine is.
      const acknowledged: string[] = [];
      const calls = Array.from({ length: 2000 }, (_, i) => {
        const body = `${name} note ${i}`;
        return first.call('cases.addNote', { id: target!.id, body }).then(
          (response) => {
            if (!response.result) throw new Error(`cases.addNote failed: ${JSON.stringify(response.error)}`);
            if (acknowledged.push(body) === 50) first.kill();
          },
          () => undefined,
        );
      });
      await first.exited;
      await Promise.all(calls);
      expect(acknowledged.length, 'writes answered before the kill').toBeLessThan(calls.length);

      // The cache file is sound and holds every acknowledged note.
      const db = openCacheFile(join(dir.path, 'console'), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }

      proxy.setOnline(true);
      const second = start();
      const view = await second.ok<{ messages: Message[] }>('cases.get', { id: target!.id });
      const local = view.messages.map((m) => m.body);
      for (const body of acknowledged) expect(local, body).toContain(body);
      await waitFor(async () => (await second.ok<SyncStatus>('sync.now', {})).pending === 0, { timeoutMs: 30_000, what: 'outbox empty' });

      const onHub = (await hubCase(hub.url, await hubToken(hub.url, 'sam'), target!.id)).messages.map((m) => m.body);
      for (const body of acknowledged) expect(onHub.filter((b) => b === body), body).toHaveLength(1);
      // Whatever reached the hub was written locally first: nothing on the hub the console never stored.
      const ours = onHub.filter((b) => b.startsWith(`${name} note `));
      for (const body of ours) expect(local, body).toContain(body);
      second.endInput();
      expect(await second.exited).toEqual({ code: 0, signal: null });
    });
  }

  it('resumes a bootstrap pull killed between pages, with a sound cache and nothing applied by halves', async () => {
    proxy.setOnline(true);
    const first = start(['--pull-page-size', '40'], 'bootstrap');
    const login = first.call('session.login', { username: 'sam', password: 'demo' });
    // Killed once a few pages are in.
    await waitFor(() => first.notifications.filter((n) => n.params?.name === 'sync:changed' && (n.params.payload as SyncStatus).progress).length >= 3, {
      timeoutMs: 20_000,
      what: 'a pull under way',
    });
    first.kill();
    await first.exited;
    await login.catch(() => undefined);

    const db = openCacheFile(join(dir.path, 'bootstrap'), { readonly: true });
    let cursor: number;
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      cursor = Number((db.prepare("SELECT value FROM meta WHERE key = 'cursor'").get() as { value: string } | undefined)?.value ?? 0);
    } finally {
      db.close();
    }
    const sam = await hubToken(hub.url, 'sam');
    const all = await hubCases(hub.url, sam);
    // Pages land whole with their cursor: every case up to the cursor is there, none past it.
    const second = start([], 'bootstrap');
    const cached = (await second.ok<{ items: QueueItem[]; total: number }>('cases.list', { limit: 10_000 })).items;
    expect(cursor).toBeGreaterThan(0);
    expect(new Set(cached.map((c) => c.id))).toEqual(new Set(all.filter((c) => c.rev <= cursor).map((c) => c.id)));
    expect(cached.length).toBeLessThan(all.length);

    await second.ok('sync.now', {});
    const after = (await second.ok<{ items: QueueItem[] }>('cases.list', { limit: 10_000 })).items;
    expect(after.map((c) => [c.id, c.version]).sort()).toEqual(all.map((c) => [c.id, c.version]).sort());
    second.endInput();
    await second.exited;
  });
});
