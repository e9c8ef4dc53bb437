/**
 * The hub's MQTT client: the same code for the embedded broker and an
 * external one. Each message is parsed and handed to the ingest; bad ones are
 * logged and dropped (MQTT has no reply channel).
 */
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import { TelemetryError, type TelemetryIngest } from './ingest';

export const TELEMETRY_TOPIC = 'devices/+/telemetry';
const TOPIC_PATTERN = /^devices\/([^/]+)\/telemetry$/;

export interface TelemetrySubscriber {
  connected(): boolean;
  close(): Promise<void>;
}

export async function subscribeTelemetry(url: string, ingest: TelemetryIngest, log: Logger): Promise<TelemetrySubscriber> {
  const client = await mqtt.connectAsync(url, { clientId: `switchboard-hub-${process.pid}-${Math.random().toString(16).slice(2, 8)}`, reconnectPeriod: 1000 });
  client.on('message', (topic, body) => {
    const deviceId = TOPIC_PATTERN.exec(topic)?.[1];
    if (!deviceId) return;
    let payload: unknown;
    try {
      payload = JSON.parse(body.toString('utf8'));
    } catch {
      log.warn({ deviceId }, 'telemetry rejected: body is not JSON');
      return;
    }
    ingest.ingest(deviceId, payload).catch((error: unknown) => {
      if (error instanceof TelemetryError) log.warn({ deviceId, code: error.code, reason: error.message }, 'telemetry rejected');
      else log.error({ deviceId, err: error }, 'telemetry ingest failed');
    });
  });
  await client.subscribeAsync(TELEMETRY_TOPIC, { qos: 1 });
  return {
    connected: () => client.connected,
    close: () => client.endAsync(),
  };
}
