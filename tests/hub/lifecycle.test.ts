import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Aedes } from 'aedes';
import { PGlite } from '@electric-sql/pglite';
import { startHub } from '../../src/hub/hub';
import { migrations as hubMigrations } from '../../src/hub/db/migrations';
import { hashDeviceToken } from '../../src/hub/auth/device-tokens';
import { insertDevice } from '../../src/hub/repos/devices';
import { backends, startTestHub } from './backends';
import { type Case, CaseSchema, type Mention, MentionSchema } from '../../src/shared/domain';
import { casesFor, connectSocket, publish, reading, waitFor } from './helpers';

const pglite = backends.find((b) => b.name === 'pglite')!;
const MOSQUITTO_URL = process.env.SWITCHBOARD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

async function startBroker(port: number): Promise<{ port: number; close(): Promise<void> }> {
  const broker = await Aedes.createBroker();
  const server = createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function occupyPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe('hub lifecycle', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('fails clearly when an explicitly requested port is taken', async () => {
    const { server, port } = await occupyPort();
    cleanups.push(() => new Promise((r) => server.close(r)));
    const storage = await pglite.storage();
    cleanups.push(storage.dispose);
    await expect(startHub({ ...storage.options, port, mqttPort: 0, smtpPort: 0, logLevel: 'silent' })).rejects.toThrow(`port ${port} is already in use`);
  });

  it('falls back to a free port when a default port is taken', async () => {
    const { server, port } = await occupyPort();
    cleanups.push(() => new Promise((r) => server.close(r)));
    const storage = await pglite.storage();
    cleanups.push(storage.dispose);
    const hub = await startHub({ ...storage.options, port, mqttPort: port, explicitPorts: { http: false, mqtt: false }, logLevel: 'silent' });
    cleanups.push(hub.close);
    expect(hub.url).not.toContain(`:${port}`);
    expect(hub.mqttUrl).not.toContain(`:${port}`);
    expect((await fetch(`${hub.url}/health`)).status).toBe(200);
  });

  it.each(backends)('loads the demo once: a restart with --demo keeps the same data ($name)', async (backend) => {
    const storage = await backend.storage();
    cleanups.push(storage.dispose);
    const first = await startHub({ ...storage.options, port: 0, mqttPort: 0, smtpPort: 0, demo: true, logLevel: 'silent' });
    const login = async (url: string) =>
      ((await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"sam","password":"demo"}' })).json()) as { token: string }).token;
    const before = await fetch(`${first.url}/api/cases?limit=1`, { headers: { authorization: `Bearer ${await login(first.url)}` } }).then((r) => r.json() as Promise<{ total: number }>);
    await first.close();
    const second = await startHub({ ...storage.options, port: 0, mqttPort: 0, smtpPort: 0, demo: true, logLevel: 'silent' });
    cleanups.push(second.close);
    const after = await fetch(`${second.url}/api/cases?limit=1`, { headers: { authorization: `Bearer ${await login(second.url)}` } }).then((r) => r.json() as Promise<{ total: number }>);
    expect(before.total).toBe(200);
    expect(after.total).toBe(200);
  });

  it('refuses a database written by a newer hub', async () => {
    const storage = await pglite.storage();
    cleanups.push(storage.dispose);
    const hub = await startHub({ ...storage.options, port: 0, mqttPort: 0, smtpPort: 0, logLevel: 'silent' });
    await hub.close();
    const db = await PGlite.create(`${storage.options.dataDir}/pgdata`);
    await db.query(`INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')`);
    await db.close();
    await expect(startHub({ ...storage.options, port: 0, mqttPort: 0, smtpPort: 0, logLevel: 'silent' })).rejects.toThrow('newer than this hub knows');
  });

  it('migrates a Postgres database once even when two hubs start together', async () => {
    const storage = await backends.find((b) => b.name === 'postgres')!.storage();
    cleanups.push(storage.dispose);
    const hubs = await Promise.all([0, 1].map(() => startHub({ ...storage.options, port: 0, mqttPort: 0, smtpPort: 0, demo: true, logLevel: 'silent' })));
    for (const hub of hubs) cleanups.push(hub.close);
    const client = new pg.Client({ connectionString: storage.options.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM cases');
    const migrations = await client.query<{ n: string }>('SELECT count(*) AS n FROM schema_migrations');
    await client.end();
    expect(Number(rows[0]!.n)).toBe(200);
    expect(Number(migrations.rows[0]!.n)).toBe(hubMigrations.length);
  });

  it('ingests telemetry through an external MQTT broker (the running Mosquitto)', async () => {
    // Other hubs (parallel runs, a dev hub) share this broker: a device only this run knows keeps them apart.
    const deviceId = `ext-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const hub = await startTestHub(pglite, { mqttUrl: MOSQUITTO_URL }, async (db) => {
      await insertDevice(db, { id: deviceId, model: 'Volta EV 2026', serial: 'SN-EXT-1', ownerId: null, tokenHash: hashDeviceToken('unused') });
    });
    cleanups.push(hub.close);
    expect(hub.mqttUrl).toBe(MOSQUITTO_URL);
    expect(await (await hub.get('/health')).json()).toMatchObject({ mqtt: { connected: true } });
    const sam = await hub.login('sam');
    const t = Date.now();
    await publish(hub.mqttUrl, `devices/${deviceId}/telemetry`, [[reading(120, 'engine_temp', t), reading(121, 'engine_temp', t + 1), reading(122, 'engine_temp', t + 2)]]);
    const opened = await waitFor(async () => {
      const cases = (await casesFor(hub, sam)).filter((c) => c.deviceId === deviceId);
      return cases.length > 0 ? cases : undefined;
    });
    expect(opened).toHaveLength(1);
    expect(opened[0]!.subject).toBe(`${deviceId}: engine_temp above 110 (122) for 3 consecutive readings`);
  });
});

describe('external broker outage', () => {
  it('keeps running while its broker is down and ingests again once it is back', async () => {
    // A broker this test controls stands in for Mosquitto, so it can be stopped and restarted.
    const first = await startBroker(0);
    const hub = await startTestHub(pglite, { mqttUrl: `mqtt://127.0.0.1:${first.port}` });
    let second: Awaited<ReturnType<typeof startBroker>> | undefined;
    try {
      const sam = await hub.login('sam');
      await first.close();
      // Several reconnect attempts fail meanwhile; an unhandled client error would crash the process here.
      await new Promise((r) => setTimeout(r, 2500));
      const down = await hub.get('/health');
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ status: 'degraded', db: { ok: true }, mqtt: { connected: false } });
      second = await startBroker(first.port);
      await waitFor(async () => ((await hub.get('/health')).status === 200 ? true : undefined), 10_000);
      const t = Date.now();
      await publish(hub.mqttUrl, 'devices/car-0003/telemetry', [[reading(125, 'engine_temp', t), reading(126, 'engine_temp', t + 1), reading(127, 'engine_temp', t + 2)]]);
      const opened = await waitFor(async () => {
        const cases = (await casesFor(hub, sam)).filter((c) => c.deviceId === 'car-0003' && c.tags.includes('device-alert'));
        return cases.length > 0 ? cases : undefined;
      });
      expect(opened).toHaveLength(1);
    } finally {
      await hub.close();
      await second?.close();
    }
  });
});

describe('demo feed', () => {
  it('streams mentions, mail, social and device cases (never car-0001) through the real entrances to connected consoles', async () => {
    const hub = await startTestHub(pglite, { demoFeed: true, demoFeedIntervalMs: 100 });
    try {
      const socket = connectSocket(hub.url, await hub.login('sam'));
      const mentions: Mention[] = [];
      const cases: Case[] = [];
      socket.on('mention:new', (m: Mention) => mentions.push(m));
      socket.on('case:upsert', (c: Case) => cases.push(c));
      const devices = () => new Set(cases.filter((c) => c.channel === 'device').map((c) => c.deviceId));
      const channels = () => new Set(cases.map((c) => c.channel));
      // Two different devices: the feed moves on instead of hammering one that already has a case.
      await waitFor(async () => (mentions.length > 0 && devices().size >= 2 && channels().has('email') && channels().has('x') ? true : undefined), 30_000);
      socket.close();
      for (const mention of mentions) expect(MentionSchema.parse(mention)).toEqual(mention);
      expect(mentions[0]!.body.length).toBeGreaterThan(0);
      // Mentions came in as X webhooks or over the Mastodon and Bluesky streams: each is a post with the id its network would give it, in the Social queue.
      const networkIds = { x: /^\d+$/, mastodon: /^\d+$/, bluesky: /^at:\/\/did:plc:[a-z2-7]+\/app\.bsky\.feed\.post\/[a-z2-7]{13}$/ } as Record<string, RegExp>;
      expect(mentions.filter((m) => !networkIds[m.channel]?.test(m.externalId) || m.queueId === null)).toEqual([]);
      for (const c of cases) expect(CaseSchema.parse(c)).toMatchObject({ status: 'new' });
      expect(devices().has('car-0001')).toBe(false);
      // The mail arrived over SMTP: its message carries the Message-ID a mail server gave it.
      const mailCase = cases.find((c) => c.channel === 'email')!;
      const detail = (await (await hub.get(`/api/cases/${mailCase.id}`, await hub.login('sam'))).json()) as { messages: { externalId: string | null }[] };
      expect(detail.messages[0]!.externalId).toMatch(/^<.+@.+>$/);
    } finally {
      await hub.close();
    }
  });
});
