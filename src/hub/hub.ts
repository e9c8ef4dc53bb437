/**
 * Starts a hub: storage, HTTP API, live sockets, MQTT ingest and, on request,
 * the demo dataset and feed. Everything it opens, close() shuts in reverse.
 */
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { mkdirSync } from 'node:fs';
import { openDatabase } from './db/connect';
import { claimDataDir } from './ops/data-lock';
import { createSessions, type SessionChange } from './auth/sessions';
import { createTokenService } from './auth/tokens';
import { wrapKeySource } from './auth/token-key';
import { listQueues } from './repos/queues';
import { loadActor } from './repos/users';
import { createCurrentRules } from './automation/current-rules';
import type { DeviceFired } from './automation/device-rules';
import { judgeSilence } from './automation/silence';
import { createTelemetryIngest } from './devices/ingest';
import { type RoutingLoop, startRouting } from './routing/loop';
import { startMaintenance } from './db/maintenance';
import { DEFAULT_RULES_PATH } from './rules';
import { startEmbeddedBroker } from './devices/broker';
import type { MqttCredentials } from './devices/credentials';
import { authenticateDevice } from './auth/device-tokens';
import { subscribeTelemetry } from './devices/subscriber';
import { registerRoutes } from './http/routes';
import { installErrorHandlers } from './http/errors';
import { createLiveServer, disconnectToken, disconnectUser, shareSessionChanges, syncQueueRoom, syncUserRooms } from './live/io';
import { createPublisher } from './live/publish';
import { broadcastQueueStats } from './live/queue-stats';
import { type SurgeWatch, watchSurges } from './live/surge';
import { type SlaWatch, watchSla } from './sla/watch';
import { slaSettingsSource } from './sla/policies';
import { createMetrics } from './ops/metrics';
import { createLogger } from './ops/logger';
import { redactCredentials } from './ops/redact';
import { countReadings } from './ops/counted-ingest';
import { trackPresence } from './live/presence';
import { watchCases } from './live/watchers';
import { attachRedisAdapter, type RedisAdapter } from './live/adapter';
import { listenWithFallback } from './net/listen';
import { loadDemo } from './demo/load';
import { startDemoFeed } from './demo/feed';
import { channelConfigs, channelStates, DEMO_X, registerChannelRoutes, startChannelStreams } from './channels/channels';
import { announceCallChange } from './channels/voice/answer';
import { channelSettingsSource, defaultChannelSettings } from './repos/channel-settings';
import type { ChannelSettings } from '../shared/channel-settings';
import { createInboundPipeline } from './channels/pipeline';
import { DEFAULT_HUB_PORT, DEFAULT_MQTT_PORT, DEFAULT_SMTP_PORT, type HubOptions } from './config';
import { createSmtpListener } from './channels/email/server';
import { createSenders } from './channels/senders';
import { startDemoProviders } from './demo/outbound';
import { type DeliveryWorker, startDeliveryWorker } from './delivery/worker';

export type { HubOptions } from './config';

/** How long close() lets in-flight HTTP requests finish before cutting connections. */
const CLOSE_GRACE_MS = 5_000;

export interface RunningHub {
  url: string;
  mqttUrl: string;
  /** The inbound SMTP listener (`smtp://host:port`); null when the email channel is off. */
  smtpUrl: string | null;
  /** Surge alerts: `check(now)` looks once now (tests use it instead of waiting for the interval). */
  surges: Pick<SurgeWatch, 'check'>;
  /** SLA warnings and breaches: `check(now)` looks once now (tests use it instead of waiting for the interval). */
  sla: Pick<SlaWatch, 'check'>;
  /** Push routing: `round(now)` runs one round now and publishes it (tests use it instead of waiting for the interval). */
  routing: Pick<RoutingLoop, 'round'>;
  close(): Promise<void>;
}

export async function startHub(opts: HubOptions): Promise<RunningHub> {
  const host = opts.host ?? '127.0.0.1';
  const log = createLogger(opts);
  const closers: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer().catch((error: unknown) => log.error({ err: error }, 'close failed'));
  };

  try {
    if (!opts.databaseUrl && opts.dataDir) {
      mkdirSync(opts.dataDir, { recursive: true });
      // Released last, after the database has closed.
      const releaseDataDir = claimDataDir(opts.dataDir);
      closers.push(async () => releaseDataDir());
    }
    const database = await openDatabase(opts, (message) => log.warn(message));
    closers.push(() => database.close());
    // Embedded PGlite has no autovacuum: the hub analyses and vacuums its tables by autovacuum's rules.
    const maintenance = startMaintenance(database, log.child({ component: 'maintenance' }));
    closers.push(() => maintenance.stop());
    const { db } = database;
    const tokens = await createTokenService(db, {
      wrapKey: wrapKeySource(opts, (message) => log.warn(message)),
      ttlSeconds: opts.tokenTtlSeconds,
      sessionMaxAgeSeconds: opts.sessionMaxAgeSeconds,
    });
    // Set once the hub knows whether it has peers (the Redis adapter below).
    let announce: ((change: SessionChange) => Promise<void>) | undefined;
    const sessions = createSessions(tokens, { loadActor: (userId) => loadActor(db, userId), announce: async (change) => announce?.(change) });
    if (opts.demo) await loadDemo(db, log);

    const app = Fastify({ loggerInstance: log.child({ component: 'http' }) as FastifyBaseLogger });
    installErrorHandlers(app);

    const io = createLiveServer(app.server, sessions);
    const stats = broadcastQueueStats(io, db, log.child({ component: 'queue-stats' }), { intervalMs: opts.queueStatsIntervalMs });
    const publish = createPublisher(io, () => stats.changed());
    // Push routing: offers to available agents, on a short clock and when work arrives.
    const routing = startRouting(db, publish, log.child({ component: 'routing' }), { intervalMs: opts.routingIntervalMs });
    closers.push(async () => routing.stop());
    const presence = trackPresence(io, db, publish, log.child({ component: 'presence' }));
    const watchers = watchCases(io, db, sessions, log.child({ component: 'watchers' }));
    const metrics = createMetrics({ sockets: () => io.engine.clientsCount });
    // The brand's rules, as stored; the demo's document or the rules file seeds them at first start.
    const rules = await createCurrentRules(db, {
      file: opts.rulesFile ?? (opts.demo ? DEFAULT_RULES_PATH : undefined),
      watch: opts.rulesFile !== undefined,
      onError: (message) => log.warn(message),
      onChange: (version) => log.info({ version }, 'rules applied'),
    });
    closers.push(async () => rules.close());
    const announceFired = (fired: DeviceFired) => {
      for (const touched of fired.cases) {
        if (touched.opened) {
          metrics.casesCreated.inc({ source: 'device' });
          routing.kick(touched.case.queueId);
        }
        if (touched.changed) publish.case(touched.case);
        for (const message of touched.messages) publish.message(message, touched.case);
        for (const alert of touched.alerts) publish.alert(alert, touched.case);
        log.info({ caseNumber: touched.case.number, deviceId: touched.case.deviceId, opened: touched.opened }, 'device rule fired');
      }
      for (const notice of fired.notices) publish.ruleNotice(notice);
    };
    const ingest = countReadings(createTelemetryIngest(db, rules, announceFired), metrics);
    const silence = judgeSilence(db, rules, announceFired, log.child({ component: 'silence' }), { intervalMs: opts.silenceIntervalMs });
    closers.push(() => silence.stop());
    // close() runs these in reverse: the database closes only after in-flight requests and telemetry have finished.
    closers.push(() => ingest.drain());
    // In-flight requests get a grace period; a connection still open after it (a console's socket
    // reconnecting into a closing server, a keep-alive connection a console keeps busy, a stuck upgrade)
    // is cut, so close() always ends.
    const withGrace = async (closing: () => Promise<void>) => {
      const grace = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
      try {
        await closing();
      } finally {
        clearTimeout(grace);
      }
    };
    closers.push(() => withGrace(() => app.close()));

    let mqttUrl = opts.mqttUrl;
    // The hub's own user on the embedded broker; an external broker's comes in its URL.
    let hubCredentials: MqttCredentials | undefined;
    if (!mqttUrl) {
      const broker = await startEmbeddedBroker({
        port: opts.mqttPort ?? DEFAULT_MQTT_PORT,
        host,
        explicit: opts.explicitPorts?.mqtt ?? opts.mqttPort !== undefined,
        warn: (message) => log.warn(message),
        authenticateDevice: async (deviceId, token) => (await authenticateDevice(db, deviceId, token)) !== null,
      });
      closers.push(() => broker.close());
      mqttUrl = broker.url;
      hubCredentials = broker.hubCredentials;
    }
    const cluster = opts.cluster ?? 'switchboard';
    let adapter: RedisAdapter | null = null;
    if (opts.redisUrl) {
      if (!opts.databaseUrl || !opts.mqttUrl) throw new Error('scale-out with Redis needs a shared Postgres (databaseUrl) and an external MQTT 5 broker (mqttUrl)');
      adapter = await attachRedisAdapter(io, opts.redisUrl, cluster, log.child({ component: 'redis' }));
      const attached = adapter;
      closers.push(() => attached.close());
      announce = shareSessionChanges(io, sessions, (message) => log.warn(message));
    }
    // Several hubs on one broker share the subscription: each reading is processed by exactly one of them.
    const subscriber = await subscribeTelemetry(mqttUrl, ingest, log.child({ component: 'mqtt' }), adapter ? cluster : undefined, hubCredentials);
    closers.push(() => subscriber.close());

    // With --demo, a local provider simulator plays every provider left unconfigured: the streams below connect to it.
    const demoProviders = opts.demo ? await startDemoProviders(opts, host) : null;
    if (demoProviders) {
      closers.push(() => demoProviders.close());
      const { url, smtpUrl, jetstreamUrl } = demoProviders.simulator;
      log.info({ url, smtp: smtpUrl, jetstream: jetstreamUrl }, 'demo providers: the local provider simulator');
    }
    const channels = channelConfigs(opts, demoProviders?.networks);
    // The admin's channel settings (handles, keywords, consent policy); until one is saved, what the options say.
    const channelSettings = {
      ...channelSettingsSource(
        db,
        defaultChannelSettings({
          blueskyHandle: channels.bluesky?.handle ?? opts.blueskyHandle,
          blueskyKeywords: channels.bluesky?.keywords ?? opts.blueskyKeywords,
          surgeKeywords: opts.surgeKeywords,
          demoXHandle: opts.demo && !opts.xConsumerSecret ? DEMO_X.handle : undefined,
        }),
      ),
      announce: (settings: ChannelSettings) => void io.emit('settings:changed', { channels: settings }),
    };
    const surges = watchSurges(io, db, log.child({ component: 'surge' }), {
      intervalMs: opts.surgeIntervalMs,
      windowMinutes: opts.surgeWindowMinutes,
      factor: opts.surgeFactor,
      minimum: opts.surgeMinimum,
      keywords: async () => (await channelSettings.current()).surgeKeywords,
      cooldownMinutes: opts.surgeCooldownMinutes,
    });
    closers.push(() => surges.stop());
    // Warnings before and breaches of SLA due times, to the assignee and those who oversee.
    const slaSettings = slaSettingsSource(db);
    const slaWatch = watchSla(io, db, slaSettings, log.child({ component: 'sla' }), { intervalMs: opts.slaIntervalMs, warnMinutes: opts.slaWarnMinutes });
    closers.push(() => slaWatch.stop());
    // Started once the routes are ready; a reply queued before only waits for the first poll.
    let deliveryWorker: DeliveryWorker | null = null;
    await registerRoutes(app, {
      db,
      tokens,
      sessions,
      ingest,
      publish,
      kickDeliveries: () => deliveryWorker?.kick(),
      disconnectToken: (jti) => disconnectToken(io, jti),
      disconnectUser: async (userId) => disconnectUser(io, userId),
      syncQueueRoom: (queueId, memberIds) => syncQueueRoom(io, queueId, memberIds),
      async syncUserRooms(userId) {
        const [actor, queues] = await Promise.all([loadActor(db, userId), listQueues(db)]);
        if (actor) syncUserRooms(io, actor, queues.map((q) => q.id));
      },
      channelSettings,
      rules,
      slaSettings,
      metrics,
      metricsToken: opts.metricsToken,
      health: async () => ({
        channels: channelStates(channels),
        db: { backend: database.kind, ok: await database.ping() },
        mqtt: { url: redactCredentials(mqttUrl), connected: subscriber.connected() },
        adapter: adapter ? { kind: 'redis-streams', ok: adapter.ready() } : { kind: 'in-memory', ok: true },
        sockets: io.engine.clientsCount,
      }),
    });
    // Social, email and phone webhooks: one pipeline for every channel (channels/).
    const inbound = createInboundPipeline(db, publish, { onCaseOpened: (opened) => {
        metrics.casesCreated.inc({ source: opened.channel });
        routing.kick(opened.queueId);
      }, rules });
    await registerChannelRoutes(app, channels, inbound, { db, offerCall: (offer) => publish.callOffered(offer), callChanged: (change) => announceCallChange(change, { publish, routing }) });
    // Mastodon's and Bluesky's streams: closed before the database (closers run in reverse).
    const streams = await startChannelStreams(channels, inbound, {
      db,
      log: log.child({ component: 'channels' }),
      blueskyKeywords: async () => (await channelSettings.current()).listeningKeywords,
    });
    closers.push(() => streams.close());
    await app.ready();
    deliveryWorker = startDeliveryWorker({
      db,
      senders: createSenders(demoProviders?.senderOptions ?? opts, log.child({ component: 'senders' })),
      publish: ({ message, caseRow }) => publish.message(message, caseRow),
      log: log.child({ component: 'delivery' }),
      timeoutMs: opts.deliveryTimeoutMs,
      ...opts.delivery,
    });
    const worker = deliveryWorker;
    // Stops before the database closes (closers run in reverse), after its attempts in flight end.
    closers.push(() => worker.stop());
    // io.close() also closes the HTTP server, which waits for every open connection: the same grace applies.
    closers.push(() => withGrace(() => new Promise<void>((resolve) => io.close(() => resolve()))));
    // Runs before the sockets close: their disconnects must not write to a database about to close.
    closers.push(() => presence.stop());
    closers.push(async () => watchers.stop());
    closers.push(() => stats.stop());
    const port = await listenWithFallback(app.server, {
      port: opts.port ?? DEFAULT_HUB_PORT,
      host,
      explicit: opts.explicitPorts?.http ?? opts.port !== undefined,
      label: 'hub',
      warn: (message) => log.warn(message),
    });

    let smtpUrl: string | null = null;
    if (channels.email) {
      const smtp = createSmtpListener(channels.email, inbound, log.child({ component: 'smtp' }));
      const smtpPort = await listenWithFallback(smtp.server, {
        port: opts.smtpPort ?? DEFAULT_SMTP_PORT,
        host,
        explicit: opts.explicitPorts?.smtp ?? opts.smtpPort !== undefined,
        label: 'smtp',
        warn: (message) => log.warn(message),
      });
      // Closed before the database: a mail being stored finishes first.
      closers.push(() => smtp.close());
      smtpUrl = `smtp://${host}:${smtpPort}`;
    }

    if (opts.demoFeed) {
      const feed = startDemoFeed({
        db,
        rules: () => rules.get(),
        mqttUrl,
        hubUrl: `http://${host}:${port}`,
        smtpUrl,
        channels,
        simulator: demoProviders?.simulator ?? null,
        log: log.child({ component: 'demo-feed' }),
        intervalMs: opts.demoFeedIntervalMs ?? 4000,
      });
      closers.push(() => feed.stop());
    }
    return { url: `http://${host}:${port}`, mqttUrl, smtpUrl, surges: { check: (now) => surges.check(now) }, sla: { check: (now) => slaWatch.check(now) }, routing: { round: (now) => routing.round(now) }, close };
  } catch (error) {
    await close();
    throw error;
  }
}
