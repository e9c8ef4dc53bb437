import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Case, Device } from '../../src/shared/domain';
import { backends, startTestHub, type TestHub } from './backends';
import { casesFor, connectSocket, nextEvent, publish, pullAll, reading, rowsOf, waitFor } from './helpers';

const DEVICE_AUTH = (deviceId: string) => ({ authorization: `Bearer demo-token-${deviceId}`, 'content-type': 'application/json' });

async function postTelemetry(hub: TestHub, deviceId: string, body: unknown, token = `demo-token-${deviceId}`) {
  const response = await fetch(new URL(`/api/devices/${deviceId}/telemetry`, hub.url), {
    method: 'POST',
    headers: { ...DEVICE_AUTH(deviceId), authorization: `Bearer ${token}` },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const openDeviceCases = async (hub: TestHub, token: string, deviceId: string) =>
  (await casesFor(hub, token)).filter((c) => c.deviceId === deviceId && c.status === 'new');

describe.each(backends)('device telemetry on $name', (backend) => {
  let hub: TestHub;
  let ana: string;
  let sam: string;

  beforeAll(async () => {
    hub = await startTestHub(backend);
    [ana, sam] = await Promise.all([hub.login('ana'), hub.login('sam')]);
  });
  afterAll(() => hub?.close());

  it('opens exactly one case after three hot readings over MQTT and pushes it live to the Devices agent', async () => {
    const socket = connectSocket(hub.url, ana);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const upsert = nextEvent<Case>(socket, 'case:upsert');
    const alert = nextEvent<Alert>(socket, 'device:alert');
    const t = Date.now();
    await publish(hub.mqttUrl, 'devices/car-0001/telemetry', [reading(111, 'engine_temp', t), reading(109, 'engine_temp', t + 1)]);
    await publish(hub.mqttUrl, 'devices/car-0001/telemetry', [reading(112, 'engine_temp', t + 2), reading(113, 'engine_temp', t + 3)]);
    // The 109 broke the streak: two hot readings so far, so no case yet.
    await new Promise((r) => setTimeout(r, 300));
    expect(await openDeviceCases(hub, sam, 'car-0001')).toHaveLength(0);

    await publish(hub.mqttUrl, 'devices/car-0001/telemetry', [reading(115.2, 'engine_temp', t + 4)]);
    const [live, liveAlert] = await Promise.all([upsert, alert]);
    socket.close();
    expect(live).toMatchObject({ deviceId: 'car-0001', channel: 'device', status: 'new', priority: 'high' });
    expect(live.subject).toContain('engine_temp');
    expect(liveAlert).toMatchObject({ deviceId: 'car-0001', caseId: live.id, metric: 'engine_temp', value: 115.2 });
    const opened = await openDeviceCases(hub, ana, 'car-0001');
    expect(opened.map((c) => c.id)).toEqual([live.id]);

    // Still hot: the open case absorbs it instead of opening another.
    const more = await postTelemetry(hub, 'car-0001', [reading(116, 'engine_temp', t + 5), reading(117, 'engine_temp', t + 6), reading(118, 'engine_temp', t + 7)]);
    expect(more).toEqual({ status: 202, body: { stored: 3, casesOpened: [] } });
    expect(await openDeviceCases(hub, sam, 'car-0001')).toHaveLength(1);
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
  });

  it('drops malformed MQTT messages without storing anything', async () => {
    const { cursor } = await pullAll(hub, sam);
    await publish(hub.mqttUrl, 'devices/car-0006/telemetry', ['{not json', JSON.stringify({ metric: 'engine_temp', value: 'x', ts: 'now' }), JSON.stringify([])]);
    await publish(hub.mqttUrl, 'devices/unknown-device/telemetry', [reading(200)]);
    // A good reading afterwards, on the same connection path, marks that the bad ones were processed.
    await publish(hub.mqttUrl, 'devices/router-0001/telemetry', [reading(2, 'packet_loss')]);
    const changes = await waitFor(async () => {
      const { changes } = await pullAll(hub, sam, cursor);
      return changes.length > 0 ? changes : undefined;
    });
    expect(changes.map((c) => `${c.entity}:${c.id}`)).toEqual(['device:router-0001']);
    expect(rowsOf<Device>(changes, 'device')[0]!.health).toBe('ok');
  });
});
