/** Opens the console's SQLite cache file and brings its schema up to date. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type CacheMigration, cacheMigrations } from './migrations';

export type CacheDb = Database.Database;

export const CACHE_FILE = 'cache.sqlite';

/** The file was written by a newer Switchboard; opening it could corrupt it. */
export class CacheTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`the local cache is at schema version ${found}, newer than this console knows (${known}); update Switchboard`);
    this.name = 'CacheTooNewError';
  }
}

export interface OpenCacheOptions {
  /** better-sqlite3's addon built for another ABI (Electron's). */
  nativeBinding?: string;
  /** Tests replace the list to exercise upgrades. */
  migrations?: readonly CacheMigration[];
}

export function openCacheDb(dataDir: string, opts: OpenCacheOptions = {}): CacheDb {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, CACHE_FILE), opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL survives process crashes; only an OS crash can lose the last commits, which the next pull refetches.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 64 MiB of page cache (SQLite's default is 2 MiB): a bootstrap of many thousand cases otherwise spills index pages to disk.
    db.pragma('cache_size = -65536');
    migrateCache(db, opts.migrations ?? cacheMigrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function schemaVersion(db: CacheDb): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrateCache(db: CacheDb, migrations: readonly CacheMigration[]): void {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const current = schemaVersion(db);
  if (current > known) throw new CacheTooNewError(current, known);
  const pending = migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      // PRAGMA takes no parameters; the version is an integer from our own list.
      db.pragma(`user_version = ${Math.trunc(migration.version)}`);
    })();
  }
}
