/**
 * Meta webhooks (Graph API `page` and `instagram` objects) → normalised
 * inbound messages. Only what the hub uses is checked; the other fields and
 * events (reactions, deliveries, reads, …) pass through untouched. Facebook
 * page comments and Messenger are the `facebook` channel, Instagram comments
 * and messages `instagram`. The brand's own comments and messages (its page
 * or account is the entry's id) and Messenger echoes are no inbound messages.
 * The author's identity is the id Meta gives (app- or page-scoped), the only
 * one a webhook carries.
 */
import { z } from 'zod';
import type { Channel } from '../../../shared/domain';
import type { InboundMessage } from '../inbound';
import { PayloadError } from '../webhook';

const Id = z.string().regex(/^\d{1,30}$/, 'must be a numeric id string');
/** Post and comment ids: `{page id}_{id}` on Facebook, numeric on Instagram. */
const ObjectId = z.string().regex(/^\d{1,30}(_\d{1,30})?$/, 'must be a Graph API object id');
/** Unix time, in seconds or (Messenger) milliseconds. */
const Time = z.number().int().nonnegative();

const MessagingSchema = z.object({
  sender: z.object({ id: Id }),
  recipient: z.object({ id: Id }),
  timestamp: Time,
  message: z
    .object({
      mid: z.string().min(1).max(300),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      attachments: z.array(z.object({ type: z.string().max(50) })).max(100).optional(),
    })
    .optional(),
});

const ChangeSchema = z.object({ field: z.string().max(100), value: z.unknown() });

const EntrySchema = z.object({
  /** The page (or Instagram account) the events are for. */
  id: Id,
  time: Time,
  changes: z.array(ChangeSchema).max(1000).optional(),
  messaging: z.array(MessagingSchema).max(1000).optional(),
});

export const MetaWebhookSchema = z.object({
  object: z.enum(['page', 'instagram']),
  entry: z.array(EntrySchema).max(1000),
});
export type MetaWebhook = z.infer<typeof MetaWebhookSchema>;

/** A `feed` change: checked in full only when it is a comment being added. */
const FeedChangeSchema = z.object({ item: z.string().max(50), verb: z.string().max(50) });
const FeedCommentSchema = z.object({
  from: z.object({ id: Id, name: z.string().max(200).optional() }),
  comment_id: ObjectId,
  post_id: ObjectId,
  /** The post for a comment on it, the comment for a reply. */
  parent_id: ObjectId.optional(),
  message: z.string().optional(),
  created_time: Time.optional(),
  post: z.object({ permalink_url: z.url().optional() }).optional(),
});

const InstagramCommentSchema = z.object({
  id: ObjectId,
  from: z.object({ id: Id, username: z.string().max(100).optional() }),
  text: z.string().optional(),
  parent_id: ObjectId.optional(),
  media: z.object({ id: ObjectId }).optional(),
});

export class MetaPayloadError extends PayloadError {}

function parseValue<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new MetaPayloadError(`${what}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const iso = (time: number) => new Date(time < 1e12 ? time * 1000 : time).toISOString();

/** What a message without text carries, so the agent sees something was sent. */
const attachmentsText = (attachments: { type: string }[] | undefined) => (attachments ?? []).map((a) => `[${a.type}]`).join(' ');

export function normaliseMetaWebhook(webhook: MetaWebhook, opts: { pageId?: string } = {}): InboundMessage[] {
  const channel: Channel = webhook.object === 'page' ? 'facebook' : 'instagram';
  const out: InboundMessage[] = [];
  for (const entry of webhook.entry) {
    // Another page subscribed to the same app is not the brand's.
    if (webhook.object === 'page' && opts.pageId && entry.id !== opts.pageId) continue;
    const brand = entry.id;
    for (const change of entry.changes ?? []) {
      if (webhook.object === 'page' && change.field === 'feed') {
        const kind = parseValue(FeedChangeSchema, change.value, 'feed change');
        if (kind.item !== 'comment' || kind.verb !== 'add') continue;
        const comment = parseValue(FeedCommentSchema, change.value, `comment`);
        if (comment.from.id === brand) continue;
        out.push({
          channel,
          externalId: comment.comment_id,
          author: { channel, handle: comment.from.id, displayName: comment.from.name ?? '' },
          body: comment.message ?? '',
          thread: { kind: 'reply', inReplyTo: comment.parent_id ?? comment.post_id },
          // A comment on the page's feed is written to the brand.
          addressing: 'addressed',
          language: null,
          url: comment.post?.permalink_url ?? null,
          at: iso(comment.created_time ?? entry.time),
          replyContext: { kind: 'comment' },
        });
      } else if (webhook.object === 'instagram' && change.field === 'comments') {
        const comment = parseValue(InstagramCommentSchema, change.value, 'instagram comment');
        if (comment.from.id === brand) continue;
        const parent = comment.parent_id ?? comment.media?.id;
        out.push({
          channel,
          externalId: comment.id,
          author: { channel, handle: comment.from.id, displayName: comment.from.username ?? '' },
          body: comment.text ?? '',
          thread: parent ? { kind: 'reply', inReplyTo: parent } : null,
          addressing: 'addressed',
          language: null,
          url: null,
          at: iso(entry.time),
          replyContext: { kind: 'comment' },
        });
      }
    }
    for (const event of entry.messaging ?? []) {
      const message = event.message;
      if (!message || message.is_echo || event.sender.id === brand) continue;
      out.push({
        channel,
        externalId: message.mid,
        author: { channel, handle: event.sender.id, displayName: '' },
        body: message.text ?? attachmentsText(message.attachments),
        // One conversation per person and page (their id is scoped to it).
        thread: { kind: 'conversation', id: `${brand}-${event.sender.id}` },
        addressing: 'addressed',
        language: null,
        url: null,
        at: iso(event.timestamp),
        // Answered through the Send API to the sender's page-scoped id (meta/send.ts).
        replyContext: { kind: 'message', psid: event.sender.id },
      });
    }
  }
  return out;
}
