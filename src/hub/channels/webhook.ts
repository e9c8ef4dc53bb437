/**
 * What every signed JSON webhook does, whatever the provider: its plugin keeps
 * the raw bytes (the signature covers them exactly), the signature is checked
 * before anything is parsed, the JSON is validated, the provider's payload is
 * normalised, and each message goes through the pipeline in order.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendError } from '../http/errors';
import { InboundMessageSchema } from './inbound';
import { InboundError, type InboundPipeline } from './pipeline';

/** Providers' batches are small; one far larger than any they send is refused before it is read. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
/**
 * Per sending address: providers deliver from a few addresses, a busy brand's X account hundreds of
 * events a second; what the limit stops is one address flooding the signature check.
 */
export const WEBHOOK_RATE_LIMIT = { max: 30_000, timeWindow: '1 minute' };

/** A payload that passed its schema but cannot become messages (a date that is none, say): 400. */
export class PayloadError extends Error {}

/** In a webhook plugin: every body is kept as its raw bytes, whatever its content type says. */
export function keepRawBodies(app: FastifyInstance, bodyLimit = WEBHOOK_BODY_LIMIT): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
}

/** The answer of a channel without its secret. */
export function channelOff(reply: FastifyReply, channel: string, variable: string, flag: string): FastifyReply {
  return sendError(reply, 404, 'channel_off', `the ${channel} channel is off: set ${variable} (or ${flag}) to turn it on`);
}

export interface SignedJsonWebhook<T> {
  /** For the log line of a refusal. */
  channel: string;
  signatureHeader: string;
  verify(raw: Buffer, signature: string | undefined): boolean;
  schema: z.ZodType<T>;
  /** The payload's messages, in order; null when it is not for the brand (answered with no results). */
  normalise(payload: T): unknown[] | null;
  pipeline: InboundPipeline;
}

export async function receiveSignedJson<T>(request: FastifyRequest, reply: FastifyReply, webhook: SignedJsonWebhook<T>) {
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const header = request.headers[webhook.signatureHeader];
  if (!webhook.verify(raw, typeof header === 'string' ? header : undefined)) {
    request.log.info(`${webhook.channel} webhook refused: bad or missing signature`);
    return sendError(reply, 401, 'unauthorized', `a valid ${webhook.signatureHeader} header is required`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return sendError(reply, 400, 'invalid_request', 'the body is not JSON');
  }
  const payload = webhook.schema.safeParse(json);
  if (!payload.success) return sendError(reply, 400, 'invalid_request', z.prettifyError(payload.error));
  let messages;
  try {
    const normalised = webhook.normalise(payload.data);
    if (normalised === null) return { results: [] };
    messages = z.array(InboundMessageSchema).parse(normalised);
  } catch (error) {
    if (error instanceof PayloadError) return sendError(reply, 400, 'invalid_request', error.message);
    if (error instanceof z.ZodError) return sendError(reply, 400, 'invalid_request', z.prettifyError(error));
    throw error;
  }
  const results: { externalId: string; status: string }[] = [];
  try {
    // In order: a reply in the same batch as the post it answers finds its case.
    for (const message of messages) results.push({ externalId: message.externalId, status: (await webhook.pipeline.receive(message)).status });
  } catch (error) {
    if (error instanceof InboundError) return sendError(reply, 503, error.code, error.message);
    throw error;
  }
  return { results };
}
