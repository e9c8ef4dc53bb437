import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import type { Page } from 'playwright-core';
import { demoDeviceToken } from '../../src/hub/demo/dataset';
import { readmeShotPath, shotPath, signIn, startE2e, submitSignIn, type E2eEnv } from './harness';
import { hubLogin } from './hub-http';

const SCREENSHOT = readmeShotPath('screenshot-console.png');

async function publishTelemetry(mqttUrl: string, deviceId: string, values: number[]): Promise<void> {
  // Signed in as the device, as the broker requires.
  const client = await mqtt.connectAsync(mqttUrl, { username: deviceId, password: demoDeviceToken(deviceId) });
  try {
    for (const value of values) {
      const reading = { metric: 'engine_temp', value, ts: new Date().toISOString() };
      await client.publishAsync(`devices/${deviceId}/telemetry`, JSON.stringify(reading), { qos: 1 });
    }
  } finally {
    await client.endAsync();
  }
}

async function caseNumbers(page: Page): Promise<number[]> {
  const raw = await page.locator('[data-testid="queue-row"]').evaluateAll((rows) =>
    rows.map((row) => Number(row.getAttribute('data-case-number'))),
  );
  return raw.filter((n) => Number.isFinite(n));
}

describe('console end to end in Chromium', () => {
  let env: E2eEnv;
  let page: Page;

  beforeAll(async () => {
    env = await startE2e();
    page = await env.browser.newPage({ viewport: { width: 1440, height: 900 } });
  });

  afterAll(async () => {
    await env?.stop();
  });

  it('refuses wrong credentials with a visible error', async () => {
    await page.goto(env.consoleUrl);
    await submitSignIn(page, 'ana', 'not-her-password');
    await expect.poll(() => page.getByTestId('login-error').isVisible(), { timeout: 10_000 }).toBe(true);
  });

  it('logs in as an agent and shows the demo queue in the order of its explained priority score', async () => {
    await signIn(page, 'ana');
    // An agent starts on her own work; the queues' cases are a click away.
    await expect.poll(() => page.locator('[data-testid="queue-nav-item"][data-view="mine"]').getAttribute('data-active'), { timeout: 20_000 }).not.toBeNull();
    await page.locator('[data-testid="queue-nav-item"][data-view="all"]').click();
    await expect.poll(() => page.locator('[data-testid="queue-nav-item"][data-view="all"]').getAttribute('data-active'), { timeout: 20_000 }).not.toBeNull();
    // Until every queue's cases are read, the list still shows her own work (announced busy): wait for them.
    await expect.poll(() => page.locator('[data-testid="queue-list"] [role="grid"]').getAttribute('aria-busy'), { timeout: 20_000 }).toBe('false');
    await expect.poll(async () => (await caseNumbers(page)).length, { timeout: 20_000 }).toBeGreaterThan(5);

    const scores = await page.getByTestId('queue-row-why').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('title')?.replace('Priority score ', ''))));
    expect(scores.every((score) => Number.isFinite(score))).toBe(true);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('shows a device case live when telemetry crosses the rule over real MQTT', async () => {
    const before = new Set(await caseNumbers(page));
    const published = Date.now();
    await publishTelemetry(env.hub.mqttUrl, 'car-0001', [111.5, 113, 115.2]);

    await expect
      .poll(async () => (await caseNumbers(page)).filter((n) => !before.has(n)).length, { timeout: 10_000, interval: 50 })
      .toBe(1);
    const latencyMs = Date.now() - published;
    console.log(`live case appeared ${latencyMs} ms after the third reading was published`);

    const fresh = (await caseNumbers(page)).find((n) => !before.has(n));
    const row = page.locator(`[data-testid="queue-row"][data-case-number="${fresh}"]`);
    await expect.poll(() => row.textContent()).toContain('car-0001');
    await row.click();
    await page.getByTestId('case-view').waitFor();
    await expect.poll(() => page.getByTestId('case-subject').textContent()).toContain('engine_temp');
    await expect.poll(() => page.getByTestId('message-timeline').textContent()).toContain('115.2');
    await expect.poll(() => page.getByTestId('customer-summary').isVisible()).toBe(true);

    await page.screenshot({ path: SCREENSHOT });
  });

  it('returns to the sign-in at once, saying why, when an admin signs the agent out everywhere', async () => {
    const admin = { authorization: `Bearer ${await hubLogin(env.hub.url, 'admin')}` };
    const { users } = (await (await fetch(new URL('/api/admin/users', env.hub.url), { headers: admin })).json()) as { users: { id: string; username: string }[] };
    const ana = users.find((u) => u.username === 'ana')!;
    expect((await fetch(new URL(`/api/admin/users/${ana.id}/sign-out`, env.hub.url), { method: 'POST', headers: admin })).status).toBe(204);

    await page.getByTestId('login-notice').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('login-notice').textContent()).toBe('Your session has ended. Please sign in again.');
    // The device alert shown to her a moment ago goes with her session.
    await expect.poll(() => page.getByTestId('alert-open-case').count()).toBe(0);
    await page.screenshot({ path: shotPath('ui-signed-out.png') });
    await signIn(page, 'ana');
  });
});
