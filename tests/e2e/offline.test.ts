/**
 * Offline first, in the browser: a technician edits a case, loses the hub
 * (a loopback proxy between the console's core and the hub goes dark), keeps
 * working, and gets everything onto the hub when it is back — including a
 * conflict with a supervisor's change, decided in the banner, and notices for
 * what the hub refused or took away.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import type { Case, Message, User } from '../../src/shared/domain';
import { readmeShotPath, shotPath, signIn, startE2e, type E2eEnv } from './harness';
import { hubGet, hubLogin } from './hub-http';

const CONFLICT_SCREENSHOT = readmeShotPath('screenshot-conflict.png');
const WAIT = { timeout: 30_000, interval: 100 };

/* ------------------------------------------------------------ the hub over HTTP */


const hubCase = (hubUrl: string, token: string, id: string) => hubGet<{ case: Case; messages: Message[] }>(hubUrl, token, `/api/cases/${id}`);

async function hubPush(hubUrl: string, token: string, mutation: { kind: string; entityId: string; baseVersion: number; payload: unknown }): Promise<string> {
  const response = await fetch(new URL('/api/sync/push', hubUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ mutations: [{ id: uuidv7(), createdAt: new Date().toISOString(), ...mutation }] }),
  });
  if (!response.ok) throw new Error(`push: ${response.status}`);
  const { results } = (await response.json()) as { results: { status: string }[] };
  return results[0]!.status;
}

/* ------------------------------------------------------------ the page */

const pendingCount = async (page: Page) => Number(await page.getByTestId('sync-pending').getAttribute('data-count'));
const connection = (page: Page) => page.getByTestId('connection-indicator').getAttribute('data-state');

/** The briefcase lists every case held offline, solved ones too. */
const showView = (page: Page, view: string) => page.locator(`[data-testid="queue-nav-item"][data-view="${view}"]`).click();

async function openCase(page: Page, id: string): Promise<void> {
  await page.locator(`[data-testid="queue-row"][data-case-id="${id}"]`).click();
  await page.locator(`[data-testid="case-view"][data-case-id="${id}"]`).waitFor();
}

/** Picks an option of a Mantine Select in the open case. */
async function choose(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId('case-view').getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await expect.poll(() => page.getByTestId('case-view').getByTestId(testId).inputValue()).toBe(option);
}

/** A screenshot without a tooltip from where the pointer last was, after any transition has settled. */
async function screenshot(page: Page, path: string): Promise<void> {
  await page.mouse.move(300, 60);
  await page.waitForTimeout(400);
  await page.screenshot({ path });
}

async function addNote(page: Page, body: string): Promise<void> {
  await page.getByTestId('composer-tab-note').click();
  await page.getByTestId('composer-input').fill(body);
  await page.getByTestId('composer-input').press('Control+Enter');
  await expect.poll(() => page.getByTestId('message-timeline').textContent()).toContain(body);
  await expect.poll(() => page.getByTestId('composer-input').inputValue()).toBe('');
}

describe('offline first in Chromium', () => {
  let env: E2eEnv;
  let page: Page;
  let sam: string;
  let tess: string;
  /** The case tess works on, and one a supervisor takes away from her while she is offline. */
  let caseA: Case;
  let caseB: Case;

  beforeAll(async () => {
    env = await startE2e({ proxy: true });
    const context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.consoleUrl).origin });
    page = await context.newPage();
    sam = await hubLogin(env.hub.url, 'sam');
    tess = await hubLogin(env.hub.url, 'tess');
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('logs in as a technician and edits a case: status, note, resolution, a part, a reply draft', async () => {
    await page.goto(env.consoleUrl);
    await signIn(page, 'tess');
    await expect.poll(() => page.getByTestId('queue-row').count(), WAIT).toBeGreaterThan(1);

    // The briefcase: what this laptop holds for working offline.
    await showView(page, 'briefcase');
    await expect.poll(async () => Number(await page.getByTestId('briefcase-cached').textContent())).toBeGreaterThan(1);
    await showView(page, 'all');

    const ids = await page.getByTestId('queue-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-case-id')!));
    caseA = (await hubCase(env.hub.url, tess, ids[0]!)).case;
    caseB = (await hubCase(env.hub.url, tess, ids[1]!)).case;

    await openCase(page, caseA.id);
    await choose(page, 'case-status', 'Pending');
    await addNote(page, 'Checked the wiring, the thermostat is dead.');
    await page.getByTestId('case-resolution').fill('Replaced the thermostat; tested two heating cycles.');
    await page.getByTestId('case-resolution').blur();
    await page.getByTestId('part-new-name').fill('Thermostat TX-200');
    await page.getByTestId('part-new-quantity').fill('2');
    await page.getByTestId('part-add').click();
    await expect.poll(() => page.locator('[data-testid="part-row"][data-name="Thermostat TX-200"][data-quantity="2"]').count()).toBe(1);

    // A reply draft survives closing the case; sending it clears it.
    await page.getByTestId('composer-tab-reply').click();
    await page.getByTestId('composer-input').fill('Hello, the technician replaced your thermostat today.');
    await expect.poll(() => page.getByTestId('composer-draft-state').textContent()).toBe('Draft saved');
    await screenshot(page, shotPath('ui-case-edit.png'));
    await page.getByTestId('case-close').click();
    await openCase(page, caseA.id);
    await expect.poll(() => page.getByTestId('composer-input').inputValue()).toBe('Hello, the technician replaced your thermostat today.');
    await page.getByTestId('composer-input').press('Control+Enter');
    await expect.poll(() => page.locator('[data-testid="message"][data-direction="out"]').last().textContent()).toContain('replaced your thermostat today');
    await expect.poll(() => page.getByTestId('composer-input').inputValue()).toBe('');

    // Online, all of it reaches the hub at once.
    await expect.poll(() => pendingCount(page), WAIT).toBe(0);
    const onHub = await hubCase(env.hub.url, sam, caseA.id);
    expect(onHub.case).toMatchObject({
      status: 'pending',
      resolution: 'Replaced the thermostat; tested two heating cycles.',
      parts: [{ name: 'Thermostat TX-200', quantity: 2 }],
    });
    expect(onHub.messages.map((m) => m.body)).toEqual(
      expect.arrayContaining(['Checked the wiring, the thermostat is dead.', 'Hello, the technician replaced your thermostat today.']),
    );
    await screenshot(page, shotPath('ui-case-online.png'));
  });

  it('keeps working offline: edits show at once and wait in the outbox', async () => {
    env.proxy!.setOnline(false);
    await expect.poll(() => connection(page), WAIT).not.toBe('online');
    const wentOffline = Date.now();

    // A reply draft and a note on case B, which a supervisor is about to take away.
    await openCase(page, caseB.id);
    await addNote(page, 'Parts ordered, back on Thursday.');
    await page.getByTestId('composer-tab-reply').click();
    await page.getByTestId('composer-input').fill('We will be back on Thursday with the part.');
    await expect.poll(() => page.getByTestId('composer-draft-state').textContent()).toBe('Draft saved');
    // And an internal note she has not added yet: a draft as well.
    await page.getByTestId('composer-tab-note').click();
    await page.getByTestId('composer-input').fill('Ask the customer which valve leaks.');
    await expect.poll(() => page.getByTestId('composer-draft-state').textContent()).toBe('Draft saved');

    // Case A: a priority change, a status change and a note, all offline.
    await openCase(page, caseA.id);
    await choose(page, 'case-priority', 'High');
    await choose(page, 'case-status', 'Solved');
    await addNote(page, 'Customer signed off the repair.');
    await expect.poll(() => page.getByTestId('message-pending').last().textContent()).toBe('Queued');
    await expect.poll(() => page.getByTestId('case-pending').isVisible()).toBe(true);
    await expect.poll(() => page.locator(`[data-testid="queue-row"][data-case-id="${caseB.id}"] [data-testid="row-pending"]`).count()).toBe(1);

    // A new case, made offline from the keyboard: no number until the hub confirms it.
    await page.getByTestId('queue-list').click();
    await page.keyboard.press('n');
    await page.getByTestId('new-case-subject').fill('Second radiator leaks at the valve');
    await page.getByTestId('new-case-note').fill('Noticed on site while replacing the thermostat.');
    await page.getByTestId('new-case-submit').click();
    await expect.poll(() => page.getByTestId('case-subject').textContent(), WAIT).toBe('Second radiator leaks at the valve');
    await expect.poll(() => page.getByTestId('case-local-only').isVisible()).toBe(true);
    const newCaseId = (await page.getByTestId('case-view').getAttribute('data-case-id'))!;

    // Reconnecting for the first seconds, then plainly offline.
    await expect.poll(() => connection(page), WAIT).toBe('offline');
    expect(Date.now() - wentOffline).toBeGreaterThan(4_000);
    // Note B, priority A, status A, note A, the new case and its note.
    await expect.poll(() => pendingCount(page), WAIT).toBe(6);
    expect(await page.getByTestId('sync-pending').textContent()).toContain('6 changes waiting');
    // Case A is solved now, so it left the active views; the briefcase still has it.
    await showView(page, 'briefcase');
    await expect.poll(() => page.getByTestId('briefcase-pending').getAttribute('data-count')).toBe('6');
    await openCase(page, caseA.id);
    await screenshot(page, shotPath('ui-offline.png'));

    // Meanwhile on the hub: sam puts case A on hold and gives case B to Ivan.
    const current = (await hubCase(env.hub.url, sam, caseA.id)).case;
    expect(await hubPush(env.hub.url, sam, { kind: 'case.update', entityId: caseA.id, baseVersion: current.version, payload: { fields: { status: 'on_hold' } } })).toBe('applied');
    const { users } = await hubGet<{ users: User[] }>(env.hub.url, sam, '/api/users');
    const ivan = users.find((u) => u.username === 'ivan')!;
    const b = (await hubCase(env.hub.url, sam, caseB.id)).case;
    expect(await hubPush(env.hub.url, sam, { kind: 'case.assign', entityId: caseB.id, baseVersion: b.version, payload: { assigneeId: ivan.id } })).toBe('applied');

    // Back online: everything goes, except what conflicts or is refused.
    env.proxy!.setOnline(true);
    await page.getByTestId('sync-now').click();
    await expect.poll(() => connection(page), WAIT).toBe('online');
    await expect.poll(() => pendingCount(page), WAIT).toBe(0);
    const created = await hubCase(env.hub.url, sam, newCaseId);
    expect(created.case.number).toBeGreaterThan(0);
    expect(created.messages.map((m) => m.body)).toEqual(['Noticed on site while replacing the thermostat.']);
    await expect.poll(() => page.locator(`[data-testid="queue-row"][data-case-id="${newCaseId}"]`).getAttribute('data-case-number'), WAIT).toBe(String(created.case.number));
  });

  it('shows the conflict with both values and keeps the technician’s on request', async () => {
    const banner = page.getByTestId('conflict-banner');
    await expect.poll(() => banner.isVisible(), WAIT).toBe(true);
    const conflict = banner.locator('[data-testid="conflict"][data-field="status"]');
    expect(await conflict.getByTestId('conflict-yours').textContent()).toBe('Solved');
    expect(await conflict.getByTestId('conflict-theirs').textContent()).toBe('On hold');
    await expect.poll(() => page.locator(`[data-testid="queue-row"][data-case-id="${caseA.id}"] [data-testid="row-conflict"]`).count()).toBe(1);
    await expect.poll(() => page.getByTestId('sync-conflicts').getAttribute('data-count')).toBe('1');
    // The change that did not conflict merged.
    const merged = await hubCase(env.hub.url, sam, caseA.id);
    expect(merged.case).toMatchObject({ status: 'on_hold', priority: 'high' });
    expect(merged.messages.map((m) => m.body)).toContain('Customer signed off the repair.');
    await screenshot(page, shotPath('ui-conflict.png'));
    await screenshot(page, CONFLICT_SCREENSHOT);

    await conflict.getByTestId('conflict-keep-mine').click();
    await expect.poll(() => banner.count(), WAIT).toBe(0);
    await expect.poll(() => pendingCount(page), WAIT).toBe(0);
    await expect.poll(async () => (await hubCase(env.hub.url, sam, caseA.id)).case.status, WAIT).toBe('solved');
    await expect.poll(() => page.getByTestId('sync-conflicts').count()).toBe(0);
  });

  it('lists what the hub refused and what was reassigned, with the text to copy', async () => {
    await expect.poll(() => page.getByTestId('notices-count').textContent(), WAIT).toBe('2');
    await page.getByTestId('notices-button').click();
    const rejected = page.locator('[data-testid="notice"][data-kind="rejected"]');
    const reassigned = page.locator('[data-testid="notice"][data-kind="reassigned"]');
    await rejected.waitFor();
    expect(await rejected.getByTestId('notice-body').textContent()).toBe('Parts ordered, back on Thursday.');
    expect(await reassigned.getByTestId('notice-text').textContent()).toContain('while you were offline');
    expect(await reassigned.getByTestId('notice-body').textContent()).toBe('We will be back on Thursday with the part.');
    expect(await reassigned.getByTestId('notice-note-body').textContent()).toBe('Ask the customer which valve leaks.');
    await screenshot(page, shotPath('ui-notices.png'));

    await rejected.getByTestId('notice-copy').click();
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe('Parts ordered, back on Thursday.');
    await reassigned.getByTestId('notice-dismiss').click();
    await expect.poll(() => page.getByTestId('notice').count(), WAIT).toBe(1);
    await expect.poll(() => page.getByTestId('notices-button').getAttribute('data-count')).toBe('1');
    // Case B left her briefcase with the reassignment.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(`[data-testid="queue-row"][data-case-id="${caseB.id}"]`).count(), WAIT).toBe(0);
  });
});
