/**
 * A session has an absolute lifetime: every token carries its sign-in time,
 * kept by each refresh, and a refresh or any use past the lifetime is refused
 * however fresh the token is — a refresh chain no longer runs forever.
 */
import { randomBytes } from 'node:crypto';
import { decodeJwt, SignJWT } from 'jose';
import { uuidv7 } from 'uuidv7';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenService, DEFAULT_SESSION_MAX_AGE_SECONDS, type TokenService } from '../../src/hub/auth/tokens';
import { loadSigningKey, wrapKeyFromValue } from '../../src/hub/auth/token-key';
import { openDatabase, type Database } from '../../src/hub/db/connect';
import { loadDemo } from '../../src/hub/demo/load';
import { findUserWithHash } from '../../src/hub/repos/users';
import { backends, startTestHub, type TestHub } from './backends';

const wrapKey = wrapKeyFromValue(randomBytes(32).toString('base64'));
const HOUR = 3600;

describe.each(backends)('session lifetime on $name, by the token service’s clock', (backend) => {
  let storage: Awaited<ReturnType<typeof backend.storage>>;
  let database: Database;
  let tokens: TokenService;
  let ana: { userId: string; role: 'agent' };
  const start = new Date('2030-03-01T08:00:00Z');
  let clock = start;
  const at = (seconds: number) => (clock = new Date(start.getTime() + seconds * 1000));

  beforeAll(async () => {
    storage = await backend.storage();
    database = await openDatabase(storage.options);
    await loadDemo(database.db, pino({ level: 'silent' }));
    tokens = await createTokenService(database.db, { wrapKey, ttlSeconds: 600, sessionMaxAgeSeconds: HOUR, now: () => clock });
    ana = { userId: (await findUserWithHash(database.db, 'ana'))!.user.id, role: 'agent' };
  });
  afterAll(async () => {
    await database?.close();
    await storage?.dispose();
  });

  it('keeps the sign-in time across a chain of refreshes and refuses the chain at the end of the lifetime', async () => {
    at(0);
    let token = await tokens.sign({ ...ana, epoch: 0 });
    // Each token lives 10 minutes; refreshed every 8, the chain would run for ever.
    for (let t = 480; t < HOUR; t += 480) {
      at(t);
      const claims = await tokens.verify(token);
      expect(claims?.sessionStartedAt).toEqual(start);
      token = await tokens.sign({ ...ana, epoch: 0, sessionStartedAt: claims!.sessionStartedAt });
    }
    // Signed 8 minutes before the end: valid until then, never past it.
    expect(decodeJwt(token)).toMatchObject({ auth_time: start.getTime() / 1000, exp: start.getTime() / 1000 + HOUR });
    at(HOUR - 1);
    expect((await tokens.verify(token))?.sessionStartedAt).toEqual(start);
    at(HOUR);
    expect(await tokens.verify(token)).toBeNull();
  });

  it('refuses a token past its session’s lifetime even when the token itself has long to live', async () => {
    const key = await loadSigningKey(database.db, wrapKey);
    const signed = (claims: Record<string, unknown>, issuedAt: number) =>
      new SignJWT({ role: 'agent', epoch: 0, ...claims })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(ana.userId)
        .setIssuer('switchboard-hub')
        .setJti(uuidv7())
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + 100 * HOUR)
        .sign(key);
    const begin = start.getTime() / 1000;
    const fresh = await signed({ auth_time: begin }, begin + HOUR - 10);
    at(HOUR - 5);
    expect(await tokens.verify(fresh)).not.toBeNull();
    at(HOUR);
    expect(await tokens.verify(fresh)).toBeNull();
    // A token from before sign-in times were kept: its session began when it was signed.
    const legacy = await signed({}, begin);
    at(HOUR - 1);
    expect((await tokens.verify(legacy))?.sessionStartedAt).toEqual(start);
    at(HOUR);
    expect(await tokens.verify(legacy)).toBeNull();
  });

  it('refuses a token at its expiry though it was accepted a moment before, and one whose signature was altered', async () => {
    at(2 * HOUR);
    const token = await tokens.sign({ ...ana, epoch: 0 });
    at(2 * HOUR + 599);
    expect(await tokens.verify(token)).toMatchObject({ userId: ana.userId });
    // The genuine token was accepted: the same claims under another signature are not.
    const [head, body, signature] = token.split('.') as [string, string, string];
    const altered = `${head}.${body}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(await tokens.verify(altered)).toBeNull();
    at(2 * HOUR + 600);
    expect(await tokens.verify(token)).toBeNull();
  });

  it('lasts a week by default', async () => {
    expect(DEFAULT_SESSION_MAX_AGE_SECONDS).toBe(7 * 24 * HOUR);
    const weekly = await createTokenService(database.db, { wrapKey, now: () => clock });
    at(DEFAULT_SESSION_MAX_AGE_SECONDS - 60);
    const token = await weekly.sign({ ...ana, epoch: 0, sessionStartedAt: start });
    expect((await weekly.verify(token))?.sessionStartedAt).toEqual(start);
    at(DEFAULT_SESSION_MAX_AGE_SECONDS);
    expect(await weekly.verify(token)).toBeNull();
  });
});

describe.each(backends)('session lifetime on $name, over HTTP', (backend) => {
  const MAX_AGE = 2;
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backend, { sessionMaxAgeSeconds: MAX_AGE });
  });
  afterAll(() => hub?.close());

  it('refreshes keep the sign-in time, and the chain is refused (401) once the session is older than its lifetime', async () => {
    const signedInAt = Date.now();
    let token = await hub.login('ana');
    const startedAt = decodeJwt(token).auth_time;
    let refreshes = 0;
    let refused: Response | null = null;
    // Refreshed as often as a console could; without a lifetime this never ends (the bound is a safety net).
    while (!refused && Date.now() - signedInAt < 10_000) {
      const response = await hub.post('/api/auth/refresh', {}, token);
      if (response.status !== 200) {
        refused = response;
        break;
      }
      token = ((await response.json()) as { token: string }).token;
      expect(decodeJwt(token).auth_time).toBe(startedAt);
      refreshes++;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(refused?.status).toBe(401);
    expect(refreshes).toBeGreaterThan(0);
    // Sign-in times are whole seconds: the end comes between MAX_AGE - 1 and MAX_AGE seconds after signing in.
    expect(Date.now() - signedInAt).toBeGreaterThanOrEqual((MAX_AGE - 1) * 1000);
    expect((await hub.get('/api/me', token)).status).toBe(401);
    // Signing in again starts a new session.
    expect((await hub.get('/api/me', await hub.login('ana'))).status).toBe(200);
  });
});
