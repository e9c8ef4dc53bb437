import { is, type SQL, sql } from 'drizzle-orm';
import { PgliteDatabase } from 'drizzle-orm/pglite';
import type { Db } from './connect';
import { executeRows } from './execute-rows';
import { postgresTransaction } from './pg-transaction';

const REV_LOCK = 4711;
// Embedded PGlite has one connection that runs one transaction at a time, and only one hub opens its data dir.
const needsRevLock = (db: Db) => !is(db, PgliteDatabase);

/**
 * Every write that allocates revs runs here. The transaction-scoped advisory
 * lock makes writers commit in the order they drew their revs — across hub
 * instances sharing one Postgres too — so a client paging by `rev > cursor`
 * can never skip a row that commits late with a smaller rev (PGlite needs no
 * lock, see needsRevLock).
 */
export function writeTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const locking = needsRevLock(db);
  return transactionOn(db)(async (tx) => {
    if (locking) await tx.execute(sql`SELECT pg_advisory_xact_lock(${REV_LOCK})`);
    return fn(tx as unknown as Db);
  });
}

/**
 * The transaction a write runs in: on Postgres our own (pg-transaction.ts), whose last statement can carry
 * its COMMIT as the embedded worker's can; drizzle's elsewhere.
 */
function transactionOn(db: Db): <T>(fn: (tx: Db) => Promise<T>) => Promise<T> {
  return needsRevLock(db) ? (fn) => postgresTransaction(db, fn) : (fn) => db.transaction((tx) => fn(tx as unknown as Db));
}

/** Takes the rev lock (when the backend needs it) and draws `count` revs, in one round trip. */
export interface DrawRevs {
  (count: number): Promise<number[]>;
  /**
   * Where no lock is taken (embedded PGlite), `count` revs drawn inside the transaction's first
   * statement instead, one round trip less: a scalar subquery giving them as a JSON array (read
   * with `revsFrom`). Null where drawing takes the lock, which must wait for the writes' turn.
   */
  inline(count: number): SQL | null;
}

/** The revs an inline draw gave, in the order drawn. */
export const revsFrom = (column: unknown): number[] => (typeof column === 'string' ? (JSON.parse(column) as unknown[]) : (column as unknown[])).map(Number);

/**
 * A write transaction that holds the rev lock only from its first rev to its
 * commit, so its reads (and the row locks they take) do not keep every other
 * writer waiting: all writes are serialised by that lock, and each round trip
 * to Postgres under it costs every writer. Every rev the transaction allocates
 * must come from `drawRevs`, including rows inserted with the default rev:
 * draw first, or write the rev explicitly.
 */
export function writeTransactionLockingLate<T>(db: Db, fn: (tx: Db, drawRevs: DrawRevs) => Promise<T>): Promise<T> {
  const locking = needsRevLock(db);
  return transactionOn(db)(async (tx) => {
    // The lock is the CTE's one row, which every drawn row joins, so it is held before the first nextval.
    const draw = async (count: number) => {
      const query = !locking
        ? sql`SELECT nextval('rev_seq') AS rev FROM generate_series(1, ${count})`
        : sql`WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock(${REV_LOCK})) SELECT nextval('rev_seq') AS rev FROM locked, generate_series(1, ${count})`;
      const drawn = await executeRows<{ rev: string }>(tx, query);
      return drawn.map((r) => Number(r.rev));
    };
    const inline = (count: number) => (locking ? null : sql`(SELECT coalesce(json_agg(nextval('rev_seq') ORDER BY n), '[]'::json) FROM generate_series(1, ${count}::int) n)`);
    return fn(tx as unknown as Db, Object.assign(draw, { inline }));
  });
}
