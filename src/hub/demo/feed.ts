/**
 * Simulated live traffic for demos. Each tick either stores and publishes a
 * social mention, or sends a burst of telemetry over the real MQTT path from
 * a demo device (never car-0001, which is kept for the hands-on demo) that
 * trips its rule and so opens a case. Devices that already have an open rule
 * case get healthy readings instead, so the feed never stalls on them. Each
 * burst signs in as its device, with the demo device token, as a device would.
 */
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import texts from '../../../resources/demo/texts.json';
import type { Mention, TelemetryReading } from '../../shared/domain';
import type { Db } from '../db/connect';
import { splitMqttUrl } from '../devices/credentials';
import { telemetryTopic } from '../devices/topics';
import type { Publisher } from '../live/publish';
import { devicesWithOpenRuleCase, insertMention, listDeviceIds, listEnabledRules, type Rule } from '../repos/devices';
import { channelQueueId } from '../repos/inbound';
import { asciiName } from './ascii';
import { DEMO_DEVICE, DEMO_DEVICE_METRICS, demoDeviceToken } from './dataset';
import { seededRandom } from './random';

const LANGS = ['en', 'ru', 'id', 'is'] as const;

export interface DemoFeed {
  stop(): Promise<void>;
}

export function startDemoFeed(opts: { db: Db; mqttUrl: string; publish: Publisher; log: Logger; intervalMs: number }): DemoFeed {
  const rnd = seededRandom(Date.now() & 0xffff);
  // The URL may name the hub's own user (an external broker): the feed signs in as each device instead.
  const broker = splitMqttUrl(opts.mqttUrl).url;
  let tick = 0;
  let turn = 0;
  let running: Promise<void> | null = null;

  const timer = setInterval(() => {
    // A slow tick (busy database) is skipped, not stacked.
    if (running) return;
    tick++;
    running = (tick % 3 === 0 ? publishTelemetry() : publishMention())
      .catch((error: unknown) => opts.log.warn({ err: error }, 'demo feed tick failed'))
      .finally(() => {
        running = null;
      });
  }, opts.intervalMs);

  async function publishMention() {
    const language = rnd.pick(LANGS);
    const mention: Mention = {
      id: uuidv7(),
      channel: rnd.pick(['x', 'facebook'] as const),
      author: `@${asciiName(rnd.pick(texts.names[language]).split(' ')[0] ?? 'user') || 'user'}${rnd.int(1, 99)}`,
      body: rnd.pick(texts.mentions[language]),
      externalId: uuidv7(),
      language,
      at: new Date().toISOString(),
      status: 'new',
      customerId: null,
      url: null,
      inReplyTo: null,
    };
    if (await insertMention(opts.db, mention)) opts.publish.mention(mention, await channelQueueId(opts.db, mention.channel));
  }

  async function publishTelemetry() {
    const [deviceIds, rules, busy] = await Promise.all([listDeviceIds(opts.db), listEnabledRules(opts.db), devicesWithOpenRuleCase(opts.db)]);
    const candidates = deviceIds.flatMap((id) => {
      const metric = DEMO_DEVICE_METRICS[id.split('-')[0] ?? ''];
      const rule = metric && rules.find((r) => r.metric === metric.metric && (r.deviceId === null || r.deviceId === id));
      return id !== DEMO_DEVICE && metric && rule ? [{ id, rule, normal: metric.normal }] : [];
    });
    // Interleave the kinds (car-0002, router-0002, thermo-0002, car-0003 …) so the demo shows each sort of alert early.
    const serial = (id: string) => id.slice(id.lastIndexOf('-') + 1);
    candidates.sort((a, b) => serial(a.id).localeCompare(serial(b.id)) || a.id.localeCompare(b.id));
    if (candidates.length === 0) return;
    const fresh = candidates.filter((c) => !busy.has(c.id));
    const now = Date.now();
    if (fresh.length > 0) {
      const device = fresh[0]!;
      const readings = Array.from({ length: device.rule.consecutive }, (_, i) => hotReading(device.rule, now + i));
      await publishAs(device.id, readings);
    } else {
      const device = candidates[turn++ % candidates.length]!;
      const reading: TelemetryReading = { metric: device.rule.metric, value: device.normal, ts: new Date(now).toISOString() };
      await publishAs(device.id, reading);
    }
  }

  async function publishAs(deviceId: string, payload: TelemetryReading | TelemetryReading[]) {
    const clientId = `switchboard-demo-feed-${process.pid}-${uuidv7().slice(-8)}`;
    const client = await mqtt.connectAsync(broker, { clientId, username: deviceId, password: demoDeviceToken(deviceId), reconnectPeriod: 0 });
    try {
      await client.publishAsync(telemetryTopic(deviceId), JSON.stringify(payload), { qos: 1 });
    } finally {
      await client.endAsync();
    }
  }

  function hotReading(rule: Rule, at: number): TelemetryReading {
    const margin = 1 + rnd.next() * Math.max(2, Math.abs(rule.threshold) * 0.1);
    const value = rule.operator === '>' ? rule.threshold + margin : rule.threshold - margin;
    return { metric: rule.metric, value: Math.round(value * 10) / 10, ts: new Date(at).toISOString() };
  }

  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
