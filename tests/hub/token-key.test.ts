/**
 * The token-signing key is kept in the database wrapped (AES-256-GCM) by a
 * key that is not there: SWITCHBOARD_TOKEN_WRAP_KEY, or `token-wrap.key` in
 * the data dir. A copy of the database alone cannot sign a token; a key from
 * before is wrapped in place; a wrap key that does not fit stops the hub
 * without changing anything.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSigningKey, TOKEN_WRAP_KEY_FILE, TOKEN_WRAP_KEY_VARIABLE, wrapKeyFile, wrapKeyFromValue, WrapKeySchema } from '../../src/hub/auth/token-key';
import { hubOptionsFromCli } from '../../src/hub/config';
import { settings } from '../../src/hub/db/schema';
import { loadDemo } from '../../src/hub/demo/load';
import { startHub, type HubOptions, type RunningHub } from '../../src/hub/hub';
import { getSetting } from '../../src/hub/repos/settings';
import { findUserWithHash } from '../../src/hub/repos/users';
import { backends, withDatabase } from './backends';

const REDIS_URL = process.env.SWITCHBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MQTT_URL = process.env.SWITCHBOARD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const newKey = () => randomBytes(32).toString('base64');

type Storage = Pick<HubOptions, 'dataDir' | 'databaseUrl'>;

const login = async (hub: RunningHub, username = 'ana') => {
  const response = await fetch(`${hub.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) });
  return (await response.json()) as { token: string; user: { id: string } };
};
const meStatus = async (hub: RunningHub, token: string) => (await fetch(`${hub.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status;
const storedSecret = (storage: Storage) => withDatabase(storage, (db) => getSetting(db, 'token_secret'));
/** A token as the hub would sign it, for `userId`, with `key`. */
const signWith = (key: Uint8Array, userId: string, role = 'admin') =>
  new SignJWT({ role, epoch: 0 }).setProtectedHeader({ alg: 'HS256' }).setSubject(userId).setIssuer('switchboard-hub').setJti(uuidv7()).setIssuedAt().setExpirationTime('1h').sign(key);

describe.each(backends)('the token-signing key on $name', (backend) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function storage(): Promise<Storage> {
    const made = await backend.storage();
    cleanups.push(made.dispose);
    return made.options;
  }
  async function start(where: Storage, extra: Partial<HubOptions> = {}): Promise<RunningHub> {
    const hub = await startHub({ ...where, port: 0, mqttPort: 0, smtpPort: 0, logLevel: 'silent', ...extra });
    cleanups.push(hub.close);
    return hub;
  }
  async function stop(hub: RunningHub): Promise<void> {
    await hub.close();
    cleanups.splice(cleanups.indexOf(hub.close), 1);
  }

  it('keeps only a wrapped key in the database, wrapped by a data-dir file only its user may read', async () => {
    const where = await storage();
    const first = await start(where, { demo: true });
    const { token, user } = await login(first);
    await stop(first);

    const file = join(where.dataDir!, TOKEN_WRAP_KEY_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(WrapKeySchema.safeParse(await readFile(file, 'utf8')).success).toBe(true);
    const stored = (await storedSecret(where))!;
    const key = await withDatabase(where, (db) => loadSigningKey(db, wrapKeyFile(where.dataDir!)));
    expect(key).toHaveLength(32);
    for (const encoded of [key.toString('base64'), key.toString('base64url'), key.toString('hex')]) {
      expect(stored).not.toBe(encoded);
      expect(stored).not.toContain(encoded);
    }

    const second = await start(where);
    expect(await meStatus(second, token)).toBe(200);
    // Whoever holds a copy of the database cannot make a token from what it stores.
    const sealed = stored.slice(stored.indexOf(':') + 1);
    for (const guess of [Buffer.from(stored, 'base64'), Buffer.from(stored), Buffer.from(sealed, 'base64'), Buffer.from(sealed)]) {
      expect(await meStatus(second, await signWith(guess, user.id))).toBe(401);
    }
    expect(await meStatus(second, await signWith(key, user.id))).toBe(200);
  }, 120_000);

  it('wraps a plain key from before in place: the tokens it signed still verify', async () => {
    const where = await storage();
    const plain = randomBytes(32);
    const before = await withDatabase(where, async (db) => {
      await loadDemo(db, pino({ level: 'silent' }));
      await db.insert(settings).values({ key: 'token_secret', value: plain.toString('base64') });
      return signWith(plain, (await findUserWithHash(db, 'sam'))!.user.id, 'supervisor');
    });
    const wrapKey = newKey();
    const hub = await start(where, { tokenWrapKey: wrapKey });
    expect(await meStatus(hub, before)).toBe(200);
    await stop(hub);

    const stored = (await storedSecret(where))!;
    expect(stored).not.toContain(plain.toString('base64'));
    expect(await withDatabase(where, (db) => loadSigningKey(db, wrapKeyFromValue(wrapKey)))).toEqual(plain);
    // Given the variable, the hub makes no key file.
    expect(existsSync(join(where.dataDir!, TOKEN_WRAP_KEY_FILE))).toBe(false);
  }, 120_000);

  it('refuses to start with a wrap key that does not fit, or none, naming the variable, and changes nothing', async () => {
    const where = await storage();
    await stop(await start(where, { demo: true, tokenWrapKey: newKey() }));
    const stored = await storedSecret(where);

    await expect(start(where, { tokenWrapKey: newKey() })).rejects.toThrow(new RegExp(`cannot be unwrapped[\\s\\S]*${TOKEN_WRAP_KEY_VARIABLE}`));
    // No variable and no file: no key is made up.
    const file = join(where.dataDir!, TOKEN_WRAP_KEY_FILE);
    await expect(start(where)).rejects.toThrow(new RegExp(`no wrap key[\\s\\S]*${TOKEN_WRAP_KEY_VARIABLE}`));
    expect(existsSync(file)).toBe(false);
    // Another deployment's file.
    await writeFile(file, `${newKey()}\n`, { mode: 0o600 });
    await expect(start(where)).rejects.toThrow(new RegExp(`cannot be unwrapped with the key in ${file}[\\s\\S]*${TOKEN_WRAP_KEY_VARIABLE}`));

    expect(await storedSecret(where)).toBe(stored);
  }, 120_000);

  it.runIf(backend.name === 'postgres')('lets hubs that share the wrap key verify each other’s tokens; a hub with its own key file cannot join', async () => {
    const where = await storage();
    const dirs = await Promise.all([0, 1, 2].map(() => mkdtemp(join(tmpdir(), 'switchboard-wrap-'))));
    cleanups.push(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));
    const wrapKey = newKey();
    const a = await start({ databaseUrl: where.databaseUrl, dataDir: dirs[0] }, { demo: true, tokenWrapKey: wrapKey });
    const b = await start({ databaseUrl: where.databaseUrl, dataDir: dirs[1] }, { tokenWrapKey: wrapKey });
    expect(await meStatus(b, (await login(a, 'ivan')).token)).toBe(200);
    expect(await meStatus(a, (await login(b, 'tess')).token)).toBe(200);
    await expect(start({ databaseUrl: where.databaseUrl, dataDir: dirs[2] })).rejects.toThrow(TOKEN_WRAP_KEY_VARIABLE);
  }, 120_000);

  it.runIf(backend.name === 'postgres')('without the variable: refuses hubs sharing the database through Redis, warns a hub on Postgres alone', async () => {
    const where = await storage();
    await expect(start(where, { redisUrl: REDIS_URL, mqttUrl: MQTT_URL })).rejects.toThrow(
      new RegExp(`share this database[\\s\\S]*set ${TOKEN_WRAP_KEY_VARIABLE}[\\s\\S]*same value on every hub`),
    );
    const lines: string[] = [];
    await start(where, { logLevel: 'warn', logStream: { write: (line) => void lines.push(line) } });
    expect(lines.map((line) => JSON.parse(line) as { level: number; msg: string })).toContainEqual(
      expect.objectContaining({ level: 40, msg: expect.stringContaining(`${TOKEN_WRAP_KEY_VARIABLE} is not set`) }),
    );
  }, 120_000);
});

describe('the token wrap key option', () => {
  it('comes from --token-wrap-key or SWITCHBOARD_TOKEN_WRAP_KEY (the flag wins), and must be base64 of 32 bytes', () => {
    const [flag, variable] = [newKey(), newKey()];
    expect(hubOptionsFromCli([], { SWITCHBOARD_TOKEN_WRAP_KEY: variable }).tokenWrapKey).toBe(variable);
    expect(hubOptionsFromCli(['--token-wrap-key', flag], { SWITCHBOARD_TOKEN_WRAP_KEY: variable }).tokenWrapKey).toBe(flag);
    for (const bad of ['not base64!', randomBytes(16).toString('base64')]) {
      let message = '';
      try {
        hubOptionsFromCli([], { SWITCHBOARD_TOKEN_WRAP_KEY: bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/tokenWrapKey/);
      expect(message).toContain('base64 key of 32 bytes');
      // A key, even a wrong one, never reaches an error message.
      expect(message).not.toContain(bad);
    }
  });
});
