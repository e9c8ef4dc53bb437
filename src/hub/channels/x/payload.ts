/**
 * Account Activity webhooks → normalised inbound messages. Only what the hub
 * uses is checked; the many other fields X sends pass through untouched.
 * The brand's own tweets and DMs (its user id is `for_user_id`) and retweets
 * are no inbound messages.
 */
import { z } from 'zod';
import type { InboundMessage } from '../inbound';
import { PayloadError } from '../webhook';

const IdStr = z.string().regex(/^\d{1,25}$/, 'must be a numeric id string');

const UserSchema = z.object({ id_str: IdStr, screen_name: z.string().min(1).max(50), name: z.string().max(200) });

const TweetSchema = z.object({
  id_str: IdStr,
  created_at: z.string(),
  timestamp_ms: z.string().regex(/^\d+$/).optional(),
  text: z.string().optional(),
  full_text: z.string().optional(),
  extended_tweet: z.object({ full_text: z.string() }).optional(),
  user: UserSchema,
  in_reply_to_status_id_str: IdStr.nullish(),
  in_reply_to_user_id_str: IdStr.nullish(),
  lang: z.string().nullish(),
  retweeted_status: z.unknown().optional(),
});

const DirectMessageSchema = z.object({
  type: z.string(),
  id: IdStr,
  created_timestamp: z.string().regex(/^\d+$/),
  message_create: z
    .object({
      target: z.object({ recipient_id: IdStr }),
      sender_id: IdStr,
      message_data: z.object({ text: z.string() }),
    })
    .optional(),
});

export const AccountActivitySchema = z.object({
  for_user_id: IdStr,
  tweet_create_events: z.array(TweetSchema).max(1000).optional(),
  direct_message_events: z.array(DirectMessageSchema).max(1000).optional(),
  /** Who is who in `direct_message_events`, by user id. */
  users: z.record(z.string(), z.object({ id: IdStr, name: z.string().max(200), screen_name: z.string().min(1).max(50) })).optional(),
});
export type AccountActivity = z.infer<typeof AccountActivitySchema>;

export class XPayloadError extends PayloadError {}

function postedAt(tweet: z.infer<typeof TweetSchema>): string {
  const ms = tweet.timestamp_ms ? Number(tweet.timestamp_ms) : Date.parse(tweet.created_at);
  if (!Number.isFinite(ms)) throw new XPayloadError(`tweet ${tweet.id_str}: created_at "${tweet.created_at}" is not a date`);
  return new Date(ms).toISOString();
}

export function normaliseXActivity(activity: AccountActivity): InboundMessage[] {
  const brand = activity.for_user_id;
  const out: InboundMessage[] = [];
  for (const tweet of activity.tweet_create_events ?? []) {
    if (tweet.user.id_str === brand || tweet.retweeted_status !== undefined) continue;
    const body = tweet.extended_tweet?.full_text ?? tweet.full_text ?? tweet.text;
    if (body === undefined) throw new XPayloadError(`tweet ${tweet.id_str} has no text`);
    out.push({
      channel: 'x',
      externalId: tweet.id_str,
      author: { channel: 'x', handle: tweet.user.screen_name, displayName: tweet.user.name, userId: tweet.user.id_str },
      body,
      thread: tweet.in_reply_to_status_id_str ? { kind: 'reply', inReplyTo: tweet.in_reply_to_status_id_str } : null,
      // A tweet in reply to the brand (or starting with its handle) is written to it; any other only mentions it.
      addressing: tweet.in_reply_to_user_id_str === brand ? 'addressed' : 'mention',
      language: tweet.lang ?? null,
      url: `https://x.com/${tweet.user.screen_name}/status/${tweet.id_str}`,
      at: postedAt(tweet),
      replyContext: { kind: 'post' },
    });
  }
  for (const event of activity.direct_message_events ?? []) {
    const create = event.message_create;
    if (event.type !== 'message_create' || !create || create.sender_id === brand) continue;
    const sender = activity.users?.[create.sender_id];
    if (!sender) throw new XPayloadError(`direct message ${event.id}: its sender ${create.sender_id} is not in "users"`);
    // A one-to-one conversation is its pair of users; X's own DM conversation ids use the same form.
    const [a, b] = [create.sender_id, create.target.recipient_id].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1));
    out.push({
      channel: 'x',
      externalId: event.id,
      author: { channel: 'x', handle: sender.screen_name, displayName: sender.name, userId: create.sender_id },
      body: create.message_data.text,
      thread: { kind: 'conversation', id: `${a}-${b}` },
      addressing: 'addressed',
      language: null,
      url: null,
      at: new Date(Number(event.created_timestamp)).toISOString(),
      // A DM is answered with a DM to its sender (x/send.ts).
      replyContext: { kind: 'dm', senderId: create.sender_id },
    });
  }
  return out;
}
