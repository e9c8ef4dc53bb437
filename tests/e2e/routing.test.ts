/**
 * Routing end to end in Chromium: an agent (ana) starts on her own work; a
 * queue of hers in push mode offers her a waiting case as a card with a
 * countdown; `y` accepts it and the case opens, hers on the hub; a second
 * offer declined with Shift+D leaves; with the queue in pull mode "Next case"
 * takes the best waiting case, then says plainly that nothing waits. "Next case"
 * shows only once one of her queues pulls; the case shows its resolution due
 * time beside the first response's, both paused while it waits on the customer.
 */
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Case, Priority, Queue } from '../../src/shared/domain';
import { shotPath, signIn, startE2e, type E2eEnv } from './harness';
import { hubGet, hubLogin } from './hub-http';

const WAIT = { timeout: 30_000 };
const WORD = 'Returnwave';

async function send(hubUrl: string, method: 'POST' | 'PUT', path: string, token: string, body: unknown): Promise<Response> {
  return fetch(new URL(path, hubUrl), { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('routing (Chromium, an agent in a push queue, then a pull queue)', () => {
  let env: E2eEnv;
  let page: Page;
  let admin: string;
  let sam: string;
  let anaId: string;
  let queue: Queue;

  const hubCase = async (id: string) => (await hubGet<{ case: Case }>(env.hub.url, sam, `/api/cases/${id}`)).case;
  const setRouting = async (body: unknown) => expect((await send(env.hub.url, 'PUT', `/api/admin/queues/${queue.id}/routing`, admin, body)).status).toBe(200);

  /** A new waiting case in the test's queue, as the supervisor opens it. */
  async function waitingCase(subject: string, priority: Priority): Promise<string> {
    const id = uuidv7();
    const draft = { id, subject, status: 'new', priority, channel: 'email', customerId: null, deviceId: null, queueId: queue.id, language: 'en', tags: [] };
    const mutation = { id: uuidv7(), kind: 'case.create', entityId: id, baseVersion: 0, createdAt: new Date().toISOString(), payload: { case: draft } };
    const pushed = await send(env.hub.url, 'POST', '/api/sync/push', sam, { mutations: [mutation] });
    expect(pushed.status).toBe(200);
    expect(((await pushed.json()) as { results: { status: string }[] }).results[0]!.status).toBe('applied');
    return id;
  }

  beforeAll(async () => {
    env = await startE2e();
    [admin, sam] = await Promise.all([hubLogin(env.hub.url, 'admin'), hubLogin(env.hub.url, 'sam')]);
    anaId = (await hubGet<{ user: { id: string } }>(env.hub.url, await hubLogin(env.hub.url, 'ana'), '/api/me')).user.id;
    queue = ((await (await send(env.hub.url, 'POST', '/api/admin/queues', admin, { name: 'Returns', description: 'Returns and exchanges' })).json()) as { queue: Queue }).queue;
    expect((await send(env.hub.url, 'PUT', `/api/admin/queues/${queue.id}/members`, admin, { userIds: [anaId] })).status).toBe(200);
    // A minute to answer: time to look at the card; the countdown is checked as it moves.
    await setRouting({ routing: 'push', offerSeconds: 60 });
    page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(env.consoleUrl);
    await signIn(page, 'ana');
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("starts an agent on her own work, offers her a case with a countdown, and opens it when she accepts with 'y'", async () => {
    await expect.poll(() => page.getByTestId('view-title').textContent(), WAIT).toBe('My work');
    // None of her queues is in pull mode (the demo's are manual, Returns pushes): no "Next case".
    expect(await page.getByTestId('next-case-button').count()).toBe(0);
    // One of her own cases open: the offer must leave the composer and the queue's rows in view.
    await page.getByTestId('queue-row').first().click();
    await page.getByTestId('composer').waitFor(WAIT);

    const id = await waitingCase(`${WORD} 1: exchange a cracked screen`, 'high');
    const card = page.locator(`[data-testid="offer-card"][data-case-id="${id}"]`);
    await card.waitFor(WAIT);
    expect(await card.getByTestId('offer-subject').textContent()).toBe(`${WORD} 1: exchange a cracked screen`);
    expect((await card.getByTestId('offer-why').textContent())!.length).toBeGreaterThan(10);
    // The countdown runs.
    const left = Number(await card.getAttribute('data-seconds-left'));
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(60);
    await expect.poll(async () => Number(await card.getAttribute('data-seconds-left')), WAIT).toBeLessThan(left);

    // Nothing of the work is under the card.
    const cardBox = (await card.boundingBox())!;
    for (const testId of ['composer', 'queue-list']) {
      const box = (await page.getByTestId(testId).boundingBox())!;
      expect(box.y, `${testId} starts below the card`).toBeGreaterThanOrEqual(cardBox.y + cardBox.height - 1);
    }
    await page.screenshot({ path: shotPath('offer-1440.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: shotPath('offer-1024.png') });
    await page.setViewportSize({ width: 1440, height: 900 });

    // Focus on the page, not in a field: the key is the console's.
    await page.getByTestId('view-title').click();
    await page.keyboard.press('y');
    await page.locator(`[data-testid="case-view"][data-case-id="${id}"]`).waitFor(WAIT);
    await card.waitFor({ state: 'detached', ...WAIT });
    expect((await hubCase(id)).assigneeId).toBe(anaId);
    // Hers now: in My work.
    await page.locator(`[data-testid="queue-row"][data-case-id="${id}"]`).waitFor(WAIT);

    // Both SLA targets on the case, on the hub's due times; paused while it waits on the customer.
    const resolution = page.getByTestId('case-resolution-sla').locator('[data-sla]');
    await expect.poll(() => resolution.getAttribute('data-sla'), WAIT).toBe('ok');
    const due = (await hubCase(id)).resolutionDueAt!;
    expect(Date.parse(due)).toBeGreaterThan(Date.parse((await hubCase(id)).slaDueAt!));
    expect(await resolution.textContent()).toMatch(/^in \d/);
    await resolution.hover();
    await expect.poll(() => page.getByRole('tooltip').textContent(), WAIT).toMatch(/^Resolution due /);
    await page.screenshot({ path: shotPath('case-resolution-1440.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: shotPath('case-resolution-1024.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    const pending = { id: uuidv7(), kind: 'case.update', entityId: id, baseVersion: (await hubCase(id)).version, createdAt: new Date().toISOString(), payload: { fields: { status: 'pending' } } };
    expect((await send(env.hub.url, 'POST', '/api/sync/push', sam, { mutations: [pending] })).status).toBe(200);
    await expect.poll(() => resolution.getAttribute('data-sla'), WAIT).toBe('paused');
    expect(await page.getByTestId('case-sla').locator('[data-sla]').getAttribute('data-sla')).toBe('paused');
    await page.screenshot({ path: shotPath('case-sla-paused-1440.png') });
  });

  it('lets the card go when she declines with Shift+D; the case stays unassigned on the hub', async () => {
    const id = await waitingCase(`${WORD} 2: return a charger`, 'normal');
    const card = page.locator(`[data-testid="offer-card"][data-case-id="${id}"]`);
    await card.waitFor(WAIT);
    await page.getByTestId('view-title').click();
    await page.keyboard.press('Shift+D');
    await card.waitFor({ state: 'detached', ...WAIT });
    expect(await page.getByTestId('offer-card').count()).toBe(0);
    expect((await hubCase(id)).assigneeId).toBeNull();
  });

  it('in a pull queue, "Next case" takes the best waiting case and opens it, then says nothing waits', async () => {
    await setRouting({ routing: 'pull' });
    // The hub tells the queue's members; her console shows "Next case" without a reload.
    await page.getByTestId('next-case-button').waitFor(WAIT);
    await page.screenshot({ path: shotPath('next-case-shown-1440.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: shotPath('next-case-shown-1024.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    // Waiting now: the declined charger (normal) and this urgent one.
    const urgent = await waitingCase(`${WORD} 3: refund a double charge`, 'urgent');
    await page.getByTestId('next-case-button').click();
    await page.locator(`[data-testid="case-view"][data-case-id="${urgent}"]`).waitFor(WAIT);
    expect((await hubCase(urgent)).assigneeId).toBe(anaId);

    // The key does the same: the declined one is the next best.
    await page.getByTestId('view-title').click();
    await page.keyboard.press('Shift+N');
    await expect.poll(async () => page.getByTestId('case-subject').textContent(), WAIT).toContain(`${WORD} 2`);

    await page.getByTestId('next-case-button').click();
    await page.getByTestId('next-case-empty').waitFor(WAIT);
    expect(await page.getByTestId('next-case-empty').textContent()).toMatch(/^Nothing waiting/);
    await page.screenshot({ path: shotPath('next-case-empty-1440.png') });
  });
});
