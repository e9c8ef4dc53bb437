/**
 * The admin screen's Plans tab, end to end in Chromium: an admin gives the
 * Plus plan five incidents a contract year, saved with a reason; after a
 * reload the tab shows it, the SLA tab names it beside the plan, the hub
 * holds it and the audit log shows the change with the reason. A bad number
 * is marked at its field and saves nothing; a change of kind is discarded.
 * The queue routing dialog keeps its reason in the audit row. An agent is
 * not offered the tab and the hub refuses them. Screenshots at 1440×900 and
 * 1024×700.
 *
 * The Plans and SLA tabs follow another admin's save live: another admin
 * (their own sign-in, through the hub's API as their console does) saves
 * while this admin has the tab open. With nothing edited, the tab shows the
 * new values at once, without a reload. Over unsaved edits, the draft stays
 * as typed, the notice says another admin saved, Save waits: Reload brings
 * their values, Keep editing lets this admin go on and save over them (the
 * save then names their document as the one it replaces: the hub takes it).
 * Screenshots of the notice at 1440×900 and 1024×700.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_PLAN_ENTITLEMENTS, type PlanEntitlements, type PlansSettings } from '../../src/shared/entitlements';
import type { SlaSettings } from '../../src/shared/protocol';
import { shotPath, signIn, startSignedIn, type E2eEnv } from './harness';
import { hubGet, hubLogin } from './hub-http';

const WAIT = { timeout: 15_000 };

describe('plan entitlements in the admin screen (Chromium)', () => {
  let env: E2eEnv;
  let page: Page;
  let admin: string;
  const nav = (view: string) => page.locator(`[data-testid="queue-nav-item"][data-view="${view}"]`);
  const row = (plan: string) => page.locator(`[data-testid="plan-row"][data-plan="${plan}"]`);
  const plans = () => hubGet<PlansSettings>(env.hub.url, admin, '/api/admin/plans');
  const audit = (action: string) => hubGet<{ entries: { entityId: string; reason: string | null; before: unknown; after: unknown }[] }>(env.hub.url, admin, `/api/audit?action=${action}`);
  /** The demo's SLA toasts (bottom left) closed, for the pictures: again until none is left, as a breach of a demo case may come meanwhile (and stays until closed). */
  const noToasts = async () => {
    await expect
      .poll(async () => {
        for (const close of await page.locator('.mantine-Notification-closeButton').all()) await close.click().catch(() => undefined);
        return page.locator('.mantine-Notification-root').count();
      }, WAIT)
      .toBe(0);
  };
  const openPlans = async () => {
    await nav('admin').click();
    await page.getByTestId('admin-tab-plans').click();
    await page.getByTestId('admin-plans').waitFor(WAIT);
  };

  beforeAll(async () => {
    ({ env, page } = await startSignedIn('admin'));
    admin = await hubLogin(env.hub.url, 'admin');
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('marks a bad number at its field and saves nothing; a change of kind is discarded', async () => {
    await openPlans();
    // The defaults: Plus is per-incident with three a year; nothing to save.
    expect(await row('plus').getByTestId('plan-kind').inputValue()).toBe('Per-incident support');
    expect(await row('plus').getByTestId('plan-incidents').inputValue()).toBe('3');
    expect(await row('basic').getByTestId('plan-incidents').count()).toBe(0);
    expect(await page.getByTestId('plans-save').isDisabled()).toBe(true);

    await row('plus').getByTestId('plan-incidents').fill('0');
    await expect.poll(() => row('plus').textContent(), WAIT).toContain('at least 1 incident per contract year');
    expect(await page.getByTestId('plans-problems').textContent()).toContain('Plus · incidents per contract year: at least 1 incident per contract year');
    expect(await page.getByTestId('plans-save').isDisabled()).toBe(true);
    // Enter in the field submits the form: still nothing goes.
    await row('plus').getByTestId('plan-incidents').press('Enter');

    // Basic made per-incident: the number appears with a starting value.
    await row('basic').getByTestId('plan-kind').click();
    await page.getByRole('option', { name: 'Per-incident support', exact: true }).click();
    await expect.poll(() => row('basic').getByTestId('plan-incidents').inputValue(), WAIT).toBe('3');
    expect(await row('basic').getByTestId('plan-summary').textContent()).toContain('3 support incidents per contract year go to Support');
    await noToasts();
    await page.screenshot({ path: shotPath('admin-plans-invalid-1440.png') });

    expect((await plans()).entitlements.plus).toEqual({ kind: 'per-incident', incidentsPerTerm: 3 });
    expect((await audit('plans.update')).entries).toEqual([]);
    await page.getByTestId('plans-discard').click();
    await expect.poll(() => row('plus').getByTestId('plan-incidents').inputValue(), WAIT).toBe('3');
    expect(await row('basic').getByTestId('plan-kind').inputValue()).toBe('No support plan');
  });

  it('gives Plus five incidents a year with a reason: kept after a reload, named on the SLA tab, in the audit log', async () => {
    await row('plus').getByTestId('plan-incidents').fill('5');
    await page.getByTestId('plans-reason').fill('Plus now includes five incidents a year');
    await page.getByTestId('plans-save').click();
    await expect.poll(() => page.getByTestId('plans-state').textContent(), WAIT).toContain('New cases are routed by these plans');
    expect((await plans()).entitlements).toEqual({ basic: { kind: 'none' }, plus: { kind: 'per-incident', incidentsPerTerm: 5 }, premium: { kind: 'package' }, enterprise: { kind: 'premium' } });
    const [entry] = (await audit('plans.update')).entries;
    expect(entry).toMatchObject({ entityId: 'plans', before: { 'plus.incidentsPerTerm': 3 }, after: { 'plus.incidentsPerTerm': 5 }, reason: 'Plus now includes five incidents a year' });

    await page.reload();
    await nav('admin').waitFor({ timeout: 30_000 });
    await openPlans();
    await expect.poll(() => row('plus').getByTestId('plan-incidents').inputValue(), WAIT).toBe('5');
    expect(await row('plus').getByTestId('plan-summary').textContent()).toContain('5 support incidents per contract year');
    await noToasts();
    await page.screenshot({ path: shotPath('admin-plans-1440.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: shotPath('admin-plans-1024.png') });
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.getByTestId('admin-tab-sla').click();
    const plus = page.locator('[data-testid="sla-section"][data-section="plus"]');
    await expect.poll(() => plus.textContent(), WAIT).toContain('per-incident support, 5 a year');
    await plus.click();
    expect(await page.getByTestId('sla-plan-entitlement').textContent()).toBe('(per-incident support, 5 a year)');
    await page.screenshot({ path: shotPath('admin-sla-plan-entitlement-1440.png') });

    await nav('audit').click();
    const auditRow = page.locator('[data-testid="audit-row"][data-action="plans.update"]');
    await auditRow.first().waitFor(WAIT);
    expect(await auditRow.first().getByTestId('audit-row-action').textContent()).toBe('Plan entitlements changed');
    expect(await auditRow.first().getByTestId('audit-row-change').textContent()).toBe('plus.incidentsPerTerm: 3 → 5');
    expect(await auditRow.first().getByTestId('audit-row-reason').textContent()).toBe('Plus now includes five incidents a year');
  });

  it("keeps the routing dialog's reason in the queue change's audit row", async () => {
    await nav('admin').click();
    await page.getByTestId('admin-tab-queues').click();
    const support = page.locator('[data-testid="admin-queue-row"][data-queue="Support"]');
    await expect.poll(() => support.getByTestId('admin-queue-routing').getAttribute('data-routing'), WAIT).not.toBeNull();
    await support.getByTestId('admin-queue-routing-edit').click();
    const dialog = page.getByTestId('admin-routing-dialog');
    await dialog.getByTestId('admin-routing-offer').fill('40');
    await dialog.getByTestId('admin-routing-reason').fill('Agents asked for more time to read an offer');
    await noToasts();
    await page.screenshot({ path: shotPath('admin-routing-reason-1440.png'), animations: 'disabled' });
    await dialog.getByTestId('admin-routing-submit').click();
    await page.locator('.mantine-Modal-content').waitFor({ state: 'detached', ...WAIT });
    const supportId = (await hubGet<{ queues: { id: string; name: string }[] }>(env.hub.url, admin, '/api/queues')).queues.find((q) => q.name === 'Support')!.id;
    const rows = (await audit('queue.update')).entries.filter((e) => e.entityId === supportId);
    expect(rows[0]).toMatchObject({ after: { offerSeconds: 40 }, reason: 'Agents asked for more time to read an offer' });
  });

  describe('another admin’s save (live)', () => {
    /** The other admin: a sign-in of their own, saving through the hub's API. */
    let other: string;
    const put = async <T,>(path: string, body: unknown): Promise<T> => {
      const response = await fetch(new URL(path, env.hub.url), { method: 'PUT', headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const savePlans = (entitlements: PlanEntitlements, reason: string) => put<PlansSettings>('/api/admin/plans', { entitlements, reason });

    beforeAll(async () => {
      other = await hubLogin(env.hub.url, 'admin');
    });

    it('Plans: an untouched tab shows another admin’s save at once', async () => {
      await nav('admin').click();
      await page.getByTestId('admin-tab-plans').click();
      await page.getByTestId('admin-plans').waitFor(WAIT);
      // As the test above saved it.
      expect(await row('plus').getByTestId('plan-incidents').inputValue()).toBe('5');

      await savePlans({ ...DEFAULT_PLAN_ENTITLEMENTS, plus: { kind: 'per-incident', incidentsPerTerm: 7 } }, 'Seven for Plus');
      // No reload, no other read: the hub's plans:changed reaches the tab.
      await expect.poll(() => row('plus').getByTestId('plan-incidents').inputValue(), WAIT).toBe('7');
      expect(await page.getByTestId('plans-newer').count()).toBe(0);
      expect(await page.getByTestId('plans-state').textContent()).toContain('New cases are routed by these plans');
      expect(await page.getByTestId('plans-save').isDisabled()).toBe(true);
    });

    it('Plans: over unsaved edits the draft stays, the notice shows, Save waits; Reload brings their values', async () => {
      await row('plus').getByTestId('plan-incidents').fill('4');
      await savePlans({ ...DEFAULT_PLAN_ENTITLEMENTS, plus: { kind: 'per-incident', incidentsPerTerm: 7 }, basic: { kind: 'package' } }, 'Basic gets a package');

      const notice = page.getByTestId('plans-newer');
      await notice.waitFor(WAIT);
      expect(await notice.textContent()).toContain('Another admin saved changes');
      // What the admin typed is kept; Save waits for Reload or Keep editing.
      expect(await row('plus').getByTestId('plan-incidents').inputValue()).toBe('4');
      expect(await row('basic').getByTestId('plan-kind').inputValue()).toBe('No support plan');
      expect(await page.getByTestId('plans-save').isDisabled()).toBe(true);
      await noToasts();
      await page.screenshot({ path: shotPath('admin-plans-newer-1440.png') });
      await page.setViewportSize({ width: 1024, height: 700 });
      await page.screenshot({ path: shotPath('admin-plans-newer-1024.png') });
      await page.setViewportSize({ width: 1440, height: 900 });

      await page.getByTestId('plans-reload').click();
      await expect.poll(() => row('plus').getByTestId('plan-incidents').inputValue(), WAIT).toBe('7');
      expect(await row('basic').getByTestId('plan-kind').inputValue()).toBe('Support package');
      expect(await page.getByTestId('plans-newer').count()).toBe(0);
      expect(await page.getByTestId('plans-save').isDisabled()).toBe(true);
    });

    it('Plans: Keep editing keeps the draft, and a save then goes through', async () => {
      await row('plus').getByTestId('plan-incidents').fill('9');
      await savePlans({ ...DEFAULT_PLAN_ENTITLEMENTS, plus: { kind: 'per-incident', incidentsPerTerm: 7 }, basic: { kind: 'package' }, premium: { kind: 'premium' } }, 'Premium for Premium');
      await page.getByTestId('plans-newer').waitFor(WAIT);
      expect(await page.getByTestId('plans-save').isDisabled()).toBe(true);

      await page.getByTestId('plans-keep').click();
      await page.getByTestId('plans-newer').waitFor({ state: 'detached', ...WAIT });
      expect(await row('plus').getByTestId('plan-incidents').inputValue()).toBe('9');
      await page.getByTestId('plans-reason').fill('Nine for Plus, after reading theirs');
      await page.getByTestId('plans-save').click();
      await expect.poll(async () => (await hubGet<PlansSettings>(env.hub.url, other, '/api/admin/plans')).entitlements.plus, WAIT).toEqual({ kind: 'per-incident', incidentsPerTerm: 9 });
      // Its own save is no news to the tab.
      await expect.poll(() => page.getByTestId('plans-state').textContent(), WAIT).toContain('New cases are routed by these plans');
      expect(await page.getByTestId('plans-newer').count()).toBe(0);
    });

    it('SLA: an untouched tab shows another admin’s save at once; over edits the notice, and Reload', async () => {
      await page.getByTestId('admin-tab-sla').click();
      await page.getByTestId('admin-sla').waitFor(WAIT);
      const name = page.getByTestId('sla-policy-name');
      const before = await hubGet<SlaSettings>(env.hub.url, other, '/api/admin/sla-policies');
      const named = (n: string): SlaSettings => ({ ...before, policies: { ...before.policies, default: { ...before.policies.default, name: n } } });

      await put<SlaSettings>('/api/admin/sla-policies', { ...named('Standard (from the other admin)'), reason: 'Renamed' });
      await expect.poll(() => name.inputValue(), WAIT).toBe('Standard (from the other admin)');
      expect(await page.getByTestId('sla-newer').count()).toBe(0);
      expect(await page.getByTestId('sla-save').isDisabled()).toBe(true);

      await name.fill('My own name');
      await put<SlaSettings>('/api/admin/sla-policies', { ...named('Standard, again renamed'), reason: 'Renamed again' });
      await page.getByTestId('sla-newer').waitFor(WAIT);
      expect(await name.inputValue()).toBe('My own name');
      expect(await page.getByTestId('sla-save').isDisabled()).toBe(true);
      await noToasts();
      await page.screenshot({ path: shotPath('admin-sla-newer-1440.png') });
      await page.setViewportSize({ width: 1024, height: 700 });
      await page.screenshot({ path: shotPath('admin-sla-newer-1024.png') });
      await page.setViewportSize({ width: 1440, height: 900 });

      await page.getByTestId('sla-reload').click();
      await expect.poll(() => name.inputValue(), WAIT).toBe('Standard, again renamed');
      expect(await page.getByTestId('sla-newer').count()).toBe(0);
    });
  });

  it('is not offered to an agent, and the hub refuses them', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await signIn(page, 'ana');
    await nav('mine').waitFor(WAIT);
    expect(await nav('admin').count()).toBe(0);
    expect(await page.getByTestId('admin-tab-plans').count()).toBe(0);
    const ana = await hubLogin(env.hub.url, 'ana');
    const refused = await fetch(new URL('/api/admin/plans', env.hub.url), { headers: { authorization: `Bearer ${ana}` } });
    expect(refused.status).toBe(403);
  });
});
