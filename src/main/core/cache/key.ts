/**
 * The key the cache file is encrypted with: it holds customers' names,
 * conversations and devices, so it is encrypted at rest (SQLite3MultipleCiphers,
 * ChaCha20-Poly1305). One random 256-bit key per data folder, kept in
 * `cache.key` beside the cache: sealed by the OS (Electron's safeStorage:
 * Keychain, DPAPI, libsecret) when the console has a SecretBox; otherwise —
 * the headless console and the browser shell, on servers and in tests — in a
 * file only its user may read.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SecretBox } from '../secret-box';

export const CACHE_KEY_FILE = 'cache.key';
const KEY_BYTES = 32;

const KeyFileSchema = z.object({ version: z.literal(1), sealed: z.boolean(), key: z.string().min(1) });

/** The cache cannot be opened with the key this console has; nothing was changed. */
export class CacheKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CacheKeyError';
  }
}

/**
 * The folder's key; made when `mayCreate` (a new or not yet encrypted cache), else its absence is an
 * error. An unsealed key is sealed as soon as a SecretBox is at hand.
 */
export function cacheKey(dataDir: string, secrets?: SecretBox, { mayCreate = true } = {}): Buffer {
  const file = join(dataDir, CACHE_KEY_FILE);
  if (!existsSync(file)) {
    if (!mayCreate) throw new CacheKeyError(`the local cache in ${dataDir} is encrypted and its key (${CACHE_KEY_FILE}) is missing`);
    const key = randomBytes(KEY_BYTES);
    // Two consoles starting on one new folder: the first key written wins, the other reads it below.
    if (writeKeyFile(file, key, secrets, { exclusive: true })) return key;
  }
  const parsed = KeyFileSchema.safeParse(safeJson(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new CacheKeyError(`${file} is not a Switchboard cache key: ${z.prettifyError(parsed.error)}`);
  const { sealed, key: stored } = parsed.data;
  if (sealed && !secrets) {
    throw new CacheKeyError(`the cache key in ${file} is sealed by this computer's keychain: open this data folder with the Switchboard app`);
  }
  let key: Buffer;
  try {
    key = Buffer.from(sealed ? secrets!.open(stored) : stored, 'base64');
  } catch (error) {
    throw new CacheKeyError(`the keychain could not unseal the cache key in ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (key.length !== KEY_BYTES) throw new CacheKeyError(`the cache key in ${file} is not ${KEY_BYTES} bytes`);
  if (!sealed && secrets) writeKeyFile(file, key, secrets);
  return key;
}

/**
 * Rewrites a sealed key file unsealed (mode 0600), opened with the box that sealed it: for a console
 * that no longer trusts that box to seal (Electron on Linux's basic_text store). True when it did;
 * false when there is no sealed key; throws when the box cannot open it, leaving the file as it was.
 */
export function unsealCacheKeyFile(dataDir: string, secrets: SecretBox): boolean {
  const file = join(dataDir, CACHE_KEY_FILE);
  if (!existsSync(file)) return false;
  const parsed = KeyFileSchema.safeParse(safeJson(readFileSync(file, 'utf8')));
  if (!parsed.success || !parsed.data.sealed) return false;
  const key = Buffer.from(secrets.open(parsed.data.key), 'base64');
  if (key.length !== KEY_BYTES) throw new CacheKeyError(`the cache key in ${file} is not ${KEY_BYTES} bytes`);
  writeKeyFile(file, key);
  return true;
}

/**
 * Written whole or not at all (a crash leaves the old file or the new one), readable by this user only.
 * `exclusive`: only if there is none yet (false when another process wrote one first).
 */
function writeKeyFile(file: string, key: Buffer, secrets?: SecretBox, { exclusive = false } = {}): boolean {
  const plain = key.toString('base64');
  const content = JSON.stringify({ version: 1, sealed: secrets !== undefined, key: secrets ? secrets.seal(plain) : plain });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  if (!exclusive) {
    renameSync(temporary, file);
    return true;
  }
  try {
    // A hard link fails if the name exists, where a rename would replace it.
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
