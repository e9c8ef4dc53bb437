/**
 * Sync progress on screen. Signing in pulls the user's whole scope into the
 * offline cache before the console opens, and a console back from a time
 * offline catches up page by page; both say how far they have come. The
 * console pulls 40 rows a page, and the test holds one pull request at the
 * proxy so that each state stays on screen until the test has looked at it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import { ACTIVE_STATUSES } from '../../src/main/core/cache/repos/cases';
import { hubCases } from '../core/hub-fixture';
import { shotPath, startE2e, submitSignIn, type E2eEnv } from './harness';
import { hubLogin } from './hub-http';

const WAIT = { timeout: 30_000, interval: 100 };
const PULL = 'POST /api/sync/pull';

const activeOnHub = async (hubUrl: string, token: string) =>
  (await hubCases(hubUrl, token)).filter((c) => ACTIVE_STATUSES.includes(c.status)).length;
const allActiveCount = async (page: Page) => Number(await page.locator('[data-testid="queue-nav-item"][data-view="all"] [data-testid="queue-nav-count"]').textContent());
const connection = (page: Page) => page.getByTestId('connection-indicator').getAttribute('data-state');

/** Part of the pull done, not all of it: the bar is showing a pull in progress. */
async function expectPartway(bar: Locator): Promise<void> {
  const done = Number(await bar.getAttribute('data-done'));
  const total = Number(await bar.getAttribute('data-total'));
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(total);
}

describe('sync progress in Chromium', () => {
  let env: E2eEnv;
  let page: Page;
  let sam: string;

  beforeAll(async () => {
    env = await startE2e({ proxy: true, pullPageSize: 40 });
    page = await (await env.browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    sam = await hubLogin(env.hub.url, 'sam');
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('shows how far the first pull has come under the sign-in button, then opens the console with every case', async () => {
    // Two pages go through; the third waits at the proxy.
    const hold = env.proxy!.holdRequest(PULL, { pass: 2 });
    await page.goto(env.consoleUrl);
    await submitSignIn(page, 'sam');
    await hold.holding;

    const bar = page.getByTestId('signin-sync-progress');
    await bar.waitFor();
    await expectPartway(bar);
    expect(await bar.textContent()).toMatch(/^Fetching your cases for offline work: \d+ %$/);
    await page.screenshot({ path: shotPath('ui-signin-progress.png') });

    hold.release();
    await page.getByTestId('queue-list').waitFor({ timeout: 30_000 });
    await expect.poll(() => connection(page), WAIT).toBe('online');
    expect(await bar.count()).toBe(0);
    expect(await page.getByTestId('sync-progress').count()).toBe(0);
    await expect.poll(() => allActiveCount(page), WAIT).toBe(await activeOnHub(env.hub.url, sam));
  });

  it('shows a bar under the top bar while catching up after a time offline', async () => {
    env.proxy!.setOnline(false);
    await expect.poll(() => connection(page), WAIT).not.toBe('online');

    // Meanwhile on the hub: another supervisor opens 120 cases.
    const queueId = (await hubCases(env.hub.url, sam))[0]!.queueId;
    const mutations = Array.from({ length: 120 }, (_, n) => {
      const id = uuidv7();
      const draft = { id, subject: `Opened while the console was away ${n}`, status: 'new', priority: 'normal', channel: 'email', customerId: null, deviceId: null, queueId, language: 'en', tags: [] };
      return { id: uuidv7(), kind: 'case.create', entityId: id, baseVersion: 0, createdAt: new Date().toISOString(), payload: { case: draft } };
    });
    const pushed = await fetch(new URL('/api/sync/push', env.hub.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await hubLogin(env.hub.url, 'admin')}` },
      body: JSON.stringify({ mutations }),
    });
    expect(pushed.ok).toBe(true);

    // The catch-up's first page goes through; the second waits at the proxy.
    const hold = env.proxy!.holdRequest(PULL, { pass: 1 });
    env.proxy!.setOnline(true);
    await hold.holding;
    const bar = page.getByTestId('sync-progress');
    await bar.waitFor();
    await expectPartway(bar);
    await page.mouse.move(300, 60);
    await page.screenshot({ path: shotPath('ui-catch-up-progress.png') });

    hold.release();
    await expect.poll(() => bar.count(), WAIT).toBe(0);
    await expect.poll(() => allActiveCount(page), WAIT).toBe(await activeOnHub(env.hub.url, sam));
  });
});
