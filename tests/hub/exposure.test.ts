/**
 * What the hub lets out: no credential in what it prints, logs or answers;
 * no customer's words in an error log; /metrics only with a token.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Case } from '../../src/shared/domain';
import type { CaseDetailResponse } from '../../src/shared/protocol';
import { hubOptionsFromCli } from '../../src/hub/config';
import { startHub, type RunningHub } from '../../src/hub/hub';
import { pgliteDataDir } from '../support/pglite-template';
import { createLogger } from '../../src/hub/ops/logger';
import { redactCredentials } from '../../src/hub/ops/redact';
import { backends, withDatabase } from './backends';
import { runHub, waitForOutput } from './processes';

/** The Mosquitto on this machine accepts any username and password. */
const brokerUrl = (password: string) => `mqtt://switchboard:${password}@127.0.0.1:1883`;
/** Notes holding this cannot be stored (a CHECK constraint the test adds): a real database error. */
const REFUSED = 'refused-by-the-test-database';

/** Postgres here trusts local connections, so a password in the URL is carried along and ignored. */
function withPassword(databaseUrl: string, password: string): string {
  const url = new URL(databaseUrl);
  url.password = password;
  return url.href;
}

describe.each(backends)('what a hub on $name lets out', (backend) => {
  const secret = `pw-${randomUUID()}`;
  const metricsToken = `scraper-${randomUUID()}`;
  const lines: string[] = [];
  let hub: RunningHub;
  let dispose: () => Promise<void>;
  const get = (path: string, token?: string) => fetch(new URL(path, hub.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const login = async (username: string) => {
    const response = await fetch(new URL('/api/auth/login', hub.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'demo' }),
    });
    return ((await response.json()) as { token: string }).token;
  };

  beforeAll(async () => {
    const storage = await backend.storage();
    dispose = storage.dispose;
    await withDatabase(storage.options, (db) => db.execute(sql.raw(`ALTER TABLE messages ADD CONSTRAINT test_refuses_marked_notes CHECK (strpos(body, '${REFUSED}') = 0)`)));
    const options = storage.options.databaseUrl ? { ...storage.options, databaseUrl: withPassword(storage.options.databaseUrl, secret) } : storage.options;
    hub = await startHub({
      ...options,
      port: 0,
      demo: true,
      mqttUrl: brokerUrl(secret),
      metricsToken,
      logLevel: 'debug',
      logStream: { write: (line) => void lines.push(line) },
    });
  });
  afterAll(async () => {
    await hub?.close();
    await dispose?.();
  });

  it('answers /health with the broker URL redacted, and logs no password', async () => {
    const response = await get('/health');
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ mqtt: { url: 'mqtt://switchboard:***@127.0.0.1:1883', connected: true } });
    expect(body).not.toContain(secret);
    expect(lines.join('')).not.toContain(secret);
  });

  it('serves /metrics to supervisors, admins and the scraper token only', async () => {
    const [ana, sam, admin] = await Promise.all([login('ana'), login('sam'), login('admin')]);
    expect((await get('/metrics')).status).toBe(401);
    expect((await get('/metrics', `${metricsToken}x`)).status).toBe(401);
    expect((await get('/metrics', 'not-a-token')).status).toBe(401);
    expect((await get('/metrics', ana)).status).toBe(403);
    for (const token of [sam, admin, metricsToken]) {
      const response = await get('/metrics', token);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('switchboard_sockets_connected');
    }
  });

  it('logs a failed push with its error code and constraint, not the note or the customer’s name', async () => {
    const sam = await login('sam');
    const { cases } = (await (await get('/api/cases?limit=50', sam)).json()) as { cases: Case[] };
    const target = cases.find((c) => c.customerId !== null)!;
    const detail = (await (await get(`/api/cases/${target.id}`, sam)).json()) as CaseDetailResponse;
    const name = detail.customer!.name;
    const body = `Called ${name} back: ${REFUSED}, she wants a refund.`;
    const mutation = { id: uuidv7(), kind: 'case.note', entityId: target.id, baseVersion: target.version, createdAt: new Date().toISOString(), payload: { body } };
    const seen = lines.length;
    const response = await fetch(new URL('/api/sync/push', hub.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sam}` },
      body: JSON.stringify({ mutations: [mutation] }),
    });
    expect(response.status).toBe(500);
    const logged = lines.slice(seen).map((line) => JSON.parse(line) as { msg: string; err?: unknown });
    // drizzle's error, caused by the database's: its SQLSTATE and constraint are what the log keeps.
    expect(logged.find((line) => line.msg === 'request failed')?.err).toMatchObject({
      message: expect.stringMatching(/insert into "messages"/i),
      cause: { code: '23514', constraint: 'test_refuses_marked_notes', message: expect.stringContaining('violates check constraint') },
    });
    const text = lines.slice(seen).join('');
    expect(text).not.toContain(REFUSED);
    expect(text).not.toContain(name);
    expect(text).not.toContain('she wants a refund');
  });
});

describe('what a hub prints', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  async function tempDir() {
    const dir = await pgliteDataDir('switchboard-exposure-');
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  it('starts with a broker URL holding a password and prints the password nowhere', async () => {
    const secret = `pw-${randomUUID()}`;
    const run = runHub(['--port', '0', '--data-dir', await tempDir(), '--mqtt-url', brokerUrl(secret)]);
    cleanups.push(async () => {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      await run.exited;
    });
    const [, hubUrl] = await waitForOutput(run, /^hub listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
    const [, mqttUrl] = await waitForOutput(run, /^mqtt listening on (.+)$/m);
    expect(mqttUrl).toBe('mqtt://switchboard:***@127.0.0.1:1883');
    expect(await (await fetch(`${hubUrl}/health`)).text()).not.toContain(secret);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).not.toContain(secret);
  }, 60_000);

  it('fails to reach a broker or a database without printing their passwords', async () => {
    const secret = `pw-${randomUUID()}`;
    const lines: string[] = [];
    const logStream = { write: (line: string) => void lines.push(line) };
    // Port 1: nothing listens there.
    const broker = startHub({ dataDir: await tempDir(), port: 0, mqttUrl: `mqtt://switchboard:${secret}@127.0.0.1:1`, logLevel: 'debug', logStream });
    await expect(broker).rejects.toThrow('cannot reach the MQTT broker at mqtt://switchboard:***@127.0.0.1:1');
    const database = startHub({ dataDir: await tempDir(), databaseUrl: `postgres://postgres:${secret}@127.0.0.1:1/switchboard`, port: 0, logLevel: 'debug', logStream });
    await expect(database).rejects.toThrow('cannot open the database at postgres://postgres:***@127.0.0.1:1/switchboard');
    const run = runHub(['--port', '0', '--data-dir', await tempDir(), '--database-url', `postgres://postgres:${secret}@127.0.0.1:1/switchboard`]);
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('hub failed to start: cannot open the database at postgres://postgres:***@127.0.0.1:1/switchboard');
    for (const text of [lines.join(''), run.output(), String(await broker.catch((e: unknown) => e)), String(await database.catch((e: unknown) => e))]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('credentials in text', () => {
  it('lose their password wherever a URL holds one, and nothing else changes', () => {
    expect(redactCredentials('mqtt://hub:secret@broker:1883')).toBe('mqtt://hub:***@broker:1883');
    expect(redactCredentials('redis://:secret@cache:6379/0')).toBe('redis://:***@cache:6379/0');
    expect(redactCredentials('postgres://app:se@cret@db/sb')).toBe('postgres://app:***@db/sb');
    expect(redactCredentials('cannot reach MQTTS://u:s%40x@h:8883: refused')).toBe('cannot reach MQTTS://u:***@h:8883: refused');
    // In a JSON log line the match stops at the end of its string.
    expect(redactCredentials('{"url":"mqtt://u:pw@h:1","to":"ana@example.com"}')).toBe('{"url":"mqtt://u:***@h:1","to":"ana@example.com"}');
    for (const text of ['http://127.0.0.1:4710/health', 'mqtt://device@h:1883', 'https://h/a?next=b@c', 'ana@example.com']) expect(redactCredentials(text)).toBe(text);
  });

  it('are redacted from every log line, whatever logged them and wherever', () => {
    const lines: string[] = [];
    const log = createLogger({ logStream: { write: (line) => void lines.push(line) } });
    log.warn({ url: 'redis://:secret-1@cache:6379' }, 'cannot reach mqtt://hub:secret-2@broker:1883');
    log.error({ err: new Error('connect to postgres://app:secret-3@db/sb failed') }, 'database down');
    expect(lines).toHaveLength(2);
    expect(lines.join('')).toContain('postgres://app:***@db/sb');
    expect(lines.join('')).not.toContain('secret-');
  });
});

describe('the metrics token option', () => {
  it('comes from --metrics-token or SWITCHBOARD_METRICS_TOKEN (the flag wins) and must be long enough', () => {
    const token = 'a-scraper-token-of-some-length';
    expect(hubOptionsFromCli([], { SWITCHBOARD_METRICS_TOKEN: token }).metricsToken).toBe(token);
    expect(hubOptionsFromCli(['--metrics-token', `${token}!`], { SWITCHBOARD_METRICS_TOKEN: token }).metricsToken).toBe(`${token}!`);
    expect(() => hubOptionsFromCli(['--metrics-token', 'short'], {})).toThrow(/metricsToken/);
  });
});
