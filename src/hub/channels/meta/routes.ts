/**
 * `GET /webhooks/meta` (the subscription handshake) and `POST /webhooks/meta`
 * (page and Instagram events), in their own plugin: its content-type parser
 * keeps the raw bytes, which the signature covers, and parses JSON only once
 * they are verified. A channel without its app secret is off: 404.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { sendError } from '../../http/errors';
import { InboundMessageSchema } from '../inbound';
import { InboundError, type InboundPipeline } from '../pipeline';
import { MetaPayloadError, MetaWebhookSchema, normaliseMetaWebhook } from './payload';
import { META_SIGNATURE_HEADER, sameSecret, verifyMetaSignature } from './signature';

export interface MetaChannelConfig {
  appSecret: string;
  /** The token the app's webhook settings send in the handshake; without it no subscription is confirmed. */
  verifyToken?: string;
  /** The brand's Facebook page id: page events for any other page are ignored. */
  pageId?: string;
}

/** Meta's batches are small; one far larger than any it sends is refused before it is read. */
export const META_BODY_LIMIT = 1024 * 1024;

const HandshakeQuery = z.object({
  'hub.mode': z.string().max(50),
  'hub.verify_token': z.string().max(500),
  'hub.challenge': z.string().min(1).max(500),
});

const channelOff = (reply: FastifyReply) =>
  sendError(reply, 404, 'channel_off', 'the Meta channel is off: set SWITCHBOARD_META_APP_SECRET (or --meta-app-secret) to turn it on');

export async function metaWebhookRoutes(app: FastifyInstance, opts: { config: MetaChannelConfig | null; pipeline: InboundPipeline }): Promise<void> {
  const { config, pipeline } = opts;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: META_BODY_LIMIT }, (_request, body, done) => done(null, body));
  const rateLimit = { max: 1200, timeWindow: '1 minute' };

  app.get('/webhooks/meta', { config: { rateLimit } }, async (request, reply) => {
    if (!config) return channelOff(reply);
    const query = HandshakeQuery.safeParse(request.query);
    if (!query.success) return sendError(reply, 400, 'invalid_request', z.prettifyError(query.error));
    if (query.data['hub.mode'] !== 'subscribe') return sendError(reply, 400, 'invalid_request', 'hub.mode must be "subscribe"');
    if (!config.verifyToken || !sameSecret(query.data['hub.verify_token'], config.verifyToken)) {
      request.log.info('meta webhook handshake refused: wrong verify token');
      return sendError(reply, 403, 'forbidden', 'hub.verify_token does not match SWITCHBOARD_META_VERIFY_TOKEN');
    }
    return reply.type('text/plain; charset=utf-8').send(query.data['hub.challenge']);
  });

  app.post('/webhooks/meta', { bodyLimit: META_BODY_LIMIT, config: { rateLimit } }, async (request, reply) => {
    if (!config) return channelOff(reply);
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const header = request.headers[META_SIGNATURE_HEADER];
    if (!verifyMetaSignature(config.appSecret, raw, typeof header === 'string' ? header : undefined)) {
      request.log.info('meta webhook refused: bad or missing signature');
      return sendError(reply, 401, 'unauthorized', `a valid ${META_SIGNATURE_HEADER} header is required`);
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return sendError(reply, 400, 'invalid_request', 'the body is not JSON');
    }
    const webhook = MetaWebhookSchema.safeParse(json);
    if (!webhook.success) return sendError(reply, 400, 'invalid_request', z.prettifyError(webhook.error));
    let messages;
    try {
      messages = z.array(InboundMessageSchema).parse(normaliseMetaWebhook(webhook.data, { pageId: config.pageId }));
    } catch (error) {
      if (error instanceof MetaPayloadError) return sendError(reply, 400, 'invalid_request', error.message);
      if (error instanceof z.ZodError) return sendError(reply, 400, 'invalid_request', z.prettifyError(error));
      throw error;
    }
    const results: { externalId: string; status: string }[] = [];
    try {
      // In order: a reply in the same batch as the comment it answers finds its case.
      for (const message of messages) results.push({ externalId: message.externalId, status: (await pipeline.receive(message)).status });
    } catch (error) {
      if (error instanceof InboundError) return sendError(reply, 503, error.code, error.message);
      throw error;
    }
    return { results };
  });
}
