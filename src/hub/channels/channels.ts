/**
 * The channels the hub listens on: which are on (a channel without its
 * secret is off) and their webhook routes, all feeding one inbound pipeline.
 */
import type { FastifyInstance } from 'fastify';
import type { HubOptions } from '../config';
import type { InboundPipeline } from './pipeline';
import { type XChannelConfig, xWebhookRoutes } from './x/routes';

/** The brand's demo X account (ARCHITECTURE.md, "Channels"): `@switchboard`. */
export const DEMO_X = { userId: '2244994945', handle: '@switchboard', consumerSecret: 'demo-x-secret' } as const;

export interface ChannelConfigs {
  x: XChannelConfig | null;
}

export type ChannelStates = Record<keyof ChannelConfigs, 'on' | 'off'>;

/** Each channel's configuration from the options; with `--demo`, a channel not configured uses the demo account. */
export function channelConfigs(opts: Pick<HubOptions, 'demo' | 'xConsumerSecret' | 'xUserId'>): ChannelConfigs {
  const xSecret = opts.xConsumerSecret ?? (opts.demo ? DEMO_X.consumerSecret : undefined);
  return {
    x: xSecret ? { consumerSecret: xSecret, userId: opts.xUserId ?? (opts.demo && !opts.xConsumerSecret ? DEMO_X.userId : undefined) } : null,
  };
}

export function channelStates(configs: ChannelConfigs): ChannelStates {
  return { x: configs.x ? 'on' : 'off' };
}

/** Registers every channel's webhooks; call after the rate limiter is registered. */
export async function registerChannelRoutes(app: FastifyInstance, configs: ChannelConfigs, pipeline: InboundPipeline): Promise<void> {
  await app.register(xWebhookRoutes, { config: configs.x, pipeline });
}
