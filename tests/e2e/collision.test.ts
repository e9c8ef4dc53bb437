/**
 * Collision detection end to end in Chromium: two agents of the Support
 * queue (ivan and dewi), each in their own console on one hub, open the
 * same case.
 * Each sees the other viewing; dewi starts a reply and ivan sees "replying".
 * Ivan then answers and moves the case to pending, and the customer writes
 * again, while dewi's draft is open: dewi's Send warns what changed. "Review
 * first" (from the keyboard) keeps the draft unsent; after one more change,
 * "Send anyway" sends it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hubGet, hubLogin } from './hub-http';
import { openBySubject, shotPath, signIn, startE2e, type E2eEnv } from './harness';

const WAIT = { timeout: 20_000 };

/** A second console (the browser shell's CLI) on the same hub: one console core serves one user. */
async function startSecondConsole(hubUrl: string, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/browser/cli.ts', '--hub', hubUrl, '--data', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /console listening on (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (match?.[1]) resolve({ child, url: match[1] });
    });
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`console CLI exited with ${code}:\n${out}`)));
  });
}


async function choose(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId('case-view').getByTestId(testId).click();
  await page.getByRole('option', { name: option, exact: true }).click();
  await expect.poll(() => page.getByTestId('case-view').getByTestId(testId).inputValue()).toBe(option);
}

/** The watcher entries a page shows: "userId:mode". */
const shown = (page: Page) => page.getByTestId('case-watcher').evaluateAll((all) => all.map((a) => `${a.getAttribute('data-user-id')}:${a.getAttribute('data-mode')}`));

/** Once every transition (a modal opening, a tooltip closing) has finished. */
async function screenshot(page: Page, name: string, { keepPointer = false } = {}): Promise<void> {
  // No tooltip from where the pointer last was, unless it is the point.
  if (!keepPointer) await page.mouse.move(5, 5);
  // A string: the tests are compiled without the DOM's types.
  await page.evaluate('Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)))');
  await page.screenshot({ path: shotPath(name) });
}

describe('collision detection (two consoles, Chromium)', () => {
  let env: E2eEnv;
  let second: { child: ChildProcess; url: string } | null = null;
  let secondDir: string;
  let ivan: Page;
  let dewi: Page;
  const ids: Record<string, string> = {};
  const subject = `Invoice shows the wrong address ${Date.now()}`;
  const original = `<${uuidv7()}@customer.example>`;

  const mail = async (text: string, headers: { messageId?: string; inReplyTo?: string } = {}) => {
    const smtp = new URL(env.hub.smtpUrl!);
    const transport = nodemailer.createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true });
    await transport.sendMail({ from: 'Rut Customer <rut@customer.example>', to: 'support@switchboard.test', subject, text, ...headers });
    transport.close();
  };

  beforeAll(async () => {
    env = await startE2e();
    secondDir = await mkdtemp(join(tmpdir(), 'switchboard-e2e-second-'));
    second = await startSecondConsole(env.hub.url, secondDir);
    for (const name of ['ivan', 'dewi']) {
      const token = await hubLogin(env.hub.url, name);
      ids[name] = (await hubGet<{ user: { id: string } }>(env.hub.url, token, '/api/me')).user.id;
    }
    // Both are agents of Support, where the mail lands.
    ivan = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    dewi = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await ivan.goto(env.consoleUrl);
    await dewi.goto(second.url);
    await signIn(ivan, 'ivan');
    await signIn(dewi, 'dewi');
    await mail('Our new invoice is addressed to the old office.', { messageId: original });
  });
  afterAll(async () => {
    if (second && second.child.exitCode === null && second.child.signalCode === null) {
      const exited = new Promise((resolve) => second!.child.once('exit', resolve));
      second.child.kill('SIGTERM');
      await exited;
    }
    await env?.stop();
    if (secondDir) await rm(secondDir, { recursive: true, force: true });
  });

  it('shows each the other viewing, then replying while a reply is written', async () => {
    await openBySubject(ivan, subject);
    await openBySubject(dewi, subject);
    await expect.poll(() => shown(ivan), WAIT).toEqual([`${ids.dewi}:viewing`]);
    await expect.poll(() => shown(dewi), WAIT).toEqual([`${ids.ivan}:viewing`]);
    expect(await ivan.getByTestId('case-watchers-text').textContent()).toBe('Dewi is viewing');

    await dewi.getByTestId('composer-input').fill('Sorry about that, Rut: I have corrected the address and');
    await expect.poll(() => shown(ivan), WAIT).toEqual([`${ids.dewi}:replying`]);
    expect(await ivan.getByTestId('case-watchers-text').textContent()).toBe('Dewi is replying');
    // The tooltip names them and says since when.
    await ivan.getByTestId('case-watcher').hover();
    await ivan.getByRole('tooltip').filter({ hasText: 'is replying' }).waitFor(WAIT);
    await screenshot(ivan, 'collision-indicator-1440.png', { keepPointer: true });
    await ivan.setViewportSize({ width: 1024, height: 700 });
    await screenshot(ivan, 'collision-indicator-1024.png');
    await ivan.setViewportSize({ width: 1440, height: 900 });
  });

  it('warns before sending a reply to a case that moved on; Review first keeps it, Send anyway sends it', async () => {
    // While dewi writes: the customer writes again (which opens the case again), then ivan answers and sets it pending.
    await mail('Also, the VAT number is missing.', { inReplyTo: original });
    await expect.poll(() => dewi.getByTestId('message-timeline').textContent(), WAIT).toContain('the VAT number is missing');
    await expect.poll(() => ivan.getByTestId('message-timeline').textContent(), WAIT).toContain('the VAT number is missing');
    await ivan.getByTestId('composer-input').fill('Hello Rut, a colleague is on it.');
    await ivan.getByTestId('composer-send').click();
    await choose(ivan, 'case-status', 'Pending');
    await expect.poll(() => dewi.getByTestId('message-timeline').textContent(), WAIT).toContain('a colleague is on it');
    await expect.poll(() => dewi.getByTestId('case-view').getByTestId('case-status').inputValue(), WAIT).toBe('Pending');

    const draft = await dewi.getByTestId('composer-input').inputValue();
    await dewi.getByTestId('composer-input').press('Control+Enter');
    const warning = dewi.getByTestId('stale-reply-warning');
    await warning.waitFor(WAIT);
    const summary = await dewi.getByTestId('stale-reply-summary').getAttribute('aria-label');
    expect(summary).toContain('While you were writing:');
    expect(summary).toContain('1 new message from the customer');
    expect(summary).toContain('1 reply from Ivan');
    expect(summary).toContain('status changed to pending');
    await screenshot(dewi, 'collision-warning-1440.png');
    await dewi.setViewportSize({ width: 1024, height: 700 });
    await screenshot(dewi, 'collision-warning-1024.png');
    await dewi.setViewportSize({ width: 1440, height: 900 });

    // "Review first" has the focus: Enter answers it. Nothing is sent, the draft stays.
    await dewi.keyboard.press('Enter');
    await warning.waitFor({ state: 'detached', ...WAIT });
    expect(await dewi.getByTestId('composer-input').inputValue()).toBe(draft);
    expect(await dewi.locator('[data-testid="message"][data-direction="out"]', { hasText: draft }).count()).toBe(0);

    // One more change after the review: the next Send warns of that alone; Send anyway sends.
    await choose(ivan, 'case-priority', 'High');
    await expect.poll(() => dewi.getByTestId('case-view').getByTestId('case-priority').inputValue(), WAIT).toBe('High');
    await dewi.getByTestId('composer-send').click();
    await warning.waitFor(WAIT);
    expect(await dewi.getByTestId('stale-reply-summary').getAttribute('aria-label')).toBe('While you were writing: priority changed to high');
    await dewi.getByTestId('stale-reply-send').click();
    await warning.waitFor({ state: 'detached', ...WAIT });
    await dewi.locator('[data-testid="message"][data-direction="out"]', { hasText: draft }).waitFor(WAIT);
    await expect.poll(() => dewi.getByTestId('composer-input').inputValue(), WAIT).toBe('');
    // Ivan sees it arrive, and dewi no longer replying.
    await ivan.locator('[data-testid="message"][data-direction="out"]', { hasText: draft }).waitFor(WAIT);
    await dewi.getByTestId('composer-input').blur();
    await expect.poll(() => shown(ivan), WAIT).toEqual([`${ids.dewi}:viewing`]);
  });

  it('drops the other from the list when they close the case', async () => {
    await dewi.getByTestId('case-close').click();
    await expect.poll(() => ivan.getByTestId('case-watchers').count(), WAIT).toBe(0);
  });
});
