/**
 * Opens the hub's database: embedded PGlite on disk by default, a real
 * Postgres when a URL is given — both behind the same drizzle database type.
 * Embedded PGlite runs in a worker thread (pglite-proxy.ts), off the hub's
 * event loop.
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
import { PGliteWorker } from './pglite-proxy';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir?: string;
  /**
   * Where embedded PGlite runs: in a worker thread (the default), so the hub's event loop never waits
   * for it, or on the hub's own thread (no message per query: lower latency per query, but each query
   * holds the loop for as long as it runs).
   */
  pgliteThread?: 'worker' | 'main';
}

export async function openDatabase(opts: DatabaseOptions, warn: (message: string) => void = () => undefined): Promise<Database> {
  let database: Database;
  const url = opts.databaseUrl;
  if (url) {
    // Pipelined: the reads a transaction sends at once (batch look-ups, a routing round) go out together on its one
    // connection instead of queueing behind each other (which node-postgres 8 deprecates and 9 refuses).
    const pool = new pg.Pool({ connectionString: url, max: 10, pipeline: true });
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
    const dir = `${opts.dataDir}/pgdata`;
    const client = opts.pgliteThread === 'main' ? await PGlite.create(dir) : await PGliteWorker.create(dir);
    // drizzle's PGlite driver uses only the part of PGlite's interface the worker's proxy implements.
    const db = drizzlePglite(client as unknown as PGlite, { schema }) as unknown as Db;
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
