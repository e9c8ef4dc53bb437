/**
 * Presence from the top bar, end to end in Chromium: the agent goes away for
 * lunch, a supervisor hears it live with the reason, and the console still
 * says so after a reload (the hub is asked).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { PresenceUpdate } from '../../src/shared/protocol';
import { connectSocket } from '../hub/helpers';
import { shotPath, startSignedIn, type E2eEnv } from './harness';
import { hubLogin } from './hub-http';

const WAIT = { timeout: 15_000 };

describe('presence in the top bar (Chromium)', () => {
  let env: E2eEnv;
  let page: Page;

  beforeAll(async () => {
    ({ env, page } = await startSignedIn('ana'));
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('goes away for lunch: the supervisor hears it with the reason, and a reload still shows it', async () => {
    const menu = page.getByTestId('presence-menu');
    await expect.poll(() => menu.getAttribute('data-presence'), WAIT).toBe('available');

    const sam = connectSocket(env.hub.url, await hubLogin(env.hub.url, 'sam'));
    const heard: PresenceUpdate[] = [];
    sam.on('presence:update', (update: PresenceUpdate) => heard.push(update));
    await new Promise<void>((resolve) => sam.once('connect', () => resolve()));
    try {
      await menu.click();
      await page.locator('[data-testid="presence-away"][data-reason="Lunch"]').click();
      await expect.poll(() => menu.getAttribute('data-presence'), WAIT).toBe('away');
      expect(await page.getByTestId('presence-label').textContent()).toContain('Away · Lunch');
      await expect.poll(() => heard.find((u) => u.presence === 'away')?.reason ?? null, WAIT).toBe('Lunch');
      await page.screenshot({ path: shotPath('presence-away-1440.png') });

      await page.reload();
      await page.getByTestId('queue-list').waitFor(WAIT);
      await expect.poll(() => menu.getAttribute('data-presence'), WAIT).toBe('away');
      expect(await page.getByTestId('presence-label').textContent()).toContain('Lunch');

      await menu.click();
      await page.getByTestId('presence-available').click();
      await expect.poll(() => heard.at(-1)?.presence, WAIT).toBe('available');
    } finally {
      sam.close();
    }
  });
});
