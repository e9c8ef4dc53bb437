/**
 * A field technician's small laptop (1024×700), measured in a real Chromium:
 * an open case gives the conversation real height with the composer in view,
 * a toast (a live mention's) never stands between the user and Send, the queue keeps its SLA and
 * age columns on screen; and a case solved offline that came back with a
 * conflict stays in My work, in search and in the top bar's conflicts list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import type { Case } from '../../src/shared/domain';
import { shotPath, signIn, startE2e, type E2eEnv } from './harness';
import { newXUser, postX, tweet, xActivity } from '../hub/x-webhooks';
import { hubGet, hubLogin } from './hub-http';

const LAPTOP = { width: 1024, height: 700 };
const WAIT = { timeout: 30_000, interval: 100 };

type Box = { x: number; y: number; width: number; height: number };

async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not rendered');
  return b;
}

/** Wholly inside the window. */
function expectInViewport(b: Box): void {
  expect(b.x).toBeGreaterThanOrEqual(0);
  expect(b.y).toBeGreaterThanOrEqual(0);
  expect(b.x + b.width).toBeLessThanOrEqual(LAPTOP.width);
  expect(b.y + b.height).toBeLessThanOrEqual(LAPTOP.height);
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** What a click at the middle of the element would hit really is the element (nothing lies over it). */
async function receivesClicks(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const r = element.getBoundingClientRect();
    // This file is typed for Node, without the DOM.
    const page = (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): typeof element | null } }).document;
    const hit = page.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return hit !== null && element.contains(hit);
  });
}

/** A post on X naming the brand, delivered as X delivers it: the console shows a toast for it (ana works Social). */
async function postMention(hubUrl: string, text: string): Promise<void> {
  expect((await postX(hubUrl, xActivity({ tweets: [tweet(newXUser('fan'), text)] }))).status).toBe(200);
}

const showView = (page: Page, view: string) => page.locator(`[data-testid="queue-nav-item"][data-view="${view}"]`).click();

describe('on a 1024×700 laptop', () => {
  let env: E2eEnv;
  let page: Page;

  beforeAll(async () => {
    env = await startE2e();
    page = await env.browser.newPage({ viewport: LAPTOP });
    await page.goto(env.consoleUrl);
    await signIn(page, 'ana');
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('keeps the queue’s SLA and age columns on screen', async () => {
    await showView(page, 'all');
    await expect.poll(() => page.getByTestId('queue-row').count(), WAIT).toBeGreaterThan(5);
    expectInViewport(await box(page.getByTestId('queue-header-sla')));
    expectInViewport(await box(page.getByTestId('queue-header-age')));
    // The first row's last cell (its age) too, not only the header.
    expectInViewport(await box(page.getByTestId('queue-row').first().locator(':scope > [role="gridcell"] > *').last()));
    await page.screenshot({ path: shotPath('laptop-queue.png') });
  });

  it('gives an open case’s conversation real height, and Send stays clickable while a toast shows', async () => {
    await page.getByTestId('queue-row').first().click();
    await page.getByTestId('case-view').waitFor();
    await page.getByTestId('message').first().waitFor();

    // A mention arriving live: a real toast (8 s), like a device alert's (10 s).
    await postMention(env.hub.url, `@switchboard the app froze on my laptop ${Date.now()}`);
    const toast = page.getByTestId('mention-toast-open');
    await toast.waitFor(WAIT);

    const conversation = await box(page.getByTestId('message-timeline').locator('xpath=..'));
    expect(conversation.height).toBeGreaterThan(200);
    expectInViewport(conversation);
    const composer = await box(page.getByTestId('composer'));
    expectInViewport(composer);
    const send = page.getByTestId('composer-send');
    expectInViewport(await box(send));

    // The toast is on screen and nowhere near the composer.
    const toastCard = page.locator('.mantine-Notification-root', { has: toast });
    expect(await toastCard.isVisible()).toBe(true);
    expect(overlaps(await box(toastCard), composer)).toBe(false);
    await page.screenshot({ path: shotPath('laptop-case-toast.png') });

    // Send takes the click while the toast still shows.
    await page.getByTestId('composer-tab-note').click();
    await page.getByTestId('composer-input').fill('Checked on the laptop: the toast stays out of the way.');
    expect(await toast.isVisible()).toBe(true);
    expect(await receivesClicks(send)).toBe(true);
    await send.click({ timeout: 3_000 });
    await expect.poll(() => page.getByTestId('message-timeline').textContent()).toContain('the toast stays out of the way');
  });
});

/* ------------------------------------------------------------ conflicts */

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

/** Picks an option of a Mantine Select among the case's properties (in their drawer on a laptop). */
async function choose(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await expect.poll(() => page.getByTestId(testId).inputValue()).toBe(option);
}

describe('a case solved offline that came back with a conflict', () => {
  let env: E2eEnv;
  let page: Page;

  beforeAll(async () => {
    env = await startE2e({ proxy: true });
    page = await env.browser.newPage({ viewport: LAPTOP });
    await page.goto(env.consoleUrl);
    await signIn(page, 'tess');
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('stays in My work and in search, and the top bar’s conflicts list shows it', async () => {
    await showView(page, 'mine');
    const first = page.getByTestId('queue-row').first();
    await first.waitFor(WAIT);
    const id = (await first.getAttribute('data-case-id'))!;
    const sam = await hubLogin(env.hub.url, 'sam');
    const original = (await hubGet<{ case: Case }>(env.hub.url, sam, `/api/cases/${id}`)).case;

    // Offline, tess raises the priority and solves the case.
    env.proxy!.setOnline(false);
    await expect.poll(() => page.getByTestId('connection-indicator').getAttribute('data-state'), WAIT).not.toBe('online');
    await first.click();
    await page.locator(`[data-testid="case-view"][data-case-id="${id}"]`).waitFor();
    await page.getByTestId('case-details-open').click();
    const priority = original.priority === 'urgent' ? 'High' : 'Urgent';
    await choose(page, 'case-priority', priority);
    await choose(page, 'case-status', 'Solved');
    await page.keyboard.press('Escape');

    // Meanwhile a supervisor changes the priority on the hub.
    const theirs = original.priority === 'low' ? 'normal' : 'low';
    expect(await hubPush(env.hub.url, sam, { kind: 'case.update', entityId: id, baseVersion: original.version, payload: { fields: { priority: theirs } } })).toBe('applied');

    // Back online: the status goes through, the priority waits for tess's decision.
    env.proxy!.setOnline(true);
    await page.getByTestId('sync-now').click();
    await expect.poll(() => page.getByTestId('sync-conflicts').getAttribute('data-count'), WAIT).toBe('1');
    await expect.poll(async () => (await hubGet<{ case: Case }>(env.hub.url, sam, `/api/cases/${id}`)).case.status, WAIT).toBe('solved');

    // Still in My work, marked, although solved here.
    await showView(page, 'mine');
    const row = page.locator(`[data-testid="queue-row"][data-case-id="${id}"]`);
    await expect.poll(() => row.getAttribute('data-conflicts'), WAIT).toBe('1');
    // And found by search.
    await showView(page, 'all');
    await page.getByTestId('queue-search').fill(original.subject);
    await expect.poll(() => row.count(), WAIT).toBe(1);
    await page.getByTestId('queue-search').fill('');

    // The top bar's "1 conflict" lists every case with an open conflict.
    await page.getByTestId('sync-conflicts').click();
    await expect.poll(() => page.getByTestId('view-title').textContent()).toBe('Conflicts');
    await expect.poll(() => page.getByTestId('queue-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id'))), WAIT).toEqual([id]);
    await page.screenshot({ path: shotPath('laptop-conflicts.png') });

    // Deciding it takes the case out of the list (and, solved, out of My work).
    await row.click();
    await page.locator('[data-testid="conflict"][data-field="priority"]').getByTestId('conflict-keep-mine').click();
    await expect.poll(() => page.getByTestId('sync-conflicts').count(), WAIT).toBe(0);
    await page.getByTestId('case-close').click();
    await expect.poll(() => row.count(), WAIT).toBe(0);
    await expect.poll(() => page.getByTestId('queue-empty').textContent(), WAIT).toContain('No conflicts');
  });
});
