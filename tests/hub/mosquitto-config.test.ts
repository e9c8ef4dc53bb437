/**
 * The Mosquitto 2 set-up the README gives for an external broker, proved on
 * a real `mosquitto -c` with exactly that configuration (the listener and
 * the file paths filled in): nobody anonymous, devices publish their own
 * telemetry only, the hubs' user reads it through a shared subscription and
 * publishes nothing, no one reads `#` or `$SYS`, no retained messages, no
 * packet over 64 KiB. Mosquitto and mosquitto_passwd run on this machine.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDeviceToken } from '../../src/hub/demo/dataset';
import { HUB_MQTT_USERNAME } from '../../src/hub/devices/credentials';
import { MAX_PACKET_BYTES } from '../../src/hub/devices/packet-limit';
import type { Device } from '../../src/shared/domain';
import { backends, startTestHub } from './backends';
import { closed, publish, pullAll, reading, rowsOf, waitFor } from './helpers';

const run = promisify(execFile);

/** mosquitto.conf, as in the README. */
const mosquittoConf = (o: { port: number; passwordFile: string; aclFile: string }) => `\
listener ${o.port} 127.0.0.1
allow_anonymous false
password_file ${o.passwordFile}
acl_file ${o.aclFile}
max_packet_size ${MAX_PACKET_BYTES}
retain_available false
persistence false
`;

/** The ACL file, as in the README. */
const ACL = `\
pattern write devices/%u/telemetry

user ${HUB_MQTT_USERNAME}
topic read devices/+/telemetry
`;

// A colon, a slash, an at sign and a space: the URL must carry it percent-encoded, and the hub must decode it whole.
const HUB_PASSWORD = 'hub:secret/for@this test';
// Devices of the demo dataset, with their demo tokens, so a demo hub can ingest through this broker.
const DEVICES = ['car-0001', 'car-0002'];
const token = demoDeviceToken;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the documented Mosquitto configuration', () => {
  let dir: string;
  let broker: ChildProcess;
  let url: string;
  const clients: MqttClient[] = [];

  async function connect(auth: IClientOptions = {}): Promise<MqttClient> {
    const client = await mqtt.connectAsync(url, { clientId: `test-${Math.random().toString(16).slice(2, 12)}`, reconnectPeriod: 0, ...auth });
    clients.push(client);
    return client;
  }
  const device = (deviceId: string) => connect({ username: deviceId, password: token(deviceId) });
  const hubUser = () => connect({ username: HUB_MQTT_USERNAME, password: HUB_PASSWORD, protocolVersion: 5 });

  /** A hub's shared subscription (a group of its own, so earlier tests' hubs take no share), recording what it receives. */
  async function subscribeAsHub(): Promise<{ client: MqttClient; received: { topic: string; body: string; retain: boolean }[] }> {
    const client = await hubUser();
    const received: { topic: string; body: string; retain: boolean }[] = [];
    client.on('message', (topic, body, packet) => received.push({ topic, body: body.toString(), retain: packet.retain }));
    await client.subscribeAsync(`$share/hubs-${clients.length}/devices/+/telemetry`, { qos: 1 });
    return { client, received };
  }

  /** Waits (polling) until a message with `body` has arrived. */
  async function until(received: { body: string }[], body: string, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!received.some((m) => m.body === body)) {
      if (Date.now() > deadline) throw new Error(`"${body}" never arrived; got ${JSON.stringify(received)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-mosquitto-'));
    const passwordFile = join(dir, 'passwd');
    const aclFile = join(dir, 'acl');
    await run('mosquitto_passwd', ['-c', '-b', passwordFile, HUB_MQTT_USERNAME, HUB_PASSWORD]);
    for (const id of DEVICES) await run('mosquitto_passwd', ['-b', passwordFile, id, token(id)]);
    await writeFile(aclFile, ACL, { mode: 0o600 });
    const port = await freePort();
    const confFile = join(dir, 'mosquitto.conf');
    await writeFile(confFile, mosquittoConf({ port, passwordFile, aclFile }), { mode: 0o600 });
    // Started as root, Mosquitto drops to its own user: the files must be that user's, as on a real install.
    if (process.getuid?.() === 0) {
      const [uid, gid] = await Promise.all([run('id', ['-u', 'mosquitto']), run('id', ['-g', 'mosquitto'])]);
      for (const path of [dir, passwordFile, aclFile, confFile]) await chown(path, Number(uid.stdout), Number(gid.stdout));
    }
    broker = spawn('mosquitto', ['-c', confFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    broker.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    broker.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 10_000;
    while (!/mosquitto version \S+ running/.test(output)) {
      if (broker.exitCode !== null || Date.now() > deadline) throw new Error(`mosquitto did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    url = `mqtt://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    for (const client of clients) client.end(true);
    if (broker && broker.exitCode === null) {
      const exited = new Promise((resolve) => broker.once('exit', resolve));
      broker.kill('SIGTERM');
      await exited;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('refuses anonymous clients, wrong tokens and unknown devices', async () => {
    for (const auth of [{}, { username: 'car-0001', password: token('car-0002') }, { username: 'car-0009', password: token('car-0009') }]) {
      await expect(connect(auth)).rejects.toThrow(/Not authorized/);
    }
  });

  it('lets a device publish on its own topic only; the hubs’ user receives it through a shared subscription', async () => {
    const hub = await subscribeAsHub();
    const car = await device('car-0001');
    // MQTT 3.1.1 has no way to refuse one publish: Mosquitto acknowledges the forged one and drops it.
    await car.publishAsync('devices/car-0002/telemetry', 'forged', { qos: 1 });
    await car.publishAsync('devices/car-0001/telemetry', 'own', { qos: 1 });
    await until(hub.received, 'own');
    expect(hub.received).toEqual([{ topic: 'devices/car-0001/telemetry', body: 'own', retain: false }]);
  });

  it('delivers nothing to a device reading # or $SYS/#, and lets the hubs’ user publish nothing', async () => {
    const hub = await subscribeAsHub();
    const spy = await device('car-0002');
    const heard: string[] = [];
    spy.on('message', (topic) => heard.push(topic));
    // With acl_file, Mosquitto grants the SUBACK (only the dynamic-security plugin refuses it with 0x80) but checks each message's topic.
    await spy.subscribeAsync(['#', '$SYS/#'], { qos: 0 });
    await expect(hub.client.publishAsync('devices/car-0001/telemetry', 'from the hub', { qos: 1 })).rejects.toThrow(/Not authorized/);
    const car = await device('car-0001');
    await car.publishAsync('devices/car-0001/telemetry', 'sentinel', { qos: 1 });
    await until(hub.received, 'sentinel');
    // A round trip on the spy's own connection: anything sent to it before would have arrived first.
    await spy.unsubscribeAsync('#');
    expect(heard).toEqual([]);
    expect(hub.received.map((m) => m.body)).toEqual(['sentinel']);
  });

  it('disconnects a client that sends a retained message or a packet over 64 KiB', async () => {
    const retaining = await device('car-0001');
    const retainGone = closed(retaining);
    retaining.publish('devices/car-0001/telemetry', 'retained', { qos: 0, retain: true });
    await retainGone;
    const oversized = await device('car-0001');
    const bigGone = closed(oversized);
    oversized.publish('devices/car-0001/telemetry', Buffer.alloc(MAX_PACKET_BYTES, 'x'), { qos: 0 });
    await bigGone;
    // A hub subscribing afterwards is handed no retained message, only what is published after it.
    const hub = await subscribeAsHub();
    const car = await device('car-0001');
    await car.publishAsync('devices/car-0001/telemetry', 'sentinel', { qos: 1 });
    await until(hub.received, 'sentinel');
    expect(hub.received).toEqual([{ topic: 'devices/car-0001/telemetry', body: 'sentinel', retain: false }]);
  });

  it.each(backends)('serves a hub on $name signed in with the user and password of SWITCHBOARD_MQTT_URL', async (backend) => {
    const brokerUrl = (password: string) => `mqtt://${HUB_MQTT_USERNAME}:${encodeURIComponent(password)}@${new URL(url).host}`;
    await expect(startTestHub(backend, { mqttUrl: brokerUrl('wrong') })).rejects.toThrow(/Not authorized/);
    const hub = await startTestHub(backend, { mqttUrl: brokerUrl(HUB_PASSWORD) });
    try {
      const sam = await hub.login('sam');
      const { cursor } = await pullAll(hub, sam);
      const t = Date.now();
      await publish(url, 'devices/car-0002/telemetry', [reading(90, 'engine_temp', t)]);
      await waitFor(async () => {
        const car = rowsOf<Device>((await pullAll(hub, sam, cursor)).changes, 'device').findLast((d) => d.id === 'car-0002');
        return car?.lastTelemetryAt === new Date(t).toISOString() ? true : undefined;
      });
    } finally {
      await hub.close();
    }
    // Two demo hubs start here (the refused one loads its dataset first): on a loaded machine PGlite takes its time.
  }, 120_000);
});
