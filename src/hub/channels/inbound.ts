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
});

export const InboundThreadSchema = z.discriminatedUnion('kind', [
  /** A post answering another post: the provider's id of that post. */
  z.object({ kind: z.literal('reply'), inReplyTo: ProviderId }),
  /** A private conversation (a DM): the provider's, or the adapter's, id of the conversation. */
  z.object({ kind: z.literal('conversation'), id: ProviderId }),
]);
export type InboundThread = z.infer<typeof InboundThreadSchema>;

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
});
export type InboundMessage = z.infer<typeof InboundMessageSchema>;
