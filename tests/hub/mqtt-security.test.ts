/**
 * The embedded MQTT broker is closed: devices sign in with their id and
 * device token and may only publish their own telemetry, never retained; no
 * one reads `#` or `$SYS`; packets have a maximum size; each device has a
 * rate limit; readings dated in the future are refused; the ingest keeps no
 * lane for unknown devices. Real mqtt.js clients against a started hub (or,
 * where the test needs the hub's own credentials, its broker and subscriber
 * on a real database), on PGlite and on Postgres.
 */
import { and, count, eq } from 'drizzle-orm';
import mqtt, { ErrorWithSubackPacket, type IClientOptions, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateDevice, hashDeviceToken } from '../../src/hub/auth/device-tokens';
import { openDatabase, type Database } from '../../src/hub/db/connect';
import { telemetry } from '../../src/hub/db/schema';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../src/hub/devices/broker';
import { HUB_MQTT_USERNAME } from '../../src/hub/devices/credentials';
import { createCurrentRules } from '../../src/hub/automation/current-rules';
import { createTelemetryIngest, TelemetryError } from '../../src/hub/devices/ingest';
import { MAX_PACKET_BYTES } from '../../src/hub/devices/packet-limit';
import { DEVICE_MESSAGE_RATE } from '../../src/hub/devices/rate-limit';
import { subscribeTelemetry, type TelemetrySubscriber } from '../../src/hub/devices/subscriber';
import { countReadings, insertDevice } from '../../src/hub/repos/devices';
import { type Case, type Device, DeviceIdSchema } from '../../src/shared/domain';
import { backends, startTestHub, type TestHub } from './backends';
import { closed, deviceAuth, publish, pullAll, reading, rowsOf, waitFor } from './helpers';

const YEAR_9999 = Date.parse('9999-01-01T00:00:00Z');

function connect(url: string, auth: IClientOptions = {}): Promise<MqttClient> {
  return mqtt.connectAsync(url, { clientId: `test-${Math.random().toString(16).slice(2, 12)}`, reconnectPeriod: 0, ...auth });
}

/** The SUBACK's code for each filter (mqtt.js rejects a SUBACK holding any refusal, 0x80, and attaches it). */
async function subscribeCodes(client: MqttClient, filters: string[]): Promise<number[]> {
  try {
    return (await client.subscribeAsync(filters, { qos: 1 })).map((g) => g.qos);
  } catch (error) {
    if (error instanceof ErrorWithSubackPacket) return error.packet.granted as number[];
    throw error;
  }
}

describe.each(backends)('the embedded MQTT broker of a hub on $name', (backend) => {
  let hub: TestHub;
  let sam: string;
  let admin: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    hub = await startTestHub(backend, { logLevel: 'warn', logStream: { write: (line) => void logLines.push(line) } });
    [sam, admin] = await Promise.all([hub.login('sam'), hub.login('admin')]);
  });
  afterAll(() => hub?.close());

  /** Readings this hub has stored so far, from its own counter (both backends: a PGlite hub admits no second reader). */
  async function storedReadings(): Promise<number> {
    const text = await (await hub.get('/metrics', admin)).text();
    return Number(/^switchboard_telemetry_readings_total\{result="stored"\} (\d+)$/m.exec(text)?.[1] ?? 0);
  }

  /** Waits until the device's latest stored reading is the one dated `at`: the hub has stored it. */
  async function storedUpTo(cursor: number, deviceId: string, at: number): Promise<Device> {
    return waitFor(async () => {
      const device = rowsOf<Device>((await pullAll(hub, sam, cursor)).changes, 'device').findLast((d) => d.id === deviceId);
      return device?.lastTelemetryAt === new Date(at).toISOString() ? device : undefined;
    });
  }

  it('refuses anonymous clients, wrong tokens, unknown devices and a guess at the hub user', async () => {
    const refused = [
      {},
      { username: 'car-0001' },
      { username: 'car-0001', password: 'demo-token-car-0002' },
      { username: 'no-such-device', password: 'demo-token-no-such-device' },
      { username: HUB_MQTT_USERNAME, password: 'demo' },
    ];
    for (const auth of refused) await expect(connect(hub.mqttUrl, auth)).rejects.toThrow(/Not authorized/);
    // The hub's user name can never be a device's.
    expect(DeviceIdSchema.safeParse(HUB_MQTT_USERNAME).success).toBe(false);
    const device = await connect(hub.mqttUrl, deviceAuth('car-0001'));
    expect(device.connected).toBe(true);
    await device.endAsync();
  });

  it('disconnects a device publishing for another one: the forged readings are not stored and open nothing', async () => {
    const { cursor } = await pullAll(hub, sam);
    const before = await storedReadings();
    const t = Date.now();
    const forger = await connect(hub.mqttUrl, deviceAuth('car-0003'));
    const gone = closed(forger);
    forger.publish('devices/car-0004/telemetry', JSON.stringify([reading(130, 'engine_temp', t), reading(131, 'engine_temp', t + 1), reading(132, 'engine_temp', t + 2)]), { qos: 0 });
    await gone;
    // A sentinel on its own topic: once it is stored, anything sent before it was handled.
    await publish(hub.mqttUrl, 'devices/car-0003/telemetry', [reading(90, 'engine_temp', t + 10)]);
    await storedUpTo(cursor, 'car-0003', t + 10);
    expect(await storedReadings()).toBe(before + 1);
    const { changes } = await pullAll(hub, sam, cursor);
    expect(changes.map((c) => `${c.entity}:${c.id}`)).toEqual(['device:car-0003']);
    expect(rowsOf<Case>(changes, 'case')).toEqual([]);
  });

  it('grants a device no subscription: # and $SYS/# get 0x80 and deliver nothing', async () => {
    const { cursor } = await pullAll(hub, sam);
    const spy = await connect(hub.mqttUrl, deviceAuth('car-0005'));
    const heard: string[] = [];
    spy.on('message', (topic) => heard.push(topic));
    expect(await subscribeCodes(spy, ['#', '$SYS/#', 'devices/car-0005/telemetry'])).toEqual([0x80, 0x80, 0x80]);
    // Another device connecting (aedes announces it on $SYS) and publishing: a reader of # or $SYS/# would hear both.
    const t = Date.now();
    await publish(hub.mqttUrl, 'devices/car-0006/telemetry', [reading(90, 'engine_temp', t)]);
    await storedUpTo(cursor, 'car-0006', t);
    // A round trip on the spy's own connection: anything sent to it before would have arrived first.
    await subscribeCodes(spy, ['devices/car-0005/telemetry']);
    expect(heard).toEqual([]);
    await spy.endAsync();
  });

  it('disconnects a client sending a packet over the size limit and stores nothing of it', async () => {
    const { cursor } = await pullAll(hub, sam);
    const before = await storedReadings();
    const t = Date.now();
    // A valid batch (at most 1,000 readings) that is too large a packet.
    const batch = JSON.stringify(Array.from({ length: 1000 }, (_, i) => reading(21, 'room_temperature_in_the_living_room', t + i)));
    expect(batch.length).toBeGreaterThan(MAX_PACKET_BYTES);
    const device = await connect(hub.mqttUrl, deviceAuth('thermo-0001'));
    const gone = closed(device);
    device.publish('devices/thermo-0001/telemetry', batch, { qos: 0 });
    await gone;
    await publish(hub.mqttUrl, 'devices/thermo-0001/telemetry', [reading(21, 'room_temp', t + 5000)]);
    await storedUpTo(cursor, 'thermo-0001', t + 5000);
    expect(await storedReadings()).toBe(before + 1);
    expect(logLines.join('')).toMatch(/device \\"thermo-0001\\" sent a packet of \d+ bytes, over the 65536-byte limit; disconnected/);
  });

  it('refuses readings dated more than five minutes ahead, over HTTP and MQTT', async () => {
    const post = (deviceId: string, body: unknown) =>
      fetch(new URL(`/api/devices/${deviceId}/telemetry`, hub.url), {
        method: 'POST',
        headers: { authorization: `Bearer demo-token-${deviceId}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const future = await post('car-0002', reading(90, 'engine_temp', YEAR_9999));
    expect(future.status).toBe(400);
    expect(await future.json()).toMatchObject({ error: 'invalid_payload', message: expect.stringContaining('ts') });
    // Within the allowed clock skew: a device clock a minute fast is fine.
    expect((await post('car-0002', reading(90, 'engine_temp', Date.now() + 60_000))).status).toBe(202);

    const { cursor } = await pullAll(hub, sam);
    const before = await storedReadings();
    const t = Date.now();
    await publish(hub.mqttUrl, 'devices/thermo-0002/telemetry', [reading(21, 'room_temp', YEAR_9999), [reading(21, 'room_temp', t), reading(21, 'room_temp', YEAR_9999)]]);
    await publish(hub.mqttUrl, 'devices/thermo-0002/telemetry', [reading(21, 'room_temp', t + 1)]);
    await storedUpTo(cursor, 'thermo-0002', t + 1);
    expect(await storedReadings()).toBe(before + 1);
  });
});

describe.each(backends)('the embedded broker and the hub’s subscriber on $name', (backend) => {
  const logLines: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line) => void logLines.push(line) });
  let dispose: () => Promise<void>;
  let database: Database;
  let broker: EmbeddedBroker;
  let ingest: ReturnType<typeof createTelemetryIngest>;
  let subscriber: TelemetrySubscriber | undefined;

  beforeAll(async () => {
    const storage = await backend.storage();
    dispose = storage.dispose;
    database = await openDatabase(storage.options);
    for (const id of ['dev-a', 'dev-b', 'dev-c']) {
      await insertDevice(database.db, { id, model: 'Volta EV 2026', serial: `SN-${id}`, ownerId: null, tokenHash: hashDeviceToken(`token-${id}`) });
    }
    ingest = createTelemetryIngest(database.db, await createCurrentRules(database.db), () => undefined);
    broker = await startEmbeddedBroker({
      port: 0,
      host: '127.0.0.1',
      explicit: true,
      warn: () => undefined,
      authenticateDevice: async (deviceId, token) => (await authenticateDevice(database.db, deviceId, token)) !== null,
    });
    subscriber = await subscribeTelemetry(broker.url, ingest, log, undefined, broker.hubCredentials);
  });
  afterAll(async () => {
    await subscriber?.close();
    await broker?.close();
    await ingest?.drain();
    await database?.close();
    await dispose?.();
  });

  const device = (id: string) => connect(broker.url, { username: id, password: `token-${id}` });
  const readings = (id: string) => countReadings(database.db, id);
  const readingsOf = async (id: string, value: number) => {
    const [row] = await database.db.select({ n: count() }).from(telemetry).where(and(eq(telemetry.deviceId, id), eq(telemetry.value, value)));
    return Number(row?.n ?? 0);
  };

  it('lets the hub user read telemetry only (plain or shared) and publish nothing', async () => {
    await expect(connect(broker.url, { username: HUB_MQTT_USERNAME, password: 'guess' })).rejects.toThrow(/Not authorized/);
    const hubUser = await connect(broker.url, broker.hubCredentials);
    const filters = ['devices/+/telemetry', '$share/hubs/devices/+/telemetry', 'devices/dev-a/telemetry', '#', '$SYS/#'];
    expect(await subscribeCodes(hubUser, filters)).toEqual([1, 1, 0x80, 0x80, 0x80]);
    const gone = closed(hubUser);
    hubUser.publish('devices/dev-b/telemetry', JSON.stringify(reading(1)), { qos: 0 });
    await gone;
    const before = await readings('dev-b');
    const sender = await device('dev-b');
    await sender.publishAsync('devices/dev-b/telemetry', JSON.stringify(reading(2)), { qos: 1 });
    await sender.endAsync();
    await waitFor(async () => ((await readings('dev-b')) === before + 1 ? true : undefined));
  });

  it('refuses a device the client id of the hub’s session, which stays connected', async () => {
    const clientId = `hub-${Math.random().toString(16).slice(2, 10)}`;
    const hubUser = await connect(broker.url, { ...broker.hubCredentials, clientId });
    await expect(connect(broker.url, { username: 'dev-a', password: 'token-dev-a', clientId })).rejects.toThrow(/Identifier rejected/);
    // A round trip on the hub's connection: its session was not taken over.
    expect(await subscribeCodes(hubUser, ['devices/+/telemetry'])).toEqual([1]);
    await hubUser.endAsync();
  });

  it('does not keep a retained reading: a reconnecting hub subscriber is not handed it again', async () => {
    const t = Date.now();
    const sender = await device('dev-a');
    await sender.publishAsync('devices/dev-a/telemetry', JSON.stringify(reading(1, 'engine_temp', t)), { qos: 1, retain: true });
    await waitFor(async () => ((await readings('dev-a')) === 1 ? true : undefined));
    // The hub's subscriber goes and comes back, as after a broker blip.
    await subscriber!.close();
    subscriber = await subscribeTelemetry(broker.url, ingest, log, undefined, broker.hubCredentials);
    // A sentinel after it: once stored, a replayed retained reading would have been stored before it.
    await sender.publishAsync('devices/dev-a/telemetry', JSON.stringify(reading(2, 'engine_temp', t + 1)), { qos: 1 });
    await sender.endAsync();
    await waitFor(async () => ((await readings('dev-a')) >= 2 ? true : undefined));
    await ingest.drain();
    expect(await readings('dev-a')).toBe(2);
  });

  it('drops a device’s messages over its rate limit, and logs it with the device id', async () => {
    const flood = DEVICE_MESSAGE_RATE.burst + 100;
    const t = Date.now();
    const sender = await device('dev-c');
    for (let i = 0; i < flood; i++) await sender.publishAsync('devices/dev-c/telemetry', JSON.stringify(reading(1, 'engine_temp', t + i)), { qos: 1 });
    // Offer a sentinel (value 2) until one gets through the refilling bucket and is stored: the flood before it was handled then.
    let sentinel = 0;
    await waitFor(async () => {
      await sender.publishAsync('devices/dev-c/telemetry', JSON.stringify(reading(2, 'engine_temp', t + flood + sentinel++)), { qos: 1 });
      return (await readingsOf('dev-c', 2)) > 0 ? true : undefined;
    });
    const elapsedMs = Date.now() - t;
    await sender.endAsync();
    const stored = await readingsOf('dev-c', 1);
    // The burst passes, and what refilled meanwhile; the rest is dropped.
    expect(stored).toBeGreaterThanOrEqual(DEVICE_MESSAGE_RATE.burst);
    expect(stored).toBeLessThanOrEqual(DEVICE_MESSAGE_RATE.burst + Math.ceil((elapsedMs / 1000) * DEVICE_MESSAGE_RATE.perSecond));
    expect(stored).toBeLessThan(flood);
    expect(logLines.some((line) => line.includes('"deviceId":"dev-c"') && line.includes('over the device rate limit'))).toBe(true);
  });

  it('keeps no lane for unknown devices and drops a known device’s lane once it is idle', async () => {
    // An ingest of its own: the subscriber's may still be busy with the previous test's last messages.
    const ingest = createTelemetryIngest(database.db, await createCurrentRules(database.db), () => undefined);
    const t = Date.now();
    const runs = [
      ...Array.from({ length: 200 }, (_, i) => ingest.ingest(`ghost-${i}`, reading(1, 'engine_temp', t))),
      ...Array.from({ length: 5 }, (_, i) => ingest.ingest('dev-b', reading(90, 'engine_temp', t + i))),
    ];
    let most = ingest.busyDevices();
    let settled = false;
    const all = Promise.allSettled(runs).finally(() => (settled = true));
    while (!settled) {
      most = Math.max(most, ingest.busyDevices());
      await new Promise((resolve) => setImmediate(resolve));
    }
    const results = await all;
    // At most the one known device had a lane at any time, and none is left.
    expect(most).toBeLessThanOrEqual(1);
    expect(ingest.busyDevices()).toBe(0);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(refused).toHaveLength(200);
    expect(refused.every((e) => e instanceof TelemetryError && e.code === 'unknown_device')).toBe(true);
  });
});
