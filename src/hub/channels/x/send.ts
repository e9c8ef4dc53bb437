/**
 * Replies on X through API v2 with the brand's user token: a reply to a tweet
 * is `POST /2/tweets` with `reply.in_reply_to_tweet_id`; an answer to a direct
 * message (replyContext `{kind: 'dm', senderId}`) is a DM to its sender. X
 * takes no idempotency key, so a retry after a lost answer can post twice (X
 * refuses an identical tweet as a duplicate, which then fails for good).
 */
import { z } from 'zod';
import { DeliveryError, type ChannelSender, type OutboundReply, type SendResult } from '../outbound';
import { callProvider, parseSuccess, providerFailure, type ProviderAnswer } from '../provider-http';

export interface XSenderConfig {
  apiUrl: string;
  token: string;
}

const TweetCreated = z.object({ data: z.object({ id: z.string().min(1) }) });
const DmCreated = z.object({ data: z.object({ dm_event_id: z.string().min(1) }) });

/** X's errors: problem JSON (`title`, `detail`) or v1-style `errors[]`. */
const XProblem = z.object({
  title: z.string().optional(),
  detail: z.string().optional(),
  errors: z.array(z.object({ message: z.string().optional(), detail: z.string().optional() })).optional(),
});

function reasonOf(answer: ProviderAnswer): string | undefined {
  const problem = XProblem.safeParse(answer.body);
  if (!problem.success) return undefined;
  const first = problem.data.errors?.[0];
  return problem.data.detail ?? first?.detail ?? first?.message ?? problem.data.title;
}

const handle = (name: string) => (name.startsWith('@') ? name : `@${name}`);

export function createXSender(config: XSenderConfig): ChannelSender {
  const base = config.apiUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${config.token}` };

  async function post(path: string, json: unknown, signal: AbortSignal): Promise<ProviderAnswer> {
    const answer = await callProvider('X', `${base}${path}`, { headers, json }, signal);
    // X answers 200 with only `errors` when it refused part of a request.
    if (answer.status >= 300 || (answer.body as { data?: unknown } | null)?.data === undefined) {
      throw providerFailure('X', answer, reasonOf(answer), answer.status >= 300 ? undefined : false);
    }
    return answer;
  }

  return {
    channel: 'x',
    async send(reply: OutboundReply, signal: AbortSignal): Promise<SendResult> {
      const context = reply.answers?.context;
      if (context?.kind === 'dm') {
        const participant = context.senderId;
        if (typeof participant !== 'string' || !/^\d+$/.test(participant)) throw new DeliveryError('the direct message has no sender id to answer', true);
        const answer = await post(`/2/dm_conversations/with/${participant}/messages`, { text: reply.body }, signal);
        return { externalId: parseSuccess('X', DmCreated, answer).data.dm_event_id };
      }
      if (reply.answers) {
        const answer = await post('/2/tweets', { text: reply.body, reply: { in_reply_to_tweet_id: reply.answers.externalId } }, signal);
        return { externalId: parseSuccess('X', TweetCreated, answer).data.id };
      }
      // A first contact (the customer opted in): a public tweet that mentions them.
      if (!reply.recipient) throw new DeliveryError('no X handle to write to', true);
      const mention = handle(reply.recipient);
      const text = reply.body.toLowerCase().includes(mention.toLowerCase()) ? reply.body : `${mention} ${reply.body}`;
      const answer = await post('/2/tweets', { text }, signal);
      return { externalId: parseSuccess('X', TweetCreated, answer).data.id };
    },
  };
}
