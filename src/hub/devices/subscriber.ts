/**
 * The hub's MQTT client: the same code for the embedded broker and an
 * external one. Each message is parsed and handed to the ingest; bad ones are
 * logged and dropped (MQTT has no reply channel), and so are a device's
 * messages over its rate limit (rate-limit.ts) — here, so that it holds
 * behind any broker.
 */
import mqtt from 'mqtt';
import type { Logger } from 'pino';
import { type MqttCredentials, splitMqttUrl } from './credentials';
import { TelemetryError, type TelemetryIngest } from './ingest';
import { redactCredentials } from '../ops/redact';
import { createRateLimiter } from './rate-limit';
import { deviceOfTopic, TELEMETRY_TOPIC } from './topics';

export interface TelemetrySubscriber {
  connected(): boolean;
  close(): Promise<void>;
}

/**
 * `shareGroup` set (several hubs on one external MQTT 5 broker): an MQTT v5
 * shared subscription, so the broker hands each message to exactly one hub.
 * The hub signs in with `credentials` (the embedded broker's hub user), else
 * with the user and password in `url` (an external broker's), if any.
 */
export async function subscribeTelemetry(url: string, ingest: TelemetryIngest, log: Logger, shareGroup?: string, credentials?: MqttCredentials): Promise<TelemetrySubscriber> {
  const clientId = `switchboard-hub-${process.pid}-${Math.random().toString(16).slice(2, 8)}`;
  const broker = splitMqttUrl(url);
  const signIn = { clientId, reconnectPeriod: 1000, ...(credentials ?? broker.credentials) };
  const options = shareGroup ? { ...signIn, protocolVersion: 5 as const } : signIn;
  const rateLimit = createRateLimiter();
  const client = await mqtt.connectAsync(broker.url, options).catch((error: unknown) => {
    throw new Error(`cannot reach the MQTT broker at ${redactCredentials(url)}: ${error instanceof Error ? error.message : String(error)}`);
  });
  // Once connected, a lost broker is retried every second; an unhandled 'error' event would crash the hub instead.
  client.on('error', (error) => (client.connected ? log.warn({ err: error }, 'mqtt client error') : log.debug({ err: error }, 'mqtt reconnect failed')));
  client.on('offline', () => log.warn({ url: redactCredentials(url) }, 'mqtt broker unreachable; retrying'));
  client.on('connect', () => log.info({ url: redactCredentials(url) }, 'mqtt connected'));
  client.on('message', (topic, body) => {
    const deviceId = deviceOfTopic(topic);
    if (!deviceId) return;
    const verdict = rateLimit.take(deviceId);
    if (!verdict.allowed) {
      if (verdict.firstDrop) log.warn({ deviceId }, 'telemetry over the device rate limit: dropping messages');
      return;
    }
    if (verdict.droppedBefore > 0) log.warn({ deviceId, dropped: verdict.droppedBefore }, 'telemetry back under the device rate limit after dropping messages');
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
  const topic = shareGroup ? `$share/${shareGroup}/${TELEMETRY_TOPIC}` : TELEMETRY_TOPIC;
  await client.subscribeAsync(topic, { qos: 1 }).catch(async (error: unknown) => {
    await client.endAsync(true);
    // SUBACK 0x80: the broker's ACL does not let the hub's user read telemetry. A hub that hears nothing must not start.
    throw new Error(`the MQTT broker refused the hub's subscription to ${topic}: ${error instanceof Error ? error.message : String(error)}`);
  });
  return {
    connected: () => client.connected,
    close: () => client.endAsync(),
  };
}
