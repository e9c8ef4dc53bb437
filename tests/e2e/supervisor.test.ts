/**
 * The supervisor's queue board, end to end in Chromium: every queue's live
 * figures arrive with `queue:stats`, and a new case in a queue shows up in its
 * waiting count without a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newXUser, postX, tweet, X_BRAND, xActivity } from '../hub/x-webhooks';
import { shotPath, signIn, startSignedIn, type E2eEnv } from './harness';

const WAIT = { timeout: 15_000 };

describe('the queue board (Chromium)', () => {
  let env: E2eEnv;
  let page: Page;

  beforeAll(async () => {
    ({ env, page } = await startSignedIn('sam', { hub: { queueStatsIntervalMs: 60_000 } }));
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('shows every queue live, and a new case raises its queue’s waiting count', async () => {
    await page.locator('[data-testid="queue-nav-item"][data-view="board"]').click();
    const rows = page.getByTestId('queue-board-row');
    await expect.poll(() => rows.count(), WAIT).toBeGreaterThanOrEqual(5);
    const social = page.locator('[data-testid="queue-board-row"][data-queue="Social"]');
    const before = Number(await social.getAttribute('data-waiting'));
    await page.screenshot({ path: shotPath('queue-board-1440.png') });

    const post = tweet(newXUser('board'), '@switchboard my bill is wrong', { inReplyToUser: X_BRAND, inReplyToStatus: '1' });
    expect((await postX(env.hub.url, xActivity({ tweets: [post] }))).status).toBe(200);
    await expect.poll(async () => Number(await social.getAttribute('data-waiting')), WAIT).toBe(before + 1);

    // Sorting by a column orders the rows by it.
    await page.getByRole('button', { name: 'Waiting' }).click();
    const waiting = await rows.evaluateAll((all) => all.map((r) => Number(r.getAttribute('data-waiting'))));
    expect(waiting).toEqual([...waiting].sort((a, b) => b - a));
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: shotPath('queue-board-1024.png') });
  });

  it('is not offered to agents', async () => {
    // One console, one user: sam signs out and ana signs in.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await signIn(page, 'ana');
    await page.locator('[data-testid="queue-nav-item"][data-view="all"]').waitFor(WAIT);
    expect(await page.locator('[data-testid="queue-nav-item"][data-view="board"]').count()).toBe(0);
  });
});
