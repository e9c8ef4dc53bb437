/**
 * Replies on Mastodon: `POST /api/v1/statuses` with the brand's token and the
 * reply's `Idempotency-Key`, so the instance answers a retry with the status
 * it already made (Mastodon keeps keys for an hour). The status mentions the
 * author (the instance only notifies, and a direct post only reaches, those
 * it mentions) and keeps a direct conversation direct; anything else is
 * answered in public. replyContext (the Mastodon adapter's): `{acct, visibility}`.
 */
import { z } from 'zod';
import { DeliveryError, type ChannelSender, type OutboundReply, type SendResult } from '../outbound';
import { callProvider, parseSuccess, providerFailure } from '../provider-http';

export interface MastodonSenderConfig {
  url: string;
  token: string;
}

const StatusCreated = z.object({ id: z.string().min(1), url: z.string().nullish() });
const MastodonError = z.object({ error: z.string() });

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether the text already mentions `@acct` (not merely a longer handle that starts the same). */
export function mentions(text: string, acct: string): boolean {
  return new RegExp(`(^|[^\\w@])@${escapeRegExp(acct)}(?![\\w@-]|\\.\\w)`, 'i').test(text);
}

export function createMastodonSender(config: MastodonSenderConfig): ChannelSender {
  const endpoint = `${config.url.replace(/\/+$/, '')}/api/v1/statuses`;
  return {
    channel: 'mastodon',
    // The same Idempotency-Key answers the same status: a second attempt cannot post twice.
    idempotent: true,
    async send(reply: OutboundReply, signal: AbortSignal): Promise<SendResult> {
      const context = reply.answers?.context;
      // The adapter's acct, else the customer's handle as stored, else the answered post's author.
      const named = typeof context?.acct === 'string' ? context.acct : (reply.recipient ?? reply.answers?.author);
      const acct = named?.replace(/^@/, '');
      if (!acct) throw new DeliveryError('no Mastodon account to write to', true);
      const status = mentions(reply.body, acct) ? reply.body : `@${acct} ${reply.body}`;
      const json = {
        status,
        ...(reply.answers ? { in_reply_to_id: reply.answers.externalId } : {}),
        visibility: context?.visibility === 'direct' ? 'direct' : 'public',
      };
      const answer = await callProvider('Mastodon', endpoint, { headers: { authorization: `Bearer ${config.token}`, 'idempotency-key': reply.idempotencyKey }, json }, signal);
      if (answer.status >= 300) {
        const error = MastodonError.safeParse(answer.body);
        throw providerFailure('Mastodon', answer, error.success ? error.data.error : undefined);
      }
      return { externalId: parseSuccess('Mastodon', StatusCreated, answer).id };
    },
  };
}
