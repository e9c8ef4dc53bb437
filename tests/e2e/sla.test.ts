/**
 * SLA alerts end to end in Chromium: the hub's watcher (called when the test
 * says) warns and records breaches of the demo's open cases; the supervisor's
 * console shows each as a toast that opens its case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shotPath, startSignedIn, type E2eEnv } from './harness';

const WAIT = { timeout: 30_000 };

describe('SLA alerts (Chromium)', () => {
  let env: E2eEnv;
  let page: Page;

  beforeAll(async () => {
    ({ env, page } = await startSignedIn('sam', { hub: { slaIntervalMs: 3_600_000 } }));
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('shows a breach to the supervisor as a toast that opens the case', async () => {
    const told = await env.hub.sla.check();
    expect(told.length).toBeGreaterThan(0);
    const toast = page.getByTestId('sla-open-case').first();
    await toast.waitFor(WAIT);
    await page.screenshot({ path: shotPath('sla-toasts-1440.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: shotPath('sla-toasts-1024.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    await toast.click();
    const last = told[told.length - 1]!;
    expect(told.some((a) => a.kind === 'breach' || a.kind === 'warning')).toBe(true);
    await page.getByText(/^#\d+/).first().waitFor(WAIT);
    expect(last.caseNumber).toBeGreaterThan(1000);
  });
});
