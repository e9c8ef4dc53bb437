/**
 * Exactly once across a crash: a hub process is killed (SIGKILL) while its
 * call to X is in flight and a second reply of the same case waits behind it.
 * The hub that starts next on the same storage delivers the waiting reply
 * once, and fails the interrupted one as "outcome unknown" (X takes no
 * idempotency key, so sending it again could post it twice) for the agent to
 * check and retry — which then sends it once.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/domain';
import type { SyncPushResponse } from '../../src/shared/protocol';
import { DEMO_OUTBOUND, demoOutboundOptions, type ProviderSimulator, startProviderSimulator } from '../../src/hub/demo/provider-simulator';
import { startHub, type RunningHub } from '../../src/hub/hub';
import { backends } from './backends';
import { pullAll, rowsOf, waitFor } from './helpers';
import { runHub, waitForOutput, type Run } from './processes';
import { newXUser, postX, tweet, X_BRAND, xActivity } from './x-webhooks';

/** An X API that takes requests and never answers them: the hub is killed while it waits. */
function startHangingApi(): Promise<{ server: Server; url: string; requests: IncomingMessage[]; waitForRequest(): Promise<IncomingMessage> }> {
  const requests: IncomingMessage[] = [];
  const waiters: ((r: IncomingMessage) => void)[] = [];
  const server = createServer((request) => {
    requests.push(request);
    for (const wake of waiters.splice(0)) wake(request);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        waitForRequest: () => (requests.length > 0 ? Promise.resolve(requests[0]!) : new Promise((wake) => waiters.push(wake))),
      }),
    ),
  );
}

describe.each(backends)('reply delivery across a crash on $name', (backend) => {
  let storage: Awaited<ReturnType<typeof backend.storage>>;
  let hanging: Awaited<ReturnType<typeof startHangingApi>>;
  let sim: ProviderSimulator;
  let run: Run | undefined;
  let hub: RunningHub | undefined;

  beforeAll(async () => {
    storage = await backend.storage();
    hanging = await startHangingApi();
    sim = await startProviderSimulator({ port: 0, smtpPort: 0 });
  });
  afterAll(async () => {
    run?.child.kill('SIGKILL');
    await hub?.close();
    hanging?.server.closeAllConnections();
    hanging?.server.close();
    await sim?.close();
    await storage?.dispose();
  });

  // Two hub processes started one after the other, and a crash between: minutes on a loaded two-core machine.
  it('delivers the waiting reply once after a restart, and fails the interrupted one as unknown until retried', async () => {
    const env: Record<string, string> = {
      SWITCHBOARD_HUB_PORT: '0',
      SWITCHBOARD_MQTT_PORT: '0',
      SWITCHBOARD_SMTP_PORT: '0',
      SWITCHBOARD_LOG_LEVEL: 'warn',
      SWITCHBOARD_X_API_URL: hanging.url,
      SWITCHBOARD_X_TOKEN: DEMO_OUTBOUND.xToken,
      SWITCHBOARD_DELIVERY_TIMEOUT_MS: '2000',
      ...(storage.options.dataDir ? { SWITCHBOARD_DATA_DIR: storage.options.dataDir } : {}),
      ...(storage.options.databaseUrl ? { SWITCHBOARD_DATABASE_URL: storage.options.databaseUrl } : {}),
    };
    run = runHub(['--demo'], env);
    const [, firstUrl] = await waitForOutput(run, /^hub listening on (http:\/\/127\.0\.0\.1:\d+)$/m, 60_000);
    const call = (url: string, path: string, body: unknown, token?: string) =>
      fetch(new URL(path, url), { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    const login = async (url: string) => ((await (await call(url, '/api/auth/login', { username: 'ana', password: 'demo' })).json()) as { token: string }).token;
    const messages = async (url: string, token: string) => rowsOf<Message>((await pullAll({ post: (path: string, body: unknown, t?: string) => call(url, path, body, t) } as never, token)).changes, 'message');

    const ana = await login(firstUrl!);
    const post = tweet(newXUser('kim'), '@switchboard the app crashes', { inReplyToUser: X_BRAND, inReplyToStatus: '1' });
    expect((await postX(firstUrl!, xActivity({ tweets: [post] }))).status).toBe(200);
    const inbound = await waitFor(async () => (await messages(firstUrl!, ana)).find((m) => m.externalId === post.id_str));
    const send = async (url: string, body: string) => {
      const mutation = { id: uuidv7(), kind: 'message.send', entityId: inbound.caseId, baseVersion: 1, payload: { channel: 'x', body }, createdAt: new Date().toISOString() };
      const answer = (await (await call(url, '/api/sync/push', { mutations: [mutation] }, ana)).json()) as SyncPushResponse;
      expect(answer.results[0]).toMatchObject({ status: 'applied' });
      return mutation.id;
    };

    const first = await send(firstUrl!, 'First answer');
    // The call is out: kill the hub before X answers, with the second reply queued behind the first.
    await hanging.waitForRequest();
    const second = await send(firstUrl!, 'Second answer');
    run.child.kill('SIGKILL');
    await run.exited;
    expect(hanging.requests).toHaveLength(1);

    hub = await startHub({ port: 0, mqttPort: 0, smtpPort: 0, demo: true, logLevel: 'silent', ...storage.options, ...demoOutboundOptions(sim), mastodonUrl: undefined, deliveryTimeoutMs: 2000, delivery: { pollMs: 100 } });
    const token = await login(hub.url);
    const settled = await waitFor(async () => {
      const rows = await messages(hub!.url, token);
      const [a, b] = [rows.find((m) => m.id === first), rows.find((m) => m.id === second)];
      return a?.delivery?.status === 'failed' && b?.delivery?.status === 'sent' ? { a, b } : undefined;
    }, 30_000);
    expect(settled.a.delivery!.reason).toMatch(/the hub stopped during an attempt: x may have taken the reply/);
    const tweets = () => sim.received().filter((c) => c.endpoint === 'POST /2/tweets').map((c) => (c.body as { text: string }).text);
    expect(tweets()).toEqual(['Second answer']);

    // The agent checked X and sends it again: once.
    const retry = { id: uuidv7(), kind: 'message.retry', entityId: first, baseVersion: 1, payload: {}, createdAt: new Date().toISOString() };
    expect(((await (await call(hub.url, '/api/sync/push', { mutations: [retry] }, token)).json()) as SyncPushResponse).results[0]).toMatchObject({ status: 'applied' });
    await waitFor(async () => ((await messages(hub!.url, token)).find((m) => m.id === first)?.delivery?.status === 'sent' ? true : undefined), 15_000);
    expect(tweets()).toEqual(['Second answer', 'First answer']);
  }, 180_000);
});
