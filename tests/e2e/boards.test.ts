/**
 * The supervisor's boards, end to end in Chromium: the agent board shows an
 * agent going away live (with the reason) and filters by queue and skill; the
 * queue board draws each queue's arrivals sparkline and the staffing chart,
 * and a new case shows up in its queue's arrivals. Takes the README's two
 * board screenshots (1440×900).
 */
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { newXUser, postX, tweet, X_BRAND, xActivity } from '../hub/x-webhooks';
import { readmeShotPath, shotPath, signIn, startE2e, type E2eEnv } from './harness';
import type { Socket } from 'socket.io-client';
import { connectSocket } from '../hub/helpers';
import { hubCases } from '../core/hub-fixture';
import { hubGet, hubLogin } from './hub-http';

const WAIT = { timeout: 15_000 };
const SKILLS: Record<string, string[]> = { ana: ['devices', 'es'], ivan: ['billing', 'ru'], dewi: ['social', 'id'], jon: ['devices', 'billing', 'is'], tess: ['field', 'devices'] };

describe('the supervisor boards (Chromium)', () => {
  let env: E2eEnv;
  let page: Page;
  let ana: { id: string; token: string };
  let users: { id: string; username: string }[];
  const sockets: Socket[] = [];

  const hubSend = async (token: string, method: string, path: string, body: unknown) => {
    const response = await fetch(new URL(path, env.hub.url), { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(200);
    return response.json() as Promise<{ results?: { status: string }[] }>;
  };
  const rowOf = (name: string) => page.locator(`[data-testid="agent-board-row"][data-user="${name}"]`);
  const attributes = async (rows: Locator, name: string) => Promise.all((await rows.all()).map((r) => r.getAttribute(name)));
  const shownUsers = async () => (await attributes(page.getByTestId('agent-board-row'), 'data-user')).sort();

  beforeAll(async () => {
    // A long interval: what changes on the boards comes from a change, not the timer.
    env = await startE2e({ hub: { queueStatsIntervalMs: 60_000 } });
    const admin = await hubLogin(env.hub.url, 'admin');
    ({ users } = await hubGet<{ users: { id: string; username: string }[] }>(env.hub.url, admin, '/api/admin/users'));
    for (const user of users) if (SKILLS[user.username]) await hubSend(admin, 'PATCH', `/api/admin/users/${user.id}`, { skills: SKILLS[user.username] });
    ana = { id: users.find((u) => u.username === 'ana')!.id, token: await hubLogin(env.hub.url, 'ana') };
    page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(env.consoleUrl);
    await signIn(page, 'sam');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await env?.stop();
  });

  it('shows an agent going away live, with the reason and the time in it, and filters by queue and skill', async () => {
    await page.locator('[data-testid="queue-nav-item"][data-view="agents"]').click();
    await page.getByTestId('agent-board').waitFor(WAIT);
    // Four agents and the technician; the supervisor (holding no case) and the admin are not on it.
    await expect.poll(shownUsers, WAIT).toEqual(['Ana Pereira', 'Dewi Kusuma', 'Ivan Petrov', 'Jón Arnarson', 'Tess Lindqvist']);
    const anaRow = rowOf('Ana Pereira');
    expect(await anaRow.getAttribute('data-presence')).toBe('offline');

    // Ana goes away for lunch on her console: the board follows without a reload.
    const set = await hubSend(ana.token, 'POST', '/api/sync/push', {
      mutations: [{ id: uuidv7(), kind: 'presence.set', entityId: ana.id, baseVersion: 0, createdAt: new Date().toISOString(), payload: { presence: 'away', reason: 'Lunch' } }],
    });
    expect(set.results?.[0]?.status).toBe('applied');
    await expect.poll(() => anaRow.getAttribute('data-presence'), WAIT).toBe('away');
    expect(await anaRow.getByTestId('agent-presence').textContent()).toBe('Away · Lunch');
    // Time in state ticks on its own.
    const since = anaRow.getByTestId('agent-presence-since');
    const first = await since.textContent();
    await expect.poll(() => since.textContent(), WAIT).not.toBe(first);

    // By queue: Billing's members only.
    await page.getByTestId('agent-board-queue-filter').click();
    await page.getByRole('option', { name: 'Billing' }).click();
    await expect.poll(shownUsers, WAIT).toEqual(['Ivan Petrov', 'Jón Arnarson']);
    // And by skill on top: who in Billing knows devices.
    await page.getByTestId('agent-board-skill-filter').click();
    await page.getByRole('option', { name: 'devices' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(shownUsers, WAIT).toEqual(['Jón Arnarson']);
    // The queue filter cleared: everyone with the skill.
    // (Mantine keeps its clear button out of the accessibility tree: Backspace clears for keyboard users.)
    await page.locator('[aria-label="Clear the queue filter"]').click();
    await expect.poll(shownUsers, WAIT).toEqual(['Ana Pereira', 'Jón Arnarson', 'Tess Lindqvist']);
    await page.screenshot({ path: shotPath('agent-board-filtered-1440.png') });
  });

  it('draws the arrivals sparklines and the staffing chart, and counts a new case in its queue’s arrivals', async () => {
    await page.locator('[data-testid="queue-nav-item"][data-view="board"]').click();
    const rows = page.getByTestId('queue-board-row');
    await expect.poll(() => rows.count(), WAIT).toBeGreaterThanOrEqual(5);
    // Each queue's sparkline draws its line (an empty series draws none).
    await expect.poll(() => page.locator('[data-testid="queue-board-sparkline"] .recharts-area path.recharts-curve[d^="M"]').count(), WAIT).toBeGreaterThanOrEqual(await rows.count());
    const chart = page.getByTestId('staffing-chart');
    await chart.locator('svg').first().waitFor(WAIT);
    expect(await chart.textContent()).toContain('Needed');
    // A pair of bars per queue, each queue named under its pair.
    const queues = (await attributes(rows, 'data-queue')).sort();
    const ticks = chart.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value');
    await expect.poll(async () => (await ticks.allTextContents()).sort(), WAIT).toEqual(queues);

    const social = page.locator('[data-testid="queue-board-row"][data-queue="Social"]');
    const arrivals = social.getByTestId('queue-board-arrivals');
    const before = Number(await arrivals.getAttribute('data-now'));
    for (const text of ['my bill is wrong', 'app keeps crashing', 'where is my order', 'refund please', 'cannot log in']) {
      const post = tweet(newXUser('boards'), `@switchboard ${text}`, { inReplyToUser: X_BRAND, inReplyToStatus: '1' });
      expect((await postX(env.hub.url, xActivity({ tweets: [post] }))).status).toBe(200);
    }
    await expect.poll(async () => Number(await arrivals.getAttribute('data-now')), WAIT).toBe(before + 5);
    // Nobody available in Social (Ana is away): the chart says it is short.
    await expect.poll(async () => Number(await page.getByTestId('staffing-summary').getAttribute('data-short')), WAIT).toBeGreaterThan(0);
    expect(await page.getByTestId('staffing-summary').textContent()).toContain('Social 0 of');
    // Dewi signs in (her console's socket): Social has someone available, live (Ana, away, is signed in too).
    const dewi = await hubLogin(env.hub.url, 'dewi');
    sockets.push(connectSocket(env.hub.url, dewi));
    await expect.poll(() => social.locator('td').nth(6).textContent(), WAIT).toMatch(/^1 of 2/);
    // She takes the newest waiting X case and solves it: on the agent board below, handled today with its handle time.
    const dewiId = users.find((u) => u.username === 'dewi')!.id;
    const waiting = (await hubCases(env.hub.url, dewi)).filter((c) => c.channel === 'x' && c.assigneeId === null && c.status === 'new');
    const taken = waiting.sort((a, b) => b.number - a.number)[0]!;
    await hubSend(dewi, 'POST', '/api/sync/push', {
      mutations: [
        { id: uuidv7(), kind: 'case.assign', entityId: taken.id, baseVersion: taken.version, createdAt: new Date().toISOString(), payload: { assigneeId: dewiId } },
        { id: uuidv7(), kind: 'case.update', entityId: taken.id, baseVersion: taken.version + 1, createdAt: new Date().toISOString(), payload: { fields: { status: 'solved' } } },
      ],
    });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: readmeShotPath('screenshot-queue-board.png') });
    // The agent board for the README, unfiltered, at 1440×900; then both boards at 1024×700, to be looked at.
    await page.locator('[data-testid="queue-nav-item"][data-view="agents"]').click();
    await expect.poll(() => page.getByTestId('agent-board-row').count(), WAIT).toBe(5);
    await expect.poll(() => rowOf('Dewi Kusuma').getAttribute('data-handled'), WAIT).toBe('1');
    await page.screenshot({ path: readmeShotPath('screenshot-agent-board.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.waitForFunction('window.innerWidth === 1024');
    await page.screenshot({ path: shotPath('agent-board-1024.png') });
    await page.locator('[data-testid="queue-nav-item"][data-view="board"]').click();
    await page.locator('[data-testid="queue-board-sparkline"] svg').first().waitFor(WAIT);
    await page.screenshot({ path: shotPath('queue-board-1024.png') });
  });
});
