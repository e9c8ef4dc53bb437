/** Cursor pull: many small pages against a real hub, a malformed page that must change nothing, and a big page written in slices. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import { openCache } from '../../src/main/core/cache';
import { createHubClient } from '../../src/main/core/hub-client';
import { createPuller, pagesInThisThread, PullCancelledError } from '../../src/main/core/sync';
import { uuidv7 } from 'uuidv7';
import type { SyncPullResponse } from '../../src/shared/protocol';
import { aCase, aQueue, tempDir } from './fixtures';
import { hubCases, hubToken, startDemoHub, waitFor } from './hub-fixture';

describe('sync pull', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;

  beforeAll(async () => {
    dir = await tempDir('switchboard-sync-');
    hub = await startDemoHub(dir.path);
  });
  afterAll(async () => {
    await hub?.close();
    await dir?.remove();
  });

  it('asked while a pull is under way, pulls once more after it: what changed meanwhile arrives, and every such caller shares that run', async () => {
    const token = await hubToken(hub.url, 'sam');
    const cache = openCache(join(dir.path, 'follow-up'));
    try {
      const client = createHubClient(() => ({ hubUrl: hub.url, token }));
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let fetches = 0;
      // The first page is read from the hub at once, and handed over only when the test says.
      const gated = { pull: async (cursor: number, limit: number) => (fetches++ === 0 ? client.pull(cursor, limit).then(async (page) => (await gate, page)) : client.pull(cursor, limit)) };
      const puller = createPuller(cache, pagesInThisThread(cache, gated), 1000);
      const first = puller.pull();
      await waitFor(() => fetches === 1);
      // A note made on the hub after the run under way has read it.
      const [target] = await hubCases(hub.url, token);
      const note = { id: uuidv7(), kind: 'case.note', entityId: target!.id, baseVersion: 0, createdAt: new Date().toISOString(), payload: { body: 'made meanwhile' } };
      const pushed = await fetch(new URL('/api/sync/push', hub.url), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ mutations: [note] }) });
      expect(pushed.ok).toBe(true);
      const second = puller.pull();
      const third = puller.pull({ afterOffline: true });
      expect(third).toBe(second);
      expect(second).not.toBe(first);
      release();
      await first;
      expect(cache.messages.ofCase(target!.id).map((m) => m.id)).not.toContain(note.id);
      await second;
      expect(cache.messages.ofCase(target!.id).map((m) => m.id)).toContain(note.id);
      expect(fetches).toBe(2);

      // A follow-up asked for before a cancel (a logout) does not run.
      let hold!: () => void;
      const held = new Promise<void>((resolve) => (hold = resolve));
      const slow = { pull: async (cursor: number, limit: number) => (await held, client.pull(cursor, limit)) };
      const cancelled = createPuller(cache, pagesInThisThread(cache, slow), 1000);
      const under = cancelled.pull();
      const after = cancelled.pull();
      cancelled.cancel();
      hold();
      await expect(under).rejects.toBeInstanceOf(PullCancelledError);
      await expect(after).rejects.toBeInstanceOf(PullCancelledError);
    } finally {
      cache.close();
    }
  });

  it('pages through the cursor until hasMore is false, and a second pull is a no-op', async () => {
    const token = await hubToken(hub.url, 'sam');
    const cache = openCache(join(dir.path, 'paged'));
    try {
      const pages: SyncPullResponse[] = [];
      const client = createHubClient(() => ({ hubUrl: hub.url, token }));
      const recording = { pull: async (cursor: number, limit: number) => pages[pages.push(await client.pull(cursor, limit)) - 1]! };
      const result = await createPuller(cache, pagesInThisThread(cache, recording), 40).pull();

      expect(pages.length).toBeGreaterThan(5);
      expect(pages.at(-1)?.hasMore).toBe(false);
      // Cursors only move forward, page after page.
      const cursors = pages.map((p) => p.cursor);
      expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
      expect(Number(cache.meta.get('cursor'))).toBe(result.cursor);

      const fromHub = await hubCases(hub.url, token);
      expect(cache.cases.count()).toBe(fromHub.length);
      expect(result.caseIds.sort()).toEqual(fromHub.map((c) => c.id).sort());

      pages.length = 0;
      const again = await createPuller(cache, pagesInThisThread(cache, recording), 40).pull();
      expect(again).toMatchObject({ applied: 0, caseIds: [], cursor: result.cursor });
      expect(pages).toHaveLength(1);
    } finally {
      cache.close();
    }
  });

  it('rolls back a page with a malformed row: no rows, no cursor move', async () => {
    const cache = openCache(join(dir.path, 'malformed'));
    try {
      const queue = aQueue();
      const good = aCase({ queueId: queue.id, rev: 5 });
      const page: SyncPullResponse = {
        changes: [
          { op: 'upsert', entity: 'queue', id: queue.id, rev: 4, row: { ...queue, rev: 4 } },
          { op: 'upsert', entity: 'case', id: good.id, rev: 5, row: good },
          { op: 'upsert', entity: 'case', id: 'bad', rev: 6, row: { ...good, id: 'bad', priority: 'whenever' } },
        ],
        cursor: 6,
        hasMore: false,
      };
      const puller = createPuller(cache, pagesInThisThread(cache, { pull: async () => page }));
      await expect(puller.pull()).rejects.toThrow(/priority/);
      expect(cache.cases.count()).toBe(0);
      expect(cache.queues.all()).toEqual([]);
      expect(cache.meta.get('cursor')).toBeNull();
    } finally {
      cache.close();
    }
  });

  it('writes a big page in slices the UI can answer between, and a pull dropped mid-page leaves its cursor for the page to come again', async () => {
    const cache = openCache(join(dir.path, 'sliced'));
    try {
      const queue = aQueue();
      const rows = Array.from({ length: 1_000 }, (_, i) => aCase({ queueId: queue.id, rev: 10 + i }));
      const page: SyncPullResponse = {
        changes: [{ op: 'upsert', entity: 'queue', id: queue.id, rev: 9, row: { ...queue, rev: 9 } }, ...rows.map((row) => ({ op: 'upsert' as const, entity: 'case' as const, id: row.id, rev: row.rev, row }))],
        cursor: 1_009,
        hasMore: false,
      };
      // What a UI call finds between turns of the event loop while the page is written.
      const seen: number[] = [];
      let watching = true;
      const watch = () => {
        seen.push(cache.cases.count());
        if (watching) setImmediate(watch);
      };
      setImmediate(watch);
      const puller = createPuller(cache, pagesInThisThread(cache, { pull: async () => page }));
      await puller.pull();
      watching = false;
      expect(cache.cases.count()).toBe(1_000);
      expect(cache.meta.get('cursor')).toBe('1009');
      // The UI ran while the page was part written: between slices, not once after the whole page.
      expect(seen.filter((n) => n > 0 && n < 1_000).length).toBeGreaterThan(1);

      // Dropped mid-page (a logout, say): the slices written stay, the cursor does not move, and the page comes again.
      const again = openCache(join(dir.path, 'dropped'));
      try {
        const dropping = createPuller(again, pagesInThisThread(again, { pull: async () => page }));
        const pulled = dropping.pull();
        const stop = () => (again.cases.count() > 0 ? dropping.cancel() : setImmediate(stop));
        setImmediate(stop);
        await expect(pulled).rejects.toThrow();
        expect(again.cases.count()).toBeGreaterThan(0);
        expect(again.cases.count()).toBeLessThan(1_000);
        expect(again.meta.get('cursor')).toBeNull();
        await createPuller(again, pagesInThisThread(again, { pull: async () => page })).pull();
        expect(again.cases.count()).toBe(1_000);
        expect(again.meta.get('cursor')).toBe('1009');
      } finally {
        again.close();
      }
    } finally {
      cache.close();
    }
  });
});
