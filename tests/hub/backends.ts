/**
 * The hub suite runs on both storage backends: embedded PGlite in a temp dir
 * and the Postgres on this machine, in a database created for the run and
 * dropped after it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Db } from '../../src/hub/db/connect';
import * as schema from '../../src/hub/db/schema';
import { startHub, type HubOptions, type RunningHub } from '../../src/hub/hub';
import { pgliteDataDir } from '../support/pglite-template';

export const PG_ADMIN_URL = process.env.SWITCHBOARD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** Fresh storage options for one hub; `dispose` removes the storage. */
  storage(): Promise<{ options: Pick<HubOptions, 'dataDir' | 'databaseUrl'>; dispose(): Promise<void> }>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export const backends: Backend[] = [
  {
    name: 'pglite',
    async storage() {
      const dir = await pgliteDataDir();
      return { options: { dataDir: dir }, dispose: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    async storage() {
      const name = `switchboard_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      await withAdmin((c) => c.query(`CREATE DATABASE ${name}`));
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${name}`;
      // A hub on Postgres alone keeps its token wrap key in its data dir.
      const dir = await mkdtemp(join(tmpdir(), 'switchboard-hub-pg-'));
      return {
        options: { databaseUrl: url.href, dataDir: dir },
        async dispose() {
          await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

export interface TestHub extends RunningHub {
  /** Where this hub keeps its data (a PGlite dir or a Postgres URL). */
  storage: Pick<HubOptions, 'dataDir' | 'databaseUrl'>;
  login(username: string, password?: string): Promise<string>;
  get(path: string, token?: string): Promise<Response>;
  post(path: string, body: unknown, token?: string): Promise<Response>;
}

/**
 * A database of `backend` for the tests of one describe block, with no hub: opened before them, closed and
 * its storage removed after. `db` is read inside the tests (it exists once the block's set-up has run).
 */
export function databaseOf(backend: Backend): { readonly db: Db } {
  let storage: Awaited<ReturnType<Backend['storage']>> | undefined;
  let database: Awaited<ReturnType<typeof openDatabase>> | undefined;
  beforeAll(async () => {
    storage = await backend.storage();
    database = await openDatabase(storage.options);
  });
  afterAll(async () => {
    await database?.close();
    await storage?.dispose();
  });
  return {
    get db() {
      if (!database) throw new Error('the database is opened in beforeAll: read db inside a test');
      return database.db;
    },
  };
}

/**
 * Opens the storage directly, e.g. to seed rows before a hub starts or to
 * inspect a Postgres one while it runs (a PGlite dir admits one process only).
 */
export async function withDatabase<T>(options: Pick<HubOptions, 'dataDir' | 'databaseUrl'>, fn: (db: Db) => Promise<T>): Promise<T> {
  const database = await openDatabase(options);
  try {
    return await fn(database.db);
  } finally {
    await database.close();
  }
}

/**
 * A demo hub on ephemeral ports; call `close()` to stop it and drop its
 * storage. `prepare` runs against the migrated, still empty storage first.
 */
export async function startTestHub(backend: Backend, extra: Partial<HubOptions> = {}, prepare?: (db: Db) => Promise<void>): Promise<TestHub> {
  const storage = await backend.storage();
  let hub: TestHub;
  try {
    if (prepare) await withDatabase(storage.options, prepare);
    hub = await hubOn(storage.options, extra);
  } catch (error) {
    await storage.dispose();
    throw error;
  }
  const close = hub.close;
  return Object.assign(hub, {
    async close() {
      await close();
      await storage.dispose();
    },
  });
}

/** A demo hub on `storage` whose `close()` keeps the storage, so a second hub can resume on it (a restart). */
export async function hubOn(storage: Pick<HubOptions, 'dataDir' | 'databaseUrl'>, extra: Partial<HubOptions> = {}): Promise<TestHub> {
  const hub = await startHub({ port: 0, mqttPort: 0, smtpPort: 0, demo: true, logLevel: 'silent', ...storage, ...extra });
  const headers = (token?: string): Record<string, string> => ({
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  });
  const testHub: TestHub = {
    ...hub,
    storage,
    get: (path, token) => fetch(new URL(path, hub.url), { headers: headers(token) }),
    post: (path, body, token) => fetch(new URL(path, hub.url), { method: 'POST', headers: headers(token), body: JSON.stringify(body) }),
    async login(username, password = 'demo') {
      const response = await testHub.post('/api/auth/login', { username, password });
      if (response.status !== 200) throw new Error(`login ${username} failed: ${response.status}`);
      return ((await response.json()) as { token: string }).token;
    },
  };
  return testHub;
}

/**
 * The same connection as `db`, through a drizzle that counts the statements it sends: what a hot path costs in
 * round trips to the database (BEGIN and COMMIT are not counted; node-postgres sends them through drizzle too).
 */
export function countingStatements(db: Db): { db: Db; statements: string[] } {
  const statements: string[] = [];
  const logger = { logQuery: (query: string) => void (/^(begin|commit|rollback)\b/i.test(query) ? undefined : statements.push(query)) };
  const client = (db as unknown as { $client: unknown }).$client;
  // A node-postgres pool counts its clients; PGlite (or its worker's proxy) does not.
  const made = (client as { totalCount?: unknown }).totalCount !== undefined ? drizzlePg(client as never, { schema, logger }) : drizzlePglite(client as never, { schema, logger });
  return { db: made as unknown as Db, statements };
}
