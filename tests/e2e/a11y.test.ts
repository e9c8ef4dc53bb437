/**
 * Accessibility, measured with axe-core in a real Chromium: every screen and
 * dialog of the console — sign-in, the queue, an open case with its composer,
 * the Details drawer on a 1024×700 laptop, mentions, conflicts, the boards,
 * the audit log, the admin tabs, the new-case and reassign dialogs, the user
 * menu and the shortcut sheet — as an agent, a supervisor and an admin, has no
 * serious or critical WCAG 2.1 A/AA violation. Each screen is checked in the
 * light and the dark theme (the console follows the OS). The keyboard reaches
 * the sheet (`?`) and a dialog gives focus back to what opened it.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import type { Case } from '../../src/shared/domain';
import { shotPath, signIn, startE2e, type E2eEnv } from './harness';
import { hubGet, hubLogin } from './hub-http';

const WAIT = { timeout: 30_000, interval: 100 };
const LAPTOP = { width: 1024, height: 700 };
const SCHEMES = (process.env.A11Y_SCHEMES ?? 'light').split(',') as ('light' | 'dark')[];
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// What runs in the page (this file is type-checked without the DOM's types).
declare const document: { querySelectorAll(selector: string): ArrayLike<object>; activeElement: { matches(selector: string): boolean } | null };
declare function getComputedStyle(element: object): { opacity: string; transform: string };

/** Every Mantine modal, drawer and popover on screen has finished its fade-in (axe measures contrast on what is painted). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll('.mantine-Modal-content, .mantine-Drawer-content, .mantine-Menu-dropdown, .mantine-Popover-dropdown')).every((el) => {
        const style = getComputedStyle(el);
        return style.opacity === '1' && (style.transform === 'none' || style.transform === 'matrix(1, 0, 0, 1, 0, 0)');
      }),
    undefined,
    WAIT,
  );
}

/** For a contrast finding, the colours axe measured (what to change). */
const contrastOf = (checks: { id: string; data?: unknown }[]): string => {
  const data = checks.find((c) => c.id === 'color-contrast')?.data as { fgColor?: string; bgColor?: string; contrastRatio?: number } | undefined;
  return data?.fgColor ? ` — ${data.fgColor} on ${data.bgColor} (${data.contrastRatio}:1)` : '';
};

interface Finding {
  screen: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
  why: string;
}

/** Runs axe on the page as it is, in both themes, and gives back its serious and critical findings, named by screen. */
async function audit(page: Page, screen: string): Promise<Finding[]> {
  await settled(page);
  const findings: Finding[] = [];
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.locator(`html[data-mantine-color-scheme="${scheme}"]`).waitFor(WAIT);
    const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
    for (const v of results.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      findings.push({ screen: `${screen} (${scheme})`, rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}${contrastOf(n.any)} ${n.html.slice(0, 160)}`), why: v.nodes[0]?.failureSummary ?? '' });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // In the log too, so a run shows every screen's findings, not only the first failing step's.
  if (findings.length > 0) console.log(JSON.stringify(findings, null, 1));
  return findings;
}

const nav = (page: Page, view: string) => page.locator(`[data-testid="queue-nav-item"][data-view="${view}"]`);

/** Opens a dialog by `open`, audits it, closes it with Esc and expects focus back on the opener (a test id, or a CSS selector). */
async function auditDialog(page: Page, screen: string, opener: string, open: () => Promise<void>, shown: string): Promise<Finding[]> {
  const openerSelector = /^[a-z-]+$/.test(opener) ? `[data-testid="${opener}"]` : opener;
  await open();
  await page.getByTestId(shown).waitFor(WAIT);
  // A select that opened its list on focus: Esc closes the list first (the dialog is what is audited).
  if ((await page.locator('[role="listbox"]:visible').count()) > 0) await page.keyboard.press('Escape');
  const findings = await audit(page, screen);
  await page.keyboard.press('Escape');
  await page.getByTestId(shown).waitFor({ state: 'hidden', ...WAIT });
  await expect.poll(() => page.evaluate((selector) => document.activeElement?.matches(selector) ?? false, openerSelector), WAIT).toBe(true);
  return findings;
}

describe('accessibility (axe-core, WCAG 2.1 AA, Chromium)', () => {
  let env: E2eEnv;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    env = await startE2e({ proxy: true });
    context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('has no serious or critical violation on an agent’s screens and dialogs', async () => {
    const findings: Finding[] = [];
    await page.goto(env.consoleUrl);
    await page.getByTestId('login-submit').waitFor(WAIT);
    findings.push(...(await audit(page, 'sign-in')));

    await signIn(page, 'ana');
    await nav(page, 'mine').click();
    await page.getByTestId('queue-row').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'My work')));

    await page.getByTestId('queue-row').first().click();
    await page.getByTestId('composer').waitFor(WAIT);
    await page.getByTestId('message').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'open case with composer')));
    await page.screenshot({ path: shotPath('a11y-case-1440.png') });

    await page.setViewportSize(LAPTOP);
    await page.getByTestId('case-details-open').click();
    const drawer = page.getByRole('dialog', { name: 'Case details' });
    await drawer.waitFor(WAIT);
    findings.push(...(await audit(page, 'Details drawer at 1024×700')));
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden', ...WAIT });
    await page.setViewportSize({ width: 1440, height: 900 });

    await nav(page, 'mentions').click();
    await page.getByTestId('view-title').filter({ hasText: 'Mentions' }).waitFor(WAIT);
    findings.push(...(await audit(page, 'mentions')));

    await nav(page, 'mine').click();
    await page.getByTestId('queue-row').first().waitFor(WAIT);
    findings.push(...(await auditDialog(page, 'new-case dialog', 'new-case-button', () => page.getByTestId('new-case-button').click(), 'new-case-subject')));
    findings.push(...(await auditDialog(page, 'user menu', 'user-menu', () => page.getByTestId('user-menu').click(), 'logout')));

    // The shortcut sheet: `?` from anywhere but a text field.
    await page.getByTestId('queue-list').locator('[data-queue-viewport]').focus();
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.waitFor(WAIT);
    findings.push(...(await audit(page, 'shortcut sheet')));
    await page.screenshot({ path: shotPath('a11y-shortcuts-1440.png') });
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden', ...WAIT });

    expect(findings).toEqual([]);
  });

  it('has no serious or critical violation on a supervisor’s screens and the reassign dialog', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await signIn(page, 'sam');
    const findings: Finding[] = [];

    await nav(page, 'board').click();
    await page.getByTestId('queue-board-row').first().waitFor(WAIT);
    await page.locator('[data-testid="queue-board-sparkline"] svg').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'queue board')));

    await nav(page, 'agents').click();
    await page.getByTestId('agent-board-row').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'agent board')));

    // Something in the audit log to read: a supervisor sets an agent away (a fresh hub has recorded nothing yet).
    const supervisor = await hubLogin(env.hub.url, 'sam');
    const dewi = (await hubGet<{ users: { id: string; username: string }[] }>(env.hub.url, supervisor, '/api/users')).users.find((u) => u.username === 'dewi')!;
    const away = await fetch(new URL(`/api/admin/users/${dewi.id}/presence`, env.hub.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${supervisor}`, 'content-type': 'application/json' },
      body: JSON.stringify({ presence: 'away', reason: 'Training' }),
    });
    expect(away.status).toBe(200);
    await nav(page, 'audit').click();
    await page.getByTestId('audit-row').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'audit log')));

    await nav(page, 'unassigned').click();
    const rows = page.getByTestId('queue-row');
    await rows.first().waitFor(WAIT);
    // By keyboard (toasts may lie over the rows): ↓ to the first case, x picks it, a opens the reassign dialog.
    const grid = page.getByTestId('queue-list').locator('[data-queue-viewport]');
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('x');
    await page.getByTestId('selection-bar').waitFor(WAIT);
    findings.push(...(await audit(page, 'queue with a selection')));
    findings.push(...(await auditDialog(page, 'reassign dialog', '[data-queue-viewport]', () => page.keyboard.press('a'), 'reassign-submit')));
    await page.screenshot({ path: shotPath('a11y-supervisor-1440.png') });

    expect(findings).toEqual([]);
  });

  it('has no serious or critical violation on the admin tabs', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await signIn(page, 'admin');
    const findings: Finding[] = [];

    await nav(page, 'admin').click();
    await page.getByTestId('admin-user-row').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: users')));
    findings.push(...(await auditDialog(page, 'admin: new user dialog', 'admin-create-user', () => page.getByTestId('admin-create-user').click(), 'admin-user-name')));

    await page.getByTestId('admin-tab-queues').click();
    await page.getByTestId('admin-queue-row').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: queues')));

    await page.getByTestId('admin-tab-channels').click();
    await page.getByTestId('admin-channels-handle-x').waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: channels')));
    await page.screenshot({ path: shotPath('a11y-admin-1440.png') });

    expect(findings).toEqual([]);
  });

  it('has no serious or critical violation on the conflicts view', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await signIn(page, 'ana');
    await nav(page, 'mine').click();
    await page.getByTestId('queue-row').first().waitFor(WAIT);
    // A case changed here while offline and on the hub meanwhile: one open conflict.
    const id = (await page.getByTestId('queue-row').first().getAttribute('data-case-id'))!;
    const sam = await hubLogin(env.hub.url, 'sam');
    const original = (await hubGet<{ case: Case }>(env.hub.url, sam, `/api/cases/${id}`)).case;
    env.proxy!.setOnline(false);
    await expect.poll(() => page.getByTestId('connection-indicator').getAttribute('data-state'), WAIT).not.toBe('online');
    await page.getByTestId('queue-row').first().click();
    await page.locator(`[data-testid="case-view"][data-case-id="${id}"]`).waitFor(WAIT);
    const priority = original.priority === 'urgent' ? 'High' : 'Urgent';
    await page.getByTestId('case-priority').click();
    await page.getByRole('option', { name: priority, exact: true }).click();
    await expect.poll(() => page.getByTestId('case-priority').inputValue()).toBe(priority);
    const theirs = original.priority === 'low' ? 'normal' : 'low';
    const pushed = await fetch(new URL('/api/sync/push', env.hub.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sam}` },
      body: JSON.stringify({ mutations: [{ id: uuidv7(), createdAt: new Date().toISOString(), kind: 'case.update', entityId: id, baseVersion: original.version, payload: { fields: { priority: theirs } } }] }),
    });
    expect(pushed.ok).toBe(true);
    env.proxy!.setOnline(true);
    await page.getByTestId('sync-now').click();
    await expect.poll(() => page.getByTestId('sync-conflicts').getAttribute('data-count'), WAIT).toBe('1');

    await page.getByTestId('sync-conflicts').click();
    await expect.poll(() => page.getByTestId('view-title').textContent(), WAIT).toBe('Conflicts');
    await page.locator(`[data-testid="queue-row"][data-case-id="${id}"]`).click();
    await page.locator('[data-testid="conflict"][data-field="priority"]').waitFor(WAIT);
    const findings = await audit(page, 'conflicts view with the conflict open');
    await page.screenshot({ path: shotPath('a11y-conflicts-1440.png') });
    expect(findings).toEqual([]);
  });
});
