/**
 * Accessibility by keyboard, in a real Chromium: Tab alone walks the agent's
 * screen (at 1440 and on a 1024×700 laptop) and the supervisor's boards to
 * every key control, each with a focus indicator you can see in both schemes;
 * every menu and dialog opened with Enter gives the focus back on Esc, and the
 * shortcut sheet (`?`) too. The conflicts view, which only this file reaches
 * (it takes a case changed offline and on the hub), has no serious or critical
 * WCAG 2.1 A/AA violation. The other screens' audits: a11y-audit.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import type { Case } from '../../src/shared/domain';
import { WAIT, LAPTOP, SCHEMES, settled, audit, nav, signInAs, tabWalk, allReached, enterAndEscape } from './a11y';
import { hubGet, hubLogin } from './hub-http';
import { shotPath, startE2e, type E2eEnv } from './harness';

// What runs in the page (this file is type-checked without the DOM's types).
declare const document: { activeElement: { matches(selector: string): boolean } | null };

describe('accessibility by keyboard, and the conflicts view (Chromium)', () => {
  let env: E2eEnv;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    env = await startE2e({ proxy: true });
    context = await env.browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await env?.stop();
  });

  // Before the conflicts view: the conflict it leaves undecided keeps anyone but ana from signing in here.
  it('reaches the supervisor’s boards with Tab alone, focus visible', async () => {
    await signInAs(page, env.consoleUrl, 'sam');
    await nav(page, 'board').click();
    await page.getByTestId('queue-board-row').first().waitFor(WAIT);
    const board = {
      'queue nav': '[data-testid="queue-nav-item"][data-view="board"]',
      'user menu': '[data-testid="user-menu"]',
      'sort by column': '[data-testid="queue-board"] th button',
    };
    const onBoard = await tabWalk(page, board);
    expect(onBoard.reached).toEqual(allReached(board));
    expect(onBoard.unseen).toEqual([]);

    await nav(page, 'agents').click();
    await page.getByTestId('agent-board-row').first().waitFor(WAIT);
    const agents = {
      'queue nav': '[data-testid="queue-nav-item"][data-view="agents"]',
      'queue filter': '[data-testid="agent-board-queue-filter"]',
      'skill filter': '[data-testid="agent-board-skill-filter"], [data-testid="agent-board-skill-filter"] input',
      'sort by column': '[data-testid="agent-board"] th button',
    };
    const onAgents = await tabWalk(page, agents);
    expect(onAgents.reached).toEqual(allReached(agents));
    expect(onAgents.unseen).toEqual([]);
    await page.getByTestId('agent-board').locator('th button').first().focus();
    await page.screenshot({ path: shotPath('a11y-focus-agent-board-1440.png') });

    // A supervisor's assign menu on an open case gives the focus back too.
    await nav(page, 'unassigned').click();
    await page.getByTestId('queue-row').first().click();
    await page.getByTestId('case-assign-menu').waitFor(WAIT);
    expect(await enterAndEscape(page, '[data-testid="case-assign-menu"]', '[data-testid="case-assign-me"]')).toBe('[data-testid="case-assign-menu"]: focus back');
  });

  it('has no serious or critical violation on the conflicts view', async () => {
    await signInAs(page, env.consoleUrl, 'ana');
    await nav(page, 'mine').click();
    await page.getByTestId('queue-row').first().waitFor(WAIT);
    // A case changed here while offline and on the hub meanwhile: one open conflict.
    const id = (await page.getByTestId('queue-row').first().getAttribute('data-case-id'))!;
    const sam = await hubLogin(env.hub.url, 'sam');
    const original = (await hubGet<{ case: Case }>(env.hub.url, sam, `/api/cases/${id}`)).case;
    env.proxy!.setOnline(false);
    await expect.poll(() => page.getByTestId('connection-indicator').getAttribute('data-state'), WAIT).not.toBe('online');
    await page.getByTestId('queue-row').first().click();
    await page.locator(`[data-testid="case-view"][data-case-id="${id}"]`).waitFor(WAIT);
    const priority = original.priority === 'urgent' ? 'High' : 'Urgent';
    await page.getByTestId('case-priority').click();
    await page.getByRole('option', { name: priority, exact: true }).click();
    await expect.poll(() => page.getByTestId('case-priority').inputValue()).toBe(priority);
    const theirs = original.priority === 'low' ? 'normal' : 'low';
    const pushed = await fetch(new URL('/api/sync/push', env.hub.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sam}` },
      body: JSON.stringify({ mutations: [{ id: uuidv7(), createdAt: new Date().toISOString(), kind: 'case.update', entityId: id, baseVersion: original.version, payload: { fields: { priority: theirs } } }] }),
    });
    expect(pushed.ok).toBe(true);
    env.proxy!.setOnline(true);
    await page.getByTestId('sync-now').click();
    await expect.poll(() => page.getByTestId('sync-conflicts').getAttribute('data-count'), WAIT).toBe('1');

    await page.getByTestId('sync-conflicts').click();
    await expect.poll(() => page.getByTestId('view-title').textContent(), WAIT).toBe('Conflicts');
    await page.locator(`[data-testid="queue-row"][data-case-id="${id}"]`).click();
    await page.locator('[data-testid="conflict"][data-field="priority"]').waitFor(WAIT);
    const findings = await audit(page, 'conflicts view with the conflict open');
    await page.screenshot({ path: shotPath('a11y-conflicts-1440.png') });
    expect(findings).toEqual([]);
  });

  it('reaches every key control of the agent’s screen with Tab alone, focus visible, and gives focus back after each menu and dialog', async () => {
    await signInAs(page, env.consoleUrl, 'ana');
    await nav(page, 'mine').click();
    await page.getByTestId('queue-row').first().click();
    await page.getByTestId('composer').waitFor(WAIT);
    // Something to send, so Send takes the focus (a disabled button does not).
    await page.getByTestId('composer-input').fill('Checking the keyboard path');
    const wanted = {
      'presence menu': '[data-testid="presence-menu"]',
      'sync now': '[data-testid="sync-now"]',
      notices: '[data-testid="notices-button"]',
      'user menu': '[data-testid="user-menu"]',
      'new case': '[data-testid="new-case-button"]',
      'queue nav': '[data-testid="queue-nav-item"]',
      'queue search': '[data-testid="queue-search"]',
      'queue rows': '[data-queue-viewport]',
      'case close': '[data-testid="case-close"]',
      'case priority': '[data-testid="case-priority"]',
      'case assignment': '[data-testid="case-assign-menu"], [data-testid="case-take"], [data-testid="case-hand-back"]',
      'composer tabs': '[data-testid="composer-tab-reply"], [data-testid="composer-tab-note"]',
      composer: '[data-testid="composer-input"]',
      send: '[data-testid="composer-send"]',
    };
    // On a laptop the case's properties are in the Details drawer: its button is what Tab must reach.
    const inDrawer = ['case priority', 'case assignment'];
    const onLaptop = { ...Object.fromEntries(Object.entries(wanted).filter(([key]) => !inDrawer.includes(key))), 'case details': '[data-testid="case-details-open"]' };
    for (const [size, viewport, controls] of [['1440', { width: 1440, height: 900 }, wanted], ['1024', LAPTOP, onLaptop]] as const) {
      await page.setViewportSize(viewport);
      const walk = await tabWalk(page, controls);
      expect(walk.reached, `at ${size}`).toEqual(allReached(controls));
      expect(walk.unseen, `at ${size}: focus stops without a visible focus`).toEqual([]);
    }
    // What the focus looks like, in both schemes, on a laptop: the queue's grid and a top-bar control.
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.locator('[data-queue-viewport]').focus();
      await page.keyboard.press('ArrowDown');
      await page.screenshot({ path: shotPath(`a11y-focus-grid-${scheme}-1024.png`) });
      await page.getByTestId('notices-button').focus();
      await page.screenshot({ path: shotPath(`a11y-focus-topbar-${scheme}-1024.png`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });

    const back: string[] = [];
    back.push(await enterAndEscape(page, '[data-testid="case-details-open"]', '[data-testid="case-details-drawer"] .mantine-Drawer-content'));
    await page.setViewportSize({ width: 1440, height: 900 });
    back.push(await enterAndEscape(page, '[data-testid="presence-menu"]', '[data-testid="presence-available"]'));
    back.push(await enterAndEscape(page, '[data-testid="notices-button"]', '.mantine-Drawer-content'));
    back.push(await enterAndEscape(page, '[data-testid="user-menu"]', '[data-testid="logout"]'));
    back.push(await enterAndEscape(page, '[data-testid="new-case-button"]', '[data-testid="new-case-subject"]'));
    back.push(await enterAndEscape(page, '[data-testid="consent-menu"]', '[role="menu"]'));
    expect(back).toEqual(back.map((line) => `${line.split(': ')[0]}: focus back`));

    // The shortcut sheet from the queue's grid, and back to it.
    await page.locator('[data-queue-viewport]').focus();
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor(WAIT);
    await settled(page);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.evaluate(() => document.activeElement?.matches('[data-queue-viewport]') ?? false), WAIT).toBe(true);
  });
});
