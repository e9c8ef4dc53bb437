/**
 * The console's theme follows the OS, in a real Chromium: a browser that
 * prefers dark gets the sign-in and the console dark (its panels too, not white
 * modules on a dark page); "Light" in the user menu applies at once, survives a
 * reload and wins over the OS; "System" follows the OS again, live.
 * Screenshots: dark at 1440×900 and 1024×700, light at 1440×900. Contrast in
 * the dark scheme is axe's to check, on every screen and dialog, in
 * a11y-audit.test.ts (both schemes by default).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { shotPath, signIn, startE2e, type E2eEnv } from './harness';

const WAIT = { timeout: 30_000, interval: 100 };
const LAPTOP = { width: 1024, height: 700 };
/** Mantine's body colour in each scheme (`--mantine-color-body`). */
const BODY = { dark: 'rgb(36, 36, 36)', light: 'rgb(255, 255, 255)' };

// What runs in the page (this file is type-checked without the DOM's types).
declare const document: { body: object };
declare function getComputedStyle(element: object): { backgroundColor: string };

const scheme = (page: Page) => page.getAttribute('html', 'data-mantine-color-scheme');
const bodyBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

async function pickTheme(page: Page, choice: 'auto' | 'light' | 'dark'): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.locator(`[data-testid="theme-option"][data-scheme="${choice}"]`).click();
}

describe('the theme follows the OS (Chromium)', () => {
  let env: E2eEnv;
  let context: BrowserContext;
  let page: Page;
  const shots: string[] = [];
  const shot = async (name: string) => {
    shots.push(shotPath(name));
    await page.screenshot({ path: shotPath(name) });
  };

  beforeAll(async () => {
    env = await startE2e();
    // What an OS in dark mode tells the page: prefers-color-scheme: dark.
    context = await env.browser.newContext({ colorScheme: 'dark', viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    await page.goto(env.consoleUrl);
  });

  afterAll(async () => {
    if (shots.length > 0) console.log(`theme screenshots:\n${shots.join('\n')}`);
    await context?.close();
    await env?.stop();
  });

  it('signs in dark when the OS is dark', async () => {
    await page.getByTestId('login-form').waitFor(WAIT);
    await expect.poll(() => scheme(page), WAIT).toBe('dark');
    expect(await bodyBackground(page)).toBe(BODY.dark);
    await shot('theme-dark-login-1440.png');
  });

  it('shows the agent’s queue and an open case dark', async () => {
    await signIn(page, 'ana');
    expect(await scheme(page)).toBe('dark');
    expect(await bodyBackground(page)).toBe(BODY.dark);
    // The queue's panel is dark too, not a white module on a dark page.
    expect(await page.getByTestId('queue-list').evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(BODY.light);
    await shot('theme-dark-queue-1440.png');

    await page.getByTestId('queue-row').first().click();
    await page.getByTestId('case-view').waitFor(WAIT);
    await page.getByTestId('composer-send').waitFor(WAIT);
    expect(await page.getByTestId('case-view').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(BODY.dark);
    await shot('theme-dark-case-1440.png');

    await page.setViewportSize(LAPTOP);
    await page.getByTestId('composer-send').waitFor(WAIT);
    await shot('theme-dark-case-1024.png');

    await page.getByTestId('user-menu').click();
    await page.locator('[data-testid="theme-option"][data-scheme="auto"][aria-current="true"]').waitFor(WAIT);
    await shot('theme-dark-user-menu-1024.png');
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('switches to Light from the user menu at once, keeps it after a reload, over the OS’s dark', async () => {
    await pickTheme(page, 'light');
    await expect.poll(() => scheme(page), WAIT).toBe('light');
    expect(await bodyBackground(page)).toBe(BODY.light);
    await shot('theme-light-case-1440.png');

    await page.reload();
    await page.getByTestId('queue-list').waitFor(WAIT);
    await expect.poll(() => scheme(page), WAIT).toBe('light');
    expect(await bodyBackground(page)).toBe(BODY.light);
    await page.getByTestId('user-menu').click();
    await page.locator('[data-testid="theme-option"][data-scheme="light"][aria-current="true"]').waitFor(WAIT);
    await page.keyboard.press('Escape');
  });

  it('follows the OS again, live, once System is picked', async () => {
    await pickTheme(page, 'auto');
    await expect.poll(() => scheme(page), WAIT).toBe('dark');
    // The OS turns light: the console follows without a reload.
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => scheme(page), WAIT).toBe('light');
    expect(await bodyBackground(page)).toBe(BODY.light);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => scheme(page), WAIT).toBe('dark');
  });
});
