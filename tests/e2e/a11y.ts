/**
 * What the accessibility e2e files share (a11y-audit.test.ts, a11y-keyboard.test.ts): axe-core runs on a
 * screen or a dialog in both colour schemes, and Tab walks that report whether each key control is reached
 * with a focus you can see. Two files, so the audits and the keyboard walks run side by side.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { shotPath, submitSignIn } from './harness';

export const WAIT = { timeout: 30_000, interval: 100 };
/** A test that audits many screens and dialogs, each in two schemes, takes longer than the suite's default. */
export const MANY_AUDITS = 300_000;
export const LAPTOP = { width: 1024, height: 700 };
export const SCHEMES = (process.env.A11Y_SCHEMES ?? 'light,dark').split(',') as ('light' | 'dark')[];
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
interface PageAnimation {
  constructor: { name: string };
  finished: Promise<unknown>;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<object>; activeElement: PageElement | null; getAnimations(): PageAnimation[] };
declare function getComputedStyle(element: object): { opacity: string; transform: string; outlineStyle: string; outlineWidth: string; outlineColor: string; boxShadow: string; borderColor: string };

/** Every Mantine modal, drawer, popover and toast on screen has finished its fade-in (axe measures contrast on what is painted: a toast half faded in fails it). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      Array.from(document.querySelectorAll('.mantine-Modal-content, .mantine-Drawer-content, .mantine-Menu-dropdown, .mantine-Popover-dropdown, .mantine-Notifications-notification')).every((el) => {
        const style = getComputedStyle(el);
        return style.opacity === '1' && (style.transform === 'none' || style.transform === 'matrix(1, 0, 0, 1, 0, 0)');
      }),
    undefined,
    WAIT,
  );
  await transitionsDone(page);
}

/**
 * Every CSS transition running now has ended: a colour scheme just switched fades many colours (a segmented
 * control's label, a button's border) over a frame or two, and axe must read the colours they end on.
 */
async function transitionsDone(page: Page): Promise<void> {
  await page.evaluate(() => Promise.all(document.getAnimations().filter((animation) => animation.constructor.name === 'CSSTransition').map((animation) => animation.finished.catch(() => undefined))));
}

/** For a contrast finding, the colours axe measured (what to change). */
const contrastOf = (checks: { id: string; data?: unknown }[]): string => {
  const data = checks.find((c) => c.id === 'color-contrast')?.data as { fgColor?: string; bgColor?: string; contrastRatio?: number } | undefined;
  return data?.fgColor ? ` — ${data.fgColor} on ${data.bgColor} (${data.contrastRatio}:1)` : '';
};

export interface Finding {
  screen: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
  why: string;
}

/** What a dialog, drawer, menu or popover is drawn in: a dialog's audit covers it alone (its screen had its own). */
const LAYERS = ['.mantine-Modal-content', '.mantine-Drawer-content', '.mantine-Menu-dropdown', '.mantine-Popover-dropdown'];

/** Where the console's toasts are drawn (main.tsx: Mantine's Notifications, class `toasts`). */
const TOASTS = '.toasts';

/**
 * Runs axe on the page as it is (or only on `layers`), in both themes, and gives back its serious and critical
 * findings, named by screen. Toasts come and go with live events (an SLA alert may arrive mid-audit, half faded
 * in): a page's audit leaves them out and audits the toasts on screen on their own (`toastFindings`).
 */
export async function audit(page: Page, screen: string, layers: string[] = []): Promise<Finding[]> {
  await settled(page);
  const findings: Finding[] = [];
  for (const [i, scheme] of SCHEMES.entries()) {
    findings.push(...(await axeFindings(page, screen, scheme, i === 0, layers, layers.length === 0 ? [TOASTS] : [])));
  }
  if (layers.length === 0) findings.push(...(await toastFindings(page, screen)));
  await page.emulateMedia({ colorScheme: 'light' });
  // In the log too, so a run shows every screen's findings, not only the first failing step's.
  if (findings.length > 0) console.log(JSON.stringify(findings, null, 1));
  return findings;
}

/** One axe run in `scheme` (every WCAG 2.1 AA rule, or only the colour rules), on `layers` or the page less `excluded`. */
async function axeFindings(page: Page, screen: string, scheme: 'light' | 'dark', allRules: boolean, layers: string[], excluded: string[]): Promise<Finding[]> {
  await page.emulateMedia({ colorScheme: scheme });
  await page.locator(`html[data-mantine-color-scheme="${scheme}"]`).waitFor(WAIT);
  await transitionsDone(page);
  const axe = new AxeBuilder({ page });
  for (const layer of layers) axe.include(layer);
  for (const selector of excluded) axe.exclude(selector);
  const results = await (allRules ? axe.withTags(WCAG_21_AA) : axe.withRules(COLOUR_RULES)).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ screen: `${screen} (${scheme})`, rule: v.id, impact: v.impact!, help: v.help, targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}${contrastOf(n.any)} ${n.html.slice(0, 160)}`), why: v.nodes[0]?.failureSummary ?? '' }));
}

/**
 * The toasts on screen, audited on their own in both schemes. One that arrives during the audit is caught half
 * faded in: a finding counts only when a second audit, once every toast has settled, finds it again — a toast
 * whose colours fail does so both times.
 */
async function toastFindings(page: Page, screen: string): Promise<Finding[]> {
  if ((await page.locator(`${TOASTS} .mantine-Notification-root`).count()) === 0) return [];
  const pass = async () => {
    await settled(page);
    const found: Finding[] = [];
    // Gone meanwhile (closed, or timed out): nothing left to audit.
    if ((await page.locator(`${TOASTS} .mantine-Notification-root`).count()) === 0) return found;
    for (const [i, scheme] of SCHEMES.entries()) found.push(...(await axeFindings(page, `${screen}, toasts`, scheme, i === 0, [TOASTS], [])));
    return found;
  };
  const first = await pass();
  if (first.length === 0) return first;
  const again = await pass();
  return again.filter((f) => first.some((g) => g.rule === f.rule && g.screen === f.screen));
}

export const nav = (page: Page, view: string) => page.locator(`[data-testid="queue-nav-item"][data-view="${view}"]`);

/** Signs `username` in, signing out whoever is signed in first (so each test also runs on its own, with `-t`). */
export async function signInAs(page: Page, consoleUrl: string, username: string): Promise<void> {
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
export async function auditDialog(page: Page, screen: string, opener: string, open: () => Promise<void>, shownIdOrSelector: string): Promise<Finding[]> {
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
export async function tabWalk(page: Page, wanted: Record<string, string>, max = 200): Promise<{ reached: string[]; unseen: string[] }> {
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
export const allReached = (wanted: Record<string, string>) => Object.keys(wanted).map((key) => `${key}: reached, focus visible`);

/** Opens a menu or dialog from its (focused) control with Enter, closes it with Esc, and says whether focus came back to the control. */
export async function enterAndEscape(page: Page, opener: string, shown: string): Promise<string> {
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
