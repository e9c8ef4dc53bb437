/**
 * Surge alerts end to end in Chromium: a storm of replies on X reaches the
 * supervisor's console as a card (the sample, the usual rate), a sample opens
 * its case, one click moves all the surge's cases to the chosen queue, and a
 * console opened later gets the recent alerts from the hub, less those dismissed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Case, Queue } from '../../src/shared/domain';
import { newXUser, postX, tweet, X_BRAND, xActivity } from '../hub/x-webhooks';
import { shotPath, startSignedIn, type E2eEnv } from './harness';

const WAIT = { timeout: 30_000 };

describe('surge alerts (Chromium)', () => {
  let env: E2eEnv;
  let page: Page;

  beforeAll(async () => {
    // The detector runs when the test says (surges.check), not on its timer.
    ({ env, page } = await startSignedIn('sam', { hub: { surgeIntervalMs: 3_600_000, surgeMinimum: 10, surgeKeywords: ['zephyr'] } }));
  });
  afterAll(async () => {
    await env?.stop();
  });

  const hubJson = async <T,>(path: string, token: string): Promise<T> => (await (await fetch(new URL(path, env.hub.url), { headers: { authorization: `Bearer ${token}` } })).json()) as T;

  it('shows the storm to the supervisor and moves all its cases in one click', async () => {
    const tweets = Array.from({ length: 12 }, (_, i) => tweet(newXUser(`surge${i}`), `@switchboard my Zephyr 3 shuts down when charging (${i + 1})`, { inReplyToUser: X_BRAND }));
    expect((await postX(env.hub.url, xActivity({ tweets }))).status).toBe(200);
    const raised = await env.hub.surges.check();
    expect(raised.map((a) => `${a.kind}:${a.key}`).sort()).toEqual(['channel:x', 'keyword:zephyr']);
    const x = raised.find((a) => a.key === 'x')!;

    const card = page.locator('[data-testid="surge-alert"][data-surge-key="x"]');
    await card.waitFor(WAIT);
    // The two alerts are two events: the second may land a moment after the first card shows.
    await expect.poll(() => page.getByTestId('surge-alert').count(), WAIT).toBe(2);
    await expect.poll(() => card.getByTestId('surge-title').textContent(), WAIT).toMatch(/^Surge on X: 12 in 10 min \(usual [\d.]+\)$/);
    // The newest (the keyword's: raised after the channel's) is open, the other shows its title only; a click opens it instead.
    const zephyr = page.locator('[data-testid="surge-alert"][data-surge-key="zephyr"]');
    expect(await zephyr.getAttribute('data-expanded')).toBe('true');
    expect(await card.getAttribute('data-expanded')).toBe('false');
    // Collapsed to its title (once its transition has run).
    await expect.poll(async () => (await card.boundingBox())?.height ?? Infinity, WAIT).toBeLessThan(100);
    await page.screenshot({ path: shotPath('surge-collapsed-1440.png') });
    await card.getByTestId('surge-toggle').click();
    await expect.poll(() => zephyr.getAttribute('data-expanded'), WAIT).toBe('false');
    expect(await card.getAttribute('data-expanded')).toBe('true');
    expect(await card.getByTestId('surge-sample').count()).toBe(5);
    await page.screenshot({ path: shotPath('surge-1440.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: shotPath('surge-1024.png') });
    await page.setViewportSize({ width: 1440, height: 900 });

    // A sample opens its case.
    const first = x.sample[0]!;
    await card.getByTestId('surge-sample').first().click();
    await page.getByText(`#${first.number}`).first().waitFor(WAIT);

    // Pick the queue and move them all.
    await card.getByTestId('surge-queue').click();
    await page.getByRole('option', { name: 'Support' }).click();
    await card.getByTestId('surge-move').click();
    const moved = card.getByTestId('surge-moved');
    await moved.waitFor(WAIT);
    expect(await moved.getAttribute('data-moved')).toBe('12');
    expect(await moved.textContent()).toContain('Moved 12 cases to Support');
    await page.screenshot({ path: shotPath('surge-moved-1440.png') });

    const token = ((await (await fetch(new URL('/api/auth/login', env.hub.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sam', password: 'demo' }) })).json()) as { token: string }).token;
    const support = (await hubJson<{ queues: Queue[] }>('/api/queues', token)).queues.find((q) => q.name === 'Support')!;
    for (const id of x.caseIds) expect((await hubJson<{ case: Case }>(`/api/cases/${id}`, token)).case.queueId).toBe(support.id);

    // Dismissed, it stays away — also when the console opens again and asks the hub for the recent ones (surges.list).
    await card.getByTestId('surge-dismiss').click();
    await expect.poll(() => page.getByTestId('surge-alert').count(), WAIT).toBe(1);
    await page.reload();
    await page.locator('[data-testid="surge-alert"][data-surge-key="zephyr"]').waitFor(WAIT);
    expect(await page.getByTestId('surge-alert').count()).toBe(1);
  });
});
