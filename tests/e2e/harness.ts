/**
 * E2E harness: a real demo hub, the real browser shell (its CLI, as a user
 * runs it) and a real Chromium driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type HubOptions, startHub, type RunningHub } from '../../src/hub/hub';
import { seedPglite } from '../support/pglite-template';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

export const CHROMIUM_PATH = process.env.SWITCHBOARD_CHROMIUM ?? '/usr/bin/chromium';

/** This test file's screenshots: its own temporary folder, kept to be looked at, never tracked files. */
const SHOT_DIR = mkdtempSync(join(tmpdir(), 'switchboard-e2e-shots-'));
export const shotPath = (name: string): string => join(SHOT_DIR, name);

/** The README's screenshots go to resources/ only when `npm run screenshots` refreshes them. */
export const readmeShotPath = (name: string): string => (process.env.SWITCHBOARD_REFRESH_SCREENSHOTS === '1' ? join('resources', name) : shotPath(name));

export interface E2eEnv {
  hub: RunningHub;
  /** With `{ proxy: true }`: the loopback proxy between the console's core and the hub (`setOnline(false)` = network gone). */
  proxy: TcpProxy | null;
  consoleUrl: string;
  browser: Browser;
  stop(): Promise<void>;
}

/** Starts the console CLI and resolves with the URL it prints. */
function startConsoleCli(hubUrl: string, dataDir: string, extra: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/browser/cli.ts', '--hub', hubUrl, '--data', dataDir, '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /console listening on (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (match?.[1]) resolve({ child, url: match[1] });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`console CLI exited with ${code}:\n${out}`)));
  });
}

export interface E2eOptions {
  /**
   * Put a TCP proxy between the console's core and the hub, so a test can take
   * the hub away (and bring it back) while the browser, the shell and the hub
   * keep running — what a technician's laptop sees when it leaves the network.
   */
  proxy?: boolean;
  /** Rows per sync pull page (the console's `--pull-page-size`): small, a pull takes many pages. */
  pullPageSize?: number;
  /** More hub options, e.g. the outbound providers a test watches (a provider simulator of its own). */
  hub?: Partial<HubOptions>;
}

export async function startE2e(opts: E2eOptions = {}): Promise<E2eEnv> {
  // Chromium starts while the hub and the console do: a second or so of every e2e file.
  const launching = chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const launched = launching.then(
    (browser) => ({ browser, error: null }),
    (error: unknown) => ({ browser: null, error }),
  );
  const root = await mkdtemp(join(tmpdir(), 'switchboard-e2e-'));
  let hub: RunningHub | null = null;
  let proxy: TcpProxy | null = null;
  let child: ChildProcess | null = null;
  const stopAllButBrowser = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await proxy?.close();
    await hub?.close();
    await rm(root, { recursive: true, force: true });
  };
  let url: string;
  try {
    if (!opts.hub?.databaseUrl) await seedPglite(join(root, 'hub'));
    hub = await startHub({ port: 0, mqttPort: 0, smtpPort: 0, dataDir: join(root, 'hub'), demo: true, logLevel: 'silent', ...opts.hub });
    proxy = opts.proxy ? await startTcpProxy(hub.url) : null;
    const extra = opts.pullPageSize === undefined ? [] : ['--pull-page-size', String(opts.pullPageSize)];
    ({ child, url } = await startConsoleCli(proxy?.url ?? hub.url, join(root, 'console'), extra));
  } catch (error) {
    await stopAllButBrowser();
    await (await launched).browser?.close();
    throw error;
  }
  const { browser, error } = await launched;
  if (!browser) {
    // No Chromium (or it failed to start): what was started must not outlive the test.
    await stopAllButBrowser();
    throw error;
  }
  const running = hub;
  return {
    hub: running,
    proxy,
    consoleUrl: url,
    browser,
    async stop() {
      await browser.close();
      await stopAllButBrowser();
    },
  };
}

/** Fills the sign-in form and submits it (with the demo users' password unless told otherwise). */
export async function submitSignIn(page: Page, username: string, password = 'demo'): Promise<void> {
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Signs a demo user in on the sign-in screen and waits for the console: the queue shown, the core online with the hub. */
export async function signIn(page: Page, username: string): Promise<void> {
  await submitSignIn(page, username);
  await page.getByTestId('queue-list').waitFor({ timeout: 20_000 });
  await page.locator('[data-testid="connection-indicator"][data-state="online"]').waitFor({ timeout: 30_000 });
}

/** A fresh demo hub and console with a 1440×900 page signed in as `username`: what most e2e files start from. */
export async function startSignedIn(username: string, opts: E2eOptions = {}): Promise<{ env: E2eEnv; page: Page }> {
  const env = await startE2e(opts);
  try {
    const page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(env.consoleUrl);
    await signIn(page, username);
    return { env, page };
  } catch (error) {
    await env.stop();
    throw error;
  }
}

/** Finds a case by its subject with the queue's search (in All active), and opens it. */
export async function openBySubject(page: Page, subject: string, wait = { timeout: 20_000 }): Promise<void> {
  await page.locator('[data-testid="queue-nav-item"][data-view="all"]').click();
  await page.getByTestId('queue-search').fill(subject);
  const row = page.locator('[data-testid="queue-row"]', { hasText: subject });
  await row.first().waitFor(wait);
  await row.first().click();
  await expect.poll(() => page.getByTestId('case-subject').textContent(), wait).toContain(subject);
}
