/**
 * Queue totals by queue and status come from `case_counts` (cache migration 9, kept by triggers): after any run
 * of writes — new rows, newer revs moving a case's queue or status, stale revs, removals, a user's local change
 * laid over the hub's row, a reset — every such total equals what counting the cases gives, and a cache migrated
 * from version 8 starts with the right counts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Cache, openCache } from '../../src/main/core/cache';
import { openCacheDb } from '../../src/main/core/cache/database';
import { cacheMigrations } from '../../src/main/core/cache/migrations';
import { CASE_STATUSES, type Case, type CaseStatus } from '../../src/shared/domain';
import { aCase, aQueue, tempDir } from './fixtures';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('switchboard-case-counts-');
});
afterEach(async () => {
  await dir.remove();
});

/** A small deterministic generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const queues = [aQueue({ name: 'Billing' }), aQueue({ name: 'Support' }), aQueue({ name: 'Field' })];

/** Every total the counts answer, beside the same total counted case by case (an assignee filter of "anyone" forces nothing: the search does). */
function totals(cache: Cache): { counted: number[]; expected: number[] } {
  const filters = [{}, { status: 'active' as const }, ...CASE_STATUSES.map((status) => ({ status })), ...queues.flatMap((q) => [{ queueId: q.id }, { queueId: q.id, status: 'active' as const }, { queueId: q.id, status: 'open' as const }])];
  const counted = filters.map((f) => cache.cases.queue({ ...f, limit: 1 }).total);
  // A one-character search every case matches ('%' of nothing is refused, so the subjects share a letter): counted row by row.
  const expected = filters.map((f) => cache.cases.queue({ ...f, search: 'e', limit: 1 }).total);
  return { counted, expected };
}

describe('queue totals from case_counts', () => {
  it('equal the cases counted after any run of writes', () => {
    const cache = openCache(dir.path);
    try {
      for (const q of queues) cache.apply('queue', q, 1);
      const next = random(7);
      const pick = <T,>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
      const held = new Map<string, Case>();
      for (let step = 0; step < 600; step++) {
        const roll = next();
        const known = [...held.values()];
        if (roll < 0.35 || known.length === 0) {
          const c = aCase({ queueId: pick(queues).id, status: pick(CASE_STATUSES), subject: 'Meter reading' });
          cache.apply('case', c, c.rev);
          held.set(c.id, c);
        } else if (roll < 0.65) {
          const c = pick(known);
          const moved = { ...c, queueId: pick(queues).id, status: pick(CASE_STATUSES) as CaseStatus, version: c.version + 1, rev: c.rev + 1 };
          cache.apply('case', moved, moved.rev);
          held.set(c.id, moved);
        } else if (roll < 0.75) {
          // A stale rev changes nothing.
          const c = pick(known);
          expect(cache.apply('case', { ...c, status: 'closed', rev: c.rev - 1 }, c.rev - 1)).toBe(false);
        } else if (roll < 0.85) {
          const c = pick(known);
          cache.remove('case', c.id, c.rev);
          held.delete(c.id);
        } else if (roll < 0.97) {
          // The user's own change laid over the hub's row (the overlay's rewrite of the row).
          const c = pick(known);
          cache.outbox.add({ id: `m-${step}`, kind: 'case.update', entityId: c.id, baseVersion: c.version, createdAt: new Date().toISOString(), payload: { fields: { status: pick(CASE_STATUSES) } } });
          cache.cases.refresh(c.id);
        } else {
          cache.resetSynced();
          held.clear();
          for (const q of queues) cache.apply('queue', q, 1);
        }
        if (step % 25 === 0) {
          const { counted, expected } = totals(cache);
          expect(counted).toEqual(expected);
        }
      }
      const { counted, expected } = totals(cache);
      expect(counted).toEqual(expected);
      expect(counted[0]).toBe(held.size);
    } finally {
      cache.close();
    }
  });

  it('start right in a cache migrated from version 8', () => {
    const before = openCacheDb(dir.path, { migrations: cacheMigrations.filter((m) => m.version <= 8) });
    before.close();
    const old = openCache(dir.path, { migrations: cacheMigrations.filter((m) => m.version <= 8) });
    for (const q of queues) old.apply('queue', q, 1);
    const rows = queues.flatMap((q, i) => Array.from({ length: 3 + i }, (_, k) => aCase({ queueId: q.id, status: k % 2 ? 'open' : 'solved', subject: 'Meter reading' })));
    for (const c of rows) old.apply('case', c, c.rev);
    old.close();

    const cache = openCache(dir.path);
    try {
      const { counted, expected } = totals(cache);
      expect(counted).toEqual(expected);
      expect(cache.cases.queue({ queueId: queues[2]!.id, status: 'open', limit: 1 }).total).toBe(2);
      expect(counted[0]).toBe(rows.length);
    } finally {
      cache.close();
    }
  });
});
