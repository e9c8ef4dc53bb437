/**
 * Signing in under attack: failed logins back off per (account, address) —
 * not per address, where one attacker behind a proxy locks everyone out — in
 * the database, so every hub agrees; an unknown name is checked against a
 * dummy argon2id hash like a known one, so the time does not tell names
 * apart; a NUL in a name is malformed, not a 500. Requests come from several
 * loopback addresses (127.0.0.x) through real sockets.
 */
import { request } from 'node:http';
import type * as Argon2 from '@node-rs/argon2';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLoginBackoff, LOGIN_BACKOFF, retryAt } from '../../src/hub/auth/login-backoff';
import { startHub } from '../../src/hub/hub';
import { backends, databaseOf, startTestHub, type TestHub } from './backends';

// Every argon2 verification the hub makes, by the hash it verified against.
const argon2 = vi.hoisted(() => ({ verified: [] as string[] }));
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof Argon2>();
  return {
    ...real,
    verify: (...args: Parameters<typeof real.verify>) => {
      argon2.verified.push(String(args[0]));
      return real.verify(...args);
    },
  };
});

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: { error?: string; message?: string; token?: string };
}

/** POSTs a login from the given loopback address (the hub sees it as the client's). */
function loginFrom(hub: TestHub, address: string, username: string, password: string): Promise<Answer> {
  const url = new URL('/api/auth/login', hub.url);
  const payload = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: address, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], body: JSON.parse(text) as Answer['body'] }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function failTimes(hub: TestHub, address: string, username: string, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push((await loginFrom(hub, address, username, `guess-${i}`)).status);
  return statuses;
}

const FREE = LOGIN_BACKOFF.freeFailures;

describe.each(backends)('login hardening on $name', (backend) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backend);
  });
  afterAll(() => hub?.close());

  it('backs off one account from one address, not another account from there nor the account from elsewhere; a success starts over', async () => {
    expect(await failTimes(hub, '127.0.0.2', 'ana', FREE)).toEqual(Array(FREE).fill(401));
    const held = await loginFrom(hub, '127.0.0.2', 'ana', 'demo');
    expect(held).toMatchObject({ status: 429, retryAfter: '1', body: { error: 'rate_limited' } });
    expect(held.body.message).toMatch(/try again in 1 s/);

    // The same address, another account: untouched.
    expect((await loginFrom(hub, '127.0.0.2', 'ivan', 'wrong')).status).toBe(401);
    expect((await loginFrom(hub, '127.0.0.2', 'ivan', 'demo')).status).toBe(200);
    // The same account, another address: signs in.
    expect((await loginFrom(hub, '127.0.0.3', 'ana', 'demo')).status).toBe(200);

    // Once the wait is over, the right password gets in; while it lasts, only 429s.
    const waited: number[] = [];
    for (let answer = held; answer.status === 429; answer = await loginFrom(hub, '127.0.0.2', 'ana', 'demo')) {
      waited.push(answer.status);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(waited.every((s) => s === 429)).toBe(true);
    // The success cleared the count: the free failures are free again, then the wait comes back.
    expect(await failTimes(hub, '127.0.0.2', 'ana', FREE)).toEqual(Array(FREE).fill(401));
    expect((await loginFrom(hub, '127.0.0.2', 'ana', 'demo')).status).toBe(429);
  });

  it('checks an unknown name against a dummy argon2id hash of the same cost, and answers alike', async () => {
    argon2.verified.length = 0;
    const known = await loginFrom(hub, '127.0.0.4', 'sam', 'wrong');
    const unknown = await loginFrom(hub, '127.0.0.4', 'nobody-here', 'wrong');
    const again = await loginFrom(hub, '127.0.0.4', 'no-one-either', 'wrong');
    expect([known.status, unknown.status, again.status]).toEqual([401, 401, 401]);
    expect(unknown.body).toEqual(known.body);
    // One verification each; the unknown names against one dummy, not sam's hash, with sam's parameters.
    expect(argon2.verified).toHaveLength(3);
    const [samHash, dummy, dummyAgain] = argon2.verified as [string, string, string];
    expect(dummy).not.toBe(samHash);
    expect(dummyAgain).toBe(dummy);
    const parameters = (hash: string) => hash.split('$').slice(1, 4).join('$');
    expect(parameters(samHash)).toBe('argon2id$v=19$m=19456,t=2,p=1');
    expect(parameters(dummy)).toBe(parameters(samHash));
  });

  it('spends no password check on an attempt it holds back', async () => {
    await failTimes(hub, '127.0.0.5', 'tess', FREE);
    argon2.verified.length = 0;
    expect((await loginFrom(hub, '127.0.0.5', 'tess', 'demo')).status).toBe(429);
    expect(argon2.verified).toHaveLength(0);
  });

  it('refuses a NUL in a username as malformed (400), and still signs the user in without it', async () => {
    for (const username of ['ana\u0000', '\u0000', 'an\u0000a']) {
      const response = await hub.post('/api/auth/login', { username, password: 'demo' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_request', message: expect.stringMatching(/NUL[\s\S]*username/) });
    }
    expect((await hub.post('/api/auth/login', { username: 'ana', password: 'demo' })).status).toBe(200);
  });

  it.runIf(backend.name === 'postgres')('shares the counts between hubs on one database', async () => {
    const other = await startHub({ ...hub.storage, port: 0, mqttPort: 0, smtpPort: 0, logLevel: 'silent' });
    try {
      const peer = { ...hub, url: other.url };
      expect(await failTimes(hub, '127.0.0.6', 'dewi', FREE)).toEqual(Array(FREE).fill(401));
      expect((await loginFrom(peer, '127.0.0.6', 'dewi', 'demo')).status).toBe(429);
      expect((await loginFrom(peer, '127.0.0.7', 'dewi', 'demo')).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe.each(backends)('login backoff policy on $name', (backend) => {
  const database = databaseOf(backend);
  let clock = new Date('2030-01-01T08:00:00Z');
  const later = (ms: number) => (clock = new Date(clock.getTime() + ms));
  const rows = async () => ((await database.db.execute(sql`SELECT username, failures FROM login_failures ORDER BY username`)) as unknown as { rows: { username: string; failures: number }[] }).rows;

  it('doubles the wait after the free failures, up to its cap', () => {
    const at = new Date('2030-01-01T00:00:00Z');
    const wait = (failures: number) => retryAt({ failures, lastFailedAt: at }).getTime() - at.getTime();
    expect([1, FREE - 1].map(wait)).toEqual([0, 0]);
    expect([FREE, FREE + 1, FREE + 2, FREE + 3].map(wait)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(wait(FREE + 40)).toBe(LOGIN_BACKOFF.maxDelayMs);
  });

  it('holds a pair back for 1 s, 2 s, 4 s … after its free failures; a success starts over', async () => {
    const backoff = createLoginBackoff(database.db, { now: () => clock });
    for (let i = 0; i < FREE; i++) expect(await backoff.attempt('ana', '10.0.0.1')).toEqual({ allowed: true });
    for (const seconds of [1, 2, 4, 8]) {
      expect(await backoff.attempt('ana', '10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: seconds });
      later(seconds * 1000 - 1);
      expect(await backoff.attempt('ana', '10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: 1 });
      later(1);
      expect(await backoff.attempt('ana', '10.0.0.1')).toEqual({ allowed: true });
    }
    // Held back attempts are not counted: the next wait is still 16 s.
    expect(await backoff.attempt('ana', '10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: 16 });
    await backoff.succeeded('ana', '10.0.0.1');
    for (let i = 0; i < FREE; i++) expect(await backoff.attempt('ana', '10.0.0.1')).toEqual({ allowed: true });
    expect(await backoff.attempt('ana', '10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('forgets a pair a day after its last failure, and deletes its row', async () => {
    const backoff = createLoginBackoff(database.db, { now: () => clock });
    for (let i = 0; i < FREE; i++) await backoff.attempt('bob', '10.0.0.2');
    expect(await backoff.attempt('bob', '10.0.0.2')).toMatchObject({ allowed: false });
    later(LOGIN_BACKOFF.forgetAfterMs + 1);
    await backoff.attempt('carol', '10.0.0.2');
    expect((await rows()).map((r) => r.username)).not.toContain('bob');
    for (let i = 0; i < FREE; i++) expect(await backoff.attempt('bob', '10.0.0.2')).toEqual({ allowed: true });
  });

  it('lets exactly one of many simultaneous attempts through at the last free failure', async () => {
    const backoff = createLoginBackoff(database.db, { now: () => clock });
    for (let i = 0; i < FREE - 1; i++) await backoff.attempt('dora', '10.0.0.3');
    const answers = await Promise.all(Array.from({ length: 10 }, () => backoff.attempt('dora', '10.0.0.3')));
    expect(answers.filter((a) => a.allowed)).toHaveLength(1);
    expect((await rows()).find((r) => r.username === 'dora')?.failures).toBe(FREE);
  });
});
