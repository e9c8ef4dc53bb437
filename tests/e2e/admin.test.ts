/**
 * Administration and the audit log, end to end in Chromium: an admin creates
 * a user with skills (a taken name is refused in the dialog), creates a queue
 * and puts the user in it; the audit log shows those rows filtered by action
 * and exports them as CSV. The Channels tab saves keywords and a consent
 * choice that are still there after a reload, and shows a bad handle's
 * refusal beside Save. A supervisor has no Administration item, and the
 * hub refuses their attempt to create a user. Screenshots at 1440×900 and
 * 1024×700 of the screens.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shotPath, signIn, startSignedIn, type E2eEnv } from './harness';
import { hubLogin } from './hub-http';

const WAIT = { timeout: 15_000 };

describe('administration and the audit log (Chromium)', () => {
  let env: E2eEnv;
  let page: Page;
  const nav = (view: string) => page.locator(`[data-testid="queue-nav-item"][data-view="${view}"]`);
  const userRow = (username: string) => page.locator(`[data-testid="admin-user-row"][data-username="${username}"]`);
  /** Screenshots wait for closing dialogs to be gone (their fade-out). */
  const noDialog = () => page.locator('.mantine-Modal-content').waitFor({ state: 'detached', ...WAIT });

  beforeAll(async () => {
    ({ env, page } = await startSignedIn('admin'));
  });
  afterAll(async () => {
    await env?.stop();
  });

  it('creates a user with skills, refusing a taken username in the dialog', async () => {
    await nav('admin').click();
    await userRow('ana').waitFor(WAIT);
    await page.getByTestId('admin-create-user').click();
    const dialog = page.getByTestId('admin-user-dialog');
    await dialog.getByTestId('admin-user-name').fill('Nora Lind');
    await dialog.getByTestId('admin-user-username').fill('nora');
    await dialog.getByTestId('admin-user-password').fill('correct horse');
    const skills = dialog.getByTestId('admin-user-skills-input');
    for (const skill of ['sv', 'billing']) {
      await skills.fill(skill);
      await skills.press('Enter');
    }
    await dialog.getByTestId('admin-user-capacity-input').fill('4');
    await dialog.getByTestId('admin-user-submit').click();
    await userRow('nora').waitFor(WAIT);
    expect(await userRow('nora').getByTestId('admin-user-skills').textContent()).toBe('svbilling');
    expect(await userRow('nora').getByTestId('admin-user-capacity').textContent()).toBe('4');
    await noDialog();
    await page.screenshot({ path: shotPath('admin-users-1440.png') });

    // The same username again: the hub's refusal stays in the dialog, which stays open.
    await page.getByTestId('admin-create-user').click();
    await dialog.getByTestId('admin-user-name').fill('Another Nora');
    await dialog.getByTestId('admin-user-username').fill('nora');
    await dialog.getByTestId('admin-user-password').fill('correct horse');
    await dialog.getByTestId('admin-user-submit').click();
    await expect.poll(() => dialog.getByTestId('admin-form-error').textContent(), WAIT).toContain('the username "nora" is taken');
    await page.screenshot({ path: shotPath('admin-user-refused-1440.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await noDialog();
  });

  it("edits the user's capacity and sets her away with a reason", async () => {
    await userRow('nora').getByTestId('admin-user-actions').click();
    await page.getByTestId('admin-user-edit').click();
    const edit = page.getByTestId('admin-user-edit-dialog');
    await edit.getByTestId('admin-user-capacity-input').fill('6');
    // An opening dialog's fade-in, finished for the picture.
    await page.screenshot({ path: shotPath('admin-user-edit-1440.png'), animations: 'disabled' });
    await edit.getByTestId('admin-user-submit').click();
    await expect.poll(() => userRow('nora').getByTestId('admin-user-capacity').textContent(), WAIT).toBe('6');
    await noDialog();

    await userRow('nora').getByTestId('admin-user-actions').click();
    await page.getByTestId('admin-user-presence-set').click();
    const presence = page.getByTestId('admin-presence-dialog');
    await presence.getByTestId('admin-presence-reason').fill('Training');
    await page.screenshot({ path: shotPath('admin-presence-1440.png'), animations: 'disabled' });
    // Leaves the reason's suggestions, which close.
    await presence.getByTestId('admin-presence-reason').press('Tab');
    await presence.getByTestId('admin-presence-submit').click();
    await expect.poll(() => userRow('nora').getByTestId('admin-user-presence').getAttribute('data-presence'), WAIT).toBe('away');
    await noDialog();
  });

  it('creates a queue and puts the new user in it', async () => {
    await page.getByTestId('admin-tab-queues').click();
    await page.getByTestId('admin-create-queue').click();
    const dialog = page.getByTestId('admin-queue-dialog');
    await dialog.getByTestId('admin-queue-name').fill('Loyalty');
    await dialog.getByTestId('admin-queue-description').fill('Points, rewards and the members club');
    await dialog.getByTestId('admin-queue-submit').click();
    const row = page.locator('[data-testid="admin-queue-row"][data-queue="Loyalty"]');
    await row.waitFor(WAIT);
    // The left rail has it too: the console pulled the new queue.
    await page.locator('[data-testid="queue-nav-item"][data-view="queue:Loyalty"]').waitFor(WAIT);

    await row.getByTestId('admin-queue-members-edit').click();
    const members = page.getByTestId('admin-members-dialog');
    await members.getByTestId('admin-members-select').click();
    await page.getByRole('option', { name: 'Nora Lind (nora)' }).click();
    await page.keyboard.press('Escape');
    await members.getByTestId('admin-members-submit').click();
    await members.waitFor({ state: 'hidden', ...WAIT });
    await expect.poll(() => row.getByTestId('admin-queue-members').textContent(), WAIT).toBe('Nora Lind');
    await noDialog();
    await page.screenshot({ path: shotPath('admin-queues-1440.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: shotPath('admin-queues-1024.png') });
    await page.getByTestId('admin-tab-users').click();
    await userRow('nora').waitFor(WAIT);
    expect(await userRow('nora').getByTestId('admin-user-queues').textContent()).toBe('Loyalty');
    await page.screenshot({ path: shotPath('admin-users-1024.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('shows those changes in the audit log, filtered by action, and exports them', async () => {
    await nav('audit').click();
    await page.getByTestId('audit-row').first().waitFor(WAIT);
    const rows = page.getByTestId('audit-row');
    const actions = () => rows.evaluateAll((all) => all.map((r) => r.getAttribute('data-action')));
    // Newest first: the membership change, the queue, then what was done to the user.
    expect(await actions()).toEqual(['queue.members', 'queue.create', 'presence.override', 'user.update', 'user.create']);
    await page.screenshot({ path: shotPath('audit-1440.png') });

    await page.getByTestId('audit-filter-action').click();
    await page.getByRole('option', { name: 'Queue members' }).click();
    await expect.poll(actions, WAIT).toEqual(['queue.members']);
    expect(await rows.first().getByTestId('audit-row-target').textContent()).toBe('queue Loyalty');
    expect(await rows.first().getByTestId('audit-row-change').textContent()).toBe('members: +Nora Lind');
    expect(await rows.first().getByTestId('audit-row-actor').textContent()).toBe('Administrator');

    await page.getByTestId('audit-filter-action').click();
    await page.getByRole('option', { name: 'User created' }).click();
    await expect.poll(actions, WAIT).toEqual(['user.create']);
    expect(await rows.first().getByTestId('audit-row-target').textContent()).toBe('user Nora Lind');
    expect(await rows.first().getByTestId('audit-row-change').textContent()).toContain('skills: sv, billing');
    await page.getByTestId('audit-filter-action').click();
    await page.getByRole('option', { name: 'Presence set' }).click();
    await expect.poll(actions, WAIT).toEqual(['presence.override']);
    expect(await rows.first().getByTestId('audit-row-change').textContent()).toBe('presence: offline → away; reason: — → Training');
    expect(await rows.first().getByTestId('audit-row-reason').textContent()).toBe('Training');
    await page.getByTestId('audit-filter-action').click();
    await page.getByRole('option', { name: 'User created' }).click();
    await expect.poll(actions, WAIT).toEqual(['user.create']);

    // The CSV has the filter's rows only.
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.getByTestId('audit-export').click()]);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,actorId,action,entity,entityId,before,after,reason');
    expect(lines.slice(1).map((line) => line.split(',')[3])).toEqual(['user.create']);
    expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
    await page.setViewportSize({ width: 1024, height: 700 });
    // Choosing the chosen action again clears the filter: every change again.
    await page.getByTestId('audit-filter-action').click();
    await page.getByRole('option', { name: 'User created' }).click();
    await expect.poll(async () => (await actions()).length, WAIT).toBe(5);
    await page.screenshot({ path: shotPath('audit-1024.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('saves the channel settings, kept after a reload, and shows a bad value refused beside Save', async () => {
    const pills = (testId: string) => page.getByTestId(testId).locator('.mantine-Pill-label').allTextContents();
    const openChannels = async () => {
      await nav('admin').click();
      await page.getByTestId('admin-tab-channels').click();
      await page.getByTestId('admin-channels').waitFor(WAIT);
    };
    await openChannels();
    // The demo hub's: its X account, today's consent rule.
    expect(await page.getByTestId('admin-channels-handle-x').inputValue()).toBe('@switchboard');
    const save = page.getByTestId('admin-channels-save');
    expect(await save.isDisabled()).toBe(true);
    const surge = page.getByTestId('admin-channels-surge-input');
    for (const keyword of ['Outage', 'recall']) {
      await surge.fill(keyword);
      await surge.press('Enter');
    }
    await page.getByTestId('admin-channels-handle-mastodon').fill('@switchboard@mastodon.social');
    await page.getByTestId('admin-channels-consent-unaddressed-allowed').click();
    await save.click();
    await expect.poll(() => save.isDisabled(), WAIT).toBe(true);

    await page.reload();
    await openChannels();
    expect(await pills('admin-channels-surge')).toEqual(['outage', 'recall']);
    expect(await page.getByTestId('admin-channels-handle-mastodon').inputValue()).toBe('@switchboard@mastodon.social');
    expect(await page.getByTestId('admin-channels-consent-unaddressed-allowed').getAttribute('data-checked')).toBe('true');
    await page.screenshot({ path: shotPath('admin-channels-1440.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: shotPath('admin-channels-1024.png') });

    // A bad handle: refused, the reason beside Save, nothing changed.
    await page.getByTestId('admin-channels-handle-x').fill('not a handle!');
    await save.click();
    await expect.poll(() => page.getByTestId('admin-channels-error').textContent(), WAIT).toContain('must be an X handle such as @brand');
    // Under the field too.
    expect(await page.getByTestId('admin-channels-handle-x').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: shotPath('admin-channels-refused-1024.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.reload();
    await openChannels();
    expect(await page.getByTestId('admin-channels-handle-x').inputValue()).toBe('@switchboard');
  });

  it('is not offered to supervisors, and the hub refuses them', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await signIn(page, 'sam');
    await nav('audit').waitFor(WAIT);
    expect(await nav('admin').count()).toBe(0);
    const sam = await hubLogin(env.hub.url, 'sam');
    const refused = await fetch(new URL('/api/admin/users', env.hub.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${sam}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'sneaky', name: 'Sneaky', role: 'admin', password: 'long enough' }),
    });
    expect(refused.status).toBe(403);
  });
});
