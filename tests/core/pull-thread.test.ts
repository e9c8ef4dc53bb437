/**
 * The pull thread (src/main/core/pull-thread.ts): pages fetched, validated and written in a worker thread through
 * a connection of its own to the encrypted cache, against a real hub; the core's thread learns only each page's
 * outline. Cancelled, dropped and refused pages write nothing; a thread that died is started again; on Linux it
 * runs at a lower priority than the thread that uses it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { getPriority } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cache, openCache } from '../../src/main/core/cache';
import { CoreError } from '../../src/main/core/errors';
import type { HubCredentials } from '../../src/main/core/hub-client';
import { pagesInPullThread } from '../../src/main/core/pull-thread';
import { PullCancelledError } from '../../src/main/core/sync';
import { type RunningHub } from '../../src/hub/hub';
import { tempDir } from './fixtures';
import { hubCases, hubToken, startDemoHub } from './hub-fixture';

let hubDir: Awaited<ReturnType<typeof tempDir>>;
let hub: RunningHub;
let token: string;
let expected: number;

beforeAll(async () => {
  hubDir = await tempDir('switchboard-pull-thread-hub-');
  hub = await startDemoHub(hubDir.path);
  token = await hubToken(hub.url, 'sam');
  expected = (await hubCases(hub.url, token)).length;
});
afterAll(async () => {
  await hub?.close();
  await hubDir?.remove();
});

async function withSource(run: (pages: ReturnType<typeof pagesInPullThread>, cache: Cache, log: string[]) => Promise<void>, credentials: () => HubCredentials | null = () => ({ hubUrl: hub.url, token })) {
  const dir = await tempDir('switchboard-pull-thread-');
  const cache = openCache(dir.path);
  const log: string[] = [];
  const pages = pagesInPullThread({ dataDir: dir.path, key: cache.key, credentials, log: (line) => log.push(line) });
  try {
    await run(pages, cache, log);
  } finally {
    await pages.close();
    cache.close();
    await dir.remove();
  }
}

const how = (nextCursor: number) => ({ nextCursor, afterOffline: false, me: null });

describe('the pull thread', () => {
  it('fetches and writes the pages in its own connection: the core’s connection then reads every case and the cursor', async () => {
    await withSource(async (pages, cache) => {
      let cursor = 0;
      let applied = 0;
      for (;;) {
        const page = await pages.fetch(cursor, 40);
        // Only the outline crosses to this thread.
        expect(Object.keys(page).sort()).toEqual(expect.arrayContaining(['count', 'cursor', 'hasMore']));
        expect(page).not.toHaveProperty('changes');
        const written = await pages.write(page, how(page.cursor));
        applied += written.applied;
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      expect(cache.cases.count()).toBe(expected);
      expect(cache.meta.get('cursor')).toBe(String(cursor));
      expect(applied).toBeGreaterThanOrEqual(expected);
    });
  });

  it('writes nothing of a page dropped or cancelled, and says the write was cancelled', async () => {
    await withSource(async (pages, cache) => {
      const dropped = await pages.fetch(0, 40);
      pages.drop(dropped);
      await expect(pages.write(dropped, how(dropped.cursor))).rejects.toBeInstanceOf(PullCancelledError);
      const cancelled = await pages.fetch(0, 40);
      pages.cancel();
      await expect(pages.write(cancelled, how(cancelled.cursor))).rejects.toBeInstanceOf(PullCancelledError);
      expect(cache.cases.count()).toBe(0);
      expect(cache.meta.get('cursor')).toBeNull();
      // Still serving after a cancel: the next page is written.
      const next = await pages.fetch(0, 40);
      expect((await pages.write(next, how(next.cursor))).applied).toBe(next.count);
      expect(cache.meta.get('cursor')).toBe(String(next.cursor));
    });
  });

  it('answers a refused token as the hub client does (unauthorized), and no session at all without asking', async () => {
    await withSource(
      async (pages) => {
        await expect(pages.fetch(0, 40)).rejects.toMatchObject({ code: 'unauthorized' });
        await expect(pages.fetch(0, 40)).rejects.toBeInstanceOf(CoreError);
      },
      () => ({ hubUrl: hub.url, token: 'not-a-token' }),
    );
    await withSource(
      async (pages) => {
        await expect(pages.fetch(0, 40)).rejects.toMatchObject({ code: 'unauthorized', message: 'not logged in' });
      },
      () => null,
    );
  });

  it('starts another thread at the next request when its thread died, and the page it held is gone with it', async () => {
    await withSource(async (pages, cache) => {
      const held = await pages.fetch(0, 40);
      await pages.terminate();
      await expect(pages.write(held, how(held.cursor))).rejects.toThrow();
      expect(cache.cases.count()).toBe(0);
      const again = await pages.fetch(0, 40);
      expect((await pages.write(again, how(again.cursor))).applied).toBe(again.count);
      expect(cache.meta.get('cursor')).toBe(String(again.cursor));
    });
  });

  it.runIf(process.platform === 'linux')('runs at a lower priority than the thread that uses it (Linux: per thread)', async () => {
    /** The nice value of each of this process's threads (/proc: field 19 of a task's stat). */
    const nices = async () => {
      const tasks = await readdir('/proc/self/task');
      const stats = await Promise.all(tasks.map((task) => readFile(`/proc/self/task/${task}/stat`, 'utf8').catch(() => null)));
      return stats.flatMap((stat) => (stat ? [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])] : []));
    };
    expect(await nices()).not.toContain(10);
    await withSource(async (pages) => {
      await pages.fetch(0, 40);
      expect(await nices()).toContain(10);
      // This thread is not lowered with it.
      expect(getPriority()).toBe(0);
    });
  });

  it('refuses to start on a key that does not open the cache, with the cache’s own error', async () => {
    const dir = await tempDir('switchboard-pull-thread-key-');
    const cache = openCache(dir.path);
    const pages = pagesInPullThread({ dataDir: dir.path, key: Buffer.alloc(cache.key.length, 7), credentials: () => ({ hubUrl: hub.url, token }), log: () => undefined });
    try {
      await expect(pages.fetch(0, 40)).rejects.toMatchObject({ name: 'CacheKeyError' });
    } finally {
      await pages.close();
      cache.close();
      await dir.remove();
    }
  });
});
