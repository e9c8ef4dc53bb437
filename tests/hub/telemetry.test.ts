import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Alert, type Case, CaseSchema, type Device, type Message } from '../../src/shared/domain';
import type { Db } from '../../src/hub/db/connect';
import { countAlerts, countReadings } from '../../src/hub/repos/devices';
import { backends, startTestHub, type TestHub, withDatabase } from './backends';
import { casesFor, connectSocket, publish, pullAll, reading, rowsOf, waitFor } from './helpers';

const DEVICE_AUTH = (deviceId: string) => ({ authorization: `Bearer demo-token-${deviceId}`, 'content-type': 'application/json' });

async function postTelemetry(hub: TestHub, deviceId: string, body: unknown, token = `demo-token-${deviceId}`) {
  const response = await fetch(new URL(`/api/devices/${deviceId}/telemetry`, hub.url), {
    method: 'POST',
    headers: { ...DEVICE_AUTH(deviceId), authorization: `Bearer ${token}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function carDevice(hub: TestHub, token: string, deviceId = 'car-0001'): Promise<Device> {
  const { changes } = await pullAll(hub, token);
  return rowsOf<Device>(changes, 'device').findLast((d) => d.id === deviceId)!;
}

/** Open cases a device rule opened (the demo data has older, human-made cases for some devices). */
const openDeviceCases = async (hub: TestHub, token: string, deviceId: string) =>
  (await casesFor(hub, token)).filter((c) => c.deviceId === deviceId && c.tags.includes('device-alert') && !['solved', 'closed'].includes(c.status));

describe.each(backends)('device telemetry on $name', (backend) => {
  let hub: TestHub;
  let ana: string;
  let sam: string;

  beforeAll(async () => {
    hub = await startTestHub(backend);
    [ana, sam] = await Promise.all([hub.login('ana'), hub.login('sam')]);
  });
  afterAll(() => hub?.close());

  /** Direct looks at the storage: only Postgres admits a second connection while the hub runs. */
  const inDatabase = async (fn: (db: Db) => Promise<void>) => {
    if (backend.name === 'postgres') await withDatabase(hub.storage, fn);
  };

  it('opens exactly one case after three hot readings over MQTT and pushes it live to the Devices agent', async () => {
    const socket = connectSocket(hub.url, ana);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const upserts: Case[] = [];
    const alerts: Alert[] = [];
    const messages: Message[] = [];
    socket.on('case:upsert', (c: Case) => upserts.push(c));
    socket.on('device:alert', (a: Alert) => alerts.push(a));
    socket.on('message:upsert', (m: Message) => messages.push(m));
    const t = Date.now();
    await publish(hub.mqttUrl, 'devices/car-0001/telemetry', [reading(111, 'engine_temp', t), reading(109, 'engine_temp', t + 1)]);
    await publish(hub.mqttUrl, 'devices/car-0001/telemetry', [reading(112, 'engine_temp', t + 2), reading(113, 'engine_temp', t + 3)]);
    // The 109 broke the streak: two hot readings so far, so no case yet.
    await waitFor(async () => ((await carDevice(hub, sam)).lastTelemetryAt === new Date(t + 3).toISOString() ? true : undefined));
    expect(await openDeviceCases(hub, sam, 'car-0001')).toHaveLength(0);
    expect(await carDevice(hub, sam)).toMatchObject({ health: 'warning' });

    await publish(hub.mqttUrl, 'devices/car-0001/telemetry', [reading(115.2, 'engine_temp', t + 4)]);
    await waitFor(async () => (upserts.length > 0 && alerts.length > 0 && messages.length > 0 ? true : undefined));
    const [live] = upserts;
    expect(CaseSchema.parse(live)).toEqual(live);
    expect(live).toMatchObject({
      subject: 'car-0001: engine_temp above 110 (115.2) for 3 consecutive readings',
      deviceId: 'car-0001',
      channel: 'device',
      status: 'new',
      priority: 'high',
    });
    // High priority: first response due in four hours.
    expect(Date.parse(live!.slaDueAt!) - Date.parse(live!.createdAt)).toBeCloseTo(4 * 3_600_000, -3);
    expect(alerts[0]).toMatchObject({ deviceId: 'car-0001', caseId: live!.id, metric: 'engine_temp', value: 115.2 });
    expect(messages[0]).toMatchObject({ caseId: live!.id, direction: 'in', channel: 'device' });
    // The message lists the three readings that tripped the rule.
    for (const value of ['112', '113', '115.2']) expect(messages[0]!.body).toContain(`engine_temp = ${value} at`);
    expect(messages[0]!.body).not.toContain('engine_temp = 111 at');
    const opened = await openDeviceCases(hub, ana, 'car-0001');
    expect(opened.map((c) => c.id)).toEqual([live!.id]);
    const detail = (await (await hub.get(`/api/cases/${live!.id}`, ana)).json()) as { customer: { id: string } | null; device: Device };
    expect(detail.customer?.id).toBe(live!.customerId);
    expect(detail.device).toMatchObject({ id: 'car-0001', health: 'critical' });

    // Still hot: the open case absorbs it instead of opening another.
    const more = await postTelemetry(hub, 'car-0001', [reading(116, 'engine_temp', t + 5), reading(117, 'engine_temp', t + 6), reading(118, 'engine_temp', t + 7)]);
    expect(more).toEqual({ status: 202, body: { stored: 3, casesOpened: [] } });
    await publish(hub.mqttUrl, 'devices/car-0001/telemetry', [reading(119, 'engine_temp', t + 8)]);
    await waitFor(async () => ((await carDevice(hub, sam)).lastTelemetryAt === new Date(t + 8).toISOString() ? true : undefined));
    expect(await openDeviceCases(hub, sam, 'car-0001')).toHaveLength(1);
    socket.close();
    expect(upserts).toHaveLength(1);
    expect(alerts).toHaveLength(1);
    await inDatabase(async (db) => {
      expect(await countAlerts(db, 'car-0001')).toBe(1);
      expect(await countReadings(db, 'car-0001')).toBe(9);
    });
  });

  it('opens one case, not two, when hot readings race in over MQTT and HTTP at once', async () => {
    const t = Date.now();
    const hot = (i: number) => reading(130 + i, 'engine_temp', t + i);
    await Promise.all([
      ...[0, 1, 2].map((i) => publish(hub.mqttUrl, 'devices/car-0002/telemetry', [hot(i)])),
      ...[3, 4, 5].map((i) => postTelemetry(hub, 'car-0002', hot(i))),
    ]);
    await waitFor(async () => ((await openDeviceCases(hub, sam, 'car-0002')).length > 0 ? true : undefined));
    await waitFor(async () => ((await carDevice(hub, sam, 'car-0002')).lastTelemetryAt ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(await openDeviceCases(hub, sam, 'car-0002')).toHaveLength(1);
  });

  it('accepts HTTP telemetry only with the device’s own token', async () => {
    expect((await postTelemetry(hub, 'car-0003', reading(90), 'demo-token-car-0004')).status).toBe(401);
    expect((await postTelemetry(hub, 'car-0003', reading(90), '')).status).toBe(401);
    expect((await postTelemetry(hub, 'no-such-device', reading(90))).status).toBe(401);
    expect(await postTelemetry(hub, 'car-0003', reading(90))).toEqual({ status: 202, body: { stored: 1, casesOpened: [] } });
  });

  it.each([
    ['a string value', { metric: 'engine_temp', value: 'hot', ts: new Date().toISOString() }, 'value'],
    ['a missing timestamp', { metric: 'engine_temp', value: 120 }, 'ts'],
    ['a bad metric name', { metric: 'Engine Temp!', value: 120, ts: new Date().toISOString() }, 'metric'],
    ['an empty batch', [], 'expected array to have >=1'],
    ['a batch with one bad reading', [reading(120), { metric: 'engine_temp', value: null, ts: 'yesterday' }], 'value'],
  ])('rejects %s with a clear 400 and stores nothing', async (_label, payload, mentions) => {
    const { cursor } = await pullAll(hub, sam);
    const answer = await postTelemetry(hub, 'car-0005', payload);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_payload');
    expect(String(answer.body.message)).toContain(mentions);
    expect((await pullAll(hub, sam, cursor)).changes).toHaveLength(0);
    await inDatabase(async (db) => expect(await countReadings(db, 'car-0005')).toBe(0));
  });

  it('rejects a body that is not JSON, an oversized batch and a malformed device id, storing nothing', async () => {
    const { cursor } = await pullAll(hub, sam);
    const notJson = await fetch(new URL('/api/devices/car-0005/telemetry', hub.url), {
      method: 'POST',
      headers: DEVICE_AUTH('car-0005'),
      body: '{"metric":"engine_temp","value":1',
    });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: 'invalid_request', message: expect.stringMatching(/JSON/) });
    const t = Date.now();
    const tooMany = await postTelemetry(hub, 'car-0005', Array.from({ length: 1001 }, (_, i) => reading(90, 'engine_temp', t + i)));
    expect(tooMany).toMatchObject({ status: 400, body: { error: 'invalid_payload', message: expect.stringContaining('1000') } });
    const badId = await postTelemetry(hub, 'car 0005', reading(90));
    expect(badId).toMatchObject({ status: 400, body: { error: 'invalid_request', message: expect.stringContaining('device id') } });
    expect((await pullAll(hub, sam, cursor)).changes).toHaveLength(0);
    await inDatabase(async (db) => expect(await countReadings(db, 'car-0005')).toBe(0));
  });

  it('drops malformed MQTT messages without storing anything', async () => {
    const { cursor } = await pullAll(hub, sam);
    await publish(hub.mqttUrl, 'devices/car-0006/telemetry', ['{not json', JSON.stringify({ metric: 'engine_temp', value: 'x', ts: 'now' }), JSON.stringify([])]);
    // A good reading afterwards, on the same connection path, marks that the bad ones were processed.
    await publish(hub.mqttUrl, 'devices/router-0001/telemetry', [reading(2, 'packet_loss')]);
    const changes = await waitFor(async () => {
      const { changes } = await pullAll(hub, sam, cursor);
      return changes.length > 0 ? changes : undefined;
    });
    expect(changes.map((c) => `${c.entity}:${c.id}`)).toEqual(['device:router-0001']);
    expect(rowsOf<Device>(changes, 'device')[0]!.health).toBe('ok');
    await inDatabase(async (db) => {
      expect(await countReadings(db, 'car-0006')).toBe(0);
      expect(await countReadings(db, 'router-0001')).toBe(1);
    });
  });
});
