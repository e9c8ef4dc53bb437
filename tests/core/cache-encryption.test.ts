/**
 * The cache holds customers' names, conversations and devices: on disk it is
 * encrypted, its key sealed by the OS keychain where the console has one, and
 * a cache that cannot be unlocked is refused without being touched.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3-multiple-ciphers';
import { type Cache, CACHE_FILE, CACHE_KEY_FILE, CacheKeyError, openCache } from '../../src/main/core/cache';
import { openCacheDbWithKey } from '../../src/main/core/cache/database';
import { cacheKey } from '../../src/main/core/cache/key';
import type { SecretBox } from '../../src/main/core/secret-box';
import { aCustomer, aMessage, aQueue, openCacheFile, tempDir } from './fixtures';

const NAME = 'Sigríður Þórsdóttir';
const NOTE = 'Gate code 4711, the dog is friendly';

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  dir = await tempDir('switchboard-cache-crypt-');
});
afterEach(async () => {
  await dir.remove();
});

/** Every file SQLite keeps for the cache (the write-ahead log holds recent commits until a checkpoint). */
function filesOnDisk(): Buffer {
  return Buffer.concat(['', '-wal', '-journal'].map((suffix) => join(dir.path, CACHE_FILE + suffix)).filter(existsSync).map((file) => readFileSync(file)));
}
const holdsPlainText = () => {
  const bytes = filesOnDisk();
  return [NAME, NOTE].some((text) => bytes.includes(Buffer.from(text)));
};
/** Whether the cache file reads with its key under `cipher` (SQLite3 Multiple Ciphers' scheme name) and no other. */
function readsWith(cipher: string): boolean {
  const db = new Database(join(dir.path, CACHE_FILE), { fileMustExist: true });
  try {
    db.pragma(`cipher = '${cipher}'`);
    db.pragma(`hexkey = '${cacheKey(dir.path).toString('hex')}'`);
    db.pragma('user_version', { simple: true });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') return false;
    throw error;
  } finally {
    db.close();
  }
}

/** Rewrites the cache where it lies as an earlier Switchboard left it: `pragmas` after the write-ahead log is folded in. */
function rewriteCache(pragmas: string[]): void {
  const db = openCacheFile(dir.path);
  try {
    db.pragma('journal_mode = DELETE');
    for (const pragma of pragmas) db.pragma(pragma);
  } finally {
    db.close();
  }
}

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function storeCustomerAndNote(cache: Cache): { customerId: string } {
  const queue = aQueue();
  const customer = aCustomer({ name: NAME, rev: 1 });
  cache.apply('queue', queue, 1);
  cache.apply('customer', customer, 2);
  cache.apply('message', aMessage({ caseId: queue.id, body: NOTE, rev: 3 }), 3);
  return { customerId: customer.id };
}

/** Stands in for Electron's safeStorage: AES-256-GCM under a key the "OS" keeps. */
function keychain(): SecretBox {
  const osKey = randomBytes(32);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', osKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', osKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

describe('the cache at rest', () => {
  it('keeps no customer name or conversation readable in its files, open or closed, and reads them back', () => {
    const cache = openCache(dir.path);
    const { customerId } = storeCustomerAndNote(cache);
    expect(holdsPlainText()).toBe(false);
    cache.close();
    expect(holdsPlainText()).toBe(false);
    expect(readFileSync(join(dir.path, CACHE_FILE)).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');

    const again = openCache(dir.path);
    try {
      expect(again.customers.byId(customerId)?.name).toBe(NAME);
    } finally {
      again.close();
    }
  });

  it('is written with AEGIS-256, the cipher the CPU’s AES instructions run', () => {
    const cache = openCache(dir.path);
    storeCustomerAndNote(cache);
    cache.close();
    expect(readsWith('aegis')).toBe(true);
    expect(readsWith('chacha20')).toBe(false);
  });

  it('encrypts a cache an earlier Switchboard wrote with ChaCha20 again with AEGIS-256, keeping every row; a second connection only reads it', () => {
    const cache = openCache(dir.path);
    const { customerId } = storeCustomerAndNote(cache);
    cache.close();
    // What an earlier Switchboard left: the same cache and key, under ChaCha20 (the library's default then).
    rewriteCache(["cipher = 'chacha20'", `hexrekey = '${cacheKey(dir.path).toString('hex')}'`]);
    expect(readsWith('chacha20')).toBe(true);

    // A second connection (the pull thread's) is given the key and reads the file as the first one left it.
    const second = openCacheDbWithKey(dir.path, { key: cacheKey(dir.path) });
    second.db.close();
    expect(readsWith('chacha20')).toBe(true);

    const upgraded = openCache(dir.path);
    try {
      expect(upgraded.customers.byId(customerId)?.name).toBe(NAME);
    } finally {
      upgraded.close();
    }
    expect(readsWith('aegis')).toBe(true);
    expect(readsWith('chacha20')).toBe(false);
    expect(holdsPlainText()).toBe(false);
  });

  it('keeps its key in a file only this user may read', () => {
    openCache(dir.path).close();
    const keyFile = join(dir.path, CACHE_KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(keyFile, 'utf8'))).toMatchObject({ version: 1, sealed: false });
  });

  it('encrypts a cache written before encryption where it lies, keeping every row', () => {
    const cache = openCache(dir.path);
    const { customerId } = storeCustomerAndNote(cache);
    cache.close();
    // What an earlier Switchboard left: the same cache in plain SQLite, and no key file.
    rewriteCache(["rekey = ''"]);
    rmSync(join(dir.path, CACHE_KEY_FILE));
    expect(holdsPlainText()).toBe(true);

    const upgraded = openCache(dir.path);
    try {
      expect(upgraded.customers.byId(customerId)?.name).toBe(NAME);
      expect(holdsPlainText()).toBe(false);
    } finally {
      upgraded.close();
    }
    expect(holdsPlainText()).toBe(false);
  });

  it('refuses a cache its key cannot open, with a clear error, and leaves the file as it was', () => {
    const cache = openCache(dir.path);
    storeCustomerAndNote(cache);
    cache.close();
    const file = join(dir.path, CACHE_FILE);
    const before = digest(file);
    const keyFile = join(dir.path, CACHE_KEY_FILE);
    const rightKey = readFileSync(keyFile);
    // Another key (e.g. the folder was copied beside another console's key file).
    writeFileSync(keyFile, JSON.stringify({ version: 1, sealed: false, key: randomBytes(32).toString('base64') }));
    expect(() => openCache(dir.path)).toThrow(CacheKeyError);
    expect(() => openCache(dir.path)).toThrow(/cannot be read with this console's key/);
    // No key at all: none is made up, which would lock the data away for good.
    rmSync(keyFile);
    expect(() => openCache(dir.path)).toThrow(/is encrypted and its key \(cache.key\) is missing/);
    expect(existsSync(keyFile)).toBe(false);
    expect(digest(file)).toBe(before);
    // With its own key back, it opens.
    writeFileSync(keyFile, rightKey);
    openCache(dir.path).close();
  });

  it('refuses a malformed key file without touching the cache', () => {
    openCache(dir.path).close();
    const file = join(dir.path, CACHE_FILE);
    const before = digest(file);
    writeFileSync(join(dir.path, CACHE_KEY_FILE), '{"version":1,"sealed":false}');
    expect(() => openCache(dir.path)).toThrow(/is not a Switchboard cache key/);
    writeFileSync(join(dir.path, CACHE_KEY_FILE), JSON.stringify({ version: 1, sealed: false, key: randomBytes(16).toString('base64') }));
    expect(() => openCache(dir.path)).toThrow(/is not 32 bytes/);
    expect(digest(file)).toBe(before);
  });

  it('seals its key with the OS keychain when there is one, and needs the keychain from then on', () => {
    const box = keychain();
    const cache = openCache(dir.path, { secrets: box });
    const { customerId } = storeCustomerAndNote(cache);
    cache.close();
    const stored = JSON.parse(readFileSync(join(dir.path, CACHE_KEY_FILE), 'utf8')) as { sealed: boolean; key: string };
    expect(stored.sealed).toBe(true);
    // What the file holds is not the key: only the keychain turns it into one.
    expect(Buffer.from(stored.key, 'base64')).not.toHaveLength(32);

    expect(() => openCache(dir.path)).toThrow(/sealed by this computer's keychain/);
    expect(() => openCache(dir.path, { secrets: keychain() })).toThrow(/could not unseal/);
    const again = openCache(dir.path, { secrets: box });
    try {
      expect(again.customers.byId(customerId)?.name).toBe(NAME);
    } finally {
      again.close();
    }
  });

  it('seals a key written without a keychain once one is at hand, keeping the data readable', () => {
    const cache = openCache(dir.path);
    const { customerId } = storeCustomerAndNote(cache);
    cache.close();
    const box = keychain();
    const sealed = openCache(dir.path, { secrets: box });
    try {
      expect(sealed.customers.byId(customerId)?.name).toBe(NAME);
    } finally {
      sealed.close();
    }
    expect(JSON.parse(readFileSync(join(dir.path, CACHE_KEY_FILE), 'utf8'))).toMatchObject({ sealed: true });
    expect(() => openCache(dir.path)).toThrow(CacheKeyError);
  });
});
