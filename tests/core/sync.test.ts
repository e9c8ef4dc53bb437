/** Cursor pull: many small pages against a real hub, a malformed page that must change nothing, and a big page written in slices. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import { openCache } from '../../src/main/core/cache';
import { createHubClient } from '../../src/main/core/hub-client';
import { createPuller, pagesInThisThread } from '../../src/main/core/sync';
import type { SyncPullResponse } from '../../src/shared/protocol';
import { aCase, aQueue, tempDir } from './fixtures';
import { hubCases, hubToken, startDemoHub } from './hub-fixture';

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
