/** Opens the console's encrypted SQLite cache file and brings its schema up to date. */
import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { SecretBox } from '../secret-box';
import { CacheKeyError, cacheKey } from './key';
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
  /** The SQLite addon built for another ABI (Electron's). */
  nativeBinding?: string;
  /** Seals the cache's key (Electron: safeStorage); without one the key file is readable by this user only. */
  secrets?: SecretBox;
  /** Tests replace the list to exercise upgrades. */
  migrations?: readonly CacheMigration[];
  /** A second connection to a cache another one opened (the pull thread): that one's key, its file neither created nor encrypted here. */
  key?: Buffer;
}

export function openCacheDb(dataDir: string, opts: OpenCacheOptions = {}): CacheDb {
  return openCacheDbWithKey(dataDir, opts).db;
}

/** The connection and the key it was opened with (for a second connection, in another thread). */
export function openCacheDbWithKey(dataDir: string, opts: OpenCacheOptions = {}): { db: CacheDb; key: Buffer } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, CACHE_FILE);
  const plain = !opts.key && isPlainSqlite(file);
  // A new key only for a new cache or one written before encryption: any other would lock the data away.
  const key = opts.key ?? cacheKey(dataDir, opts.secrets, { mayCreate: plain || !hasContent(file) });
  const db = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  try {
    // A second connection only reads the cipher the first one left.
    if (plain || (unlock(db, key, file) !== null && !opts.key)) encryptInPlace(db, key);
    db.pragma('journal_mode = WAL');
    // WAL + NORMAL survives process crashes; only an OS crash can lose the last commits, which the next pull refetches.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 64 MiB of page cache (SQLite's default is 2 MiB): a bootstrap of many thousand cases otherwise spills index pages to disk.
    db.pragma('cache_size = -65536');
    // Statement journals (a write that fires case_counts' triggers keeps one) in memory, not a temporary file each.
    db.pragma('temp_store = MEMORY');
    migrateCache(db, opts.migrations ?? cacheMigrations);
    return { db, key };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The cipher the cache is written with: AEGIS-256, which runs on the CPU's AES instructions — a bulk load of
 * 100,000 cases costs as much with it as with no encryption at all on this machine, and 40 % more with ChaCha20,
 * the library's default and what caches were written with before (OLDER_CIPHERS). Both are authenticated.
 */
const CIPHER = 'aegis';
/** What a cache may have been written with before; the first connection to open one re-encrypts it with CIPHER. */
const OLDER_CIPHERS: readonly string[] = ['chacha20'];

/**
 * Opens an encrypted cache with its key (run before anything else on the connection): with CIPHER, or with
 * the cipher an older cache was written with, which it answers. Null: a new file, or one in CIPHER.
 */
export function unlock(db: CacheDb, key: Buffer, file: string): string | null {
  for (const cipher of [CIPHER, ...OLDER_CIPHERS]) {
    db.pragma(`cipher = '${cipher}'`);
    // The key is hex of our own random bytes, never user text.
    db.pragma(`hexkey = '${key.toString('hex')}'`);
    try {
      db.pragma('user_version', { simple: true });
      return cipher === CIPHER ? null : cipher;
    } catch (error) {
      // A wrong key (or cipher) reads as "not a database": SQLite cannot tell it from garbage.
      if ((error as { code?: string }).code !== 'SQLITE_NOTADB') throw error;
    }
  }
  throw new CacheKeyError(`the local cache ${file} cannot be read with this console's key; it was left as it is`);
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** A cache written before it was encrypted: the plain SQLite header (an encrypted file starts with random bytes). */
function isPlainSqlite(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    return readSync(fd, header, 0, header.length, 0) === header.length && header.equals(SQLITE_HEADER);
  } finally {
    closeSync(fd);
  }
}

function hasContent(file: string): boolean {
  try {
    return statSync(file).size > 0;
  } catch {
    return false;
  }
}

/** Encrypts a plain cache where it lies, or an older one again with CIPHER, keeping every row; rekeying needs the write-ahead log folded in first. */
function encryptInPlace(db: CacheDb, key: Buffer): void {
  db.pragma('journal_mode = DELETE');
  db.pragma(`cipher = '${CIPHER}'`);
  db.pragma(`hexrekey = '${key.toString('hex')}'`);
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
      migration.backfill?.(db);
      // PRAGMA takes no parameters; the version is an integer from our own list.
      db.pragma(`user_version = ${Math.trunc(migration.version)}`);
    })();
  }
}
