/**
 * Sessions that fit field work, against a real hub whose access tokens live
 * 3 seconds (standing in for 12 hours): a console offline past the token's
 * lifetime comes back, refreshes without a password and syncs its offline
 * edits; online, it refreshes before the token expires; a refused refresh
 * token shows the sign-in screen with the offline work kept; signing out
 * revokes the tokens on the hub; the refresh token is sealed like the cache key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import type { Case } from '../../src/shared/domain';
import { call, consoleDir, goOffline, hubCase, loginVia, ok, proxiedConsole, type ProxiedConsole, settle } from './console-fixture';
import { tempDir } from './fixtures';
import { hubCases, hubToken, startLocalHub, waitFor } from './hub-fixture';
import { keychain } from './keychain';

// Short, so refreshes happen within the test; long enough that a loaded machine's late timer still refreshes before expiry.
const TTL_SECONDS = 4;


describe('sessions that fit field work', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  // Every token of this hub lives 3 s: the test asks for a fresh one when it needs one.
  const admin = () => hubToken(hub.url, 'admin');
  const consoles: ProxiedConsole[] = [];
  const box = keychain();
  /** What each console logged, by name. */
  const logs = new Map<string, string[]>();

  /** A console behind a proxy, its tokens sealed by `box` (as Electron seals them with safeStorage). */
  async function open(name: string): Promise<ProxiedConsole> {
    const lines: string[] = [];
    logs.set(name, lines);
    const c = await proxiedConsole(hub.url, consoleDir(dir.path, name), { secrets: box, log: (m) => lines.push(m) });
    consoles.push(c);
    return c;
  }

  /** The tokens the console keeps (opened with the keychain, as the core opens them). */
  function stored(c: ProxiedConsole): { token: string; refreshToken: string } {
    const raw = c.core.cache.meta.get('token');
    if (!raw) throw new Error('no stored session');
    expect(raw.startsWith('sealed:')).toBe(true);
    return JSON.parse(box.open(raw.slice('sealed:'.length))) as { token: string; refreshToken: string };
  }

  const hubAccepts = async (token: string) => (await fetch(new URL('/api/me', hub.url), { headers: { authorization: `Bearer ${token}` } })).status === 200;
  const hubRefreshes = async (refreshToken: string) =>
    (await fetch(new URL('/api/auth/refresh', hub.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) })).status;

  /** One of tess's open cases, as the hub has it. */
  async function aCaseOf(c: ProxiedConsole): Promise<Case> {
    const tess = await hubToken(hub.url, 'tess');
    const mine = (await hubCases(hub.url, tess)).filter((k) => ['new', 'open', 'pending'].includes(k.status));
    const found = mine.find((k) => c.core.cache.cases.item(k.id));
    if (!found) throw new Error('tess has no open case in her cache');
    return found;
  }

  beforeAll(async () => {
    dir = await tempDir('switchboard-sessions-');
    hub = await startLocalHub(dir.path, { demo: true, tokenTtlSeconds: TTL_SECONDS });
  });
  afterAll(async () => {
    for (const c of consoles) await c.close();
    await hub?.close();
    await dir?.remove();
  });

  it('keeps the refresh token sealed beside the access token, never in the clear', async () => {
    const c = await open('sealed');
    await loginVia(c, 'tess');
    const { token, refreshToken } = stored(c);
    expect(refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const raw = c.core.cache.meta.get('token')!;
    expect(raw).not.toContain(refreshToken);
    expect(raw).not.toContain(token);
    await ok(c.core, 'session.logout', {});
  });

  it('comes back after the access token expired offline, refreshes without a password and syncs the offline edits', async () => {
    const c = await open('tess-away');
    await loginVia(c, 'tess');
    const target = await aCaseOf(c);
    const signedOut: unknown[] = [];
    c.core.events.on('session:changed', (change) => {
      if (!change.user) signedOut.push(change);
    });

    await goOffline(c);
    const resolution = `Fixed in the field ${Date.now()}`;
    await ok(c.core, 'cases.update', { id: target.id, fields: { resolution } });
    await ok(c.core, 'cases.addNote', { id: target.id, body: 'Written far from any network' });
    const before = stored(c);
    // Away for longer than the access token lives: the hub refuses the token the console holds.
    await waitFor(async () => !(await hubAccepts(before.token)), { timeoutMs: 15_000, what: 'the access token to expire' });
    expect((await ok(c.core, 'sync.status', {})).pending).toBe(2);

    await settle(c);
    const back = await hubCase(hub.url, await admin(), target.id);
    expect(back.case.resolution).toBe(resolution);
    expect(back.messages.some((m) => m.body === 'Written far from any network')).toBe(true);
    // Still signed in, with new tokens; the old refresh token is spent.
    expect((await ok(c.core, 'session.current', {}))?.user.username).toBe('tess');
    const after = stored(c);
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(await hubAccepts(after.token)).toBe(true);
    expect(signedOut).toEqual([]);
    // The live socket is back too, on the new token.
    await waitFor(async () => (await ok(c.core, 'sync.status', {})).online, { timeoutMs: 15_000, what: 'online again' });
    await ok(c.core, 'session.logout', {});
  });

  it('online, refreshes the access token before it expires and stays connected', async () => {
    const c = await open('tess-online');
    await loginVia(c, 'tess');
    const first = stored(c).token;
    let second = '';
    await waitFor(() => (second = stored(c).token) !== first, { timeoutMs: 10_000, what: 'a first refresh' });
    await waitFor(() => stored(c).token !== second, { timeoutMs: 10_000, what: 'a second refresh' });
    // Both started before the token expired, not after the hub refused it.
    const refreshed = logs.get('tess-online')!.filter((line) => line.startsWith('access token refreshed'));
    expect(refreshed.slice(0, 2)).toEqual(Array(2).fill('access token refreshed (the access token expires soon)'));
    // Past two lifetimes of the first token: signed in, online, and a change goes through.
    expect(await hubAccepts(first)).toBe(false);
    const target = await aCaseOf(c);
    await ok(c.core, 'cases.addNote', { id: target.id, body: 'Still here after two refreshes' });
    await waitFor(async () => (await ok(c.core, 'sync.status', {})).pending === 0, { timeoutMs: 10_000, what: 'the note to be pushed' });
    expect((await ok(c.core, 'sync.status', {})).online).toBe(true);
    await ok(c.core, 'session.logout', {});
  });

  it('restarted after the access token expired, refreshes at once and stays signed in', async () => {
    const c = await open('tess-restart');
    await loginVia(c, 'tess');
    await goOffline(c);
    const before = stored(c);
    await c.core.close();
    await waitFor(async () => !(await hubAccepts(before.token)), { timeoutMs: 15_000, what: 'the access token to expire' });
    c.proxy.setOnline(true);
    await c.restart();
    await waitFor(async () => (await ok(c.core, 'sync.status', {})).online, { timeoutMs: 15_000, what: 'online after the restart' });
    expect((await ok(c.core, 'session.current', {}))?.user.username).toBe('tess');
    expect(stored(c).refreshToken).not.toBe(before.refreshToken);
    await ok(c.core, 'session.logout', {});
  });

  it('when the hub refuses the refresh token, shows the sign-in screen with the offline work kept, and syncs it after signing in', async () => {
    const c = await open('tess-revoked');
    await loginVia(c, 'tess');
    const target = await aCaseOf(c);
    const me = (await ok(c.core, 'session.current', {}))!.user;
    await goOffline(c);
    const resolution = `Done while signed out everywhere ${Date.now()}`;
    await ok(c.core, 'cases.update', { id: target.id, fields: { resolution } });
    // Meanwhile an admin signs tess out everywhere (a lost laptop).
    expect((await fetch(new URL(`/api/admin/users/${me.id}/sign-out`, hub.url), { method: 'POST', headers: { authorization: `Bearer ${await admin()}` } })).status).toBe(204);
    const ended = new Promise<void>((resolve) =>
      c.core.events.on('session:changed', (change) => {
        if (!change.user) resolve();
      }),
    );
    c.proxy.setOnline(true);
    await ended;
    expect(await ok(c.core, 'session.current', {})).toBeNull();
    expect(c.core.cache.outbox.countPending()).toBe(1);
    expect((await hubCase(hub.url, await admin(), target.id)).case.resolution).not.toBe(resolution);

    await loginVia(c, 'tess');
    await settle(c);
    expect((await hubCase(hub.url, await admin(), target.id)).case.resolution).toBe(resolution);
    await ok(c.core, 'session.logout', {});
  });

  it('signing out revokes the access and refresh tokens on the hub', async () => {
    const c = await open('tess-signout');
    await loginVia(c, 'tess');
    const { token, refreshToken } = stored(c);
    const result = await call(c.core, 'session.logout', {});
    expect(result.ok).toBe(true);
    expect(c.core.cache.meta.get('token')).toBeNull();
    await waitFor(async () => (await hubRefreshes(refreshToken)) === 401, { timeoutMs: 10_000, what: 'the hub to refuse the refresh token' });
    expect(await hubAccepts(token)).toBe(false);
  });
});
