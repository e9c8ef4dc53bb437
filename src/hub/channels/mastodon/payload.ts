/**
 * Mastodon notifications → normalised inbound messages. Only `mention`
 * notifications carry a post to the brand (a reply to it mentions it too);
 * only the fields the hub uses are checked, the rest pass through. The
 * brand's own posts are no inbound messages.
 */
import { convert } from 'html-to-text';
import { z } from 'zod';
import { type InboundMessage, InboundMessageSchema } from '../inbound';

/** Mastodon's ids are integers in decimal strings (compared as numbers, never as text). */
export const MastodonIdSchema = z.string().regex(/^\d{1,30}$/, 'must be a numeric id string');

/** What every notification has: enough to move past it whatever its type. */
export const NotificationHeadSchema = z.object({ id: MastodonIdSchema, type: z.string() });

const AccountSchema = z.object({
  id: MastodonIdSchema,
  /** `user` for the instance's own accounts, `user@domain` for remote ones. */
  acct: z.string().min(1).max(400),
  display_name: z.string().max(2000),
});

const StatusSchema = z.object({
  id: MastodonIdSchema,
  created_at: z.iso.datetime({ offset: true }),
  in_reply_to_id: MastodonIdSchema.nullish(),
  in_reply_to_account_id: MastodonIdSchema.nullish(),
  /** public, unlisted, private, direct (forks add their own). */
  visibility: z.string().min(1).max(50),
  language: z.string().max(35).nullish(),
  url: z.string().nullish(),
  /** HTML. */
  content: z.string(),
  spoiler_text: z.string().optional(),
  account: AccountSchema,
});

export const MentionNotificationSchema = z.object({ id: MastodonIdSchema, type: z.literal('mention'), status: StatusSchema });
export type MentionNotification = z.infer<typeof MentionNotificationSchema>;

/** The brand's account on its instance (verify_credentials) and the instance's host, for local accounts' `acct`. */
export interface MastodonBrand {
  accountId: string;
  host: string;
}

export class MastodonPayloadError extends Error {}

/** A status's HTML as the text a reader sees: paragraphs and line breaks kept, links as their text (Mastodon puts the whole URL there). */
export function statusText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'p', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
    ],
  }).trim();
}

/** `user@domain` for every account, so a local account's handle is the same key whoever reads it. */
export function fullAcct(acct: string, host: string): string {
  const bare = acct.replace(/^@/, '');
  return bare.includes('@') ? bare : `${bare}@${host}`;
}

function publicUrl(url: string | null | undefined): string | null {
  return url && URL.canParse(url) && /^https?:/.test(url) ? url : null;
}

/**
 * The inbound message of a mention, or null for the brand's own post. Throws
 * MastodonPayloadError when the result is not a storable message.
 */
export function normaliseMastodonMention(notification: MentionNotification, brand: MastodonBrand): InboundMessage | null {
  const { status } = notification;
  if (status.account.id === brand.accountId) return null;
  const acct = fullAcct(status.account.acct, brand.host);
  const direct = status.visibility === 'direct';
  const text = statusText(status.content);
  const warning = status.spoiler_text?.trim();
  const message: InboundMessage = {
    channel: 'mastodon',
    externalId: status.id,
    author: { channel: 'mastodon', handle: acct, displayName: status.account.display_name.trim() },
    body: warning ? `${warning}\n\n${text}` : text,
    // A direct message's conversation is the pair (brand, author): the author's next DM joins its open case.
    thread: direct
      ? { kind: 'conversation', id: `dm:${acct.toLowerCase()}` }
      : status.in_reply_to_id
        ? { kind: 'reply', inReplyTo: status.in_reply_to_id }
        : null,
    addressing: direct || status.in_reply_to_account_id === brand.accountId ? 'addressed' : 'mention',
    language: status.language ?? null,
    url: direct ? null : publicUrl(status.url),
    at: new Date(status.created_at).toISOString(),
    // What a reply needs (the sender, channels/mastodon): whom to mention, and the visibility to answer with.
    replyContext: { acct, visibility: status.visibility },
  };
  const checked = InboundMessageSchema.safeParse(message);
  if (!checked.success) throw new MastodonPayloadError(`status ${status.id}: ${z.prettifyError(checked.error)}`);
  return checked.data;
}
