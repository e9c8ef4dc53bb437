/**
 * `GET /webhooks/meta` (the subscription handshake) and `POST /webhooks/meta`
 * (page and Instagram events), in their own plugin: its content-type parser
 * keeps the raw bytes, which the signature covers, and parses JSON only once
 * they are verified. A channel without its app secret is off: 404.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sendError } from '../../http/errors';
import type { InboundPipeline } from '../pipeline';
import { channelOff, keepRawBodies, receiveSignedJson, WEBHOOK_BODY_LIMIT, WEBHOOK_RATE_LIMIT } from '../webhook';
import { MetaWebhookSchema, normaliseMetaWebhook } from './payload';
import { META_SIGNATURE_HEADER, sameSecret, verifyMetaSignature } from './signature';

export interface MetaChannelConfig {
  appSecret: string;
  /** The token the app's webhook settings send in the handshake; without it no subscription is confirmed. */
  verifyToken?: string;
  /** The brand's Facebook page id: page events for any other page are ignored. */
  pageId?: string;
}

const HandshakeQuery = z.object({
  'hub.mode': z.string().max(50),
  'hub.verify_token': z.string().max(500),
  'hub.challenge': z.string().min(1).max(500),
});

const off = (reply: Parameters<typeof channelOff>[0]) => channelOff(reply, 'Meta', 'SWITCHBOARD_META_APP_SECRET', '--meta-app-secret');

export async function metaWebhookRoutes(app: FastifyInstance, opts: { config: MetaChannelConfig | null; pipeline: InboundPipeline }): Promise<void> {
  const { config, pipeline } = opts;
  keepRawBodies(app);
  const rateLimit = WEBHOOK_RATE_LIMIT;

  app.get('/webhooks/meta', { config: { rateLimit } }, async (request, reply) => {
    if (!config) return off(reply);
    const query = HandshakeQuery.safeParse(request.query);
    if (!query.success) return sendError(reply, 400, 'invalid_request', z.prettifyError(query.error));
    if (query.data['hub.mode'] !== 'subscribe') return sendError(reply, 400, 'invalid_request', 'hub.mode must be "subscribe"');
    if (!config.verifyToken || !sameSecret(query.data['hub.verify_token'], config.verifyToken)) {
      request.log.info('meta webhook handshake refused: wrong verify token');
      return sendError(reply, 403, 'forbidden', 'hub.verify_token does not match SWITCHBOARD_META_VERIFY_TOKEN');
    }
    return reply.type('text/plain; charset=utf-8').send(query.data['hub.challenge']);
  });

  app.post('/webhooks/meta', { bodyLimit: WEBHOOK_BODY_LIMIT, config: { rateLimit } }, async (request, reply) => {
    if (!config) return off(reply);
    return receiveSignedJson(request, reply, {
      channel: 'meta',
      signatureHeader: META_SIGNATURE_HEADER,
      verify: (raw, signature) => verifyMetaSignature(config.appSecret, raw, signature),
      schema: MetaWebhookSchema,
      normalise: (webhook) => normaliseMetaWebhook(webhook, { pageId: config.pageId }),
      pipeline,
    });
  });
}
