/**
 * The normalised inbound message every channel adapter produces: the one
 * shape the pipeline (pipeline.ts) resolves and routes, whatever the provider.
 */
import { z } from 'zod';
import { ChannelSchema, freeText, TEXT_LIMITS } from '../../shared/domain';

const ProviderId = freeText(200, z.string().min(1));

export const InboundAuthorSchema = z.object({
  channel: ChannelSchema,
  /** The handle or address as the provider gives it (normalised by identity.ts before matching). */
  handle: freeText(320, z.string().trim().min(1)),
  displayName: freeText(200, z.string().trim()),
  /** The provider's stable id of the author (X's user id), where handles can change: matched first, then the handle. */
  userId: ProviderId.optional(),
});

export const InboundThreadSchema = z.discriminatedUnion('kind', [
  /**
   * A post answering another post: the provider's id of that post, and the ids of
   * earlier posts of the same thread, nearest first (an email's `References`), tried in turn.
   */
  z.object({ kind: z.literal('reply'), inReplyTo: ProviderId, references: z.array(ProviderId).max(100).optional() }),
  /** A private conversation (a DM): the provider's, or the adapter's, id of the conversation. */
  z.object({ kind: z.literal('conversation'), id: ProviderId }),
  /** No provider thread (a phone call): the message joins the customer's open case, the most recently updated. */
  z.object({ kind: z.literal('customer') }),
]);
export type InboundThread = z.infer<typeof InboundThreadSchema>;

/** A file that came with the message; the pipeline stores its bytes with the message. */
export const InboundAttachmentSchema = z.object({
  fileName: freeText(255, z.string().trim().min(1)),
  contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type such as "image/png"'),
  content: z.instanceof(Buffer),
});
export type InboundAttachment = z.infer<typeof InboundAttachmentSchema>;

export const InboundMessageSchema = z.object({
  channel: ChannelSchema,
  /** The provider's id of this message: the dedupe key with the channel. */
  externalId: ProviderId,
  author: InboundAuthorSchema,
  body: freeText(TEXT_LIMITS.body),
  thread: InboundThreadSchema.nullable(),
  /** `addressed`: written to the brand (a reply to it, a DM), so it opens a case; `mention`: it only names the brand. */
  addressing: z.enum(['addressed', 'mention']),
  /** The language the provider tags the message with (BCP 47), if it does. */
  language: z.string().nullable(),
  /** Where the post can be read, if it is public. */
  url: z.url().nullable(),
  at: z.iso.datetime({ offset: true }),
  /** The message's own subject (an email's), for a case it opens; else its first line is. */
  subject: freeText(1000).optional(),
  /** A case the message names by number (an email subject's `[#1234]`): joined, if still open, when no thread matched. */
  caseNumber: z.number().int().positive().optional(),
  attachments: z.array(InboundAttachmentSchema).max(100).optional(),
  /** The queue that opens its case when not the channel's (the queue answering the phone number called). */
  queueId: z.uuid().optional(),
  /** Found by one of the brand's keywords without naming the brand: not addressed to it (the consent rule, src/shared/replies.ts). */
  keywordOnly: z.boolean().optional(),
  /**
   * What the channel's sender needs to answer this message besides its external id (a Bluesky
   * post's cid and thread root, a DM's sender id, an email's References): the adapter's own keys.
   */
  replyContext: z.record(z.string().max(50), z.union([ProviderId, z.array(ProviderId).max(100)])).optional(),
});
export type InboundMessage = z.infer<typeof InboundMessageSchema>;
