/**
 * Accessibility, measured with axe-core in a real Chromium: every screen and
 * dialog of the console — sign-in, the queue, an open case with its composer,
 * the Details drawer on a 1024×700 laptop, mentions, the boards, the audit
 * log, the admin tabs, the new-case and reassign dialogs, the user menu and
 * the shortcut sheet — as an agent and a supervisor, has no serious or
 * critical WCAG 2.1 A/AA violation (the admin tabs: a11y-audit-admin.test.ts,
 * a file of its own so the two run side by side). Each screen is checked in the light and
 * the dark theme (the console follows the OS; `A11Y_SCHEMES=light` for one),
 * and each dialog gives focus back to what opened it. The conflicts view and
 * the keyboard walks are in a11y-keyboard.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { WAIT, MANY_AUDITS, LAPTOP, audit, auditDialog, nav, signInAs, type Finding } from './a11y';
import { hubGet, hubLogin } from './hub-http';
import { newXUser, postX, tweet, xActivity } from '../hub/x-webhooks';
import { shotPath, signIn, startE2e, type E2eEnv } from './harness';

/** The inbox has its first page: its rows, or its empty state (a fresh hub has no mentions). */
const loaded = (page: Page) => page.locator('[data-testid="mention-row"], [data-testid="mentions-empty"]').first().waitFor(WAIT);

describe('accessibility of every screen and dialog (axe-core, WCAG 2.1 AA, Chromium)', () => {
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
    findings.push(...(await auditDialog(page, 'presence menu', 'presence-menu', () => page.getByTestId('presence-menu').click(), 'presence-available')));
    findings.push(
      ...(await auditDialog(page, 'away: other reason dialog', 'presence-menu', async () => {
        await page.getByTestId('presence-menu').click();
        await page.getByTestId('presence-away-other').click();
      }, '.mantine-Modal-content')),
    );
    findings.push(...(await auditDialog(page, 'notices drawer', 'notices-button', () => page.getByTestId('notices-button').click(), '.mantine-Drawer-content')));
    findings.push(...(await auditDialog(page, 'customer consent menu', 'consent-menu', () => page.getByTestId('consent-menu').click(), '[role="menu"]')));
    await page.getByTestId('knowledge-search').fill('coolant');
    const article = page.getByTestId('knowledge-article').first();
    findings.push(...(await auditDialog(page, 'knowledge article', 'knowledge-article', () => article.click(), 'knowledge-article-body')));

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
    await loaded(page);
    findings.push(...(await audit(page, 'mentions')));
    // A new mention to convert (ana works Social): the convert dialog, with "add to an existing case" shown.
    const mention = `@switchboard the screen reader test ${Date.now()}`;
    expect((await postX(env.hub.url, xActivity({ tweets: [tweet(newXUser('a11y'), mention)] }))).status).toBe(200);
    const mentionRow = page.locator('[data-testid="mention-row"]', { hasText: mention });
    await mentionRow.waitFor(WAIT);
    findings.push(
      ...(await auditDialog(page, 'convert-mention dialog', 'mention-convert', async () => {
        await mentionRow.getByTestId('mention-convert').click();
        await page.getByTestId('convert-into').getByText('Add to an existing case').click();
      }, 'convert-case')),
    );

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
  }, MANY_AUDITS);

  it('keeps a table a valid grid while its first page loads', async () => {
    // A page of its own whose bridge socket holds the core's mentions.list calls: the inbox stays loading for as long as the test needs.
    const held: string[] = [];
    let hold = true;
    let toCore: ((message: string | Buffer) => void) | undefined;
    const loading = await context.newPage();
    await loading.routeWebSocket(/\/bridge\//, (ws) => {
      const core = ws.connectToServer();
      toCore = (message) => core.send(message);
      ws.onMessage((message) => {
        if (hold && typeof message === 'string' && message.includes('"mentions.list"')) held.push(message);
        else core.send(message);
      });
    });
    try {
      // The core may have someone signed in already (the tests before): the page opens on the console or on sign-in.
      await loading.goto(env.consoleUrl);
      await loading.locator('[data-testid="login-submit"], [data-testid="user-menu"]').first().waitFor(WAIT);
      await signInAs(loading, env.consoleUrl, 'ana');
      await nav(loading, 'mentions').click();
      await loading.locator('[data-testid="mention-list"] [aria-busy="true"]').first().waitFor(WAIT);
      expect(held.length).toBeGreaterThan(0);
      const findings = await audit(loading, 'mentions while loading');
      hold = false;
      for (const message of held.splice(0)) toCore!(message);
      await loaded(loading);
      expect(findings).toEqual([]);
    } finally {
      await loading.close();
    }
  }, MANY_AUDITS);

  it('has no serious or critical violation on a supervisor’s screens and the reassign dialog', async () => {
    await signInAs(page, env.consoleUrl, 'sam');
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
    // Enter opens the case under the cursor once the dialog has gone (while it fades out, its focus trap takes the key).
    await page.locator('.mantine-Modal-content').waitFor({ state: 'detached', ...WAIT });
    await page.keyboard.press('Enter');
    await page.getByTestId('case-view').waitFor(WAIT);
    findings.push(...(await auditDialog(page, 'case assign menu', 'case-assign-menu', () => page.getByTestId('case-assign-menu').click(), 'case-assign-me')));

    expect(findings).toEqual([]);
  }, MANY_AUDITS);
});
