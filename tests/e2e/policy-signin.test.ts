/**
 * The sign-in on a managed workstation, in a real Chromium: the browser
 * shell started under a policy that fixes the hub (SWITCHBOARD_POLICY_FILE,
 * read only where the OS has no policy file) shows the hub address
 * read-only, "Set by your administrator", with no way to type another; the
 * window learns it through the console API (`session.hub`), and signing in
 * needs no hub typed. Screenshots at 1440×900 and 1024×700. (Where the
 * sign-in goes is checked on the core: tests/shell/policy*.test.ts.)
 */
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shotPath, signIn, startE2e, type E2eEnv } from './harness';

const WAIT = { timeout: 30_000, interval: 100 };

/** A port nobody listens on now, for the hub: the policy must name the hub before the hub and the console start. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

describe('the sign-in under a policy that fixes the hub (Chromium)', () => {
  let env: E2eEnv;
  let page: Page;
  let policyDir: string;
  let lockedHub: string;

  beforeAll(async () => {
    const port = await freePort();
    // Another spelling of the hub the harness starts: the session must name the policy's, not the one given by --hub.
    lockedHub = `http://localhost:${port}`;
    policyDir = await mkdtemp(join(tmpdir(), 'switchboard-e2e-policy-'));
    writeFileSync(join(policyDir, 'policy.json'), JSON.stringify({ hubUrl: lockedHub }));
    // The browser shell's process inherits it.
    process.env.SWITCHBOARD_POLICY_FILE = join(policyDir, 'policy.json');
    env = await startE2e({ hub: { port } });
    page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(env.consoleUrl);
  });
  afterAll(async () => {
    delete process.env.SWITCHBOARD_POLICY_FILE;
    await env?.stop();
    if (policyDir) await rm(policyDir, { recursive: true, force: true });
  });

  it('shows the hub read-only, set by the administrator, at 1440×900 and 1024×700', async () => {
    const field = page.getByTestId('login-hub-locked');
    await field.waitFor(WAIT);
    expect(await field.inputValue()).toBe(lockedHub);
    expect(await field.getAttribute('readonly')).not.toBeNull();
    await page.getByText('Set by your administrator').waitFor(WAIT);
    // No "Advanced" and no field to type another hub into.
    expect(await page.getByTestId('login-advanced').count()).toBe(0);
    expect(await page.getByTestId('login-hub-url').count()).toBe(0);
    await page.screenshot({ path: shotPath('policy-signin-1440.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await field.waitFor(WAIT);
    const box = await page.getByTestId('login-submit').boundingBox();
    expect(box && box.y + box.height <= 700).toBe(true);
    await page.screenshot({ path: shotPath('policy-signin-1024.png') });
  });

  it('signs in with no hub typed (the core sends it to the policy’s hub)', async () => {
    await signIn(page, 'ana');
    expect(await page.getByTestId('connection-indicator').getAttribute('data-state')).toBe('online');
  });
});
