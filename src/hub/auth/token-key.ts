/**
 * The key session tokens are signed with. It lives in the database, so every
 * hub of a deployment signs and verifies alike, but only wrapped (AES-256-GCM)
 * by a key that is not in the database: `SWITCHBOARD_TOKEN_WRAP_KEY`, shared
 * by the hubs of a deployment, or — for a hub on its own — `token-wrap.key` in
 * its data dir, readable by its user only. A copy of the database alone
 * cannot sign a token.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Db } from '../db/connect';
import { getOrInitSetting, getSetting, replaceSetting } from '../repos/settings';

export const TOKEN_WRAP_KEY_VARIABLE = 'SWITCHBOARD_TOKEN_WRAP_KEY';
export const TOKEN_WRAP_KEY_FILE = 'token-wrap.key';
const SETTING = 'token_secret';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Marks a wrapped value; a value without it is a plain key from before wrapping.
const WRAPPED = 'aes-256-gcm:';
// Binds the wrapped value to its use: the same wrap key sealing something else cannot stand in for it.
const AAD = Buffer.from('switchboard token_secret');
const HOW_TO_MAKE = 'a base64 key of 32 bytes, e.g. from `openssl rand -base64 32`';

/** A wrap key as given in the variable, the flag or the file: base64 of 32 bytes. */
export const WrapKeySchema = z
  .string()
  .trim()
  .pipe(z.base64(`must be ${HOW_TO_MAKE}`))
  .refine((text) => Buffer.from(text, 'base64').length === KEY_BYTES, `must be ${HOW_TO_MAKE}`);

/** The hub cannot get at its token-signing key; nothing was changed. */
export class TokenKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenKeyError';
  }
}

export interface WrapKeySource {
  /** Where the key comes from, for messages. */
  describe: string;
  /** The key, or null when there is none yet (a data dir whose file is not made yet). */
  read(): Buffer | null;
  /** The key, made first when there is none yet. */
  readOrCreate(): Buffer;
}

export function wrapKeyFromValue(value: string, describe = TOKEN_WRAP_KEY_VARIABLE): WrapKeySource {
  const parsed = WrapKeySchema.safeParse(value);
  if (!parsed.success) throw new TokenKeyError(`${describe} ${parsed.error.issues[0]!.message}`);
  const key = Buffer.from(parsed.data, 'base64');
  return { describe, read: () => key, readOrCreate: () => key };
}

/** `token-wrap.key` in the data dir: made once, exclusively, readable by this user only. */
export function wrapKeyFile(dataDir: string): WrapKeySource {
  const file = join(dataDir, TOKEN_WRAP_KEY_FILE);
  const describe = `the key in ${file}`;
  const read = () => (existsSync(file) ? wrapKeyFromValue(readFileSync(file, 'utf8'), file).read() : null);
  return {
    describe,
    read,
    readOrCreate() {
      // Two hubs starting on one new folder: the first file written wins, the other reads it.
      if (!existsSync(file)) {
        mkdirSync(dataDir, { recursive: true });
        writeExclusive(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`);
      }
      return read()!;
    },
  };
}

/**
 * The wrap key a hub uses: the variable when set; else its data dir's file — refused when several
 * hubs share the database (each would make its own file, and none could verify the others' tokens).
 */
export function wrapKeySource(
  opts: { tokenWrapKey?: string; dataDir?: string; databaseUrl?: string; redisUrl?: string },
  warn: (message: string) => void,
): WrapKeySource {
  if (opts.tokenWrapKey) return wrapKeyFromValue(opts.tokenWrapKey);
  if (opts.databaseUrl && opts.redisUrl) {
    throw new TokenKeyError(
      `several hubs share this database (a Redis URL is set): set ${TOKEN_WRAP_KEY_VARIABLE} (or --token-wrap-key) to the same value on every hub, ${HOW_TO_MAKE}; hubs with their own ${TOKEN_WRAP_KEY_FILE} could not verify each other's tokens`,
    );
  }
  if (!opts.dataDir) throw new TokenKeyError(`no token wrap key: set ${TOKEN_WRAP_KEY_VARIABLE} (or --token-wrap-key) to ${HOW_TO_MAKE}, or give the hub a data dir`);
  const source = wrapKeyFile(opts.dataDir);
  if (opts.databaseUrl) warn(`${TOKEN_WRAP_KEY_VARIABLE} is not set: the token-signing key in Postgres is wrapped by ${source.describe}; set the variable before a second hub joins`);
  return source;
}

/**
 * The token-signing key: unwrapped from the database; made (wrapped) on a new database; a plain one
 * from before wrapping is wrapped in place — the same key, so the tokens it signed stay valid. A
 * wrapped key that the given wrap key cannot open is an error: a new key made up here would sign
 * everyone out and leave the database with a key no one can open.
 */
export async function loadSigningKey(db: Db, source: WrapKeySource): Promise<Buffer> {
  const stored = await getSetting(db, SETTING);
  if (stored?.startsWith(WRAPPED)) {
    const wrapKey = source.read();
    if (!wrapKey) {
      throw new TokenKeyError(
        `the token-signing key in the database is wrapped, and there is no wrap key (${source.describe} does not exist): set ${TOKEN_WRAP_KEY_VARIABLE} (or --token-wrap-key) to this deployment's key, or put its ${TOKEN_WRAP_KEY_FILE} back`,
      );
    }
    return unwrapOrFail(stored, wrapKey, source);
  }
  const wrapKey = source.readOrCreate();
  if (stored !== null) {
    const plain = Buffer.from(stored, 'base64');
    if (plain.length === 0) throw new TokenKeyError(`the database's ${SETTING} setting is neither a wrapped nor a plain key`);
    // Hubs starting together all try: only the first replaces the plain value.
    await replaceSetting(db, SETTING, stored, wrap(plain, wrapKey));
  } else {
    await getOrInitSetting(db, SETTING, wrap(randomBytes(KEY_BYTES), wrapKey));
  }
  return unwrapOrFail((await getSetting(db, SETTING))!, wrapKey, source);
}

function wrap(key: Buffer, wrapKey: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', wrapKey, iv).setAAD(AAD);
  const sealed = Buffer.concat([cipher.update(key), cipher.final()]);
  return WRAPPED + Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

function unwrapOrFail(value: string, wrapKey: Buffer, source: WrapKeySource): Buffer {
  const bytes = Buffer.from(value.slice(WRAPPED.length), 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', wrapKey, bytes.subarray(0, IV_BYTES)).setAAD(AAD);
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new TokenKeyError(
      `the token-signing key in the database cannot be unwrapped with ${source.describe}: it was wrapped with another key. Start the hub with this deployment's ${TOKEN_WRAP_KEY_VARIABLE} (or --token-wrap-key) or its ${TOKEN_WRAP_KEY_FILE}; nothing was changed`,
    );
  }
}

/** Written whole, only if there is none yet, readable by this user only. */
function writeExclusive(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600 });
  try {
    // A hard link fails if the name exists, where a rename would replace it.
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}
