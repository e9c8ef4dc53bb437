/**
 * `GET /webhooks/x` (the CRC challenge) and `POST /webhooks/x` (Account
 * Activity events), in their own plugin: its content-type parser keeps the raw
 * bytes, which the signature covers, and parses JSON only once they are
 * verified. A channel without its consumer secret is off: 404.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { sendError } from '../../http/errors';
import { InboundMessageSchema } from '../inbound';
import { InboundError, type InboundPipeline } from '../pipeline';
import { AccountActivitySchema, normaliseXActivity, XPayloadError } from './payload';
import { crcResponse, verifyXSignature, X_SIGNATURE_HEADER } from './signature';

export interface XChannelConfig {
  consumerSecret: string;
  /** The brand's X user id: events for any other subscribed account are ignored. */
  userId?: string;
}

/** X's events are small; a batch far larger than any it sends is refused before it is read. */
export const X_BODY_LIMIT = 1024 * 1024;

const CrcQuery = z.object({ crc_token: z.string().min(1).max(1000) });

const channelOff = (reply: FastifyReply) =>
  sendError(reply, 404, 'channel_off', 'the X channel is off: set SWITCHBOARD_X_CONSUMER_SECRET (or --x-consumer-secret) to turn it on');

export async function xWebhookRoutes(app: FastifyInstance, opts: { config: XChannelConfig | null; pipeline: InboundPipeline }): Promise<void> {
  const { config, pipeline } = opts;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: X_BODY_LIMIT }, (_request, body, done) => done(null, body));
  const rateLimit = { max: 1200, timeWindow: '1 minute' };

  app.get('/webhooks/x', { config: { rateLimit } }, async (request, reply) => {
    if (!config) return channelOff(reply);
    const query = CrcQuery.safeParse(request.query);
    if (!query.success) return sendError(reply, 400, 'invalid_request', z.prettifyError(query.error));
    return crcResponse(config.consumerSecret, query.data.crc_token);
  });

  app.post('/webhooks/x', { bodyLimit: X_BODY_LIMIT, config: { rateLimit } }, async (request, reply) => {
    if (!config) return channelOff(reply);
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const header = request.headers[X_SIGNATURE_HEADER];
    if (!verifyXSignature(config.consumerSecret, raw, typeof header === 'string' ? header : undefined)) {
      request.log.info('x webhook refused: bad or missing signature');
      return sendError(reply, 401, 'unauthorized', `a valid ${X_SIGNATURE_HEADER} header is required`);
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return sendError(reply, 400, 'invalid_request', 'the body is not JSON');
    }
    const activity = AccountActivitySchema.safeParse(json);
    if (!activity.success) return sendError(reply, 400, 'invalid_request', z.prettifyError(activity.error));
    if (config.userId && activity.data.for_user_id !== config.userId) return { results: [] };
    let messages;
    try {
      messages = z.array(InboundMessageSchema).parse(normaliseXActivity(activity.data));
    } catch (error) {
      if (error instanceof XPayloadError) return sendError(reply, 400, 'invalid_request', error.message);
      if (error instanceof z.ZodError) return sendError(reply, 400, 'invalid_request', z.prettifyError(error));
      throw error;
    }
    const results: { externalId: string; status: string }[] = [];
    try {
      // In order: a reply in the same batch as the tweet it answers finds its case.
      for (const message of messages) results.push({ externalId: message.externalId, status: (await pipeline.receive(message)).status });
    } catch (error) {
      if (error instanceof InboundError) return sendError(reply, 503, error.code, error.message);
      throw error;
    }
    return { results };
  });
}
