/**
 * The rows a raw statement answers. Drizzle types `execute` per driver;
 * PGlite (and its worker's proxy) and node-postgres both answer `{ rows }`,
 * json parsed, which is all the hub reads of it: one cast, here.
 */
import type { SQL } from 'drizzle-orm';
import type { Db } from './connect';

export async function executeRows<T = Record<string, unknown>>(db: Db, statement: SQL): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown as { rows: T[] };
  return result.rows;
}

/** What drizzle's PGlite session holds as its `client` inside a transaction: the worker's proxy can end it with a query. */
interface EndsWithQuery {
  commitWithNext?: () => void;
}

/**
 * `executeRows` for a transaction's LAST statement: where the driver can (the
 * embedded database's worker, pglite-proxy.ts), the commit travels with it, so
 * the transaction — and the write turn it holds — ends without one more round
 * trip to this thread. Nothing may run in the transaction after it; elsewhere
 * (Postgres, PGlite on this thread) it is `executeRows` and the commit follows
 * as usual.
 */
export function executeLastRows<T = Record<string, unknown>>(tx: Db, statement: SQL): Promise<T[]> {
  const client = (tx as unknown as { session?: { client?: EndsWithQuery } }).session?.client;
  client?.commitWithNext?.();
  return executeRows<T>(tx, statement);
}
