/** A case with an open conflict waits for its user: it stays in the active views (and their totals, once) whatever its status, and the conflicts list has it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Cache, openCache } from '../../src/main/core/cache';
import { aCase, aQueue, aUser, tempDir } from './fixtures';

let dir: Awaited<ReturnType<typeof tempDir>>;
let cache: Cache;
beforeEach(async () => {
  dir = await tempDir('switchboard-conflict-views-');
  cache = openCache(dir.path);
});
afterEach(async () => {
  cache.close();
  await dir.remove();
});

describe('cases with an open conflict', () => {
  it('stay in My work and in search when solved, and are what the conflicts filter lists', () => {
    const queue = aQueue();
    const me = aUser();
    cache.apply('queue', queue, 1);
    const open = aCase({ queueId: queue.id, status: 'open', assigneeId: me.id, subject: 'Boiler pressure drops' });
    const solvedWithConflict = aCase({ queueId: queue.id, status: 'solved', assigneeId: me.id, subject: 'Boiler fixed offline' });
    const solved = aCase({ queueId: queue.id, status: 'solved', assigneeId: me.id, subject: 'Boiler replaced' });
    for (const c of [open, solvedWithConflict, solved]) cache.apply('case', c, c.rev);
    cache.conflicts.add({ id: 'm1:priority', mutationId: 'm1', caseId: solvedWithConflict.id, field: 'priority', yours: 'high', theirs: 'low', hubVersion: 3, createdAt: new Date().toISOString() });

    const ids = (filter: Parameters<Cache['cases']['queue']>[0]) => cache.cases.queue(filter).items.map((i) => i.id).sort();
    // My work (active, mine) and a search in it.
    expect(ids({ status: 'active', assigneeId: me.id, limit: 10 })).toEqual([open.id, solvedWithConflict.id].sort());
    expect(ids({ status: 'active', search: 'boiler', limit: 10 })).toEqual([open.id, solvedWithConflict.id].sort());
    expect(cache.cases.queue({ status: 'active', limit: 10 }).total).toBe(2);
    // An active case with a conflict too is counted once; the totals follow the other filters.
    cache.conflicts.add({ id: 'm2:subject', mutationId: 'm2', caseId: open.id, field: 'subject', yours: 'a', theirs: 'b', hubVersion: 2, createdAt: new Date().toISOString() });
    expect(cache.cases.queue({ status: 'active', limit: 10 }).total).toBe(2);
    expect(cache.cases.queue({ status: 'active', search: 'offline', limit: 10 }).total).toBe(1);
    expect(cache.cases.queue({ status: 'active', assigneeId: me.id, queueId: queue.id, limit: 1 })).toMatchObject({ total: 2, items: [expect.anything()] });
    cache.conflicts.remove('m2:subject');
    // The top bar's list: every case with an open conflict, whatever its status.
    expect(ids({ conflicted: true, limit: 10 })).toEqual([solvedWithConflict.id]);

    // Decided: the solved case leaves the active views like any other.
    cache.conflicts.remove('m1:priority');
    expect(ids({ status: 'active', assigneeId: me.id, limit: 10 })).toEqual([open.id]);
    expect(ids({ conflicted: true, limit: 10 })).toEqual([]);
  });
});
