/**
 * The channels the hub listens on: which are on (a channel without its
 * secret is off) and their webhook routes, all feeding one inbound pipeline.
 */
import type { FastifyInstance } from 'fastify';
import type { CallOffered } from '../../shared/protocol';
import { DEFAULT_MAIL_ADDRESSES, type HubOptions } from '../config';
import type { Db } from '../db/connect';
import type { InboundPipeline } from './pipeline';
import { type MetaChannelConfig, metaWebhookRoutes } from './meta/routes';
import { type VoiceChannelConfig, voiceWebhookRoutes } from './voice/routes';
import { type XChannelConfig, xWebhookRoutes } from './x/routes';
import type { EmailChannelConfig } from './email/server';

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
}

export interface ChannelConfigs {
  x: XChannelConfig | null;
  /** SMTP (email/): on unless no address is configured; its listener is started by the hub. */
  email: EmailChannelConfig | null;
  voice: VoiceChannelConfig | null;
  meta: MetaChannelConfig | null;
}

export type ChannelStates = Record<keyof ChannelConfigs, 'on' | 'off'>;

/** Each channel's configuration from the options; with `--demo`, a channel not configured uses the demo account. */
export function channelConfigs(opts: Pick<HubOptions, 'demo' | 'mailAddresses' | 'voiceAuthToken' | 'publicUrl' | 'xConsumerSecret' | 'xUserId' | 'metaAppSecret' | 'metaVerifyToken' | 'metaPageId'>): ChannelConfigs {
  const xSecret = opts.xConsumerSecret ?? (opts.demo ? DEMO_X.consumerSecret : undefined);
  const voiceToken = opts.voiceAuthToken ?? (opts.demo ? DEMO_VOICE.authToken : undefined);
  const metaDemo = opts.demo && !opts.metaAppSecret;
  return {
    x: xSecret ? { consumerSecret: xSecret, userId: opts.xUserId ?? (opts.demo && !opts.xConsumerSecret ? DEMO_X.userId : undefined) } : null,
    email: { addresses: opts.mailAddresses ?? DEFAULT_MAIL_ADDRESSES },
    voice: voiceToken ? { authToken: voiceToken, publicUrl: opts.publicUrl } : null,
    meta:
      opts.metaAppSecret || metaDemo
        ? {
            appSecret: opts.metaAppSecret ?? DEMO_META.appSecret,
            verifyToken: opts.metaVerifyToken ?? (metaDemo ? DEMO_META.verifyToken : undefined),
            pageId: opts.metaPageId ?? (metaDemo ? DEMO_META.pageId : undefined),
          }
        : null,
  };
}

export function channelStates(configs: ChannelConfigs): ChannelStates {
  return { x: configs.x ? 'on' : 'off', email: configs.email ? 'on' : 'off', voice: configs.voice ? 'on' : 'off', meta: configs.meta ? 'on' : 'off' };
}

/** Registers every channel's webhooks; call after the rate limiter is registered. */
export async function registerChannelRoutes(app: FastifyInstance, configs: ChannelConfigs, pipeline: InboundPipeline, deps: ChannelDeps): Promise<void> {
  await app.register(xWebhookRoutes, { config: configs.x, pipeline });
  await app.register(voiceWebhookRoutes, { config: configs.voice, db: deps.db, pipeline, offer: deps.offerCall });
  await app.register(metaWebhookRoutes, { config: configs.meta, pipeline });
}
