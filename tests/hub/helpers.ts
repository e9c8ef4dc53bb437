import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { demoDeviceToken } from '../../src/hub/demo/dataset';
import { deviceOfTopic } from '../../src/hub/devices/topics';
import type { Case, Customer, Mention, Message, Queue, User } from '../../src/shared/domain';
import type { SyncChange, SyncPullResponse } from '../../src/shared/protocol';
import type { TestHub } from './backends';

export const reading = (value: number, metric = 'engine_temp', at = Date.now()) => ({ metric, value, ts: new Date(at).toISOString() });

/** How a demo device signs in to the broker: its id and its demo device token. */
export const deviceAuth = (deviceId: string) => ({ username: deviceId, password: demoDeviceToken(deviceId) });

/** Publishes each payload at QoS 1 as the device the topic names, signed in with its demo token. */
export async function publish(url: string, topic: string, payloads: (string | object)[]): Promise<void> {
  const deviceId = deviceOfTopic(topic);
  if (!deviceId) throw new Error(`${topic} is not a device telemetry topic`);
  const client = await mqtt.connectAsync(url, { clientId: `test-${Math.random().toString(16).slice(2)}`, reconnectPeriod: 0, ...deviceAuth(deviceId) });
  try {
    for (const payload of payloads) await client.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1 });
  } finally {
    await client.endAsync();
  }
}

/** Pages through sync pull and returns every change plus the final cursor. */
export async function pullAll(hub: TestHub, token: string, cursor = 0, limit = 250): Promise<{ changes: SyncChange[]; cursor: number; pages: number }> {
  const changes: SyncChange[] = [];
  let pages = 0;
  for (;;) {
    const response = await hub.post('/api/sync/pull', { cursor, limit }, token);
    if (response.status !== 200) throw new Error(`pull failed: ${response.status} ${await response.text()}`);
    const page = (await response.json()) as SyncPullResponse;
    pages++;
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor, pages };
  }
}

export const rowsOf = <T>(changes: SyncChange[], entity: SyncChange['entity']) =>
  changes.filter((c) => c.entity === entity && c.op === 'upsert').map((c) => c.row as T);

export async function casesFor(hub: TestHub, token: string): Promise<Case[]> {
  const response = await hub.get('/api/cases?limit=500', token);
  return ((await response.json()) as { cases: Case[] }).cases;
}

export async function me(hub: TestHub, token: string): Promise<{ user: User; queueIds: string[] }> {
  const response = await hub.get('/api/me', token);
  return (await response.json()) as { user: User; queueIds: string[] };
}

export function connectSocket(url: string, token: string | undefined): Socket {
  return io(url, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false, forceNew: true });
}

export function nextEvent<T>(socket: Socket, event: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves when the broker drops the client; rejects if it is still connected after `ms`. */
export const closed = (client: MqttClient, ms = 5000) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the broker kept the client connected for ${ms} ms`)), ms);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** The sockets a suite opens: `connect` resolves once the hub accepted one; `closeAll` in its afterAll. */
export function liveSockets() {
  const open: Socket[] = [];
  return {
    async connect(url: string, token: string): Promise<Socket> {
      const socket = connectSocket(url, token);
      open.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      return socket;
    },
    closeAll(): void {
      for (const socket of open.splice(0)) socket.close();
    },
  };
}

/** The messages, cases and customers a token can pull past `cursor`. */
export async function pulledSince(hub: TestHub, token: string, cursor: number) {
  const { changes } = await pullAll(hub, token, cursor);
  return { messages: rowsOf<Message>(changes, 'message'), cases: rowsOf<Case>(changes, 'case'), customers: rowsOf<Customer>(changes, 'customer') };
}

/** A webhook's answer: the pipeline's results, or an error. */
export interface WebhookAnswer {
  status: number;
  body: { results?: { externalId: string; status: string }[]; error?: string; message?: string };
}

/**
 * POSTs a JSON webhook as a provider would: `signature` 'sign' signs the exact bytes with `sign`,
 * a string is sent as it is, null sends none.
 */
export async function postSignedJson(
  url: string,
  path: string,
  header: string,
  sign: (raw: string) => string,
  body: unknown,
  signature: string | null | 'sign' = 'sign',
  contentType = 'application/json',
): Promise<WebhookAnswer> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': contentType };
  if (signature !== null) headers[header] = signature === 'sign' ? sign(raw) : signature;
  const response = await fetch(new URL(path, url), { method: 'POST', headers, body: raw });
  return { status: response.status, body: (await response.json()) as WebhookAnswer['body'] };
}

/** The status of each message a webhook carried. */
export const statuses = (answer: WebhookAnswer) => answer.body.results?.map((r) => r.status);

/**
 * What one channel brought in, as a supervisor pulls it past `since()`: each
 * message and mention in its latest version, and waits for a provider id to
 * arrive as either.
 */
export function channelInbox(source: () => { hub: TestHub; token: string; since: number }, channel: Message['channel']) {
  async function pulled() {
    const { hub, token, since } = source();
    const { changes } = await pullAll(hub, token, since);
    const latest = <T extends { id: string }>(rows: T[]) => [...new Map(rows.map((r) => [r.id, r])).values()];
    return {
      messages: latest(rowsOf<Message>(changes, 'message')).filter((m) => m.channel === channel),
      mentions: latest(rowsOf<Mention>(changes, 'mention')).filter((m) => m.channel === channel),
      cases: latest(rowsOf<Case>(changes, 'case')),
    };
  }
  /** How many messages and mentions one post became. */
  const copies = async (externalId: string) => {
    const { messages, mentions } = await pulled();
    return messages.filter((m) => m.externalId === externalId).length + mentions.filter((m) => m.externalId === externalId).length;
  };
  return {
    pulled,
    copies,
    arrived: (externalId: string) => waitFor(async () => ((await copies(externalId)) > 0 ? true : undefined), 15_000),
    messageOf: (externalId: string) => waitFor(async () => (await pulled()).messages.find((m) => m.externalId === externalId), 15_000),
    mentionOf: (externalId: string) => waitFor(async () => (await pulled()).mentions.find((m) => m.externalId === externalId), 15_000),
  };
}

/** The queues a user may see. */
export async function queuesOf(hub: TestHub, token: string): Promise<Queue[]> {
  return ((await (await hub.get('/api/queues', token)).json()) as { queues: Queue[] }).queues;
}

/** A demo queue by its name (Social, Support…). */
export async function queueNamed(hub: TestHub, token: string, name: string): Promise<Queue> {
  const queue = (await queuesOf(hub, token)).find((q) => q.name === name);
  if (!queue) throw new Error(`no queue named ${name}`);
  return queue;
}
