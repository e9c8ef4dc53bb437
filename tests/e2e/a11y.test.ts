/**
 * Accessibility, measured with axe-core in a real Chromium: every screen and
 * dialog of the console — sign-in, the queue, an open case with its composer,
 * the Details drawer on a 1024×700 laptop, mentions, conflicts, the boards,
 * the audit log, the admin tabs, the new-case and reassign dialogs, the user
 * menu and the shortcut sheet — as an agent, a supervisor and an admin, has no
 * serious or critical WCAG 2.1 A/AA violation. Each screen is checked in the
 * light and the dark theme (the console follows the OS; `A11Y_SCHEMES=light`
 * for one). The keyboard reaches the sheet (`?`) and a dialog gives focus back
 * to what opened it. Tab alone walks the agent's screen and the supervisor's
 * boards to every key control, each with a focus indicator you can see.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { uuidv7 } from 'uuidv7';
import type { Case } from '../../src/shared/domain';
import { shotPath, signIn, startE2e, submitSignIn, type E2eEnv } from './harness';
import { hubGet, hubLogin } from './hub-http';
import { newXUser, postX, tweet, xActivity } from '../hub/x-webhooks';

const WAIT = { timeout: 30_000, interval: 100 };
/** A test that audits many screens and dialogs, each in two schemes, takes longer than the suite's default. */
const MANY_AUDITS = 300_000;
const LAPTOP = { width: 1024, height: 700 };
const SCHEMES = (process.env.A11Y_SCHEMES ?? 'light,dark').split(',') as ('light' | 'dark')[];
/**
 * A second scheme changes colours only: after the first, axe runs just the rules that read colours
 * (every other rule finds the same in both), which keeps the second pass cheap.
 */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// What runs in the page (this file is type-checked without the DOM's types).
interface PageElement {
  tagName: string;
  textContent: string | null;
  style: { transition: string };
  parentElement: PageElement | null;
  matches(selector: string): boolean;
  getAttribute(name: string): string | null;
  blur(): void;
  focus(): void;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<object>; activeElement: PageElement | null };
declare function getComputedStyle(element: object): { opacity: string; transform: string; outlineStyle: string; outlineWidth: string; outlineColor: string; boxShadow: string; borderColor: string };

/** Every Mantine modal, drawer and popover on screen has finished its fade-in (axe measures contrast on what is painted). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll('.mantine-Modal-content, .mantine-Drawer-content, .mantine-Menu-dropdown, .mantine-Popover-dropdown')).every((el) => {
        const style = getComputedStyle(el);
        return style.opacity === '1' && (style.transform === 'none' || style.transform === 'matrix(1, 0, 0, 1, 0, 0)');
      }),
    undefined,
    WAIT,
  );
}

/** For a contrast finding, the colours axe measured (what to change). */
const contrastOf = (checks: { id: string; data?: unknown }[]): string => {
  const data = checks.find((c) => c.id === 'color-contrast')?.data as { fgColor?: string; bgColor?: string; contrastRatio?: number } | undefined;
  return data?.fgColor ? ` — ${data.fgColor} on ${data.bgColor} (${data.contrastRatio}:1)` : '';
};

interface Finding {
  screen: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
  why: string;
}

/** What a dialog, drawer, menu or popover is drawn in: a dialog's audit covers it alone (its screen had its own). */
const LAYERS = ['.mantine-Modal-content', '.mantine-Drawer-content', '.mantine-Menu-dropdown', '.mantine-Popover-dropdown'];

/** Runs axe on the page as it is (or only on `layers`), in both themes, and gives back its serious and critical findings, named by screen. */
async function audit(page: Page, screen: string, layers: string[] = []): Promise<Finding[]> {
  await settled(page);
  const findings: Finding[] = [];
  for (const [i, scheme] of SCHEMES.entries()) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.locator(`html[data-mantine-color-scheme="${scheme}"]`).waitFor(WAIT);
    const axe = new AxeBuilder({ page });
    for (const layer of layers) axe.include(layer);
    const results = await (i === 0 ? axe.withTags(WCAG_21_AA) : axe.withRules(COLOUR_RULES)).analyze();
    for (const v of results.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      findings.push({ screen: `${screen} (${scheme})`, rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}${contrastOf(n.any)} ${n.html.slice(0, 160)}`), why: v.nodes[0]?.failureSummary ?? '' });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  // In the log too, so a run shows every screen's findings, not only the first failing step's.
  if (findings.length > 0) console.log(JSON.stringify(findings, null, 1));
  return findings;
}

const nav = (page: Page, view: string) => page.locator(`[data-testid="queue-nav-item"][data-view="${view}"]`);

/** Signs `username` in, signing out whoever is signed in first (so each test also runs on its own, with `-t`). */
async function signInAs(page: Page, consoleUrl: string, username: string): Promise<void> {
  if (await page.getByTestId('user-menu').isVisible()) {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
  } else if (!(await page.getByTestId('login-submit').isVisible())) {
    await page.goto(consoleUrl);
  }
  await page.getByTestId('login-submit').waitFor(WAIT);
  await submitSignIn(page, username);
  try {
    // A supervisor's first sign-in pulls every case: longer than signIn's 20 s on a busy machine.
    await page.getByTestId('queue-list').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="connection-indicator"][data-state="online"]').waitFor({ timeout: 60_000 });
  } catch (error) {
    await page.screenshot({ path: shotPath(`a11y-sign-in-${username}-failed.png`) });
    throw error;
  }
}

const selectorOf = (idOrSelector: string) => (/^[a-z-]+$/.test(idOrSelector) ? `[data-testid="${idOrSelector}"]` : idOrSelector);

/** Opens a dialog by `open`, audits it, closes it with Esc and expects focus back on the opener (test ids, or CSS selectors). */
async function auditDialog(page: Page, screen: string, opener: string, open: () => Promise<void>, shownIdOrSelector: string): Promise<Finding[]> {
  const openerSelector = selectorOf(opener);
  const shown = page.locator(selectorOf(shownIdOrSelector)).first();
  await open();
  await shown.waitFor(WAIT);
  // A select that opened its list on focus: Esc closes the list first (the dialog is what is audited).
  if ((await page.locator('[role="listbox"]:visible').count()) > 0) await page.keyboard.press('Escape');
  const layers: string[] = [];
  for (const layer of LAYERS) if ((await page.locator(layer).count()) > 0) layers.push(layer);
  const findings = await audit(page, screen, layers);
  await page.keyboard.press('Escape');
  await shown.waitFor({ state: 'hidden', ...WAIT });
  await expect.poll(() => page.evaluate((selector) => document.activeElement?.matches(selector) ?? false, openerSelector), { message: `${screen}: focus back on ${openerSelector}`, ...WAIT }).toBe(true);
  return findings;
}

/** Where the keyboard's focus is: which of the wanted controls it is, and how its focus shows (null: it does not). */
interface Stop {
  matches: string[];
  what: string;
  ring: string | null;
}

async function focusStop(page: Page, wanted: Record<string, string>): Promise<Stop | null> {
  return page.evaluate((selectors) => {
    const el = document.activeElement;
    if (!el || el.tagName === 'BODY') return null;
    // The element, and for a field inside a bordered wrapper (tags, multi-select) the wrapper and its parent.
    const boxes = [el, el.parentElement, el.parentElement?.parentElement].filter((box): box is PageElement => box !== null && box !== undefined);
    // Read the end state, not a frame of a transition (Mantine's inputs fade their border in).
    const transitions = boxes.map((box) => box.style.transition);
    for (const box of boxes) box.style.transition = 'none';
    const look = () =>
      boxes.map((box) => {
        const style = getComputedStyle(box);
        const outline = style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) > 0 ? `outline ${style.outlineWidth} ${style.outlineStyle} ${style.outlineColor}` : null;
        return { outline, shadow: style.boxShadow, border: style.borderColor };
      });
    const on = look();
    let ring = on[0]!.outline;
    if (!ring) {
      // No outline: a shadow or a border it has only while focused (the same boxes, unfocused, for comparison).
      el.blur();
      const off = look();
      el.focus();
      on.forEach((box, i) => {
        if (ring) return;
        if (box.outline && !off[i]!.outline) ring = box.outline;
        else if (box.shadow !== 'none' && box.shadow !== off[i]!.shadow) ring = `box-shadow ${box.shadow}`;
        else if (box.border !== off[i]!.border) ring = `border ${box.border}`;
      });
    }
    boxes.forEach((box, i) => (box.style.transition = transitions[i]!));
    const name = el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 40);
    return { matches: Object.entries(selectors).filter(([, selector]) => el.matches(selector)).map(([key]) => key), what: `${el.tagName.toLowerCase()} ${name}`, ring };
  }, wanted);
}

/**
 * Presses Tab (only Tab) until every wanted control (name → CSS selector) has had the focus, or `max` presses;
 * says for each whether it was reached and showed its focus, and lists any stop on the way without a visible focus.
 */
async function tabWalk(page: Page, wanted: Record<string, string>, max = 200): Promise<{ reached: string[]; unseen: string[] }> {
  const found = new Map<string, Stop>();
  const unseen = new Set<string>();
  for (let i = 0; i < max && Object.keys(wanted).some((key) => !found.has(key)); i++) {
    await page.keyboard.press('Tab');
    const stop = await focusStop(page, wanted);
    if (!stop) continue;
    if (!stop.ring) unseen.add(stop.what);
    for (const key of stop.matches) if (!found.has(key)) found.set(key, stop);
  }
  const reached = Object.keys(wanted).map((key) => {
    const stop = found.get(key);
    return `${key}: ${!stop ? 'never reached by Tab' : stop.ring ? 'reached, focus visible' : `reached, NO visible focus (${stop.what})`}`;
  });
  return { reached, unseen: [...unseen] };
}
const allReached = (wanted: Record<string, string>) => Object.keys(wanted).map((key) => `${key}: reached, focus visible`);

/** Opens a menu or dialog from its (focused) control with Enter, closes it with Esc, and says whether focus came back to the control. */
async function enterAndEscape(page: Page, opener: string, shown: string): Promise<string> {
  await page.locator(opener).first().focus();
  await page.keyboard.press('Enter');
  await page.locator(shown).first().waitFor(WAIT);
  await settled(page);
  // A select that opened its list on focus: Esc closes the list first.
  if ((await page.locator('[role="listbox"]:visible').count()) > 0) await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.locator(shown).first().waitFor({ state: 'hidden', ...WAIT });
  const back = await page
    .waitForFunction((selector) => document.activeElement?.matches(selector) ?? false, opener, { timeout: 5_000 })
    .then(() => true)
    .catch(() => false);
  return `${opener}: ${back ? 'focus back' : `focus on ${await page.evaluate(() => `${document.activeElement?.tagName ?? 'nothing'} ${document.activeElement?.getAttribute('data-testid') ?? ''}`)}`}`;
}

describe('accessibility (axe-core, WCAG 2.1 AA, Chromium)', () => {
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

  it('has no serious or critical violation on an agent’s screens and dialogs', async () => {
    const findings: Finding[] = [];
    await page.goto(env.consoleUrl);
    await page.getByTestId('login-submit').waitFor(WAIT);
    findings.push(...(await audit(page, 'sign-in')));

    await signIn(page, 'ana');
    await nav(page, 'mine').click();
    await page.getByTestId('queue-row').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'My work')));

    await page.getByTestId('queue-row').first().click();
    await page.getByTestId('composer').waitFor(WAIT);
    await page.getByTestId('message').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'open case with composer')));
    await page.screenshot({ path: shotPath('a11y-case-1440.png') });
    findings.push(...(await auditDialog(page, 'presence menu', 'presence-menu', () => page.getByTestId('presence-menu').click(), 'presence-available')));
    findings.push(
      ...(await auditDialog(page, 'away: other reason dialog', 'presence-menu', async () => {
        await page.getByTestId('presence-menu').click();
        await page.getByTestId('presence-away-other').click();
      }, '.mantine-Modal-content')),
    );
    findings.push(...(await auditDialog(page, 'notices drawer', 'notices-button', () => page.getByTestId('notices-button').click(), '.mantine-Drawer-content')));
    findings.push(...(await auditDialog(page, 'customer consent menu', 'consent-menu', () => page.getByTestId('consent-menu').click(), '[role="menu"]')));
    await page.getByTestId('knowledge-search').fill('coolant');
    const article = page.getByTestId('knowledge-article').first();
    findings.push(...(await auditDialog(page, 'knowledge article', 'knowledge-article', () => article.click(), 'knowledge-article-body')));

    await page.setViewportSize(LAPTOP);
    await page.getByTestId('case-details-open').click();
    const drawer = page.getByRole('dialog', { name: 'Case details' });
    await drawer.waitFor(WAIT);
    findings.push(...(await audit(page, 'Details drawer at 1024×700')));
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden', ...WAIT });
    await page.setViewportSize({ width: 1440, height: 900 });

    await nav(page, 'mentions').click();
    await page.getByTestId('view-title').filter({ hasText: 'Mentions' }).waitFor(WAIT);
    findings.push(...(await audit(page, 'mentions')));
    // A new mention to convert (ana works Social): the convert dialog, with "add to an existing case" shown.
    const mention = `@switchboard the screen reader test ${Date.now()}`;
    expect((await postX(env.hub.url, xActivity({ tweets: [tweet(newXUser('a11y'), mention)] }))).status).toBe(200);
    const mentionRow = page.locator('[data-testid="mention-row"]', { hasText: mention });
    await mentionRow.waitFor(WAIT);
    findings.push(
      ...(await auditDialog(page, 'convert-mention dialog', 'mention-convert', async () => {
        await mentionRow.getByTestId('mention-convert').click();
        await page.getByTestId('convert-into').getByText('Add to an existing case').click();
      }, 'convert-case')),
    );

    await nav(page, 'mine').click();
    await page.getByTestId('queue-row').first().waitFor(WAIT);
    findings.push(...(await auditDialog(page, 'new-case dialog', 'new-case-button', () => page.getByTestId('new-case-button').click(), 'new-case-subject')));
    findings.push(...(await auditDialog(page, 'user menu', 'user-menu', () => page.getByTestId('user-menu').click(), 'logout')));

    // The shortcut sheet: `?` from anywhere but a text field.
    await page.getByTestId('queue-list').locator('[data-queue-viewport]').focus();
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.waitFor(WAIT);
    findings.push(...(await audit(page, 'shortcut sheet')));
    await page.screenshot({ path: shotPath('a11y-shortcuts-1440.png') });
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden', ...WAIT });

    expect(findings).toEqual([]);
  }, MANY_AUDITS);

  it('has no serious or critical violation on a supervisor’s screens and the reassign dialog', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await signIn(page, 'sam');
    const findings: Finding[] = [];

    await nav(page, 'board').click();
    await page.getByTestId('queue-board-row').first().waitFor(WAIT);
    await page.locator('[data-testid="queue-board-sparkline"] svg').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'queue board')));

    await nav(page, 'agents').click();
    await page.getByTestId('agent-board-row').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'agent board')));

    // Something in the audit log to read: a supervisor sets an agent away (a fresh hub has recorded nothing yet).
    const supervisor = await hubLogin(env.hub.url, 'sam');
    const dewi = (await hubGet<{ users: { id: string; username: string }[] }>(env.hub.url, supervisor, '/api/users')).users.find((u) => u.username === 'dewi')!;
    const away = await fetch(new URL(`/api/admin/users/${dewi.id}/presence`, env.hub.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${supervisor}`, 'content-type': 'application/json' },
      body: JSON.stringify({ presence: 'away', reason: 'Training' }),
    });
    expect(away.status).toBe(200);
    await nav(page, 'audit').click();
    await page.getByTestId('audit-row').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'audit log')));

    await nav(page, 'unassigned').click();
    const rows = page.getByTestId('queue-row');
    await rows.first().waitFor(WAIT);
    // By keyboard (toasts may lie over the rows): ↓ to the first case, x picks it, a opens the reassign dialog.
    const grid = page.getByTestId('queue-list').locator('[data-queue-viewport]');
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('x');
    await page.getByTestId('selection-bar').waitFor(WAIT);
    findings.push(...(await audit(page, 'queue with a selection')));
    findings.push(...(await auditDialog(page, 'reassign dialog', '[data-queue-viewport]', () => page.keyboard.press('a'), 'reassign-submit')));
    await page.screenshot({ path: shotPath('a11y-supervisor-1440.png') });
    await page.keyboard.press('Enter');
    findings.push(...(await auditDialog(page, 'case assign menu', 'case-assign-menu', () => page.getByTestId('case-assign-menu').click(), 'case-assign-me')));

    expect(findings).toEqual([]);
  }, MANY_AUDITS);

  it('has no serious or critical violation on the admin tabs', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await signIn(page, 'admin');
    const findings: Finding[] = [];

    await nav(page, 'admin').click();
    await page.getByTestId('admin-user-row').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: users')));
    findings.push(...(await auditDialog(page, 'admin: new user dialog', 'admin-create-user', () => page.getByTestId('admin-create-user').click(), 'admin-user-name')));
    // A user's dialogs open from the row's menu: focus goes back to the menu's button.
    const fromUserMenu = (item: string) => async () => {
      await page.getByTestId('admin-user-actions').first().click();
      await page.getByTestId(item).click();
    };
    findings.push(...(await auditDialog(page, 'admin: user actions menu', 'admin-user-actions', () => page.getByTestId('admin-user-actions').first().click(), 'admin-user-edit')));
    findings.push(...(await auditDialog(page, 'admin: edit user dialog', 'admin-user-actions', fromUserMenu('admin-user-edit'), 'admin-user-submit')));
    findings.push(...(await auditDialog(page, 'admin: presence dialog', 'admin-user-actions', fromUserMenu('admin-user-presence-set'), 'admin-presence-submit')));
    findings.push(...(await auditDialog(page, 'admin: sign-out dialog', 'admin-user-actions', fromUserMenu('admin-user-sign-out'), 'admin-sign-out-submit')));

    await page.getByTestId('admin-tab-queues').click();
    await page.getByTestId('admin-queue-row').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: queues')));
    findings.push(...(await auditDialog(page, 'admin: new queue dialog', 'admin-create-queue', () => page.getByTestId('admin-create-queue').click(), 'admin-queue-name')));
    findings.push(...(await auditDialog(page, 'admin: queue members dialog', 'admin-queue-members-edit', () => page.getByTestId('admin-queue-members-edit').first().click(), 'admin-members-submit')));
    findings.push(...(await auditDialog(page, 'admin: routing dialog', 'admin-queue-routing-edit', () => page.getByTestId('admin-queue-routing-edit').first().click(), 'admin-routing-submit')));

    await page.getByTestId('admin-tab-channels').click();
    await page.getByTestId('admin-channels-handle-x').waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: channels')));
    await page.screenshot({ path: shotPath('a11y-admin-1440.png') });

    await page.getByTestId('admin-tab-rules').click();
    await page.locator('[data-testid="rules-editor"] .cm-content').waitFor(WAIT);
    await page.getByTestId('rules-verdict').waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: rules editor')));

    await page.getByTestId('admin-tab-sla').click();
    await page.getByTestId('sla-section').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: SLA')));

    await page.getByTestId('admin-tab-plans').click();
    await page.getByTestId('plan-row').first().waitFor(WAIT);
    findings.push(...(await audit(page, 'admin: plans')));

    expect(findings).toEqual([]);
  }, MANY_AUDITS);

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
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await signIn(page, 'ana');
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
