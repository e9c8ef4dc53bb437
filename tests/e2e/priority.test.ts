/**
 * The queue in the order of the explained priority score, end to end in
 * Chromium: each row says why it sits where it does ("SLA due in 12 min ·
 * enterprise plan · …"), the rows go down by score, and the open case says
 * the same in its header. Screenshot at 1440×900.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shotPath, startSignedIn, type E2eEnv } from './harness';

const WAIT = { timeout: 15_000 };

describe('the queue by explained priority (Chromium)', () => {
  let env: E2eEnv;
  let page: Page;

  beforeAll(async () => {
    ({ env, page } = await startSignedIn('sam'));
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('orders the rows by score, says why on each, and the case says the same', async () => {
    await page.locator('[data-testid="queue-nav-item"][data-view="all"]').click();
    const whys = page.getByTestId('queue-row-why');
    await whys.first().waitFor(WAIT);
    const rows = page.getByTestId('queue-row');
    const count = Math.min(await rows.count(), 12);
    const texts = await whys.allTextContents();
    expect(texts.slice(0, count).every((t) => t.length > 0)).toBe(true);
    // The demo's active cases carry SLAs: the top of the queue is there because of one.
    expect(texts[0]).toMatch(/SLA (due in|breached)/);
    const scores: number[] = [];
    for (let i = 0; i < count; i++) scores.push(Number((await whys.nth(i).getAttribute('title'))!.replace('Priority score ', '')));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    await page.screenshot({ path: shotPath('queue-priority-1440.png') });

    await rows.first().click();
    const header = page.getByTestId('case-priority-why');
    await header.waitFor(WAIT);
    expect(await header.textContent()).toBe(`Score ${scores[0]} · ${texts[0]}`);
  });
});
