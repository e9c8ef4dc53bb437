/** A real demo hub on ephemeral ports for console tests, plus small helpers to ask it things directly. */
import { join } from 'node:path';
import mqtt from 'mqtt';
import { demoDeviceToken } from '../../src/hub/demo/dataset';
import { startHub, type HubOptions, type RunningHub } from '../../src/hub/hub';
import type { Case } from '../../src/shared/domain';
import { CaseListResponseSchema, LoginResponseSchema } from '../../src/shared/protocol';
import { seedPglite } from '../support/pglite-template';

export async function startDemoHub(dataDir: string): Promise<RunningHub> {
  return startLocalHub(dataDir, { demo: true });
}

/** A hub on embedded PGlite in `<dataDir>/hub` (migrated from the run's template at first start), on ephemeral ports unless told. */
export async function startLocalHub(dataDir: string, extra: Partial<HubOptions> = {}): Promise<RunningHub> {
  const hubDir = join(dataDir, 'hub');
  await seedPglite(hubDir);
  return startHub({ port: 0, mqttPort: 0, smtpPort: 0, dataDir: hubDir, logLevel: 'silent', ...extra });
}

export async function hubToken(hubUrl: string, username: string): Promise<string> {
  const response = await fetch(new URL('/api/auth/login', hubUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  return LoginResponseSchema.parse(await response.json()).token;
}

/** Every case GET /api/cases shows this user, page by page. */
export async function hubCases(hubUrl: string, token: string): Promise<Case[]> {
  const all: Case[] = [];
  for (let offset = 0; ; offset += 500) {
    const response = await fetch(new URL(`/api/cases?limit=500&offset=${offset}`, hubUrl), { headers: { authorization: `Bearer ${token}` } });
    const page = CaseListResponseSchema.parse(await response.json());
    all.push(...page.cases);
    if (all.length >= page.total || page.cases.length === 0) return all;
  }
}

export async function publishTelemetry(mqttUrl: string, deviceId: string, metric: string, values: number[]): Promise<void> {
  // Signed in as the device, as the broker requires.
  const client = await mqtt.connectAsync(mqttUrl, { reconnectPeriod: 0, username: deviceId, password: demoDeviceToken(deviceId) });
  try {
    for (const value of values) {
      await client.publishAsync(`devices/${deviceId}/telemetry`, JSON.stringify({ metric, value, ts: new Date().toISOString() }), { qos: 1 });
    }
  } finally {
    await client.endAsync();
  }
}

export async function waitFor<T>(probe: () => T | Promise<T>, { timeoutMs = 5000, intervalMs = 20, what = 'condition' } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
