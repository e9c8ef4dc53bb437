/**
 * Autovacuum's work for embedded PGlite (src/hub/db/maintenance.ts): which
 * tables are due by Postgres's own thresholds, and on a real PGlite that a
 * table holding rows gets statistics (its row count, which plans are built
 * on), that an unchanged one is left alone, that dead rows past the threshold
 * are vacuumed, and that the hub's loop looks on its interval.
 */
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { maintainTables, startMaintenance, tablesDue } from '../../src/hub/db/maintenance';
import { executeRows } from '../../src/hub/db/execute-rows';
import type { Db } from '../../src/hub/db/connect';
import { customers } from '../../src/hub/db/schema';
import { backends, databaseOf } from './backends';
import { waitFor } from './helpers';

describe('which tables are due', () => {
  const table = (name: string, tuples: number, modified: number, dead: number, pages = 1) => ({ name, tuples, modified, dead, pages });

  it('follows autovacuum: analyse past 50 rows + 10 % changed, vacuum past 50 + 20 % dead, a never-analysed table with rows at once', () => {
    expect(
      tablesDue([
        table('never', -1, 0, 0),
        table('never-empty', -1, 0, 0, 0),
        table('changed', 1000, 151, 0),
        table('barely', 1000, 150, 0),
        table('dead', 1000, 400, 251),
        table('few-dead', 1000, 0, 250),
      ]),
    ).toEqual({ analyze: ['never', 'changed'], vacuum: ['dead'] });
  });
});

const pglite = backends.find((b) => b.name === 'pglite')!;

describe('maintenance on embedded PGlite', () => {
  const database = databaseOf(pglite);
  const tableStats = async (db: Db) =>
    (
      await executeRows<{ tuples: number; dead: string; analyzed: string | null }>(
        db,
        sql`SELECT c.reltuples AS tuples, s.n_dead_tup AS dead, s.last_analyze AS analyzed FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = 'customers'`,
      )
    )[0]!;
  const someCustomers = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ id: uuidv7(), name: `C${i}`, email: null, phone: null, handles: {}, plan: 'basic', lifetimeValue: 0, influence: 0, language: 'en', preferredChannel: 'email', consent: true }));

  it('gives a table with rows its statistics, leaves it alone unchanged, and vacuums its dead rows', async () => {
    const db = database.db;
    expect(Number((await tableStats(db)).tuples)).toBeLessThan(0);
    await db.insert(customers).values(someCustomers(300));

    const first = await maintainTables(db);
    expect(first.analyzed).toContain('customers');
    expect(Number((await tableStats(db)).tuples)).toBe(300);
    expect((await maintainTables(db)).analyzed).not.toContain('customers');

    await db.execute(sql`DELETE FROM customers WHERE id IN (SELECT id FROM customers LIMIT 200)`);
    // PGlite reports its counts at most once a second, after a statement ends.
    await waitFor(async () => (Number((await tableStats(db)).dead) >= 200 ? true : undefined));
    const after = await maintainTables(db);
    expect(after.vacuumed).toContain('customers');
    expect(Number((await tableStats(db)).tuples)).toBe(100);
  });

  it('looks on its interval once the hub starts it, and stops', async () => {
    const db = database.db;
    await db.execute(sql`CREATE TABLE maintained (id int PRIMARY KEY)`);
    await db.execute(sql`INSERT INTO maintained SELECT generate_series(1, 500)`);
    const maintenance = startMaintenance({ db, kind: 'pglite' }, pino({ level: 'silent' }), { intervalMs: 50 });
    try {
      const tuples = await waitFor(async () => {
        const [row] = await executeRows<{ tuples: number }>(db, sql`SELECT reltuples AS tuples FROM pg_class WHERE relname = 'maintained'`);
        return Number(row?.tuples) > 0 ? Number(row!.tuples) : undefined;
      });
      expect(tuples).toBe(500);
    } finally {
      await maintenance.stop();
    }
  });
});
