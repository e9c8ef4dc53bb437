/**
 * Accessibility of the admin tabs, measured with axe-core in a real Chromium
 * as in a11y-audit.test.ts (a file of its own, so the two run side by side):
 * users, queues, channels, the rules editor, SLA and plans, with their
 * dialogs and menus, have no serious or critical WCAG 2.1 A/AA violation in
 * either theme, and each dialog gives focus back to what opened it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { WAIT, MANY_AUDITS, audit, auditDialog, nav, signInAs, type Finding } from './a11y';
import { shotPath, startE2e, type E2eEnv } from './harness';

describe('accessibility of the admin tabs (axe-core, WCAG 2.1 AA, Chromium)', () => {
  let env: E2eEnv;
  let page: Page;

  beforeAll(async () => {
    env = await startE2e({ proxy: true });
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    await page.goto(env.consoleUrl);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('has no serious or critical violation on the admin tabs', async () => {
    await signInAs(page, env.consoleUrl, 'admin');
    const findings: Finding[] = [];

    await nav(page, 'admin').click();
    await page.getByTestId('admin-user-row').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: users')));
    findings.push(...(await auditDialog(page, 'admin: new user dialog', 'admin-create-user', () => page.getByTestId('admin-create-user').click(), 'admin-user-name')));
    // A user's dialogs open from the row's menu: focus goes back to the menu's button.
    const fromUserMenu = (item: string) => async () => {
      await page.getByTestId('admin-user-actions').first().click();
      await page.getByTestId(item).click();
    };
    findings.push(...(await auditDialog(page, 'admin: user actions menu', 'admin-user-actions', () => page.getByTestId('admin-user-actions').first().click(), 'admin-user-edit')));
    findings.push(...(await auditDialog(page, 'admin: edit user dialog', 'admin-user-actions', fromUserMenu('admin-user-edit'), 'admin-user-submit')));
    findings.push(...(await auditDialog(page, 'admin: presence dialog', 'admin-user-actions', fromUserMenu('admin-user-presence-set'), 'admin-presence-submit')));
    findings.push(...(await auditDialog(page, 'admin: sign-out dialog', 'admin-user-actions', fromUserMenu('admin-user-sign-out'), 'admin-sign-out-submit')));

    await page.getByTestId('admin-tab-queues').click();
    await page.getByTestId('admin-queue-row').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: queues')));
    findings.push(...(await auditDialog(page, 'admin: new queue dialog', 'admin-create-queue', () => page.getByTestId('admin-create-queue').click(), 'admin-queue-name')));
    findings.push(...(await auditDialog(page, 'admin: queue members dialog', 'admin-queue-members-edit', () => page.getByTestId('admin-queue-members-edit').first().click(), 'admin-members-submit')));
    findings.push(...(await auditDialog(page, 'admin: routing dialog', 'admin-queue-routing-edit', () => page.getByTestId('admin-queue-routing-edit').first().click(), 'admin-routing-submit')));

    await page.getByTestId('admin-tab-channels').click();
    await page.getByTestId('admin-channels-handle-x').waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: channels')));
    await page.screenshot({ path: shotPath('a11y-admin-1440.png') });

    await page.getByTestId('admin-tab-rules').click();
    await page.locator('[data-testid="rules-editor"] .cm-content').waitFor(WAIT);
    await page.getByTestId('rules-verdict').waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: rules editor')));

    await page.getByTestId('admin-tab-sla').click();
    await page.getByTestId('sla-section').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: SLA')));

    await page.getByTestId('admin-tab-plans').click();
    await page.getByTestId('plan-row').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: plans')));

    expect(findings).toEqual([]);
  }, MANY_AUDITS);
});
