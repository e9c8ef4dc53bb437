/**
 * Answering a call in Chromium against a real demo hub: a ringing call to the Support number pops for Dewi,
 * she answers it on the pop (the hub records her on the call), and the agents board shows it as her current
 * work — the whole of her capacity — until the provider's final callback, after which it is gone.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PHONE_NUMBER } from '../../src/hub/demo/dataset';
import { shotPath, signIn, startSignedIn, type E2eEnv } from './harness';

const WAIT = { timeout: 15_000 };
const FROM = '+15550123456';

/** A Twilio status callback, signed over the URL the hub sees (no public URL configured in the demo). */
async function postCallback(hubUrl: string, sid: string, status: string, extra: Record<string, string> = {}): Promise<void> {
  const fields: Record<string, string> = { AccountSid: 'AC0123456789abcdef0123456789abcdef', CallSid: sid, CallStatus: status, Direction: 'inbound', From: FROM, To: DEMO_PHONE_NUMBER, ...extra };
  const url = new URL('/webhooks/voice', hubUrl).href;
  const signature = createHmac('sha1', 'demo-voice-token')
    .update(url + Object.keys(fields).sort().map((k) => k + fields[k]).join(''))
    .digest('base64');
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, body: new URLSearchParams(fields).toString() });
  expect(response.status).toBe(200);
}

/** What the page's `document.getAnimations()` gives (this file is typed for Node, without the DOM). */
type PageAnimations = { document: { getAnimations(): { playState: string; effect: { getTiming(): { iterations?: number } } | null }[] } };
const settled = (page: Page) =>
  page.waitForFunction(() =>
    (globalThis as unknown as PageAnimations).document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
  );

describe('answering a call (Chromium)', () => {
  let env: E2eEnv;
  let page: Page;

  beforeAll(async () => {
    ({ env, page } = await startSignedIn('dewi'));
  }, 120_000);
  afterAll(async () => {
    await env?.stop();
  });

  it('answers on the pop, and the agents board shows the call as her work until it ends', async () => {
    const sid = `CA${randomBytes(16).toString('hex')}`;
    await postCallback(env.hub.url, sid, 'ringing');
    await page.getByTestId('call-pop-answer').waitFor(WAIT);
    await page.getByTestId('call-pop-answer').click();
    await page.getByTestId('call-pop-answered').waitFor(WAIT);
    expect(await page.getByTestId('call-pop-answer').count()).toBe(0);
    await settled(page);
    await page.screenshot({ path: shotPath('call-answered-1440.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await settled(page);
    await page.screenshot({ path: shotPath('call-answered-1024.png') });
    await page.getByTestId('call-pop-dismiss').click();

    // A supervisor's console (the same browser shell, signed in again as Sam) sees her on the call.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor(WAIT);
    await signIn(page, 'sam');
    await page.locator('[data-testid="queue-nav-item"][data-view="agents"]').click();
    const dewi = page.locator('[data-testid="agent-board-row"][data-user="Dewi Kusuma"]');
    await dewi.getByTestId('agent-board-on-call').waitFor(WAIT);
    await settled(page);
    await page.screenshot({ path: shotPath('agent-board-on-call-1440.png') });
    await page.setViewportSize({ width: 1024, height: 700 });
    await settled(page);
    await page.screenshot({ path: shotPath('agent-board-on-call-1024.png') });

    await postCallback(env.hub.url, sid, 'completed', { CallDuration: '42' });
    await expect.poll(() => dewi.getByTestId('agent-board-on-call').count(), WAIT).toBe(0);
  });
});
