/**
 * Two connections write the cache (the core's thread, the pull thread): a transaction takes the write lock when
 * it begins, so one that reads first can always write after — a deferred one would fail at its first write
 * (SQLITE_BUSY_SNAPSHOT) whenever the other connection committed in between, which no busy timeout waits out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/main/core/cache';
import { openCacheFile, tempDir } from './fixtures';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('switchboard-two-writers-');
});
afterEach(async () => {
  await dir.remove();
});

describe('the cache with two writing connections', () => {
  it('lets a transaction that read first write after the other connection tried to commit', () => {
    const cache = openCache(dir.path);
    // The other writer, told not to wait: whether it could write in the middle of the transaction is the question.
    const other = openCacheFile(dir.path);
    other.pragma('busy_timeout = 0');
    let otherWrote: boolean | null = null;
    try {
      cache.transaction(() => {
        expect(cache.meta.get('cursor')).toBeNull();
        try {
          other.prepare("INSERT INTO meta (key, value) VALUES ('lastSyncAt', 'the other connection')").run();
          otherWrote = true;
        } catch (error) {
          expect((error as { code?: string }).code).toBe('SQLITE_BUSY');
          otherWrote = false;
        }
        cache.meta.set('cursor', '42');
      });
      expect(otherWrote).toBe(false);
      expect(cache.meta.get('cursor')).toBe('42');
      // Once the transaction is over, the other connection writes.
      other.prepare("INSERT INTO meta (key, value) VALUES ('lastSyncAt', 'the other connection')").run();
      expect(cache.meta.get('lastSyncAt')).toBe('the other connection');
    } finally {
      other.close();
      cache.close();
    }
  });
});
