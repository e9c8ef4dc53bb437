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
