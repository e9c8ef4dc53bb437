/**
 * Reconnect: a supervisor's console comes back with 1,000 changes in its
 * outbox while 20,000 changes in its scope happened on the hub (another
 * supervisor opening cases). Measured from the network returning to the
 * console being consistent: outbox empty and the cache at the hub's head.
 * The console is the real core with its SQLite file, the hub a separate
 * process (as on a real network, each has its own core of the two here);
 * "offline" is a loopback proxy switched off.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { uuidv7 } from 'uuidv7';
import { createConsoleCore } from '../src/main/core';
import type { SyncStatus } from '../src/shared/api';
import { coreCaller, startDemoHubProcess } from './console-hub';
import { startTcpProxy } from '../tests/support/tcp-proxy';
import { loginAs, poster } from './http';
import { ms, report } from './stats';

const PENDING = 1_000;
const HUB_CHANGES = 20_000;
const HUB_BATCH = 500;

export async function benchConsoleReconnect(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-reconnect-'));
  const hub = await startDemoHubProcess(join(dir, 'hub'));
  const proxy = await startTcpProxy(hub.url);
  const core = await createConsoleCore({ dataDir: join(dir, 'console'), hubUrl: proxy.url, resyncIntervalMs: 3_600_000 });
  const call = coreCaller(core);
  try {
    await call('session.login', { username: 'sam', password: 'demo' });
    const { items } = await call<{ items: { id: string; queueId: string }[] }>('cases.list', {});
    proxy.setOnline(false);

    const priorities = ['low', 'normal', 'high', 'urgent'];
    for (let i = 0; i < PENDING; i++) {
      const target = items[i % items.length]!;
      if (i % 2) await call('cases.addNote', { id: target.id, body: `Offline note ${i}` });
      else await call('cases.update', { id: target.id, fields: { priority: priorities[i % 4], tags: [`t${i}`] } });
    }
    const pending = (await call<SyncStatus>('sync.status', {})).pending;

    // Meanwhile, on the hub: another supervisor opens cases in scope.
    const post = poster(hub.url);
    const admin = await loginAs(hub.url, 'admin');
    const queueId = items[0]!.queueId;
    for (let n = 0; n < HUB_CHANGES; n += HUB_BATCH) {
      const mutations = Array.from({ length: HUB_BATCH }, (_, k) => {
        const id = uuidv7();
        const draft = { id, subject: `Hub case ${n + k}`, status: 'new', priority: 'normal', channel: 'email', customerId: null, deviceId: null, queueId, language: 'en', tags: [] };
        return { id: uuidv7(), kind: 'case.create', entityId: id, baseVersion: 0, createdAt: new Date().toISOString(), payload: { case: draft } };
      });
      const response = await post('/api/sync/push', { mutations }, admin);
      if (!response.ok) throw new Error(`hub changes: ${response.status}`);
    }

    const start = performance.now();
    proxy.setOnline(true);
    let status = await call<SyncStatus>('sync.now', {});
    while (status.pending > 0) status = await call<SyncStatus>('sync.now', {});
    const elapsed = performance.now() - start;
    const cached = status.cachedCases;
    report(
      `console: reconnect, ${pending.toLocaleString('en')} pending + ${HUB_CHANGES.toLocaleString('en')} hub changes`,
      `${ms(elapsed)} (${cached.toLocaleString('en')} cases cached)`,
      { ok: elapsed < 3_000, text: '< 3 s' },
    );
  } finally {
    await core.close();
    await proxy.close();
    await hub.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
