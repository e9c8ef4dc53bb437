/**
 * Refresh tokens: rotated on every use, the whole sign-in revoked when a used
 * one comes back (a stolen copy), on sign-out and on sign-out-everywhere;
 * idle and absolute lifetimes by the service's clock; one rotation of two
 * concurrent refreshes, on one hub and on two sharing Postgres.
 */
import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRefreshTokens, type RefreshTokens } from '../../src/hub/auth/refresh-tokens';
import { wrapKeyFromValue } from '../../src/hub/auth/token-key';
import { createTokenService, type TokenService } from '../../src/hub/auth/tokens';
import { openDatabase, type Database } from '../../src/hub/db/connect';
import { refreshTokens as refreshTokenRows } from '../../src/hub/db/schema';
import { loadDemo } from '../../src/hub/demo/load';
import { startHub, type RunningHub } from '../../src/hub/hub';
import { findUserWithHash } from '../../src/hub/repos/users';
import { RefreshResponseSchema, SessionLoginResponseSchema } from '../../src/shared/session-tokens';
import { backends, startTestHub, type TestHub } from './backends';
import { connectSocket } from './helpers';

const HOUR = 3600;

describe.each(backends)('refresh tokens over HTTP on $name', (backend) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backend);
  });
  afterAll(() => hub?.close());

  async function signIn(username: string) {
    const response = await hub.post('/api/auth/login', { username, password: 'demo' });
    expect(response.status).toBe(200);
    return SessionLoginResponseSchema.parse(await response.json());
  }
  const refresh = (refreshToken: string) => hub.post('/api/auth/refresh', { refreshToken });
  async function rotated(refreshToken: string) {
    const response = await refresh(refreshToken);
    expect(response.status).toBe(200);
    return RefreshResponseSchema.parse(await response.json());
  }

  it('signs in with a refresh token and rotates it: a new pair each time, the sign-in kept', async () => {
    const first = await signIn('ana');
    expect(first.expiresIn).toBeGreaterThan(12 * HOUR - 2);
    expect(first.expiresIn).toBeLessThanOrEqual(12 * HOUR);
    const { sid, auth_time } = decodeJwt(first.token);
    expect(sid).toEqual(expect.any(String));
    const second = await rotated(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(decodeJwt(second.token)).toMatchObject({ sid, auth_time });
    expect((await hub.get('/api/me', second.token)).status).toBe(200);
    // The family keeps one live access token.
    expect((await hub.get('/api/me', first.token)).status).toBe(401);
    const third = await rotated(second.refreshToken);
    expect((await hub.get('/api/me', third.token)).status).toBe(200);
  });

  it('refuses malformed and unknown refresh tokens', async () => {
    expect((await refresh('short')).status).toBe(400);
    expect((await hub.post('/api/auth/refresh', { refreshToken: randomBytes(32).toString('base64url'), extra: 1 })).status).toBe(400);
    expect((await refresh(randomBytes(32).toString('base64url'))).status).toBe(401);
  });

  it('a stolen token rotated by the thief: the owner’s later use revokes the whole sign-in, the thief’s tokens too', async () => {
    const owner = await signIn('ivan');
    const thief1 = await rotated(owner.refreshToken);
    const thief2 = await rotated(thief1.refreshToken);
    const socket = connectSocket(hub.url, thief2.token);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    // The owner comes back with the token the thief copied.
    const reuse = await refresh(owner.refreshToken);
    expect(reuse.status).toBe(401);
    expect(((await reuse.json()) as { message: string }).message).toMatch(/already used/);
    expect((await refresh(thief2.refreshToken)).status).toBe(401);
    expect((await hub.get('/api/me', thief2.token)).status).toBe(401);
    expect(await closed).toBe('io server disconnect');
    socket.close();
    // Another sign-in of the same user is untouched.
    const other = await signIn('ivan');
    expect((await rotated(other.refreshToken)).token).toBeTruthy();
  });

  it('signing out revokes the access token and the refresh token, with the bearer token alone or the refresh token alone', async () => {
    const a = await signIn('sam');
    expect((await hub.post('/api/auth/logout', {}, a.token)).status).toBe(204);
    expect((await hub.get('/api/me', a.token)).status).toBe(401);
    expect((await refresh(a.refreshToken)).status).toBe(401);

    // Back from days offline: the access token has expired, the refresh token names the sign-in.
    const b = await signIn('sam');
    const next = await rotated(b.refreshToken);
    expect((await hub.post('/api/auth/logout', { refreshToken: next.refreshToken })).status).toBe(204);
    expect((await refresh(next.refreshToken)).status).toBe(401);
    expect((await hub.get('/api/me', next.token)).status).toBe(401);

    expect((await hub.post('/api/auth/logout', {})).status).toBe(401);
    expect((await hub.post('/api/auth/logout', { refreshToken: randomBytes(32).toString('base64url') })).status).toBe(401);
  });

  it('signing out everywhere (a raised session epoch) ends every refresh token of the user', async () => {
    const admin = await signIn('admin');
    const tess = await signIn('tess');
    const response = await hub.post(`/api/admin/users/${tess.user.id}/sign-out`, {}, admin.token);
    expect(response.status).toBeLessThan(300);
    expect((await refresh(tess.refreshToken)).status).toBe(401);
    // And not only the one presented: the family is revoked for good.
    expect((await refresh(tess.refreshToken)).status).toBe(401);
    expect((await rotated(admin.refreshToken)).token).toBeTruthy();
  });

  it('keeps the older refresh of a still-valid bearer token working', async () => {
    const a = await signIn('ana');
    const response = await hub.post('/api/auth/refresh', {}, a.token);
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    expect(decodeJwt(token).sid).toBe(decodeJwt(a.token).sid);
    expect((await hub.get('/api/me', a.token)).status).toBe(401);
    // Signing out with that token still ends the sign-in's refresh token.
    expect((await hub.post('/api/auth/logout', {}, token)).status).toBe(204);
    expect((await refresh(a.refreshToken)).status).toBe(401);

    // And signing out with the refresh token alone ends the token the bearer refresh gave.
    const b = await signIn('ana');
    const again = (await (await hub.post('/api/auth/refresh', {}, b.token)).json()) as { token: string };
    expect((await hub.post('/api/auth/logout', { refreshToken: b.refreshToken })).status).toBe(204);
    expect((await hub.get('/api/me', again.token)).status).toBe(401);
  });

  it('two refreshes at once with one token rotate it once: both answers carry the same successor', async () => {
    const a = await signIn('ana');
    const answers = await Promise.all([refresh(a.refreshToken), refresh(a.refreshToken)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const [x, y] = await Promise.all(answers.map(async (r) => RefreshResponseSchema.parse(await r.json())));
    expect(x!.refreshToken).toBe(y!.refreshToken);
    const next = await rotated(x!.refreshToken);
    // The chain moved on: the first token is a copy now.
    expect((await refresh(a.refreshToken)).status).toBe(401);
    expect((await refresh(next.refreshToken)).status).toBe(401);
  });
});

describe.each(backends)('refresh tokens by the service’s clock on $name', (backend) => {
  let storage: Awaited<ReturnType<typeof backend.storage>>;
  let database: Database;
  let tokens: TokenService;
  let ana: { userId: string; role: 'agent'; epoch: number };
  const start = new Date('2030-03-01T08:00:00Z');
  let clock = start;
  const at = (seconds: number) => (clock = new Date(start.getTime() + seconds * 1000));
  const service = (opts: { idleSeconds?: number; retrySeconds?: number } = {}) => createRefreshTokens(database.db, tokens, { now: () => clock, ...opts });

  beforeAll(async () => {
    storage = await backend.storage();
    database = await openDatabase(storage.options);
    await loadDemo(database.db, pino({ level: 'silent' }));
    tokens = await createTokenService(database.db, { wrapKey: wrapKeyFromValue(randomBytes(32).toString('base64')), ttlSeconds: HOUR, sessionMaxAgeSeconds: 7 * 24 * HOUR, now: () => clock });
    const found = await findUserWithHash(database.db, 'ana');
    ana = { userId: found!.user.id, role: 'agent', epoch: found!.sessionEpoch };
  });
  afterAll(async () => {
    await database?.close();
    await storage?.dispose();
  });

  const ok = async (refresh: RefreshTokens, token: string) => {
    const outcome = await refresh.rotate(token);
    if (outcome.status !== 'ok') throw new Error(`refused: ${outcome.reason}`);
    return outcome;
  };

  it('a console offline for days past the access token’s lifetime refreshes without a password', async () => {
    const refresh = service();
    at(0);
    const signedIn = await refresh.start(ana);
    at(3 * 24 * HOUR);
    expect(await tokens.verify(signedIn.access.token)).toBeNull();
    const back = await ok(refresh, signedIn.refreshToken);
    expect((await tokens.verify(back.access.token))?.sessionStartedAt).toEqual(start);
  });

  it('a retry of a lost answer gets the same successor within the retry window; later it is a reuse', async () => {
    const refresh = service({ retrySeconds: 30 });
    at(0);
    const signedIn = await refresh.start(ana);
    at(10);
    const first = await ok(refresh, signedIn.refreshToken);
    at(30);
    const retried = await ok(refresh, signedIn.refreshToken);
    expect(retried.refreshToken).toBe(first.refreshToken);
    at(41);
    expect(await refresh.rotate(signedIn.refreshToken)).toMatchObject({ status: 'refused', reason: 'reused' });
    expect(await refresh.rotate(first.refreshToken)).toMatchObject({ status: 'refused', reason: 'revoked' });
  });

  it('ends after its idle lifetime, and with the session’s absolute lifetime however often it is used', async () => {
    const refresh = service({ idleSeconds: 24 * HOUR });
    at(0);
    const idle = await refresh.start(ana);
    at(24 * HOUR);
    expect(await refresh.rotate(idle.refreshToken)).toMatchObject({ status: 'refused', reason: 'expired' });

    at(0);
    let token = (await refresh.start(ana)).refreshToken;
    // Refreshed every 20 hours, each inside the idle lifetime: the week still ends it.
    for (let t = 20 * HOUR; t < 7 * 24 * HOUR; t += 20 * HOUR) {
      at(t);
      token = (await ok(refresh, token)).refreshToken;
    }
    at(7 * 24 * HOUR);
    expect(await refresh.rotate(token)).toMatchObject({ status: 'refused', reason: 'ended' });
  });

  it('without a retry window, of two concurrent refreshes exactly one wins', async () => {
    const refresh = service({ retrySeconds: 0 });
    at(0);
    const signedIn = await refresh.start(ana);
    const outcomes = await Promise.all([refresh.rotate(signedIn.refreshToken), refresh.rotate(signedIn.refreshToken)]);
    expect(outcomes.filter((o) => o.status === 'ok')).toHaveLength(1);
    const rows = await database.db.select().from(refreshTokenRows).where(eq(refreshTokenRows.familyId, signedIn.familyId));
    expect(rows).toHaveLength(2);
  });
});

describe.each(backends.filter((b) => b.name === 'postgres'))('refresh tokens with two hubs on $name', (backend) => {
  let first: TestHub;
  let second: RunningHub;
  beforeAll(async () => {
    first = await startTestHub(backend);
    // The same database and the same key file: a second hub of the deployment.
    second = await startHub({ port: 0, mqttPort: 0, smtpPort: 0, logLevel: 'silent', ...first.storage });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('two refreshes with one token on two hubs rotate it once, and the chain continues on either', async () => {
    const signedIn = SessionLoginResponseSchema.parse(await (await first.post('/api/auth/login', { username: 'ana', password: 'demo' })).json());
    const on = (url: string, refreshToken: string) => fetch(new URL('/api/auth/refresh', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
    const answers = await Promise.all([on(first.url, signedIn.refreshToken), on(second.url, signedIn.refreshToken)]);
    const bodies = await Promise.all(answers.map(async (r) => RefreshResponseSchema.parse(await r.json())));
    expect(new Set(bodies.map((b) => b.refreshToken)).size).toBe(1);
    const next = RefreshResponseSchema.parse(await (await on(second.url, bodies[0]!.refreshToken)).json());
    expect((await fetch(new URL('/api/me', first.url), { headers: { authorization: `Bearer ${next.token}` } })).status).toBe(200);
    expect((await on(first.url, signedIn.refreshToken)).status).toBe(401);
    expect((await on(second.url, next.refreshToken)).status).toBe(401);
  });
});
