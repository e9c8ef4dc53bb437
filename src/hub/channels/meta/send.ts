/**
 * Replies on Facebook and Instagram through the Graph API with the page
 * access token (sent in the body, never in the URL a proxy would log): a
 * comment is answered under it (`/{comment-id}/comments` on Facebook,
 * `/{comment-id}/replies` on Instagram), a Messenger or Instagram message
 * through the Send API to the sender's page-scoped id. The adapter's
 * replyContext says which (`{kind: 'comment'}` / `{kind: 'message', psid}`);
 * without one the answered id's form does (Graph object ids are numeric).
 * Graph takes no idempotency key.
 */
import { z } from 'zod';
import type { ReplyChannel } from '../../../shared/replies';
import { DeliveryError, type ChannelSender, type OutboundReply, type SendResult } from '../outbound';
import { callProvider, isTransientStatus, parseSuccess, providerFailure, type ProviderAnswer } from '../provider-http';

export const GRAPH_VERSION = 'v21.0';

export interface MetaSenderConfig {
  apiUrl: string;
  pageToken: string;
}

const Created = z.object({ id: z.string().min(1) });
const MessageSent = z.object({ message_id: z.string().min(1) });
const GraphError = z.object({
  error: z.object({ message: z.string().optional(), type: z.string().optional(), code: z.number().optional(), is_transient: z.boolean().optional() }),
});

/**
 * Graph codes that mean "later": 1 unknown, 2 service unavailable, 4/17/32/613
 * rate limits (app, user, page, custom), 341 application limit.
 */
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 32, 341, 613]);

function failure(answer: ProviderAnswer): DeliveryError {
  const parsed = GraphError.safeParse(answer.body);
  if (!parsed.success) return providerFailure('Graph API', answer, undefined);
  const { message, code, is_transient } = parsed.data.error;
  const transient = isTransientStatus(answer.status) || is_transient === true || (code !== undefined && TRANSIENT_CODES.has(code));
  return providerFailure('Graph API', answer, message, transient);
}

const OBJECT_ID = /^\d{1,30}(_\d{1,30})?$/;

export function createMetaSender(channel: Extract<ReplyChannel, 'facebook' | 'instagram'>, config: MetaSenderConfig): ChannelSender {
  const base = `${config.apiUrl.replace(/\/+$/, '')}/${GRAPH_VERSION}`;

  async function post(path: string, json: Record<string, unknown>, signal: AbortSignal): Promise<ProviderAnswer> {
    const answer = await callProvider('Graph API', `${base}${path}`, { json: { ...json, access_token: config.pageToken } }, signal);
    if (answer.status >= 300) throw failure(answer);
    return answer;
  }

  return {
    channel,
    async send(reply: OutboundReply, signal: AbortSignal): Promise<SendResult> {
      const answers = reply.answers;
      if (!answers) throw new DeliveryError(`a first contact on ${channel} is not possible: Graph answers only comments and messages`, true);
      const kind = answers.context?.kind ?? (OBJECT_ID.test(answers.externalId) ? 'comment' : 'message');
      if (kind === 'comment') {
        const edge = channel === 'instagram' ? 'replies' : 'comments';
        const answer = await post(`/${encodeURIComponent(answers.externalId)}/${edge}`, { message: reply.body }, signal);
        return { externalId: parseSuccess('Graph API', Created, answer).id };
      }
      // A page-scoped id is the author's handle on this channel (meta/payload.ts).
      const psid = [answers.context?.psid, answers.author, reply.recipient].find((id): id is string => typeof id === 'string' && /^\d+$/.test(id));
      if (!psid) throw new DeliveryError('the message has no sender id to answer', true);
      const answer = await post('/me/messages', { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: reply.body } }, signal);
      return { externalId: parseSuccess('Graph API', MessageSent, answer).message_id };
    },
  };
}
