/**
 * `GET /webhooks/x` (the CRC challenge) and `POST /webhooks/x` (Account
 * Activity events), in their own plugin: its content-type parser keeps the raw
 * bytes, which the signature covers, and parses JSON only once they are
 * verified. A channel without its consumer secret is off: 404.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sendError } from '../../http/errors';
import type { InboundPipeline } from '../pipeline';
import { channelOff, keepRawBodies, receiveSignedJson, WEBHOOK_BODY_LIMIT, WEBHOOK_RATE_LIMIT } from '../webhook';
import { AccountActivitySchema, normaliseXActivity } from './payload';
import { crcResponse, verifyXSignature, X_SIGNATURE_HEADER } from './signature';

export interface XChannelConfig {
  consumerSecret: string;
  /** The brand's X user id: events for any other subscribed account are ignored. */
  userId?: string;
}

const CrcQuery = z.object({ crc_token: z.string().min(1).max(1000) });

const off = (reply: Parameters<typeof channelOff>[0]) => channelOff(reply, 'X', 'SWITCHBOARD_X_CONSUMER_SECRET', '--x-consumer-secret');

export async function xWebhookRoutes(app: FastifyInstance, opts: { config: XChannelConfig | null; pipeline: InboundPipeline }): Promise<void> {
  const { config, pipeline } = opts;
  keepRawBodies(app);
  const rateLimit = WEBHOOK_RATE_LIMIT;

  app.get('/webhooks/x', { config: { rateLimit } }, async (request, reply) => {
    if (!config) return off(reply);
    const query = CrcQuery.safeParse(request.query);
    if (!query.success) return sendError(reply, 400, 'invalid_request', z.prettifyError(query.error));
    return crcResponse(config.consumerSecret, query.data.crc_token);
  });

  app.post('/webhooks/x', { bodyLimit: WEBHOOK_BODY_LIMIT, config: { rateLimit } }, async (request, reply) => {
    if (!config) return off(reply);
    return receiveSignedJson(request, reply, {
      channel: 'x',
      signatureHeader: X_SIGNATURE_HEADER,
      verify: (raw, signature) => verifyXSignature(config.consumerSecret, raw, signature),
      schema: AccountActivitySchema,
      normalise: (activity) => (config.userId && activity.for_user_id !== config.userId ? null : normaliseXActivity(activity)),
      pipeline,
    });
  });
}
