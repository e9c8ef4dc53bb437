/** Opens the console's SQLite cache (WAL) and brings its schema up to date. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cacheMigrations } from './migrations';

export type CacheDb = Database.Database;

export class CacheTooNewError extends Error {
  constructor(found: number, known: number) {
    super(`the local cache is at version ${found}, newer than this console knows (${known}); update Switchboard`);
    this.name = 'CacheTooNewError';
  }
}

export function openCache(dataDir: string, opts: { nativeBinding?: string; migrations?: typeof cacheMigrations } = {}): CacheDb {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, 'cache.sqlite'), opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrateCache(db, opts.migrations ?? cacheMigrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export function migrateCache(db: CacheDb, migrations: typeof cacheMigrations): void {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > known) throw new CacheTooNewError(current, known);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
