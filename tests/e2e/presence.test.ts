/**
 * Presence from the top bar, end to end in Chromium: the agent goes away for
 * lunch, a supervisor hears it live with the reason, and the console still
 * says so after a reload (the hub is asked).
 *
 * Away reasons in the user's language, with a Russian browser on the same
 * hub and console: the presence menu offers the usual reasons in Russian and
 * stores the picked one as its stable key ("Lunch"); "Другая причина…" opens
 * a dialog (a menu holds only menu items) where a reason in the agent's own
 * words is stored as typed (the same words as a usual one's, in any case,
 * count as it; its suggestions are the usual reasons in Russian), and focus
 * goes back to the presence button; the agents board shows the key in
 * Russian. The admin's presence dialog suggests the reasons in Russian,
 * stores the key, and the audit log shows it in Russian.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { PresenceUpdate } from '../../src/shared/protocol';
import { connectSocket } from '../hub/helpers';
import { shotPath, signIn, startE2e, type E2eEnv } from './harness';
import { hubGet, hubLogin } from './hub-http';

// As in the other e2e files: a console's first sign-in can take a while when two files run at once.
const WAIT = { timeout: 30_000 };

describe('presence in the top bar (Chromium)', () => {
  let env: E2eEnv;
  let page: Page;

  beforeAll(async () => {
    // One hub and console for both parts (an e2e file's start-up is its dearest part).
    env = await startE2e();
    page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(env.consoleUrl);
    await signIn(page, 'ana');
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

  describe('away reasons in the user’s language (Russian)', () => {
    let context: BrowserContext;
    let admin: string;
    const heard: PresenceUpdate[] = [];
    let listener: ReturnType<typeof connectSocket>;
    /** Ana's other console: she stays connected (and away) when this browser signs her out for the admin. */
    let anaElsewhere: ReturnType<typeof connectSocket> | null = null;
    const nav = (view: string) => page.locator(`[data-testid="queue-nav-item"][data-view="${view}"]`);

    beforeAll(async () => {
      // The English page goes; one core serves every page of the browser shell, so Ana is still signed in.
      await page.close();
      context = await env.browser.newContext({ locale: 'ru-RU', viewport: { width: 1440, height: 900 } });
      page = await context.newPage();
      await page.goto(env.consoleUrl);
      admin = await hubLogin(env.hub.url, 'admin');
      // What the hub keeps and tells others: an admin's socket hears every presence.
      listener = connectSocket(env.hub.url, admin);
      listener.on('presence:update', (update: PresenceUpdate) => heard.push(update));
      await new Promise<void>((resolve) => listener.once('connect', () => resolve()));
    });
    afterAll(async () => {
      listener?.close();
      anaElsewhere?.close();
      await context?.close();
    });

    it('offers the usual reasons in Russian and stores the key; own words as typed', async () => {
      await page.getByTestId('queue-list').waitFor(WAIT);
      anaElsewhere = connectSocket(env.hub.url, await hubLogin(env.hub.url, 'ana'));
      await new Promise<void>((resolve) => anaElsewhere!.once('connect', () => resolve()));
      const menu = page.getByTestId('presence-menu');
      await menu.click();
      const items = page.getByTestId('presence-away');
      await expect.poll(() => items.allTextContents(), WAIT).toEqual(['Перерыв', 'Обед', 'Совещание', 'Обучение', 'Административная работа']);
      await page.screenshot({ path: shotPath('away-reasons-ru-1440.png') });

      // Own words: typed in the dialog "Другая причина…" opens (its field focused), kept as typed; Enter submits.
      const dialog = page.getByRole('dialog', { name: 'Другая причина отсутствия' });
      const field = dialog.getByLabel('Другая причина', { exact: true });
      await page.getByRole('menuitem', { name: 'Другая причина…' }).click();
      await expect.poll(() => field.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement), WAIT).toBe(true);
      await page.screenshot({ path: shotPath('away-other-dialog-ru-1440.png'), animations: 'disabled' });
      await page.setViewportSize({ width: 1024, height: 700 });
      await page.screenshot({ path: shotPath('away-other-dialog-ru-1024.png'), animations: 'disabled' });
      await page.setViewportSize({ width: 1440, height: 900 });
      await field.fill('К врачу');
      await field.press('Enter');
      await expect.poll(() => heard.at(-1)?.reason ?? null, WAIT).toBe('К врачу');
      await expect.poll(() => page.getByTestId('presence-label').textContent(), WAIT).toContain('Отошёл · К врачу');
      // The dialog gone, focus is back on the presence button.
      await dialog.waitFor({ state: 'detached', ...WAIT });
      await expect.poll(() => page.locator('[data-testid="presence-menu"]:focus').count(), WAIT).toBe(1);

      // A usual reason's words typed (any case) are that reason.
      await menu.click();
      await page.getByRole('menuitem', { name: 'Другая причина…' }).click();
      await field.fill('  совещание ');
      await dialog.getByRole('button', { name: 'Отошёл', exact: true }).click();
      await expect.poll(() => heard.at(-1)?.reason ?? null, WAIT).toBe('Meeting');
      await dialog.waitFor({ state: 'detached', ...WAIT });

      // The dialog suggests the usual reasons in Russian too; a pick stores the key.
      await menu.click();
      await page.getByRole('menuitem', { name: 'Другая причина…' }).click();
      await dialog.getByRole('button', { name: 'Обучение', exact: true }).click();
      expect(await field.inputValue()).toBe('Обучение');
      await dialog.getByRole('button', { name: 'Отошёл', exact: true }).click();
      await expect.poll(() => heard.at(-1)?.reason ?? null, WAIT).toBe('Training');
      await dialog.waitFor({ state: 'detached', ...WAIT });

      // Picked from the list: the key travels, Russian is shown.
      await menu.click();
      await page.getByRole('menuitem', { name: 'Обед' }).click();
      await expect.poll(() => heard.at(-1)?.reason ?? null, WAIT).toBe('Lunch');
      await expect.poll(() => page.getByTestId('presence-label').textContent(), WAIT).toContain('Отошёл · Обед');
    });

    it('shows the reason in Russian on the agents board, and the admin dialog suggests, stores and audits it translated', async () => {
      await page.getByTestId('user-menu').click();
      await page.getByTestId('logout').click();
      await signIn(page, 'admin');
      await nav('agents').click();
      const anaRow = page.locator('[data-testid="agent-board-row"][data-user="Ana Pereira"]');
      await expect.poll(() => anaRow.getByTestId('agent-presence').textContent(), WAIT).toBe('Отошёл · Обед');

      await nav('admin').click();
      await page.getByTestId('admin-tab-users').click();
      const userRow = page.locator('[data-testid="admin-user-row"][data-username="ana"]');
      await userRow.getByTestId('admin-user-actions').click();
      await page.getByTestId('admin-user-presence-set').click();
      const dialog = page.getByTestId('admin-presence-dialog');
      await dialog.getByTestId('admin-presence-reason').click();
      const options = page.getByRole('option');
      await expect.poll(() => options.allTextContents(), WAIT).toEqual(['Перерыв', 'Обед', 'Совещание', 'Обучение', 'Административная работа']);
      await page.screenshot({ path: shotPath('away-reasons-admin-ru-1440.png'), animations: 'disabled' });
      await page.getByRole('option', { name: 'Перерыв' }).click();
      expect(await dialog.getByTestId('admin-presence-reason').inputValue()).toBe('Перерыв');
      await dialog.getByTestId('admin-presence-submit').click();
      await page.locator('.mantine-Modal-content').waitFor({ state: 'detached', ...WAIT });

      // The hub keeps the key; the audit log reads it in Russian.
      const audit = await hubGet<{ entries: { reason: string | null; after: { reason?: string } }[] }>(env.hub.url, admin, '/api/audit?action=presence.override');
      expect(audit.entries[0]).toMatchObject({ reason: 'Break', after: { reason: 'Break' } });
      await nav('audit').click();
      const row = page.locator('[data-testid="audit-row"][data-action="presence.override"]').first();
      await row.waitFor(WAIT);
      expect(await row.getByTestId('audit-row-reason').textContent()).toBe('Перерыв');
      expect(await row.getByTestId('audit-row-change').textContent()).toContain('Обед → Перерыв');
      await page.screenshot({ path: shotPath('away-reasons-audit-ru-1440.png') });
    });
  });
});
