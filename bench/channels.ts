/**
 * The channels at load, against one demo hub in its own process (embedded
 * PGlite, as a small deployment runs it): signed X webhooks stored per second,
 * mail stored per second over SMTP, webhook → console `mention:new` latency,
 * and outbound X replies delivered per second to the provider simulator.
 *
 * Every webhook comes from this one address, and the hub allows an address
 * WEBHOOK_RATE_LIMIT (30,000 a minute, per route): the sections together stay
 * under it, and a 429 is counted and printed, never retried.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { io } from 'socket.io-client';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { WEBHOOK_RATE_LIMIT } from '../src/hub/channels/webhook';
import { DEMO_OUTBOUND, type ProviderSimulator, type ReceivedCall, startProviderSimulator } from '../src/hub/demo/provider-simulator';
import { SyncPullResponseSchema, type SyncChange } from '../src/shared/protocol';
import { runHub, waitForOutput } from '../tests/hub/processes';
import { newXUser, signX, tweet, X_BRAND, xActivity } from '../tests/hub/x-webhooks';
import { leanPoster, loginAs, poster } from './http';
import { cpuPerEvent, cpuTime } from './proc-cpu';
import { ms, report, summarize } from './stats';

/** Webhooks of section 1, one tweet each (X's usual delivery; the hardest case per event), and how many in flight. */
const INGEST_WEBHOOKS = 2_000;
/** Sent first, untimed: the hub's JIT and the database's WebAssembly tier-up are done by then. */
const INGEST_WARM_UP = 600;
const INGEST_IN_FLIGHT = 16;
const MAILS = 600;
const SMTP_CONNECTIONS = 5;
/** Mentions of section 3, one webhook each, sent at a steady rate. */
const LATENCY_MENTIONS = 150;
const LATENCY_RATE_PER_S = 50;
const REPLY_CASES = 200;
const REPLIES_PER_CASE = 5;
const TWEETS_PER_OPENING_WEBHOOK = 5;
const PUSH_BATCH = 500;

const TEXTS = [
  'my router keeps dropping the connection every evening, please help',
  'the technician never showed up today and nobody called me',
  'thank you so much, the new thermostat works perfectly',
  'роутер снова не работает, уже третий день без интернета',
  'tagihan bulan ini dua kali lipat, tolong dicek',
  'reikningurinn minn er rangur, getið þið athugað hann?',
  'is there an outage in the north district right now?',
  'how do I change the wifi password on the new box?',
];
const textOf = (i: number) => `@switchboard ${TEXTS[i % TEXTS.length]} (${i})`;

const WebhookAnswerSchema = z.object({ results: z.array(z.object({ externalId: z.string(), status: z.string() })) });
const MentionEventSchema = z.object({ externalId: z.string() });
const SentMessageSchema = z.object({ id: z.string(), caseId: z.string(), externalId: z.string().nullable(), delivery: z.object({ status: z.string() }).nullable() });

interface ChannelHub {
  url: string;
  /** Keep-alive connections for the webhooks, INGEST_IN_FLIGHT of them. */
  webhooks: WebhookClient;
  smtpUrl: string;
  /** The hub process, for its CPU time (proc-cpu.ts). */
  pid: number | undefined;
  output(): string;
  stop(): Promise<void>;
}

/** The demo hub in its own process, with its SMTP listener on a free port and X replies going to `sim`. */
async function startChannelHub(dataDir: string, sim: ProviderSimulator): Promise<ChannelHub> {
  const run = runHub(['--port', '0', '--mqtt-port', '0', '--smtp-port', '0', '--data-dir', dataDir, '--demo', '--log-level', 'warn'], {
    SWITCHBOARD_X_API_URL: sim.url,
    SWITCHBOARD_X_TOKEN: DEMO_OUTBOUND.xToken,
  });
  const url = (await waitForOutput(run, /hub listening on (http:\/\/\S+)/, 120_000))[1]!;
  const smtpUrl = (await waitForOutput(run, /smtp listening on (smtp:\/\/\S+)/))[1]!;
  const webhooks = leanPoster(url, INGEST_IN_FLIGHT);
  return {
    url,
    webhooks,
    smtpUrl,
    pid: run.child.pid,
    output: run.output,
    async stop() {
      webhooks.close();
      run.child.kill('SIGTERM');
      await run.exited;
    },
  };
}

/** One signed Account Activity webhook, built before the clock starts (X signs it, not the hub). */
function signedWebhook(tweets: object[]): { raw: string; signature: string } {
  const raw = JSON.stringify(xActivity({ tweets }));
  return { raw, signature: signX(raw) };
}

type WebhookOutcome = { status: number; results: z.infer<typeof WebhookAnswerSchema>['results'] };

type WebhookClient = ReturnType<typeof leanPoster>;

async function postWebhook(client: WebhookClient, webhook: { raw: string; signature: string }): Promise<WebhookOutcome> {
  const response = await client.post('/webhooks/x', webhook.raw, { 'content-type': 'application/json; charset=utf-8', 'x-twitter-webhooks-signature': webhook.signature });
  if (response.status === 429) return { status: 429, results: [] };
  if (response.status !== 200) throw new Error(`POST /webhooks/x: ${response.status} ${response.body}`);
  return { status: response.status, results: WebhookAnswerSchema.parse(JSON.parse(response.body)).results };
}

/** Every change `token` can pull past `cursor`, and the cursor after them. */
async function pullSince(hubUrl: string, token: string, cursor: number): Promise<{ changes: SyncChange[]; cursor: number }> {
  const post = poster(hubUrl);
  const changes: SyncChange[] = [];
  for (;;) {
    const response = await post('/api/sync/pull', { cursor, limit: 5000 }, token);
    if (!response.ok) throw new Error(`pull: ${response.status} ${await response.text()}`);
    const page = SyncPullResponseSchema.parse(await response.json());
    changes.push(...page.changes);
    cursor = page.cursor;
    if (!page.hasMore) return { changes, cursor };
  }
}

/** The hub's newest rev: where a pull of only what follows starts. */
async function headRev(hubUrl: string, token: string): Promise<number> {
  const response = await poster(hubUrl)('/api/sync/pull', { cursor: 0, limit: 1 }, token);
  const page = SyncPullResponseSchema.parse(await response.json());
  return page.head ?? (await pullSince(hubUrl, token, 0)).cursor;
}

const messagesIn = (changes: SyncChange[]) =>
  changes.filter((c) => c.entity === 'message' && c.op === 'upsert').map((c) => SentMessageSchema.parse(c.row));

const perSecond = (count: number, wallMs: number) => Math.round((count * 1000) / wallMs).toLocaleString('en-US');
const throttledNote = (throttled: number) => (throttled > 0 ? `; ${throttled} webhooks THROTTLED (429) by the ${WEBHOOK_RATE_LIMIT.max}/min limit` : '');

/** Posts `webhooks`, INGEST_IN_FLIGHT at a time: how many events were stored, and how many webhooks were throttled. */
async function postAll(hub: ChannelHub, webhooks: { raw: string; signature: string }[]): Promise<{ stored: number; throttled: number }> {
  let next = 0;
  let stored = 0;
  let throttled = 0;
  await Promise.all(
    Array.from({ length: INGEST_IN_FLIGHT }, async () => {
      while (next < webhooks.length) {
        const outcome = await postWebhook(hub.webhooks, webhooks[next++]!);
        if (outcome.status === 429) throttled++;
        stored += outcome.results.filter((r) => r.status !== 'duplicate').length;
      }
    }),
  );
  return { stored, throttled };
}

/**
 * 1. Signed webhooks, one tweet each, INGEST_IN_FLIGHT at a time: events stored per second of wall time, once
 * the hub is warm (a hub runs for days: its first seconds compile the code and the database's WebAssembly).
 */
async function benchWebhookIngest(hub: ChannelHub): Promise<void> {
  const make = (count: number, from: number) => Array.from({ length: count }, (_, i) => signedWebhook([tweet(newXUser('fan'), textOf(from + i), { lang: 'en' })]));
  const warm = await postAll(hub, make(INGEST_WARM_UP, 0));
  if (warm.stored !== INGEST_WARM_UP) throw new Error(`warm-up: ${warm.stored} of ${INGEST_WARM_UP} stored, ${warm.throttled} throttled`);
  const webhooks = make(INGEST_WEBHOOKS, INGEST_WARM_UP);
  const cpuBefore = await cpuTime(hub.pid);
  const start = performance.now();
  const { stored, throttled } = await postAll(hub, webhooks);
  const wall = performance.now() - start;
  const cpu = cpuPerEvent(cpuBefore, await cpuTime(hub.pid), stored);
  const rate = (stored * 1000) / wall;
  report(
    `X webhook ingest (${INGEST_WEBHOOKS} × 1 tweet, ${INGEST_IN_FLIGHT} in flight, after ${INGEST_WARM_UP})`,
    `${perSecond(stored, wall)} events/s (${stored} stored in ${ms(wall)}${throttledNote(throttled)}${cpu})`,
    { ok: rate >= 1000 && throttled === 0, text: '≥ 1,000 events/s' },
  );
}

/** 2. Mail over SMTP, pooled: the hub answers 250 only once the mail is committed (channels/email/server.ts), so the last 250 ends the clock. */
async function benchEmailIngest(hub: ChannelHub, token: string): Promise<void> {
  const smtp = new URL(hub.smtpUrl);
  const transport = nodemailer.createTransport({ pool: true, maxConnections: SMTP_CONNECTIONS, maxMessages: Infinity, host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true });
  const cursor = await headRev(hub.url, token);
  const run = `${Date.now().toString(36)}`;
  const mails = Array.from({ length: MAILS }, (_, i) => ({
    from: `Customer ${i} <customer-${run}-${i}@example.net>`,
    to: 'support@switchboard.test',
    subject: `Question ${i}: ${TEXTS[i % TEXTS.length]!.slice(0, 40)}`,
    text: `Hello,\n\n${TEXTS[i % TEXTS.length]}\n\nRegards,\nCustomer ${i}`,
    messageId: `<bench-${run}-${i}@example.net>`,
  }));
  try {
    const cpuBefore = await cpuTime(hub.pid);
    const start = performance.now();
    const answers = await Promise.all(mails.map((mail) => transport.sendMail(mail)));
    const wall = performance.now() - start;
    const cpu = cpuPerEvent(cpuBefore, await cpuTime(hub.pid), answers.length, 'mail');
    const accepted = answers.filter((a) => a.response.startsWith('250')).length;
    // Not timed: the pull confirms what the 250s promised.
    const ids = new Set(mails.map((m) => m.messageId));
    const stored = messagesIn((await pullSince(hub.url, token, cursor)).changes).filter((m) => m.externalId !== null && ids.has(m.externalId)).length;
    const rate = (accepted * 1000) / wall;
    report(
      `email ingest (${MAILS} mails, SMTP pool of ${SMTP_CONNECTIONS})`,
      `${perSecond(accepted, wall)} messages/s (${accepted} answered 250 in ${ms(wall)}; ${stored} in the pull${cpu})`,
      { ok: rate >= 200 && stored === MAILS, text: '≥ 200 messages/s' },
    );
  } finally {
    transport.close();
  }
}

/** 3. From just before each webhook's POST until `mention:new` reaches a supervisor's socket, at a steady rate. */
async function benchMentionLatency(hub: ChannelHub, token: string): Promise<void> {
  const socket = io(hub.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let allArrived = () => {};
  const arrived = new Promise<void>((resolve) => (allArrived = resolve));
  socket.on('mention:new', (payload: unknown) => {
    const at = performance.now();
    const mention = MentionEventSchema.safeParse(payload);
    const sent = mention.success ? sentAt.get(mention.data.externalId) : undefined;
    if (sent === undefined) return;
    latencies.push(at - sent);
    if (latencies.length === LATENCY_MENTIONS) allArrived();
  });
  try {
    // A mere mention (not a reply to the brand): the mentions inbox.
    const posts = Array.from({ length: LATENCY_MENTIONS }, (_, i) => tweet(newXUser('fan'), `loving my new thermostat from @switchboard (${i})`, { lang: 'en' }));
    const webhooks = posts.map((post) => signedWebhook([post]));
    let throttled = 0;
    const start = performance.now();
    const posting: Promise<void>[] = [];
    for (const [i, webhook] of webhooks.entries()) {
      const due = start + (i * 1000) / LATENCY_RATE_PER_S;
      if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
      sentAt.set(posts[i]!.id_str, performance.now());
      posting.push(postWebhook(hub.webhooks, webhook).then((o) => void (o.status === 429 && throttled++)));
    }
    await Promise.all(posting);
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`only ${latencies.length} of ${LATENCY_MENTIONS} mention:new arrived`)), 30_000).unref());
    if (throttled === 0) await Promise.race([arrived, timeout]);
    const { p50, p95, p99 } = summarize(latencies);
    report(
      `X webhook → console mention:new (${LATENCY_MENTIONS}, ${LATENCY_RATE_PER_S}/s)`,
      `p50 ${ms(p50)}, p95 ${ms(p95)}, p99 ${ms(p99)}${throttledNote(throttled)}`,
      { ok: p99 < 250 && throttled === 0, text: 'p99 < 250 ms' },
    );
  } finally {
    socket.close();
  }
}

/** 4. Replies spread over many X cases, pushed in batches: until the simulator has them all and the pull shows each sent. */
async function benchOutbound(hub: ChannelHub, token: string, sim: ProviderSimulator): Promise<void> {
  const post = poster(hub.url);
  const before = await headRev(hub.url, token);
  // Each case opened by a tweet addressed to the brand, from its own author.
  const openers = Array.from({ length: REPLY_CASES }, (_, i) => tweet(newXUser('asker'), textOf(i), { inReplyToUser: X_BRAND, lang: 'en' }));
  for (let i = 0; i < openers.length; i += TWEETS_PER_OPENING_WEBHOOK) {
    const outcome = await postWebhook(hub.webhooks, signedWebhook(openers.slice(i, i + TWEETS_PER_OPENING_WEBHOOK)));
    if (outcome.status === 429) throw new Error(`opening cases was throttled by the ${WEBHOOK_RATE_LIMIT.max}/min webhook limit`);
  }
  const openerIds = new Set(openers.map((t) => t.id_str));
  const caseIds = [...new Set(messagesIn((await pullSince(hub.url, token, before)).changes).filter((m) => m.externalId !== null && openerIds.has(m.externalId)).map((m) => m.caseId))];
  if (caseIds.length !== REPLY_CASES) throw new Error(`expected ${REPLY_CASES} X cases, the pull has ${caseIds.length}`);

  const mutations = caseIds.flatMap((caseId) =>
    Array.from({ length: REPLIES_PER_CASE }, (_, n) => ({
      id: uuidv7(),
      kind: 'message.send',
      entityId: caseId,
      baseVersion: 1,
      payload: { channel: 'x', body: `Thanks for reaching out, we are on it (${n + 1}/${REPLIES_PER_CASE})` },
      createdAt: new Date().toISOString(),
    })),
  );
  const replyIds = new Set(mutations.map((m) => m.id));
  // Counted as the simulator takes them: the hub is not polled while it sends.
  let received = 0;
  let allReceived = () => {};
  const receivedAll = new Promise<void>((resolve) => (allReceived = resolve));
  const onCall = (call: ReceivedCall) => {
    if (call.endpoint === 'POST /2/tweets' && ++received === replyIds.size) allReceived();
  };
  sim.events.on('call', onCall);
  let cursor = await headRev(hub.url, token);

  const start = performance.now();
  try {
    for (let i = 0; i < mutations.length; i += PUSH_BATCH) {
      const response = await post('/api/sync/push', { mutations: mutations.slice(i, i + PUSH_BATCH) }, token);
      if (!response.ok) throw new Error(`push: ${response.status} ${await response.text()}`);
      const { results } = z.object({ results: z.array(z.object({ status: z.string() })) }).parse(await response.json());
      const refused = results.filter((r) => r.status !== 'applied');
      if (refused.length > 0) throw new Error(`push: ${refused.length} not applied: ${JSON.stringify(refused[0])}`);
    }
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`after 60 s the simulator has ${received} of ${replyIds.size} replies`)), 60_000).unref());
    await Promise.race([receivedAll, timeout]);
  } finally {
    sim.events.off('call', onCall);
  }
  // The provider has them all; the hub records each attempt's end just after.
  const sent = new Set<string>();
  const failed = new Set<string>();
  for (const until = performance.now() + 30_000; sent.size + failed.size < replyIds.size; ) {
    if (performance.now() > until) throw new Error(`after 30 s the pull shows ${sent.size} sent and ${failed.size} failed of ${replyIds.size}`);
    const page = await pullSince(hub.url, token, cursor);
    cursor = page.cursor;
    for (const message of messagesIn(page.changes).filter((m) => replyIds.has(m.id))) {
      if (message.delivery?.status === 'sent') sent.add(message.id);
      if (message.delivery?.status === 'failed') failed.add(message.id);
    }
    if (sent.size + failed.size < replyIds.size) await new Promise((r) => setTimeout(r, 20));
  }
  const wall = performance.now() - start;
  report(
    `X replies → provider sim (${REPLY_CASES} cases × ${REPLIES_PER_CASE})`,
    `${perSecond(sent.size, wall)} replies/s (${sent.size} sent${failed.size > 0 ? `, ${failed.size} FAILED` : ''} in ${ms(wall)})`,
  );
}

export async function benchChannels(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-channels-'));
  const sim = await startProviderSimulator({ port: 0, smtpPort: 0 });
  let hub: ChannelHub | undefined;
  try {
    hub = await startChannelHub(join(dir, 'hub'), sim);
    const token = await loginAs(hub.url, 'sam');
    await benchWebhookIngest(hub);
    await benchEmailIngest(hub, token);
    await benchMentionLatency(hub, token);
    await benchOutbound(hub, token, sim);
  } catch (error) {
    if (hub) console.error(`hub output:\n${hub.output().slice(-4000)}`);
    throw error;
  } finally {
    await hub?.stop();
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}
