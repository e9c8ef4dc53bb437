/**
 * The channels the hub listens on: which are on (a channel without its
 * secret is off) and their webhook routes, all feeding one inbound pipeline.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { CallOffered } from '../../shared/protocol';
import { DEFAULT_MAIL_ADDRESSES, type HubOptions } from '../config';
import type { Db } from '../db/connect';
import type { InboundPipeline } from './pipeline';
import { type MetaChannelConfig, metaWebhookRoutes } from './meta/routes';
import { type VoiceChannelConfig, voiceWebhookRoutes } from './voice/routes';
import type { CallChange } from './voice/calls';
import { type XChannelConfig, xWebhookRoutes } from './x/routes';
import type { EmailChannelConfig } from './email/server';
import { startImapMailbox } from './email/imap';
import { ImapUrlSchema } from './email/imap-url';
import type { MastodonChannelConfig } from './mastodon/api';
import { startMastodonStream } from './mastodon/stream';
import { type BlueskyChannelConfig, startBlueskyStream } from './bluesky/jetstream';

/** The brand's demo X account (ARCHITECTURE.md, "Channels"): `@switchboard`. */
export const DEMO_X = { userId: '2244994945', handle: '@switchboard', consumerSecret: 'demo-x-secret' } as const;

/** The brand's demo Facebook page (ARCHITECTURE.md, "Channels"). */
export const DEMO_META = { pageId: '100000000000001', appSecret: 'demo-meta-secret', verifyToken: 'demo-meta-verify' } as const;

/** The demo's Twilio auth token (ARCHITECTURE.md, "Channels"); the demo dataset says which queue answers its number. */
export const DEMO_VOICE = { authToken: 'demo-voice-token' } as const;

/** What the channels need of the hub besides the pipeline. */
export interface ChannelDeps {
  db: Db;
  /** Sends a ringing call to the agent it is offered to. */
  offerCall(offer: CallOffered): void;
  /** An agent answered a call, or a call someone was on ended (voice/answer.ts announceCallChange). */
  callChanged?(change: CallChange): void;
}

export interface ChannelConfigs {
  x: XChannelConfig | null;
  /** SMTP (email/): on unless no address is configured; its listener is started by the hub. */
  email: EmailChannelConfig | null;
  voice: VoiceChannelConfig | null;
  meta: MetaChannelConfig | null;
  /** The notification stream (mastodon/): on with the instance's URL and the brand's token. */
  mastodon: MastodonChannelConfig | null;
  /** Jetstream (bluesky/): on with its URL and something to look for (the brand's handle or keywords). */
  bluesky: BlueskyChannelConfig | null;
}

export type ChannelStates = Record<keyof ChannelConfigs, 'on' | 'off'>;

/** With `--demo`, the streams of the networks the local provider simulator plays (demo/outbound.ts). */
export interface DemoNetworks {
  mastodon: MastodonChannelConfig;
  bluesky: BlueskyChannelConfig;
}

/**
 * Each channel's configuration from the options; with `--demo`, a channel not
 * configured uses the demo account — for Mastodon (no token set) and Bluesky
 * (no Jetstream URL set), the simulated network in `demoNetworks`.
 */
export function channelConfigs(
  opts: Pick<
    HubOptions,
    | 'demo'
    | 'mailAddresses'
    | 'imapUrl'
    | 'imapPollMs'
    | 'voiceAuthToken'
    | 'publicUrl'
    | 'xConsumerSecret'
    | 'xUserId'
    | 'metaAppSecret'
    | 'metaVerifyToken'
    | 'metaPageId'
    | 'mastodonUrl'
    | 'mastodonToken'
    | 'blueskyJetstreamUrl'
    | 'blueskyHandle'
    | 'blueskyPdsUrl'
    | 'blueskyKeywords'
  >,
  demoNetworks?: DemoNetworks,
): ChannelConfigs {
  const demoMastodon = opts.demo && !opts.mastodonToken ? (demoNetworks?.mastodon ?? null) : null;
  const demoBluesky = opts.demo && !opts.blueskyJetstreamUrl ? (demoNetworks?.bluesky ?? null) : null;
  const xSecret = opts.xConsumerSecret ?? (opts.demo ? DEMO_X.consumerSecret : undefined);
  const voiceToken = opts.voiceAuthToken ?? (opts.demo ? DEMO_VOICE.authToken : undefined);
  const metaDemo = opts.demo && !opts.metaAppSecret;
  return {
    x: xSecret ? { consumerSecret: xSecret, userId: opts.xUserId ?? (opts.demo && !opts.xConsumerSecret ? DEMO_X.userId : undefined) } : null,
    email: { addresses: opts.mailAddresses ?? DEFAULT_MAIL_ADDRESSES, imap: opts.imapUrl ? { ...ImapUrlSchema.parse(opts.imapUrl), pollMs: opts.imapPollMs } : null },
    voice: voiceToken ? { authToken: voiceToken, publicUrl: opts.publicUrl } : null,
    meta:
      opts.metaAppSecret || metaDemo
        ? {
            appSecret: opts.metaAppSecret ?? DEMO_META.appSecret,
            verifyToken: opts.metaVerifyToken ?? (metaDemo ? DEMO_META.verifyToken : undefined),
            pageId: opts.metaPageId ?? (metaDemo ? DEMO_META.pageId : undefined),
          }
        : null,
    mastodon: opts.mastodonUrl && opts.mastodonToken ? { url: opts.mastodonUrl, token: opts.mastodonToken } : demoMastodon,
    bluesky:
      opts.blueskyJetstreamUrl && (opts.blueskyHandle || opts.blueskyKeywords?.length)
        ? { jetstreamUrl: opts.blueskyJetstreamUrl, handle: opts.blueskyHandle ?? null, pdsUrl: opts.blueskyPdsUrl ?? null, keywords: opts.blueskyKeywords ?? [] }
        : demoBluesky,
  };
}

export function channelStates(configs: ChannelConfigs): ChannelStates {
  const state = (config: unknown) => (config ? 'on' : 'off');
  return {
    x: state(configs.x),
    email: state(configs.email),
    voice: state(configs.voice),
    meta: state(configs.meta),
    mastodon: state(configs.mastodon),
    bluesky: state(configs.bluesky),
  };
}

/** Registers every channel's webhooks; call after the rate limiter is registered. */
export async function registerChannelRoutes(app: FastifyInstance, configs: ChannelConfigs, pipeline: InboundPipeline, deps: ChannelDeps): Promise<void> {
  await app.register(xWebhookRoutes, { config: configs.x, pipeline });
  await app.register(voiceWebhookRoutes, { config: configs.voice, db: deps.db, pipeline, offer: deps.offerCall, callChanged: deps.callChanged });
  await app.register(metaWebhookRoutes, { config: configs.meta, pipeline });
}

/**
 * Starts the streamed channels that are configured (Mastodon's notification
 * stream, Bluesky's Jetstream, an IMAP mailbox); each reconnects on its own until closed.
 * Close before the database: a message being stored commits first.
 */
export async function startChannelStreams(
  configs: ChannelConfigs,
  pipeline: InboundPipeline,
  deps: { db: Db; log: Logger; /** Bluesky's listening keywords as the admin set them (repos/channel-settings.ts). */ blueskyKeywords?: () => Promise<readonly string[]> },
): Promise<{ close(): Promise<void> }> {
  const streams = [
    ...(configs.mastodon ? [startMastodonStream(configs.mastodon, pipeline, { db: deps.db, log: deps.log.child({ channel: 'mastodon' }) })] : []),
    ...(configs.email?.imap ? [startImapMailbox(configs.email.imap, pipeline, { db: deps.db, log: deps.log.child({ channel: 'email', via: 'imap' }) })] : []),
    ...(configs.bluesky ? [startBlueskyStream(configs.bluesky, pipeline, { db: deps.db, log: deps.log.child({ channel: 'bluesky' }), keywords: deps.blueskyKeywords })] : []),
  ];
  return {
    async close() {
      await Promise.all(streams.map((stream) => stream.close()));
    },
  };
}
