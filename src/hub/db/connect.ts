/**
 * Opens the hub's database: embedded PGlite on disk by default, a real
 * Postgres when a URL is given — both behind the same drizzle database type.
 */
import { mkdirSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema';
import { migrate } from './migrate';
import { redactCredentials } from '../ops/redact';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function openDatabase(opts: { databaseUrl?: string; dataDir?: string }, warn: (message: string) => void = () => undefined): Promise<Database> {
  let database: Database;
  const url = opts.databaseUrl;
  if (url) {
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle connection dropped by the server must not crash the hub; the pool reconnects on next use.
    pool.on('error', (error) => warn(`postgres connection lost: ${error.message}`));
    // Reached once on its own first, so a wrong URL or a server that is down is told with the URL — never its password.
    await pool.query('SELECT 1').catch(async (error: unknown) => {
      await pool.end();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot open the database at ${redactCredentials(url)}: ${redactCredentials(reason)}`);
    });
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    database = { db, kind: 'postgres', ping: () => ping(db), close: () => pool.end() };
  } else {
    if (!opts.dataDir) throw new Error('either a data dir or a database URL is required');
    mkdirSync(opts.dataDir, { recursive: true });
    const client = await PGlite.create(`${opts.dataDir}/pgdata`);
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    database = { db, kind: 'pglite', ping: () => ping(db), close: () => client.close() };
  }
  try {
    await migrate(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

async function ping(db: Db): Promise<boolean> {
  try {
    await db.execute(sql`SELECT 1`);
    return true;
  } catch {
    return false;
  }
}
