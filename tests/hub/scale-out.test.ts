/**
 * Two hub processes on ephemeral ports sharing the running Postgres, Redis
 * and Mosquitto: telemetry published once opens exactly one case, and an
 * agent connected to the other hub receives it live.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Case } from '../../src/shared/domain';
import { backends } from './backends';
import { connectSocket, publish, reading } from './helpers';
import { runHub, waitForOutput, type Run } from './processes';

const REDIS_URL = process.env.SWITCHBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MQTT_URL = process.env.SWITCHBOARD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

describe('scale-out: two hubs, one Postgres, Redis and Mosquitto', () => {
  const cluster = `test-${process.pid}-${Date.now().toString(36)}`;
  const wrapKey = randomBytes(32).toString('base64');
  let storage: Awaited<ReturnType<(typeof backends)[number]['storage']>>;
  const hubs: { run: Run; url: string }[] = [];

  beforeAll(async () => {
    storage = await backends.find((b) => b.name === 'postgres')!.storage();
    for (let i = 0; i < 2; i++) {
      const run = runHub(['--port', '0', '--mqtt-url', MQTT_URL, '--demo'], {
        SWITCHBOARD_DATABASE_URL: storage.options.databaseUrl!,
        SWITCHBOARD_REDIS_URL: REDIS_URL,
        SWITCHBOARD_CLUSTER: cluster,
        // Hubs sharing one database share the key its token-signing key is wrapped with.
        SWITCHBOARD_TOKEN_WRAP_KEY: wrapKey,
      });
      const [, url] = await waitForOutput(run, /hub listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
      hubs.push({ run, url: url! });
    }
  }, 120_000);

  afterAll(async () => {
    for (const { run } of hubs) {
      run.child.kill('SIGTERM');
      await run.exited;
    }
    await storage?.dispose();
  });

  it('reports the Redis adapter in health on both hubs', async () => {
    for (const { url } of hubs) {
      expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ status: 'ok', adapter: { kind: 'redis-streams', ok: true }, db: { backend: 'postgres' } });
    }
  });

  const login = async (url: string, username = 'ana') =>
    ((await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) })).json()) as { token: string }).token;
  const me = (url: string, token: string) => fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });

  it('refuses a token on every hub as soon as it is signed out on one, though the others remembered it', async () => {
    const token = await login(hubs[0]!.url, 'ivan');
    expect((await me(hubs[1]!.url, token)).status).toBe(200);
    expect((await fetch(`${hubs[0]!.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
    expect((await me(hubs[1]!.url, token)).status).toBe(401);
    expect((await me(hubs[0]!.url, token)).status).toBe(401);
  });

  it('processes each reading on exactly one hub and pushes the case to consoles on the other', async () => {
    const received: Case[][] = [[], []];
    const sockets = await Promise.all(
      hubs.map(async ({ url }, i) => {
        const socket = connectSocket(url, await login(url));
        socket.on('case:upsert', (c: Case) => received[i]!.push(c));
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        return socket;
      }),
    );
    try {
      // Several independent devices, each tripping its rule once: with shared subscriptions they spread over both hubs.
      const devices = ['car-0002', 'car-0003', 'car-0004', 'car-0005', 'car-0006'];
      const t = Date.now();
      for (const device of devices) {
        await publish(MQTT_URL, `devices/${device}/telemetry`, [[reading(120, 'engine_temp', t), reading(121, 'engine_temp', t + 1), reading(122, 'engine_temp', t + 2)]]);
      }
      const deviceCases = (list: Case[]) => list.filter((c) => devices.includes(c.deviceId ?? '') && c.tags.includes('device-alert'));
      for (let i = 0; i < 200 && received.some((list) => deviceCases(list).length < devices.length); i++) await new Promise((r) => setTimeout(r, 50));
      // Both consoles saw every case, whichever hub opened it.
      for (const list of received) expect(deviceCases(list).map((c) => c.deviceId).sort()).toEqual(devices);

      const sam = await (await fetch(`${hubs[0]!.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"sam","password":"demo"}' })).json() as { token: string };
      const all = (await (await fetch(`${hubs[0]!.url}/api/cases?limit=500`, { headers: { authorization: `Bearer ${sam.token}` } })).json()) as { cases: Case[] };
      // Exactly one case per device, and every reading stored once: no hub processed a message the other had.
      expect(deviceCases(all.cases).map((c) => c.deviceId).sort()).toEqual(devices);
      const db = new pg.Client({ connectionString: storage.options.databaseUrl });
      await db.connect();
      try {
        const { rows } = await db.query<{ device_id: string; n: string }>(
          'SELECT device_id, count(*) AS n FROM telemetry WHERE device_id = ANY($1) GROUP BY device_id ORDER BY device_id',
          [devices],
        );
        expect(rows.map((r) => [r.device_id, Number(r.n)])).toEqual(devices.map((d) => [d, 3]));
      } finally {
        await db.end();
      }
    } finally {
      for (const socket of sockets) socket.close();
    }
  });
});
