/**
 * Signing out with the hub out of reach: the session ends here at once, the
 * sign-out is kept (sealed as the tokens are) and sent when the hub is next
 * reachable — while the console runs, or at its next start — after which
 * the hub refuses the old refresh and access tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleCore } from '../../src/main/core';
import type { RunningHub } from '../../src/hub/hub';
import { call, consoleDir, goOffline, loginVia, ok, type ProxiedConsole, proxiedConsole } from './console-fixture';
import { tempDir } from './fixtures';
import { keychain } from './keychain';
import { startLocalHub, waitFor } from './hub-fixture';


describe('signing out offline', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  const consoles: ProxiedConsole[] = [];
  const box = keychain();

  async function open(name: string): Promise<ProxiedConsole> {
    const c = await proxiedConsole(hub.url, consoleDir(dir.path, name), { secrets: box });
    consoles.push(c);
    return c;
  }

  function stored(c: ProxiedConsole): { token: string; refreshToken: string } {
    const raw = c.core.cache.meta.get('token');
    if (!raw) throw new Error('no stored session');
    return JSON.parse(box.open(raw.slice('sealed:'.length))) as { token: string; refreshToken: string };
  }

  /** Asks the hub directly (not through the proxy). Only once the console is done: a refresh that succeeds would rotate the token itself. */
  const hubRefreshes = async (refreshToken: string) =>
    (await fetch(new URL('/api/auth/refresh', hub.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) })).status;
  const hubAccepts = async (token: string) => (await fetch(new URL('/api/me', hub.url), { headers: { authorization: `Bearer ${token}` } })).status === 200;
  const pending = (c: ProxiedConsole) => c.core.cache.meta.get('pendingSignOuts');

  beforeAll(async () => {
    dir = await tempDir('switchboard-offline-signout-');
    hub = await startLocalHub(dir.path, { demo: true });
  });
  afterAll(async () => {
    for (const c of consoles) await c.close();
    await hub?.close();
    await dir?.remove();
  });

  it('ends the session at once, keeps the sign-out sealed, and revokes on the hub when it is back', async () => {
    const c = await open('tess-offline');
    await loginVia(c, 'tess');
    const { token, refreshToken } = stored(c);
    await goOffline(c);

    const started = Date.now();
    expect((await call(c.core, 'session.logout', {})).ok).toBe(true);
    // Signed out here at once, hub or no hub.
    expect(await ok(c.core, 'session.current', {})).toBeNull();
    expect(c.core.cache.meta.get('token')).toBeNull();
    expect(Date.now() - started).toBeLessThan(6_000);
    // Kept for later, sealed: neither token in the clear.
    const kept = pending(c);
    expect(kept).toMatch(/^sealed:/);
    expect(kept).not.toContain(refreshToken);
    expect(kept).not.toContain(token);

    c.proxy.setOnline(true);
    await waitFor(() => pending(c) === null, { timeoutMs: 15_000, what: 'the kept sign-out to reach the hub' });
    expect(await hubRefreshes(refreshToken)).toBe(401);
    expect(await hubAccepts(token)).toBe(false);
  });

  it('sends a sign-out kept offline at the next start', async () => {
    const c = await open('tess-restart');
    await loginVia(c, 'tess');
    const { token, refreshToken } = stored(c);
    await goOffline(c);
    expect((await call(c.core, 'session.logout', {})).ok).toBe(true);
    expect(pending(c)).not.toBeNull();
    // Closed before the hub came back; started again with the hub reachable.
    await c.core.close();
    c.proxy.setOnline(true);
    c.core = await createConsoleCore({ dataDir: c.dataDir, hubUrl: c.proxy.url, secrets: box, retryBaseMs: 50, resyncIntervalMs: 3_600_000 });
    await waitFor(() => pending(c) === null, { timeoutMs: 15_000, what: 'the kept sign-out to be sent at start' });
    expect(await ok(c.core, 'session.current', {})).toBeNull();
    expect(await hubRefreshes(refreshToken)).toBe(401);
    expect(await hubAccepts(token)).toBe(false);
  });
});
