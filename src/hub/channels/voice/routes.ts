/**
 * `POST /webhooks/voice`: Twilio's voice status callbacks, in their own plugin
 * whose form parser keeps every field as sent (the signature covers them all,
 * in order of name). Answered with an empty TwiML document, which Twilio
 * accepts for a status callback. A channel without its auth token is off: 404.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { CallOffered } from '../../../shared/protocol';
import type { Db } from '../../db/connect';
import { sendError } from '../../http/errors';
import { InboundError, type InboundPipeline } from '../pipeline';
import { type CallChange, handleCallStatus } from './calls';
import { CallStatusCallbackSchema } from './payload';
import { TWILIO_SIGNATURE_HEADER, verifyTwilioSignature } from './signature';
import { channelOff, WEBHOOK_RATE_LIMIT } from '../webhook';

export interface VoiceChannelConfig {
  authToken: string;
  /** The hub's URL as Twilio calls it (behind a proxy or tunnel); default the URL the request reached the hub by. */
  publicUrl?: string;
}

/** A status callback is a few hundred bytes; anything far larger is refused before it is read. */
export const VOICE_BODY_LIMIT = 64 * 1024;

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

const off = (reply: FastifyReply) => channelOff(reply, 'phone', 'SWITCHBOARD_VOICE_AUTH_TOKEN', '--voice-auth-token');

/** The URL Twilio signed: the public URL with the path and query the request came with. */
function signedUrl(request: FastifyRequest, publicUrl: string | undefined): string {
  const base = publicUrl ?? `${request.protocol}://${request.host}`;
  return base.replace(/\/+$/, '') + request.url;
}

export async function voiceWebhookRoutes(
  app: FastifyInstance,
  opts: { config: VoiceChannelConfig | null; db: Db; pipeline: InboundPipeline; offer(offer: CallOffered): void; callChanged?(change: CallChange): void },
): Promise<void> {
  const { config } = opts;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: VOICE_BODY_LIMIT }, (_request, body, done) =>
    done(null, [...new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))]),
  );

  app.post('/webhooks/voice', { bodyLimit: VOICE_BODY_LIMIT, config: { rateLimit: WEBHOOK_RATE_LIMIT } }, async (request, reply) => {
    if (!config) return off(reply);
    const fields = Array.isArray(request.body) ? (request.body as [string, string][]) : [];
    const header = request.headers[TWILIO_SIGNATURE_HEADER];
    if (!verifyTwilioSignature(config.authToken, signedUrl(request, config.publicUrl), fields, typeof header === 'string' ? header : undefined)) {
      request.log.info('voice webhook refused: bad or missing signature');
      return sendError(reply, 401, 'unauthorized', `a valid ${TWILIO_SIGNATURE_HEADER} header is required`);
    }
    const callback = CallStatusCallbackSchema.safeParse(Object.fromEntries(fields));
    if (!callback.success) return sendError(reply, 400, 'invalid_request', z.prettifyError(callback.error));
    try {
      const outcome = await handleCallStatus(opts, callback.data);
      request.log.debug({ callSid: callback.data.CallSid, outcome: outcome.status }, 'voice status callback');
    } catch (error) {
      if (error instanceof InboundError) return sendError(reply, 503, error.code, error.message);
      throw error;
    }
    return reply.type('text/xml').send(EMPTY_TWIML);
  });
}
