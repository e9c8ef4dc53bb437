/**
 * Cache migration 7: queues stored before they carried their routing mode read
 * as `manual`, cases stored before their resolution due time read as `null`
 * (the hub's row and the overlay of local changes alike), and the cursor goes
 * back to the start so the next pull sends the real values.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCacheDb } from '../../src/main/core/cache/database';
import { cacheMigrations } from '../../src/main/core/cache/migrations';
import { tempDir } from './fixtures';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('switchboard-cache-m7-');
});
afterEach(async () => {
  await dir.remove();
});

describe('cache migration 7 (queue routing, resolution due)', () => {
  it('fills the new fields of rows stored before them and pulls everything again', () => {
    const before = openCacheDb(dir.path, { migrations: cacheMigrations.filter((m) => m.version < 7) });
    before.prepare("INSERT INTO queues (id, rev, name, data) VALUES ('q1', 3, 'Billing', ?)").run(JSON.stringify({ id: 'q1', name: 'Billing', description: '' }));
    before
      .prepare("INSERT INTO cases (id, rev, number, subject_folded, status, priority_rank, queue_id, sla_sort_ms, created_ms, data, base) VALUES ('c1', 5, 1, 's', 'open', 2, 'q1', 0, 0, ?, ?)")
      .run(JSON.stringify({ id: 'c1', slaDueAt: '2026-12-01T10:00:00.000Z' }), JSON.stringify({ id: 'c1', slaDueAt: null }));
    before.prepare("INSERT INTO cases (id, rev, number, subject_folded, status, priority_rank, queue_id, sla_sort_ms, created_ms, data) VALUES ('c2', 6, 2, 's', 'open', 2, 'q1', 0, 0, ?)").run(JSON.stringify({ id: 'c2', resolutionDueAt: '2026-12-03T10:00:00.000Z' }));
    before.prepare("INSERT INTO meta (key, value) VALUES ('cursor', '6'), ('lastSyncAt', 'x'), ('scope', 'agent:q1')").run();
    before.close();

    const after = openCacheDb(dir.path, { migrations: cacheMigrations.filter((m) => m.version <= 7) });
    try {
      expect(after.pragma('user_version', { simple: true })).toBe(7);
      const queue = JSON.parse(after.prepare<[], { data: string }>("SELECT data FROM queues WHERE id = 'q1'").get()!.data) as Record<string, unknown>;
      expect(queue).toEqual({ id: 'q1', name: 'Billing', description: '', routing: 'manual' });
      const rows = after.prepare<[], { id: string; data: string; base: string | null }>('SELECT id, data, base FROM cases ORDER BY id').all();
      expect(JSON.parse(rows[0]!.data)).toEqual({ id: 'c1', slaDueAt: '2026-12-01T10:00:00.000Z', resolutionDueAt: null });
      expect(JSON.parse(rows[0]!.base!)).toEqual({ id: 'c1', slaDueAt: null, resolutionDueAt: null });
      // A value already there is kept.
      expect(JSON.parse(rows[1]!.data)).toEqual({ id: 'c2', resolutionDueAt: '2026-12-03T10:00:00.000Z' });
      expect(rows[1]!.base).toBeNull();
      const meta = Object.fromEntries(after.prepare<[], { key: string; value: string }>('SELECT key, value FROM meta').all().map((r) => [r.key, r.value]));
      expect(meta.cursor).toBeUndefined();
      expect(meta.lastSyncAt).toBeUndefined();
      expect(meta.scope).toBe('agent:q1');
    } finally {
      after.close();
    }
  });
});
