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

/**
 * `shareGroup` set (several hubs on one external MQTT 5 broker): an MQTT v5
 * shared subscription, so the broker hands each message to exactly one hub.
 */
export async function subscribeTelemetry(url: string, ingest: TelemetryIngest, log: Logger, shareGroup?: string): Promise<TelemetrySubscriber> {
  const clientId = `switchboard-hub-${process.pid}-${Math.random().toString(16).slice(2, 8)}`;
  const options = shareGroup ? { clientId, reconnectPeriod: 1000, protocolVersion: 5 as const } : { clientId, reconnectPeriod: 1000 };
  const client = await mqtt.connectAsync(url, options).catch((error: unknown) => {
    throw new Error(`cannot reach the MQTT broker at ${url}: ${error instanceof Error ? error.message : String(error)}`);
  });
  // Once connected, a lost broker is retried every second; an unhandled 'error' event would crash the hub instead.
  client.on('error', (error) => (client.connected ? log.warn({ err: error }, 'mqtt client error') : log.debug({ err: error }, 'mqtt reconnect failed')));
  client.on('offline', () => log.warn({ url }, 'mqtt broker unreachable; retrying'));
  client.on('connect', () => log.info({ url }, 'mqtt connected'));
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
  await client.subscribeAsync(shareGroup ? `$share/${shareGroup}/${TELEMETRY_TOPIC}` : TELEMETRY_TOPIC, { qos: 1 });
  return {
    connected: () => client.connected,
    close: () => client.endAsync(),
  };
}
