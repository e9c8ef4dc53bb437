/**
 * The admin screen's SLA tab and queue routing, end to end in Chromium: an
 * admin gives the Plus plan its own policy (a 30-minute urgent first
 * response, business hours with a holiday) and the Support queue hours of its
 * own, saved with a reason; the hub holds it and the audit row keeps the
 * reason. A bad duration is marked at its field and saves nothing. The admin
 * sets Support to pull routing (a bad offer time refused in the dialog); the
 * hub holds that too, audited. An agent's console has no Administration and
 * the hub refuses them. Screenshots at 1440×900 and 1024×700.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { QueueRoutingView, SlaSettings } from '../../src/shared/protocol';
import type { Queue } from '../../src/shared/domain';
import { shotPath, signIn, startSignedIn, type E2eEnv } from './harness';
import { hubGet, hubLogin } from './hub-http';

const WAIT = { timeout: 15_000 };

describe('SLA policies and queue routing in the admin screen (Chromium)', () => {
  let env: E2eEnv;
  let page: Page;
  let admin: string;
  let support: Queue;
  const nav = (view: string) => page.locator(`[data-testid="queue-nav-item"][data-view="${view}"]`);
  const section = (key: string) => page.locator(`[data-testid="sla-section"][data-section="${key}"]`);
  const sla = () => hubGet<SlaSettings>(env.hub.url, admin, '/api/admin/sla-policies');
  const audit = (action: string) => hubGet<{ entries: { entityId: string; reason: string | null; after: unknown }[] }>(env.hub.url, admin, `/api/audit?action=${action}`);
  /** Picks an option of a Mantine Select by its label. */
  const choose = async (testId: string, option: string) => {
    await page.getByTestId(testId).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };
  const noDialog = () => page.locator('.mantine-Modal-content').waitFor({ state: 'detached', ...WAIT });
  /** The demo's SLA toasts (bottom left) closed, for the pictures. */
  const noToasts = async () => {
    for (const close of await page.locator('.mantine-Notification-closeButton').all()) await close.click();
    await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached', ...WAIT });
  };

  beforeAll(async () => {
    ({ env, page } = await startSignedIn('admin'));
    admin = await hubLogin(env.hub.url, 'admin');
    support = (await hubGet<{ queues: Queue[] }>(env.hub.url, admin, '/api/queues')).queues.find((q) => q.name === 'Support')!;
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("gives a plan its own targets and calendar and a queue its own hours, saved with a reason the audit keeps", async () => {
    await nav('admin').click();
    await page.getByTestId('admin-tab-sla').click();
    await page.getByTestId('admin-sla').waitFor(WAIT);
    // The hub's defaults: one 24/7 policy for every plan.
    expect(await page.getByTestId('sla-target-urgent-first').inputValue()).toBe('1');
    expect(await page.getByTestId('sla-save').isDisabled()).toBe(true);

    await section('plus').click();
    await page.getByTestId('sla-plan-own').click();
    await page.getByTestId('sla-target-urgent-first').fill('30');
    await choose('sla-target-urgent-first-unit', 'minutes');
    await page.getByTestId('sla-calendar').getByText('Business hours', { exact: true }).click();
    // Hundreds of zones: typed to find.
    await page.getByTestId('sla-timezone').click();
    await page.getByTestId('sla-timezone').fill('Lisbon');
    await page.getByRole('option', { name: 'Europe/Lisbon', exact: true }).click();
    const holidays = page.getByTestId('sla-holidays-input');
    await holidays.fill('2026-12-25');
    await holidays.press('Enter');
    await page.getByTestId('sla-policy-name').click();
    await noToasts();
    await page.screenshot({ path: shotPath('admin-sla-plan-1440.png') });

    await section('calendars').click();
    const supportHours = page.locator('[data-testid="sla-queue"][data-queue="Support"]');
    await supportHours.getByTestId('sla-queue-own').click();
    await supportHours.getByText('Business hours', { exact: true }).click();
    await expect.poll(() => supportHours.getByTestId('sla-queue-summary').textContent(), WAIT).toContain('Mon–Fri 09:00–17:00');
    await page.screenshot({ path: shotPath('admin-sla-queues-1440.png') });

    await page.getByTestId('sla-reason').fill('Plus customers were promised a 30-minute first response');
    await page.getByTestId('sla-save').click();
    await expect.poll(() => page.getByTestId('sla-state').textContent(), WAIT).toContain('New cases get these targets');

    const stored = await sla();
    expect(stored.policies.byPlan.plus?.targets.urgent.firstResponseMinutes).toBe(30);
    expect(stored.policies.byPlan.plus?.calendar).toEqual({ kind: 'business', timeZone: 'Europe/Lisbon', week: expect.objectContaining({ mon: [{ start: '09:00', end: '17:00' }] }), holidays: ['2026-12-25'] });
    // The other plans still get the default policy, unchanged.
    expect(stored.policies.default.targets.urgent.firstResponseMinutes).toBe(60);
    expect(stored.policies.byPlan.premium).toBeUndefined();
    expect(stored.queueCalendars[support.id]).toMatchObject({ kind: 'business' });
    expect((await audit('sla.update')).entries.map((e) => e.reason)).toEqual(['Plus customers were promised a 30-minute first response']);
  });

  it('marks a bad duration at its field and saves nothing', async () => {
    const before = await sla();
    await section('plus').click();
    await page.getByTestId('sla-target-urgent-resolution').fill('0');
    await expect.poll(() => page.getByTestId('sla-target-urgent-resolution-field').textContent(), WAIT).toContain('must be at least 1 minute');
    expect(await page.getByTestId('sla-problems').textContent()).toContain('Plus · urgent · resolution: must be at least 1 minute');
    expect(await section('plus').getByLabel('has problems').count()).toBe(1);
    const save = page.getByTestId('sla-save');
    expect(await save.isDisabled()).toBe(true);
    // Enter in the field submits the form: still nothing goes.
    await page.getByTestId('sla-target-urgent-resolution').press('Enter');
    // A closing time before the opening one, at its range.
    const monday = page.locator('[data-testid="sla-day"][data-day="mon"]');
    await monday.getByTestId('sla-range-end').fill('08:00');
    await expect.poll(() => monday.getByTestId('sla-range-error').first().textContent(), WAIT).toBe('start must be before end');
    expect(await page.getByTestId('sla-problems').textContent()).toMatch(/^2 problems/);
    await noToasts();
    await page.screenshot({ path: shotPath('admin-sla-invalid-1440.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: shotPath('admin-sla-invalid-1024.png') });

    expect(await sla()).toEqual(before);
    expect((await audit('sla.update')).entries).toHaveLength(1);
    await page.getByTestId('sla-discard').click();
    await expect.poll(() => page.getByTestId('sla-target-urgent-resolution').inputValue(), WAIT).toBe('8');
    await page.screenshot({ path: shotPath('admin-sla-plan-1024.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('sets a queue to pull routing (a bad offer time refused in the dialog), held by the hub and audited', async () => {
    await page.getByTestId('admin-tab-queues').click();
    const row = page.locator('[data-testid="admin-queue-row"][data-queue="Support"]');
    await expect.poll(() => row.getByTestId('admin-queue-routing').getAttribute('data-routing'), WAIT).not.toBeNull();
    // The business hours the SLA tab gave it.
    expect(await row.getByTestId('admin-queue-hours').textContent()).toContain('Mon–Fri 09:00–17:00');
    await row.getByTestId('admin-queue-routing-edit').click();
    const dialog = page.getByTestId('admin-routing-dialog');
    await dialog.getByTestId('admin-routing-mode').getByText('Pull', { exact: true }).click();
    await dialog.getByTestId('admin-routing-offer').fill('2');
    await expect.poll(() => dialog.textContent(), WAIT).toContain('must be a whole number of seconds from 5 to 600');
    expect(await dialog.getByTestId('admin-routing-submit').isDisabled()).toBe(true);
    await noToasts();
    await page.screenshot({ path: shotPath('admin-routing-invalid-1440.png'), animations: 'disabled' });
    await dialog.getByTestId('admin-routing-offer').fill('45');
    const skills = dialog.getByTestId('admin-routing-skills-input');
    await skills.fill('en');
    await skills.press('Enter');
    // Leaves the suggestions (Escape would close the dialog).
    await skills.press('Tab');
    await dialog.getByTestId('admin-routing-submit').click();
    await noDialog();
    await expect.poll(() => row.getByTestId('admin-queue-routing').getAttribute('data-routing'), WAIT).toBe('pull');

    const routing = (await hubGet<{ queues: QueueRoutingView[] }>(env.hub.url, admin, '/api/admin/queues/routing')).queues.find((q) => q.queueId === support.id);
    expect(routing).toEqual({ queueId: support.id, routing: 'pull', offerSeconds: 45, requiredSkills: ['en'] });
    // Newest first: this change.
    const rows = (await audit('queue.update')).entries.filter((e) => e.entityId === support.id);
    expect(rows[0]?.after).toEqual({ routing: 'pull', offerSeconds: 45, requiredSkills: ['en'] });
    await noToasts();
    await page.screenshot({ path: shotPath('admin-queues-routing-1440.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: shotPath('admin-queues-routing-1024.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it("is not offered to an agent, and the hub refuses them", async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await signIn(page, 'ana');
    await nav('mine').waitFor(WAIT);
    expect(await nav('admin').count()).toBe(0);
    expect(await page.getByTestId('admin-tab-sla').count()).toBe(0);
    const ana = await hubLogin(env.hub.url, 'ana');
    for (const path of ['/api/admin/sla-policies', '/api/admin/queues/routing']) {
      const refused = await fetch(new URL(path, env.hub.url), { headers: { authorization: `Bearer ${ana}` } });
      expect(refused.status).toBe(403);
    }
  });
});
