/**
 * Jetstream events → normalised inbound messages. Jetstream carries every
 * post on the network: a post is a message only when it replies to the
 * brand (addressed), names it — a mention facet of its DID or `@handle` in
 * the text — (a mention), or matches one of its keywords without naming it
 * (a mention found by keyword, not addressed to the brand). Everything else,
 * the brand's own posts included, is dropped.
 */
import { z } from 'zod';
import { type InboundMessage, InboundMessageSchema } from '../inbound';

/** Jetstream's cursor: microseconds since the epoch (below 2^53 for another 280 years). */
const TimeUsSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/** What every event has: who, when and what kind — enough to move the cursor past it. */
export const JetstreamHeadSchema = z.object({ did: z.string().min(1), time_us: TimeUsSchema, kind: z.string() });

const StrongRefSchema = z.object({ uri: z.string().startsWith('at://').max(200), cid: z.string().min(1).max(200) });

const FacetSchema = z.object({
  features: z.array(z.object({ $type: z.string(), did: z.string().optional() })).max(100),
});

const PostRecordSchema = z.object({
  text: z.string().max(10_000),
  createdAt: z.string(),
  langs: z.array(z.string()).max(10).optional(),
  reply: z.object({ root: StrongRefSchema, parent: StrongRefSchema }).optional(),
  facets: z.array(FacetSchema).max(1000).optional(),
});

export const PostCreateSchema = z.object({
  did: z.string().regex(/^did:[a-z]+:[A-Za-z0-9._:%-]{1,160}$/, 'must be a DID'),
  time_us: TimeUsSchema,
  kind: z.literal('commit'),
  commit: z.object({
    operation: z.literal('create'),
    collection: z.literal('app.bsky.feed.post'),
    rkey: z.string().regex(/^[A-Za-z0-9._:~-]{1,100}$/, 'must be a record key'),
    cid: z.string().min(1).max(200),
    record: PostRecordSchema,
  }),
});
export type PostCreate = z.infer<typeof PostCreateSchema>;

/** Whether an event is a new post at all (a like, a deletion, an identity change are not). */
export function isPostCreate(event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const { kind, commit } = event as { kind?: unknown; commit?: { operation?: unknown; collection?: unknown } | null };
  return kind === 'commit' && commit?.operation === 'create' && commit.collection === 'app.bsky.feed.post';
}

export interface BlueskyBrand {
  /** The brand's DID, when its handle could be resolved: replies to it and mention facets are recognised by it. */
  did: string | null;
  /** The brand's handle, lower case, without the @. */
  handle: string | null;
  /** Lower-case keywords. */
  keywords: string[];
}

export interface PostMatch {
  addressing: 'addressed' | 'mention';
  keywordOnly: boolean;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles the brand's matchers once: Jetstream sends hundreds of posts a second. */
export function postMatcher(brand: BlueskyBrand): (post: PostCreate) => PostMatch | null {
  // `@brand.bsky.social` as a whole handle: not `@brand.bsky.social.evil`, not `x@brand...`; a full stop after it ends a sentence.
  const handle = brand.handle ? new RegExp(`(?<![\\p{L}\\p{N}_.@-])@${escape(brand.handle)}(?![\\p{L}\\p{N}_-]|\\.[\\p{L}\\p{N}])`, 'iu') : null;
  const keywords = brand.keywords.length > 0 ? new RegExp(`(?<![\\p{L}\\p{N}_])(?:${brand.keywords.map(escape).join('|')})(?![\\p{L}\\p{N}_])`, 'iu') : null;
  const ownPrefix = brand.did ? `at://${brand.did}/` : null;
  return (post) => {
    if (brand.did && post.did === brand.did) return null;
    const { record } = post.commit;
    if (ownPrefix && record.reply?.parent.uri.startsWith(ownPrefix)) return { addressing: 'addressed', keywordOnly: false };
    const facetMention = brand.did !== null && (record.facets ?? []).some((f) => f.features.some((feature) => feature.$type === 'app.bsky.richtext.facet#mention' && feature.did === brand.did));
    if (facetMention || handle?.test(record.text)) return { addressing: 'mention', keywordOnly: false };
    if (keywords?.test(record.text)) return { addressing: 'mention', keywordOnly: true };
    return null;
  };
}

export class BlueskyPayloadError extends Error {}

/** The post's AT URI: its external id. */
export const postUri = (post: PostCreate) => `at://${post.did}/app.bsky.feed.post/${post.commit.rkey}`;

function postedAt(post: PostCreate): string {
  // createdAt is the client's claim; Jetstream's own time when it is not a date.
  const claimed = Date.parse(post.commit.record.createdAt);
  return new Date(Number.isFinite(claimed) ? claimed : Math.floor(post.time_us / 1000)).toISOString();
}

/** A matched post as an inbound message; `displayName` is the author's handle when it could be resolved. Throws BlueskyPayloadError when it is not storable. */
export function normaliseBlueskyPost(post: PostCreate, match: PostMatch, displayName: string): InboundMessage {
  const { record, rkey, cid } = post.commit;
  const uri = postUri(post);
  const reply = record.reply;
  const message: InboundMessage = {
    channel: 'bluesky',
    externalId: uri,
    // The DID: a handle can change hands, the DID stays the account's.
    author: { channel: 'bluesky', handle: post.did, displayName },
    body: record.text,
    thread: reply ? { kind: 'reply', inReplyTo: reply.parent.uri, references: [reply.root.uri] } : null,
    addressing: match.addressing,
    ...(match.keywordOnly ? { keywordOnly: true } : {}),
    language: record.langs?.[0] ?? null,
    url: `https://bsky.app/profile/${post.did}/post/${rkey}`,
    at: postedAt(post),
    // What a reply needs (com.atproto.repo.createRecord's reply.parent and reply.root); a post that is no reply is its own root.
    replyContext: { uri, cid, rootUri: reply?.root.uri ?? uri, rootCid: reply?.root.cid ?? cid },
  };
  const checked = InboundMessageSchema.safeParse(message);
  if (!checked.success) throw new BlueskyPayloadError(`post ${uri}: ${z.prettifyError(checked.error)}`);
  return checked.data;
}
