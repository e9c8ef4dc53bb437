import { sql } from 'drizzle-orm';
import type { Db } from './connect';

const REV_LOCK = 4711;

/**
 * Every write that allocates revs runs here. The transaction-scoped advisory
 * lock makes writers commit in the order they drew their revs — across hub
 * instances sharing one Postgres too — so a client paging by `rev > cursor`
 * can never skip a row that commits late with a smaller rev.
 */
export function writeTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${REV_LOCK})`);
    return fn(tx as unknown as Db);
  });
}
