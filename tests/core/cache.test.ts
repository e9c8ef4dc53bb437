/** The SQLite cache on real files: migrations, refusal of newer files, rev reconciliation, the queue query. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Cache, CacheTooNewError, openCache } from '../../src/main/core/cache';
import { openCacheDb } from '../../src/main/core/cache/database';
import { type CacheMigration, cacheMigrations } from '../../src/main/core/cache/migrations';
import { aCase, aCustomer, aMessage, aQueue, aUser, at, openCacheFile, tempDir } from './fixtures';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('switchboard-cache-');
});
afterEach(async () => {
  await dir.remove();
});

const latest = Math.max(...cacheMigrations.map((m) => m.version));
const userVersion = (dataDir: string) => {
  const db = openCacheFile(dataDir, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
};

describe('cache migrations', () => {
  it('creates the schema on a new file, with WAL, foreign keys and a busy timeout', () => {
    const db = openCacheDb(dir.path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(latest);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      const tables = db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((r) => r.name);
      expect(tables).toEqual(['articles', 'case_counts', 'cases', 'conflicts', 'customers', 'devices', 'drafts', 'mentions', 'messages', 'meta', 'notices', 'outbox', 'queues', 'sqlite_sequence', 'unconfirmed', 'users']);
      const plan = db
        .prepare<[], { detail: string }>(
          "EXPLAIN QUERY PLAN SELECT id FROM cases WHERE queue_id = 'q' AND status = 'open' ORDER BY score DESC, created_ms, id",
        )
        .all()
        .map((r) => r.detail)
        .join(' ');
      expect(plan).toContain('cases_queue_score');
      // The index alone gives the queue order: no sort of every matching row.
      expect(plan).not.toContain('TEMP B-TREE');
    } finally {
      db.close();
    }
  });

  it('keeps data when reopened and does not run a migration twice', () => {
    const first = openCache(dir.path);
    first.meta.set('cursor', '42');
    first.close();
    const again = openCache(dir.path);
    expect(again.meta.get('cursor')).toBe('42');
    again.close();
    expect(userVersion(dir.path)).toBe(latest);
  });

  it('refuses a file written by a newer version and leaves it untouched', () => {
    openCache(dir.path).close();
    const raw = openCacheFile(dir.path);
    raw.pragma(`user_version = ${latest + 5}`);
    raw.close();

    expect(() => openCache(dir.path)).toThrow(CacheTooNewError);
    try {
      openCache(dir.path);
    } catch (error) {
      expect(error).toBeInstanceOf(CacheTooNewError);
      expect((error as CacheTooNewError).found).toBe(latest + 5);
      expect((error as CacheTooNewError).message).toMatch(/newer than this console knows/);
    }
    expect(userVersion(dir.path)).toBe(latest + 5);
  });

  it('upgrades an older file step by step and transforms its data (a data-changing migration)', () => {
    const v1: CacheMigration[] = [{ version: 1, name: 'notes', sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);' }];
    const old = openCacheDb(dir.path, { migrations: v1 });
    old.prepare('INSERT INTO notes (body) VALUES (?), (?)').run('  Hello ', 'World');
    old.close();

    const v2: CacheMigration[] = [
      ...v1,
      { version: 2, name: 'trimmed and length', sql: 'ALTER TABLE notes ADD COLUMN length INTEGER; UPDATE notes SET body = trim(body), length = length(trim(body));' },
    ];
    const upgraded = openCacheDb(dir.path, { migrations: v2 });
    try {
      expect(upgraded.pragma('user_version', { simple: true })).toBe(2);
      expect(upgraded.prepare('SELECT body, length FROM notes ORDER BY id').all()).toEqual([
        { body: 'Hello', length: 5 },
        { body: 'World', length: 5 },
      ]);
    } finally {
      upgraded.close();
    }
  });

  it('rolls a failing migration back completely', () => {
    const v1: CacheMigration[] = [{ version: 1, name: 'a', sql: 'CREATE TABLE a (x INTEGER);' }];
    openCacheDb(dir.path, { migrations: v1 }).close();
    const broken: CacheMigration[] = [...v1, { version: 2, name: 'half', sql: 'CREATE TABLE b (y INTEGER); INSERT INTO missing_table VALUES (1);' }];

    expect(() => openCacheDb(dir.path, { migrations: broken })).toThrow(/missing_table/);
    const db = openCacheFile(dir.path, { readonly: true });
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});

describe('rev reconciliation', () => {
  let cache: Cache;
  beforeEach(() => {
    cache = openCache(dir.path);
  });
  afterEach(() => cache.close());

  it('applies newer revs, ignores stale ones, and a duplicate changes nothing', () => {
    const queue = aQueue();
    const original = aCase({ queueId: queue.id, subject: 'First words', rev: 5 });
    expect(cache.apply('case', original, 5)).toBe(true);

    expect(cache.apply('case', original, 5)).toBe(false);
    expect(cache.cases.item(original.id)?.subject).toBe('First words');

    const stale = { ...original, subject: 'An older edit', rev: 3 };
    expect(cache.apply('case', stale, 3)).toBe(false);
    expect(cache.cases.item(original.id)?.subject).toBe('First words');
    expect(cache.cases.count()).toBe(1);

    const newer = { ...original, subject: 'Newer words', status: 'pending' as const, rev: 7 };
    expect(cache.apply('case', newer, 7)).toBe(true);
    const stored = cache.cases.item(original.id);
    expect(stored?.subject).toBe('Newer words');
    expect(stored?.status).toBe('pending');
    expect(stored?.rev).toBe(7);
  });

  it('applies the same reconciliation to every entity', () => {
    const customer = aCustomer({ name: 'Old Name', rev: 10 });
    expect(cache.apply('customer', customer, 10)).toBe(true);
    expect(cache.apply('customer', { ...customer, name: 'Stale Name', rev: 9 }, 9)).toBe(false);
    expect(cache.customers.byId(customer.id)?.name).toBe('Old Name');

    const user = aUser({ name: 'Ana' });
    expect(cache.apply('user', user, 4)).toBe(true);
    expect(cache.apply('user', { ...user, name: 'Stale Ana' }, 3)).toBe(false);
    expect(cache.users.byId(user.id)?.name).toBe('Ana');

    const queue = aQueue({ rev: 2 });
    const message = aMessage({ caseId: queue.id, body: 'v2', rev: 2 });
    expect(cache.apply('message', message, 2)).toBe(true);
    expect(cache.apply('message', { ...message, body: 'v1', rev: 1 }, 1)).toBe(false);
    expect(cache.messages.ofCase(queue.id).map((m) => m.body)).toEqual(['v2']);
  });

  it('ignores a tombstone older than the stored row and honours a newer one', () => {
    const queue = aQueue();
    const row = aCase({ queueId: queue.id, rev: 20 });
    cache.apply('case', row, 20);
    expect(cache.remove('case', row.id, 19)).toBe(false);
    expect(cache.cases.item(row.id)).not.toBeNull();
    expect(cache.remove('case', row.id, 21)).toBe(true);
    expect(cache.cases.item(row.id)).toBeNull();
  });

  it('resetSynced forgets rows and the cursor but keeps the session', () => {
    cache.apply('queue', aQueue(), 1);
    cache.meta.set('cursor', '9');
    cache.meta.set('token', 't');
    cache.resetSynced();
    expect(cache.queues.all()).toEqual([]);
    expect(cache.meta.get('cursor')).toBeNull();
    expect(cache.meta.get('token')).toBe('t');
  });
});

describe('queue query', () => {
  let cache: Cache;
  beforeEach(() => {
    cache = openCache(dir.path);
  });
  afterEach(() => cache.close());

  it('orders by the explained priority score — SLA time left, severity, the customer — and again as time passes; names joined', () => {
    const devices = aQueue({ name: 'Devices' });
    const billing = aQueue({ name: 'Billing' });
    const vip = aCustomer({ name: 'Þórunn Jónsdóttir', plan: 'enterprise', lifetimeValue: 10_000, influence: 80 });
    const agent = aUser({ name: 'Ivan Petrov', username: 'ivan' });
    cache.apply('queue', devices, 1);
    cache.apply('queue', billing, 1);
    cache.apply('customer', vip, 1);
    cache.apply('user', agent, 1);

    const now = Date.now();
    const inMinutes = (m: number) => new Date(now + m * 60_000).toISOString();
    const dueSoon = aCase({ queueId: devices.id, priority: 'normal', slaDueAt: inMinutes(10), createdAt: at(3) });
    const dueLater = aCase({ queueId: billing.id, priority: 'normal', slaDueAt: inMinutes(20 * 60), createdAt: at(2) });
    const urgentNoSla = aCase({ queueId: billing.id, priority: 'urgent', createdAt: at(4) });
    const forVip = aCase({ queueId: devices.id, priority: 'normal', createdAt: at(9), customerId: vip.id, assigneeId: agent.id });
    const lowOld = aCase({ queueId: devices.id, priority: 'low', createdAt: at(0) });
    for (const c of [lowOld, dueLater, urgentNoSla, dueSoon, forVip]) cache.apply('case', c, c.rev);

    // Due in 10 min (≈50 points) before the enterprise customer (43), the urgent case with no SLA (20), due in 20 h (17), low (5).
    const { items, total } = cache.cases.queue({ limit: 100 });
    expect(total).toBe(5);
    expect(items.map((i) => i.id)).toEqual([dueSoon.id, forVip.id, urgentNoSla.id, dueLater.id, lowOld.id]);
    expect(items[0]!.priorityWhy).toMatch(/^SLA due in 1\d min/);
    const joined = items.find((i) => i.id === forVip.id)!;
    expect(joined).toMatchObject({ customerName: 'Þórunn Jónsdóttir', queueName: 'Devices', assigneeName: 'Ivan Petrov' });
    expect(joined.priorityWhy).toContain('enterprise plan');
    expect(items.map((i) => i.priorityScore)).toEqual([...items.map((i) => i.priorityScore)].sort((a, b) => b - a));

    // 19 hours on, the case due in 20 h is due within the hour: it passes the enterprise customer's.
    cache.cases.rescore(now + 19 * 3_600_000);
    expect(cache.cases.queue({ limit: 100 }).items.map((i) => i.id)).toEqual([dueSoon.id, dueLater.id, forVip.id, urgentNoSla.id, lowOld.id]);

    // A customer's plan changing moves their cases at once.
    cache.apply('customer', { ...vip, plan: 'basic', lifetimeValue: 0, influence: 0, rev: 2 }, 2);
    const devicesOnly = cache.cases.queue({ queueId: devices.id, limit: 10 });
    expect(devicesOnly.total).toBe(3);
    expect(devicesOnly.items.map((i) => i.id)).toEqual([dueSoon.id, forVip.id, lowOld.id]);
    expect(devicesOnly.items[1]!.priorityWhy).not.toContain('enterprise');
  });

  it('filters by status ("active"), assignee and search (Unicode-folded subject and customer, case number)', () => {
    const queue = aQueue();
    const customer = aCustomer({ name: 'Пётр Иванов' });
    const me = aUser();
    cache.apply('queue', queue, 1);
    cache.apply('customer', customer, 1);
    const open = aCase({ queueId: queue.id, status: 'open', subject: 'Двигатель перегрелся', customerId: customer.id, assigneeId: me.id });
    const pending = aCase({ queueId: queue.id, status: 'pending', subject: 'Invoice 100% wrong' });
    const solved = aCase({ queueId: queue.id, status: 'solved', subject: 'Router reboots' });
    for (const c of [open, pending, solved]) cache.apply('case', c, c.rev);

    const ids = (filter: Parameters<Cache['cases']['queue']>[0]) => cache.cases.queue(filter).items.map((i) => i.id).sort();
    expect(ids({ status: 'active', limit: 10 })).toEqual([open.id, pending.id].sort());
    expect(ids({ status: 'solved', limit: 10 })).toEqual([solved.id]);
    expect(ids({ assigneeId: me.id, limit: 10 })).toEqual([open.id]);
    expect(ids({ assigneeId: null, limit: 10 })).toEqual([pending.id, solved.id].sort());
    expect(ids({ search: 'ДВИГАТЕЛЬ', limit: 10 })).toEqual([open.id]);
    expect(ids({ search: 'пётр', limit: 10 })).toEqual([open.id]);
    expect(ids({ search: `#${solved.number}`, limit: 10 })).toEqual([solved.id]);
    // LIKE wildcards in the search are literal characters.
    expect(ids({ search: '100%', limit: 10 })).toEqual([pending.id]);
    expect(ids({ search: '%', limit: 10 })).toEqual([pending.id]);
    expect(ids({ search: '_', limit: 10 })).toEqual([]);
  });
});

describe('cache after a scope change', () => {
  it('drops what the full pull did not send again, but keeps cases with unsent changes and what was born here', () => {
    const cache: Cache = openCache(dir.path);
    try {
      const queue = aQueue();
      const kept = aCase({ queueId: queue.id, rev: 5 });
      const gone = aCase({ queueId: queue.id, rev: 6 });
      const worked = aCase({ queueId: queue.id, rev: 7 });
      const bornHere = aCase({ queueId: queue.id, rev: 0 });
      const [keptCustomer, goneCustomer] = [aCustomer({ rev: 8 }), aCustomer({ rev: 9 })];
      const messages = [kept, gone, worked].map((c, i) => aMessage({ caseId: c.id, rev: 10 + i }));
      cache.apply('queue', queue, 1);
      for (const c of [kept, gone, worked, bornHere]) cache.apply('case', c, c.rev);
      for (const m of messages) cache.apply('message', m, m.rev);
      for (const c of [keptCustomer, goneCustomer]) cache.apply('customer', c, c.rev);
      cache.outbox.add({ id: '01a20a00-0000-7000-8000-000000000001', kind: 'case.note', entityId: worked.id, baseVersion: 1, createdAt: at(1), payload: { body: 'on my way' } });

      expect(cache.rescope.active()).toBe(false);
      cache.rescope.markAll();
      expect(cache.rescope.active()).toBe(true);
      // The full pull sends again what is still in scope.
      cache.rescope.confirm('case', kept.id);
      cache.rescope.confirm('message', messages[0]!.id);
      cache.rescope.confirm('customer', keptCustomer.id);
      cache.rescope.confirm('queue', queue.id);

      expect(cache.rescope.dropUnconfirmed()).toEqual([gone.id]);
      expect([kept, gone, worked, bornHere].map((c) => cache.cases.byId(c.id) !== null)).toEqual([true, false, true, true]);
      // A kept case keeps its conversation; a dropped one loses it.
      expect(messages.map((m) => cache.messages.caseOf(m.id) !== null)).toEqual([true, false, true]);
      expect([keptCustomer, goneCustomer].map((c) => cache.customers.byId(c.id) !== null)).toEqual([true, false]);
      expect(cache.queues.byId(queue.id)).not.toBeNull();

      // Kept for its unsent note, still marked: once the hub has answered it, the end of a later pull drops it.
      expect(cache.rescope.active()).toBe(true);
      expect(cache.rescope.dropUnconfirmed()).toEqual([]);
      cache.outbox.remove('01a20a00-0000-7000-8000-000000000001');
      expect(cache.rescope.dropUnconfirmed()).toEqual([worked.id]);
      expect(cache.cases.byId(worked.id)).toBeNull();
      expect(cache.messages.caseOf(messages[2]!.id)).toBeNull();
      expect(cache.rescope.active()).toBe(false);
      expect(cache.cases.byId(kept.id)).not.toBeNull();
    } finally {
      cache.close();
    }
  });
});
