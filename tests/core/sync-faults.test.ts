/**
 * Sync under faults, against a real hub through a proxy the test controls:
 * the connection dropped in the middle of a push and of a pull, the hub
 * restarted during a sync, and the same push delivered twice. After each, the
 * hub holds every change exactly once and the console holds the hub's state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import type { Case } from '../../src/shared/domain';
import { consoleDir, goOffline, hubCase, hubFields, hubPush, loginVia, ok, type ProxiedConsole, proxiedConsole, settle } from './console-fixture';
import { tempDir } from './fixtures';
import { hubCases, hubToken, startLocalHub, waitFor } from './hub-fixture';

describe('sync under faults', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let port: number;
  let sam: string;
  const consoles: ProxiedConsole[] = [];
  const startOnPort = (p: number) => startLocalHub(dir.path, { port: p, demo: true });

  const open = async (name: string, opts: { pullPageSize?: number } = {}) => {
    const c = await proxiedConsole(`http://127.0.0.1:${port}`, consoleDir(dir.path, name), opts);
    consoles.push(c);
    return c;
  };

  /** Offline work on tess's cases: a note and a field change on each; returns the note bodies. */
  async function offlineWork(c: ProxiedConsole, tag: string, count: number): Promise<{ cases: Case[]; notes: string[] }> {
    const cases = (await ok(c.core, 'cases.list', { status: 'active' })).items.slice(0, count);
    expect(cases.length).toBeGreaterThanOrEqual(Math.min(count, 5));
    await goOffline(c);
    const notes: string[] = [];
    for (const [i, item] of cases.entries()) {
      const body = `${tag} note ${i}`;
      await ok(c.core, 'cases.addNote', { id: item.id, body });
      await ok(c.core, 'cases.update', { id: item.id, fields: { tags: [`${tag}-${i}`] } });
      notes.push(body);
    }
    return { cases, notes };
  }

  /** Every note is on the hub exactly once, and the console's rows and conversations are the hub's. */
  async function expectConverged(c: ProxiedConsole, cases: Case[], notes: string[]): Promise<void> {
    const details = await Promise.all(cases.map((item) => hubCase(hub.url, sam, item.id)));
    const bodies = details.flatMap((d) => d.messages.map((m) => m.body));
    for (const body of notes) expect(bodies.filter((b) => b === body), body).toHaveLength(1);
    for (const d of details) {
      expect(hubFields(c.core.cache.cases.item(d.case.id)!)).toEqual(hubFields(d.case));
      expect(c.core.cache.messages.ofCase(d.case.id).map((m) => m.id)).toEqual(d.messages.map((m) => m.id));
    }
    expect((await ok(c.core, 'sync.status', {})).pending).toBe(0);
  }

  beforeAll(async () => {
    dir = await tempDir('switchboard-faults-');
    hub = await startOnPort(0);
    port = Number(new URL(hub.url).port);
    sam = await hubToken(hub.url, 'sam');
  });
  afterAll(async () => {
    for (const c of consoles) await c.close();
    await hub?.close();
    await dir?.remove();
  });

  it('a push whose answer never arrives is sent again and applied once', async () => {
    const c = await open('cut-push');
    await loginVia(c, 'tess');
    const { cases, notes } = await offlineWork(c, 'cut-push', 5);
    const cut = c.proxy.cutOnRequest('POST /api/sync/push', { responseBytes: 0 });
    await settle(c);
    await cut.fired;
    await expectConverged(c, cases, notes);
  });

  it('a pull cut in the middle of a page resumes after the last whole page', async () => {
    const c = await open('cut-pull', { pullPageSize: 40 });
    // Cut the second page's answer part way through its body.
    let pulls = 0;
    const cut = c.proxy.cutOnRequest('POST /api/sync/pull', { responseBytes: 3_000 });
    void cut.fired.then(() => pulls++);
    await loginVia(c, 'sam');
    await cut.fired;
    await settle(c);
    const all = await hubCases(hub.url, sam);
    expect(c.core.cache.cases.count()).toBe(all.length);
    for (const row of all) expect(hubFields(c.core.cache.cases.item(row.id)!)).toEqual(hubFields(row));
    expect(pulls).toBe(1);
  });

  it('the hub restarting in the middle of a sync loses nothing and applies nothing twice', async () => {
    const c = await open('hub-restart');
    await loginVia(c, 'tess');
    const { cases, notes } = await offlineWork(c, 'restart', 6);
    // The first push reaches the hub; the hub goes down before it can answer.
    const cut = c.proxy.cutOnRequest('POST /api/sync/push', { responseBytes: 0 });
    c.proxy.setOnline(true);
    await cut.fired;
    await hub.close();
    await waitFor(async () => (await ok(c.core, 'sync.status', {})).lastError !== null, { timeoutMs: 10_000, what: 'a failed sync' });
    expect((await ok(c.core, 'sync.status', {})).pending).toBeGreaterThan(0);
    hub = await startOnPort(port);
    await settle(c);
    await expectConverged(c, cases, notes);
  });

  it('the same push delivered twice: the second delivery is answered as duplicates', async () => {
    const c = await open('twice');
    await loginVia(c, 'tess');
    const { cases, notes } = await offlineWork(c, 'twice', 4);
    const pending = c.core.cache.outbox.pending(100).ready.map((p) => p.mutation);
    expect(pending).toHaveLength(8);
    // Another path (a retry from a crashed run) already delivered the batch.
    const first = await hubPush(hub.url, await hubToken(hub.url, 'tess'), pending);
    expect(first.every((r) => r.status === 'applied' || r.status === 'merged')).toBe(true);
    await settle(c);
    await expectConverged(c, cases, notes);
    // Delivered a third time, the hub still answers with the first outcome.
    const again = await hubPush(hub.url, await hubToken(hub.url, 'tess'), pending);
    expect(again.map((r) => r.status)).toEqual(pending.map(() => 'duplicate'));
  });
});
