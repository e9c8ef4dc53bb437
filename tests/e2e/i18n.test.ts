/**
 * The console in the user's language, in a real Chromium: a browser whose
 * language is Russian gets the sign-in and the queue in Russian (the count's
 * plural form right for the number shown); Íslenska picked in the user menu
 * changes the texts at once and is still there after a reload. Screenshots:
 * Russian at 1440×900, Icelandic at 1024×700 (the longer texts keep the
 * layout: nothing off the screen, the queue's SLA and age columns in view).
 */
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { shotPath, signIn, startE2e, type E2eEnv } from './harness';

const WAIT = { timeout: 30_000, interval: 100 };
const LAPTOP = { width: 1024, height: 700 };

/** The Russian form of "N cases" the CLDR rules give for `n`. */
const ruCases = (n: number) => ({ one: 'обращение', few: 'обращения', many: 'обращений', other: 'обращения' })[new Intl.PluralRules('ru').select(n) as 'one' | 'few' | 'many' | 'other'];

async function inViewport(locator: Locator, width: number, height: number): Promise<boolean> {
  const b = await locator.boundingBox();
  return b !== null && b.x >= 0 && b.y >= 0 && b.x + b.width <= width + 0.5 && b.y + b.height <= height + 0.5;
}

/** axe's serious and critical WCAG 2.1 A/AA findings on the page as it is (valid `lang` values included). */
async function axeFindings(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** The page is no wider than the window: nothing pushed off to the right. */
const noHorizontalOverflow = (page: Page) =>
  page.evaluate(() => {
    // This file is typed for Node, without the DOM.
    const w = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
    return w.document.documentElement.scrollWidth <= w.innerWidth;
  });

describe('the console in the user’s language (Chromium)', () => {
  let env: E2eEnv;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    env = await startE2e();
    // What a Russian OS or browser tells the page: navigator.language "ru-RU", Accept-Language ru-RU.
    context = await env.browser.newContext({ locale: 'ru-RU', viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    await page.goto(env.consoleUrl);
  });

  afterAll(async () => {
    await context?.close();
    await env?.stop();
  });

  it('signs in in Russian, following the browser’s language', async () => {
    await page.getByTestId('login-form').waitFor(WAIT);
    expect(await page.getAttribute('html', 'lang')).toBe('ru');
    expect(await page.getByTestId('login-submit').textContent()).toBe('Войти');
    await page.getByLabel('Имя пользователя').waitFor(WAIT);
    await page.getByText('Консоль контакт-центра').waitFor(WAIT);
  });

  it('shows the queue in Russian, with the plural the count needs', async () => {
    await signIn(page, 'ana');
    const total = page.getByTestId('view-total');
    await expect.poll(() => total.textContent(), WAIT).toMatch(/^\d+ /);
    const text = (await total.textContent())!;
    const n = Number(text.split(' ')[0]);
    expect(n).toBeGreaterThan(0);
    expect(text).toBe(`${n} ${ruCases(n)}`);
    expect(await page.getByTestId('connection-indicator').textContent()).toBe('В сети');
    expect(await page.getByTestId('queue-header-sla').textContent()).toBe('SLA');
    expect(await page.getByTestId('queue-header-age').textContent()).toBe('Возраст');
    expect(await page.getByTestId('user-role').textContent()).toBe('Оператор');
    // Why each case sits where it does, in Russian too (the core sends the reasons as data).
    const why = (await page.getByTestId('queue-row-why').first().textContent())!;
    expect(why).toMatch(/SLA (через|нарушен|не отсчитывается)|тариф|тон|приоритет|срочно|ничего срочного/);
    expect(why).not.toMatch(/SLA due|breached|plan|sentiment|priority/);
    expect(await noHorizontalOverflow(page)).toBe(true);
    await page.screenshot({ path: shotPath('i18n-ru-queue-1440.png') });

    await page.getByTestId('queue-row').first().click();
    await page.getByTestId('case-view').waitFor(WAIT);
    await expect.poll(() => page.getByTestId('composer-tab-reply').textContent(), WAIT).toBe('Ответ');
    expect(await page.getByTestId('case-number').textContent()).toMatch(/^Обращение №\d+$/);
    expect(await inViewport(page.getByTestId('composer-send'), 1440, 900)).toBe(true);
    await page.screenshot({ path: shotPath('i18n-ru-case-1440.png') });
  });

  it('switches to Íslenska from the user menu at once, and keeps it after a reload', async () => {
    await page.getByTestId('user-menu').click();
    await page.locator('[data-testid="language-option"][data-language="is"]').click();
    // No reload, no sign-in again: the texts change where they are.
    await expect.poll(() => page.getAttribute('html', 'lang'), WAIT).toBe('is');
    await expect.poll(() => page.getByTestId('composer-tab-reply').textContent(), WAIT).toBe('Svar');
    expect(await page.getByTestId('connection-indicator').textContent()).toBe('Tengt');
    expect(await page.getByTestId('user-role').textContent()).toBe('Fulltrúi');
    expect(await page.getByTestId('view-total').textContent()).toMatch(/^\d+ mál$/);

    await page.reload();
    await page.getByTestId('queue-list').waitFor(WAIT);
    await expect.poll(() => page.getByTestId('queue-header-age').textContent(), WAIT).toBe('Aldur');
    expect(await page.getAttribute('html', 'lang')).toBe('is');
    // The core says it is online again a moment after the page comes back.
    await expect.poll(() => page.getByTestId('connection-indicator').textContent(), WAIT).toBe('Tengt');
  });

  it('keeps the layout at 1024×700 with the longer Icelandic texts', async () => {
    await page.setViewportSize(LAPTOP);
    await page.getByTestId('queue-row').first().waitFor(WAIT);
    expect(await page.getByTestId('queue-header-age').textContent()).toBe('Aldur');
    expect(await noHorizontalOverflow(page)).toBe(true);
    expect(await inViewport(page.getByTestId('queue-header-sla'), LAPTOP.width, LAPTOP.height)).toBe(true);
    expect(await inViewport(page.getByTestId('queue-header-age'), LAPTOP.width, LAPTOP.height)).toBe(true);
    expect(await inViewport(page.getByTestId('user-menu'), LAPTOP.width, LAPTOP.height)).toBe(true);
    await page.screenshot({ path: shotPath('i18n-is-queue-1024.png') });
    // The picker: each language named in itself (with its own lang), the current one marked; axe finds nothing serious.
    await page.getByTestId('user-menu').click();
    const current = page.locator('[data-testid="language-option"][data-language="is"]');
    await current.waitFor(WAIT);
    expect(await current.getAttribute('aria-current')).toBe('true');
    expect(await page.locator('[data-testid="language-option"][data-language="ru"]').textContent()).toBe('Русский');
    expect(await axeFindings(page)).toEqual([]);
    await page.screenshot({ path: shotPath('i18n-is-menu-1024.png') });
    await page.keyboard.press('Escape');

    await page.getByTestId('queue-row').first().click();
    await page.getByTestId('case-view').waitFor(WAIT);
    expect(await inViewport(page.getByTestId('composer-send'), LAPTOP.width, LAPTOP.height)).toBe(true);
    expect(await noHorizontalOverflow(page)).toBe(true);
    await page.screenshot({ path: shotPath('i18n-is-case-1024.png') });
    // Where the screenshots are, to be looked at.
    console.log(`i18n screenshots: ${shotPath('')}`);
  });
});
