/**
 * Simulated live traffic for demos: every tick either a social mention or a
 * burst of telemetry from a demo device (never car-0001, which is kept for
 * the hands-on demo) that trips its rule through the real MQTT path.
 */
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import texts from '../../../resources/demo/texts.json';
import type { Mention } from '../../shared/domain';
import type { Db } from '../db/connect';
import type { LiveServer } from '../live/io';
import { insertMention } from '../repos/devices';
import { seededRandom } from './random';

const FEED_DEVICES = [
  { id: 'car-0002', metric: 'engine_temp', hot: () => 111 + Math.random() * 8 },
  { id: 'thermo-0001', metric: 'room_temp', hot: () => 1 + Math.random() * 3 },
  { id: 'router-0002', metric: 'packet_loss', hot: () => 25 + Math.random() * 20 },
];
const LANGS = ['en', 'ru', 'id', 'is'] as const;

export function startDemoFeed(opts: { db: Db; mqttUrl: string; io: LiveServer; log: Logger; intervalMs: number }): { stop(): Promise<void> } {
  const rnd = seededRandom(Date.now() & 0xffff);
  const client = mqtt.connect(opts.mqttUrl, { clientId: `switchboard-demo-feed-${process.pid}` });
  let tick = 0;
  const timer = setInterval(() => {
    tick++;
    const work = tick % 3 === 0 ? publishTelemetry() : publishMention();
    work.catch((error: unknown) => opts.log.warn({ err: error }, 'demo feed tick failed'));
  }, opts.intervalMs);

  async function publishMention() {
    const language = rnd.pick(LANGS);
    const mention: Mention = {
      id: uuidv7(),
      channel: rnd.pick(['x', 'facebook'] as const),
      author: `@${rnd.pick(texts.names[language]).split(' ')[0]!.toLowerCase()}${rnd.int(1, 99)}`,
      body: rnd.pick(texts.mentions[language]),
      externalId: uuidv7(),
      language,
      at: new Date().toISOString(),
    };
    await insertMention(opts.db, mention);
    opts.io.to(['role:supervisor', 'role:admin', 'role:agent']).emit('mention:new', mention);
  }

  async function publishTelemetry() {
    const device = rnd.pick(FEED_DEVICES);
    const readings = [0, 1, 2].map((i) => ({ metric: device.metric, value: Math.round(device.hot() * 10) / 10, ts: new Date(Date.now() + i).toISOString() }));
    await client.publishAsync(`devices/${device.id}/telemetry`, JSON.stringify(readings), { qos: 1 });
  }

  return {
    async stop() {
      clearInterval(timer);
      await client.endAsync();
    },
  };
}
