/**
 * Bulk reassignment end to end in Chromium, with two consoles on one hub: the
 * supervisor (sam) selects 50 matching cases and moves them to an agent (ana)
 * with a note; ana's console gets them live, sees the note, offers no
 * supervisor screens, and the hub refuses her the move and the audit log; the
 * audit has a row per case. Then cases are dragged onto a queue and a person.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { AuditEntry } from '../../src/shared/audit';
import type { Case, Queue } from '../../src/shared/domain';
import { shotPath, signIn, startE2e, type E2eEnv } from './harness';
import { hubGet, hubLogin } from './hub-http';

const WAIT = { timeout: 20_000 };
const BATCH = 50;
const WORD = 'Refundwave';
const NOTE = 'Refunds from the billing outage: call each customer back before Friday.';

/** A second console (its own core and data) on the same hub, for the second user: its URL, and how to stop it. */
async function startSecondConsole(hubUrl: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-e2e-second-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main/browser/cli.ts', '--hub', hubUrl, '--data', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /console listening on (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`second console exited with ${code}:\n${out}`)));
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, stop };
}

async function hubPost(hubUrl: string, token: string, path: string, body: unknown): Promise<Response> {
  return fetch(new URL(path, hubUrl), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const navItem = (page: Page, view: string) => page.locator(`[data-testid="queue-nav-item"][data-view="${view}"]`);
const navCount = async (page: Page, view: string) => Number(await navItem(page, view).getByTestId('queue-nav-count').textContent());

/** Picks an option of a Mantine select by typing part of it. */
async function choose(page: Page, select: Locator, typed: string, option: string): Promise<void> {
  await select.click();
  await select.fill(typed);
  await page.getByRole('option', { name: option, exact: true }).click();
}

// What runs in the page (this file is type-checked without the DOM's types).
declare const document: { querySelector(selector: string): object | null };
declare function getComputedStyle(element: object): { opacity: string; transform: string };
declare class DataTransfer {}

/** Once the dialog has finished fading in (for a screenshot of it, not of its transition). */
async function dialogShown(page: Page): Promise<void> {
  await page.getByTestId('reassign-submit').waitFor(WAIT);
  await page.waitForFunction(
    () => {
      const el = document.querySelector('.mantine-Modal-content');
      if (!el) return false;
      const style = getComputedStyle(el);
      return style.opacity === '1' && (style.transform === 'none' || style.transform === 'matrix(1, 0, 0, 1, 0, 0)');
    },
    undefined,
    WAIT,
  );
}

/**
 * Drags as the browser does (dragstart on the row, dragenter, dragover and drop on the target, dragend on
 * the row, one DataTransfer throughout), stopping on the way so the drop panel can be looked at. The events
 * are dispatched rather than made with the mouse: Chromium under a loaded test run sometimes does not turn
 * a mouse gesture into a drag at all, and what is tested here is the console's handling of the drag.
 */
async function drag(page: Page, from: Locator, to: () => Locator, beforeDrop?: () => Promise<void>): Promise<void> {
  const dataTransfer = await page.evaluateHandle(() => new DataTransfer());
  await from.dispatchEvent('dragstart', { dataTransfer });
  await page.getByTestId('drop-panel').waitFor(WAIT);
  await beforeDrop?.();
  const target = to();
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer });
  await from.dispatchEvent('dragend', { dataTransfer });
  await dataTransfer.dispose();
}

describe('bulk reassignment (Chromium, a supervisor and an agent on one hub)', () => {
  let env: E2eEnv;
  let second: Awaited<ReturnType<typeof startSecondConsole>> | undefined;
  let samContext: BrowserContext;
  let anaContext: BrowserContext;
  let sam: Page;
  let ana: Page;
  let samToken: string;
  let anaToken: string;
  let queues: Queue[];
  let anaId: string;
  const ids: string[] = [];
  const queueId = (name: string) => queues.find((q) => q.name === name)!.id;
  const hubCase = async (id: string) => (await hubGet<{ case: Case }>(env.hub.url, samToken, `/api/cases/${id}`)).case;

  beforeAll(async () => {
    // The supervisor's console reaches the hub through a proxy, to be taken offline at the end.
    env = await startE2e({ proxy: true });
    second = await startSecondConsole(env.hub.url);
    [samToken, anaToken] = await Promise.all([hubLogin(env.hub.url, 'sam'), hubLogin(env.hub.url, 'ana')]);
    queues = (await hubGet<{ queues: Queue[] }>(env.hub.url, samToken, '/api/queues')).queues;
    anaId = (await hubGet<{ user: { id: string } }>(env.hub.url, anaToken, '/api/me')).user.id;

    // 50 new unassigned cases in Billing, a queue ana does not work: she sees none of them until they are hers.
    const now = new Date().toISOString();
    const mutations = Array.from({ length: BATCH }, (_, i) => {
      const id = uuidv7();
      ids.push(id);
      const draft = { id, subject: `${WORD} ${i + 1}: refund not received`, status: 'new', priority: 'normal', channel: 'email', customerId: null, deviceId: null, queueId: queueId('Billing'), language: 'en', tags: [] };
      return { id: uuidv7(), kind: 'case.create', entityId: id, baseVersion: 0, createdAt: now, payload: { case: draft } };
    });
    const pushed = await hubPost(env.hub.url, samToken, '/api/sync/push', { mutations });
    expect(pushed.status).toBe(200);

    samContext = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    anaContext = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    [sam, ana] = await Promise.all([samContext.newPage(), anaContext.newPage()]);
    await sam.goto(env.consoleUrl);
    await ana.goto(second.url);
    // One after the other: two first pulls at once are slow on a small machine.
    await signIn(sam, 'sam');
    await signIn(ana, 'ana');
  });
  afterAll(async () => {
    await second?.stop();
    await env?.stop();
  });

  it('moves 50 selected cases to an agent with a note: her console gets them live, and the audit has each', async () => {
    const mineBefore = await (async () => {
      await expect.poll(() => navItem(ana, 'mine').getByTestId('queue-nav-count').count(), WAIT).toBe(1);
      return navCount(ana, 'mine');
    })();

    // The supervisor narrows the unassigned work to the batch.
    await navItem(sam, 'unassigned').click();
    await sam.getByTestId('queue-search').fill(WORD);
    await expect.poll(() => sam.getByTestId('view-total').textContent(), WAIT).toBe(`${BATCH} cases`);

    // Ctrl-click picks one, shift-click a range from it, then all that match.
    const rows = sam.getByTestId('queue-row');
    await rows.nth(0).click({ modifiers: ['ControlOrMeta'] });
    await expect.poll(() => sam.getByTestId('selection-count').textContent(), WAIT).toBe('1 selected');
    await rows.nth(4).click({ modifiers: ['Shift'] });
    await expect.poll(() => sam.getByTestId('selection-count').textContent(), WAIT).toBe('5 selected');
    expect(await sam.locator('[data-testid="queue-row"][data-picked]').count()).toBe(5);
    // A ctrl-click picks, it does not open the case.
    expect(await sam.getByTestId('case-view').count()).toBe(0);
    // Esc clears; the keys pick too: x the cursor's row, Shift+↓ the rows it passes.
    await sam.getByTestId('queue-list').locator('[data-queue-viewport]').focus();
    await sam.keyboard.press('Escape');
    await expect.poll(() => sam.getByTestId('selection-bar').count(), WAIT).toBe(0);
    await sam.keyboard.press('ArrowDown');
    await sam.keyboard.press('x');
    await sam.keyboard.press('Shift+ArrowDown');
    await expect.poll(() => sam.getByTestId('selection-count').textContent(), WAIT).toBe('2 selected');
    await sam.getByTestId('select-all-matching').click();
    await expect.poll(() => sam.getByTestId('selection-count').textContent(), WAIT).toBe(`${BATCH} selected`);
    await sam.screenshot({ path: shotPath('reassign-selection-1440.png') });

    // The keyboard: `a` opens the dialog for the selection.
    await sam.getByTestId('queue-list').locator('[data-queue-viewport]').focus();
    await sam.keyboard.press('a');
    const dialog = sam.getByTestId('reassign-dialog');
    await dialogShown(sam);
    expect(await sam.getByTestId('reassign-submit').textContent()).toBe(`Move ${BATCH} cases`);
    await choose(sam, sam.getByTestId('reassign-assignee'), 'Ana', 'Ana Pereira');
    await sam.getByTestId('reassign-note').fill(NOTE);
    expect(await sam.getByTestId('reassign-summary').textContent()).toContain('Ana Pereira');
    await sam.screenshot({ path: shotPath('reassign-dialog-1440.png') });
    await sam.getByTestId('reassign-submit').click();

    // The result, and the cases leave the supervisor's unassigned view live.
    const result = sam.getByTestId('reassign-result');
    await result.waitFor(WAIT);
    expect(await result.getAttribute('data-moved')).toBe(String(BATCH));
    await sam.getByText(`Moved ${BATCH} cases to Ana Pereira`).waitFor(WAIT);
    await expect.poll(() => dialog.isVisible(), WAIT).toBe(false);
    await expect.poll(() => sam.getByTestId('view-total').textContent(), WAIT).toBe('0 cases');
    expect(await sam.getByTestId('selection-bar').count()).toBe(0);

    // Ana's "My work" gains all 50 without a reload.
    await expect.poll(() => navCount(ana, 'mine'), WAIT).toBe(mineBefore + BATCH);
    await navItem(ana, 'mine').click();
    await ana.getByTestId('queue-search').fill(WORD);
    await expect.poll(() => ana.getByTestId('view-total').textContent(), WAIT).toBe(`${BATCH} cases`);
    // The note is on the case, for her.
    await ana.getByTestId('queue-row').first().click();
    await expect.poll(() => ana.locator('[data-testid="message"][data-direction="note"]').filter({ hasText: NOTE }).count(), WAIT).toBe(1);

    // Hers is an agent's console: no supervisor screens, nothing to pick, and the hub refuses her the move and the audit.
    for (const view of ['board', 'agents', 'audit', 'admin']) expect(await navItem(ana, view).count()).toBe(0);
    expect(await ana.getByTestId('queue-row-pick').count()).toBe(0);
    expect(await ana.getByTestId('queue-select-all').count()).toBe(0);
    const refused = await hubPost(env.hub.url, anaToken, '/api/cases/reassign', { caseIds: ids.slice(0, 2), assigneeId: anaId });
    expect(refused.status).toBe(403);
    const audit = await fetch(new URL('/api/audit?action=case.assign', env.hub.url), { headers: { authorization: `Bearer ${anaToken}` } });
    expect(audit.status).toBe(403);

    // One audit row per case: who, from nobody to ana, and why.
    const { entries } = await hubGet<{ entries: AuditEntry[] }>(env.hub.url, samToken, '/api/audit?action=case.assign&limit=1000');
    const ours = entries.filter((entry) => ids.includes(entry.entityId));
    expect(ours).toHaveLength(BATCH);
    expect(new Set(ours.map((entry) => entry.entityId)).size).toBe(BATCH);
    for (const entry of ours) {
      expect(entry.after).toMatchObject({ assigneeId: anaId });
      expect(entry.before).toMatchObject({ assigneeId: null });
      expect(entry.reason).toBe(NOTE);
    }
  });

  it('drags a case onto a queue, and two selected cases onto a person', async () => {
    await sam.setViewportSize({ width: 1024, height: 700 });
    await navItem(sam, 'all').click();
    await sam.getByTestId('queue-search').fill(WORD);
    await expect.poll(() => sam.getByTestId('view-total').textContent(), WAIT).toBe(`${BATCH} cases`);

    // One row onto the Support queue in the left rail: the dialog opens with Support chosen, Enter confirms.
    const first = sam.getByTestId('queue-row').first();
    const movedId = (await first.getAttribute('data-case-id'))!;
    await drag(sam, first, () => navItem(sam, 'queue:Support'), async () => {
      await sam.screenshot({ path: shotPath('reassign-drag-1024.png') });
    });
    await dialogShown(sam);
    expect(await sam.getByTestId('reassign-submit').textContent()).toBe('Move 1 case');
    expect(await sam.getByTestId('reassign-queue').inputValue()).toBe('Support');
    await sam.screenshot({ path: shotPath('reassign-drop-dialog-1024.png') });
    await sam.keyboard.press('Enter');
    await sam.getByText('Moved 1 case to Support').waitFor(WAIT);
    await expect.poll(async () => (await hubCase(movedId)).queueId, WAIT).toBe(queueId('Support'));
    // Still ana's: only the queue changed.
    expect((await hubCase(movedId)).assigneeId).toBe(anaId);
    // And the row says so, live.
    await expect.poll(() => sam.locator(`[data-testid="queue-row"][data-case-id="${movedId}"]`).textContent(), WAIT).toContain('Support');

    // Two picked rows onto Ivan in the drop panel.
    const rows = sam.getByTestId('queue-row');
    const two = [(await rows.nth(1).getAttribute('data-case-id'))!, (await rows.nth(2).getAttribute('data-case-id'))!];
    // By id: a live update may reorder the rows between reading them and clicking.
    const row = (id: string) => sam.locator(`[data-testid="queue-row"][data-case-id="${id}"]`);
    for (const id of two) await row(id).click({ modifiers: ['ControlOrMeta'] });
    await expect.poll(() => sam.getByTestId('selection-count').textContent(), WAIT).toBe('2 selected');
    expect(await sam.locator('[data-testid="queue-row"][data-picked]').evaluateAll((els) => els.map((el) => el.getAttribute('data-case-id')).sort())).toEqual([...two].sort());
    await sam.screenshot({ path: shotPath('reassign-selection-1024.png') });
    await drag(sam, row(two[1]!), () => sam.locator('[data-testid="drop-person"][data-user="ivan"]'));
    await sam.getByTestId('reassign-submit').waitFor(WAIT);
    expect(await sam.getByTestId('reassign-submit').textContent()).toBe('Move 2 cases');
    await sam.keyboard.press('Enter');
    await sam.getByText('Moved 2 cases to Ivan Petrov').waitFor(WAIT);
    for (const id of two) await expect.poll(async () => (await hubCase(id)).assigneeId, WAIT).not.toBe(anaId);
    const ivan = (await hubGet<{ users: { id: string; username: string }[] }>(env.hub.url, samToken, '/api/users')).users.find((u) => u.username === 'ivan')!;
    for (const id of two) expect((await hubCase(id)).assigneeId).toBe(ivan.id);
    // The moved cases leave ana's console live.
    await expect.poll(() => ana.getByTestId('view-total').textContent(), WAIT).toBe(`${BATCH - 2} cases`);
  });

  it('says plainly that a move needs the hub while the console is offline, and moves nothing', async () => {
    await sam.keyboard.press('Escape');
    env.proxy!.setOnline(false);
    await expect.poll(() => sam.getByTestId('connection-indicator').getAttribute('data-connection'), WAIT).not.toBe('online');
    const row = sam.getByTestId('queue-row').nth(5);
    const id = (await row.getAttribute('data-case-id'))!;
    await row.click({ modifiers: ['ControlOrMeta'] });
    await sam.getByTestId('selection-reassign').click();
    await dialogShown(sam);
    await sam.getByTestId('reassign-offline').waitFor(WAIT);
    await choose(sam, sam.getByTestId('reassign-assignee'), 'Dewi', 'Dewi Kusuma');
    await sam.getByTestId('reassign-submit').click();
    const error = sam.getByTestId('reassign-error');
    await error.waitFor(WAIT);
    expect(await error.getAttribute('data-code')).toBe('unavailable');
    expect(await error.textContent()).toContain('Nothing was moved');
    await sam.screenshot({ path: shotPath('reassign-offline-1024.png') });
    expect((await hubCase(id)).assigneeId).toBe(anaId);
    env.proxy!.setOnline(true);
  });
});
