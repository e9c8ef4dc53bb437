/**
 * Knowledge, drafts and assignment in the browser: a technician finds an
 * article for her case (suggested, then searched — offline too), reads it and
 * inserts it into the reply, whose draft survives a reload; her internal note
 * is a draft as well. A supervisor gives a case to an agent from the Assign
 * menu and the hub has it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Case, User } from '../../src/shared/domain';
import { shotPath, signIn, startE2e, type E2eEnv } from './harness';
import { hubGet, hubLogin } from './hub-http';

const WAIT = { timeout: 30_000, interval: 100 };
const ENGINE_ARTICLE = 'Volta EV: engine_temp alert above 110 °C';


const connection = (page: Page) => page.getByTestId('connection-indicator').getAttribute('data-state');
const composerInput = (page: Page) => page.getByTestId('composer-input').inputValue();
const articleTitles = (page: Page) => page.getByTestId('knowledge-article').evaluateAll((rows) => rows.map((row) => row.getAttribute('title')));

/** Signs in and waits for the user's cases to be listed. */
async function login(page: Page, username: string): Promise<void> {
  await signIn(page, username);
  await expect.poll(() => page.getByTestId('queue-row').count(), WAIT).toBeGreaterThan(1);
}

async function openCase(page: Page, id: string): Promise<void> {
  await page.locator(`[data-testid="queue-row"][data-case-id="${id}"]`).click();
  await page.locator(`[data-testid="case-view"][data-case-id="${id}"]`).waitFor();
}

async function reopenCase(page: Page, id: string): Promise<void> {
  await page.getByTestId('case-close').click();
  await page.getByTestId('case-view').waitFor({ state: 'detached' });
  await openCase(page, id);
}

/** A screenshot without a tooltip from where the pointer last was, after any transition has settled. */
async function screenshot(page: Page, path: string, pointer = true): Promise<void> {
  if (pointer) await page.mouse.move(300, 60);
  await page.waitForTimeout(400);
  await page.screenshot({ path });
}

describe('knowledge, drafts and assignment in Chromium', () => {
  let env: E2eEnv;
  let page: Page;
  let caseId: string;

  beforeAll(async () => {
    env = await startE2e({ proxy: true });
    page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('suggests articles for a field case and counts them in the briefcase', async () => {
    await page.goto(env.consoleUrl);
    await login(page, 'tess');

    await page.locator('[data-testid="queue-nav-item"][data-view="briefcase"]').click();
    await expect.poll(async () => Number(await page.getByTestId('briefcase-articles').getAttribute('data-count')), WAIT).toBeGreaterThan(5);
    expect(await page.getByTestId('briefcase-articles').textContent()).toMatch(/^\d+ articles$/);
    await page.locator('[data-testid="queue-nav-item"][data-view="all"]').click();

    // Tess's cases are field repairs: the articles tagged "field" fit, community answers marked as such.
    caseId = (await page.getByTestId('queue-row').first().getAttribute('data-case-id'))!;
    await openCase(page, caseId);
    const knowledge = page.getByTestId('knowledge');
    await expect.poll(() => knowledge.getByTestId('knowledge-article').count(), WAIT).toBeGreaterThan(0);
    expect(await articleTitles(page)).toContain('Field visit checklist');
    const community = knowledge.locator('[data-testid="knowledge-article"][data-source="community"]');
    expect(await community.count()).toBeGreaterThan(0);
    expect(await community.first().textContent()).toContain('Community');
    await screenshot(page, shotPath('ui2-knowledge.png'));

    // A community answer says so where it is read.
    await community.first().click();
    await page.getByTestId('knowledge-article-body').waitFor();
    expect(await page.getByTestId('knowledge-article-modal').textContent()).toContain('community answer');
    await screenshot(page, shotPath('ui2-community.png'), false);
    await page.keyboard.press('Escape');
    await page.getByTestId('knowledge-article-body').waitFor({ state: 'detached' });
    // Esc closed the article, not the case behind it.
    expect(await page.getByTestId('case-view').count()).toBe(1);
  });

  it('searches, opens an article and inserts it into the reply draft, which survives a reload', async () => {
    // Inserting shows the reply whatever tab was showing.
    await page.getByTestId('composer-tab-note').click();
    await page.getByTestId('knowledge-search').fill('coolant');
    await expect.poll(() => articleTitles(page), WAIT).toContain(ENGINE_ARTICLE);
    await page.locator(`[data-testid="knowledge-article"][title="${ENGINE_ARTICLE}"]`).click();
    const body = page.getByTestId('knowledge-article-body');
    await body.waitFor();
    expect(await page.getByTestId('knowledge-article-modal').count()).toBeGreaterThan(0);
    expect(await body.textContent()).toContain('Check the coolant level');
    await screenshot(page, shotPath('ui2-article.png'), false);

    await page.getByTestId('knowledge-insert').click();
    await body.waitFor({ state: 'detached' });
    // The reply shows, with the article in it and the cursor after it.
    await expect.poll(() => page.getByTestId('composer').getAttribute('data-tab')).toBe('reply');
    await expect.poll(() => composerInput(page)).toContain(ENGINE_ARTICLE);
    expect(await composerInput(page)).toContain('Check the coolant level');
    await expect.poll(() => page.getByTestId('composer-input').evaluate((el) => el.matches(':focus'))).toBe(true);
    await expect.poll(() => page.getByTestId('composer-draft-state').textContent(), WAIT).toBe('Draft saved');
    await screenshot(page, shotPath('ui2-inserted.png'));

    await page.reload();
    await page.getByTestId('queue-list').waitFor({ timeout: 20_000 });
    await openCase(page, caseId);
    await expect.poll(() => composerInput(page), WAIT).toContain(ENGINE_ARTICLE);
  });

  it('finds articles offline', async () => {
    env.proxy!.setOnline(false);
    await expect.poll(() => connection(page), WAIT).not.toBe('online');
    await page.getByTestId('knowledge-search').fill('thermostat');
    await expect.poll(() => articleTitles(page), WAIT).toContain('Thermostat T3 reads too cold or does not heat');
    await page.getByTestId('knowledge-search').fill('no article says this');
    await expect.poll(() => page.getByTestId('knowledge-empty').textContent(), WAIT).toContain('No articles match');
    await page.getByTestId('knowledge-search').fill('');
    await expect.poll(() => articleTitles(page)).toContain('Field visit checklist');
    env.proxy!.setOnline(true);
    await page.getByTestId('sync-now').click();
    await expect.poll(() => connection(page), WAIT).toBe('online');
  });

  it('keeps the internal note as a draft too, and clears it when the note is added', async () => {
    const note = 'Bring the coolant tester and a CP-7 pump.';
    await page.getByTestId('composer-tab-note').click();
    await page.getByTestId('composer-input').fill(note);
    await expect.poll(() => page.getByTestId('composer-draft-state').textContent(), WAIT).toBe('Draft saved');
    // Closed within the debounce: the unmount still saves the last keystrokes.
    await page.getByTestId('composer-input').press('End');
    await page.keyboard.type('!');
    await reopenCase(page, caseId);
    await expect.poll(() => composerInput(page)).toContain(ENGINE_ARTICLE);
    await screenshot(page, shotPath('ui2-note-draft.png'));
    await page.getByTestId('composer-tab-note').click();
    await expect.poll(() => composerInput(page)).toBe(`${note}!`);

    await page.getByTestId('composer-input').press('Control+Enter');
    await expect.poll(() => page.getByTestId('message-timeline').textContent(), WAIT).toContain(`${note}!`);
    await expect.poll(() => composerInput(page)).toBe('');
    await reopenCase(page, caseId);
    await page.getByTestId('composer-tab-note').click();
    expect(await composerInput(page)).toBe('');
    await page.getByTestId('composer-tab-reply').click();
    expect(await composerInput(page)).toContain(ENGINE_ARTICLE);
  });

  it('lets a supervisor assign a case to an agent by name', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor({ timeout: 20_000 });
    await login(page, 'sam');

    const sam = await hubLogin(env.hub.url, 'sam');
    const { users } = await hubGet<{ users: User[] }>(env.hub.url, sam, '/api/users');
    const ivan = users.find((u) => u.username === 'ivan')!;
    const ids = await page.getByTestId('queue-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-case-id')!));
    let target: Case | null = null;
    for (const id of ids) {
      const { case: c } = await hubGet<{ case: Case }>(env.hub.url, sam, `/api/cases/${id}`);
      if (c.assigneeId !== ivan.id) {
        target = c;
        break;
      }
    }
    expect(target).not.toBeNull();
    await openCase(page, target!.id);

    await page.getByTestId('case-assign-menu').click();
    const select = page.getByTestId('case-assign-user');
    await select.click();
    await select.fill('iv');
    const option = page.getByRole('option', { name: 'Ivan Petrov', exact: true });
    await option.waitFor();
    // Only agents and technicians: no supervisor to pick.
    await select.fill('');
    expect(await page.getByRole('option', { name: 'Sam Okafor', exact: true }).count()).toBe(0);
    await select.fill('iv');
    await screenshot(page, shotPath('ui2-assign-menu.png'), false);
    await option.click();

    await expect.poll(() => page.getByTestId('case-assignee').textContent(), WAIT).toBe('Ivan Petrov');
    await expect.poll(() => page.getByRole('menu').count()).toBe(0);
    await expect
      .poll(async () => (await hubGet<{ case: Case }>(env.hub.url, sam, `/api/cases/${target!.id}`)).case.assigneeId, WAIT)
      .toBe(ivan.id);
  });
});
