/**
 * Replies on Bluesky through the brand's PDS (XRPC): a session from
 * `com.atproto.server.createSession` with the app password, kept and renewed
 * (`refreshSession`, else a new session) when the PDS says the access token
 * expired; then `com.atproto.repo.createRecord` of an `app.bsky.feed.post`
 * with `reply.root`/`reply.parent` (replyContext of the Bluesky adapter:
 * `{uri, cid, rootUri, rootCid}`).
 *
 * XRPC has no idempotency key, so the record key is one: a TID derived from
 * the reply's idempotency key, the same on every attempt. A retry first looks
 * the record up, and so does a failed create (a PDS answers a create of an
 * existing key with an error, even a 500): a post that exists is answered
 * with its URI instead of being made twice.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DeliveryError, type ChannelSender, type OutboundReply, type SendResult } from '../outbound';
import { callProvider, parseSuccess, providerFailure, type ProviderAnswer } from '../provider-http';

export interface BlueskySenderConfig {
  pdsUrl: string;
  handle: string;
  appPassword: string;
}

const POST = 'app.bsky.feed.post';
const PROVIDER = 'Bluesky';

const SessionSchema = z.object({ did: z.string().startsWith('did:'), accessJwt: z.string().min(1), refreshJwt: z.string().min(1) });
type Session = z.infer<typeof SessionSchema>;
const StrongRef = z.object({ uri: z.string().startsWith('at://'), cid: z.string().min(1) });
const XrpcError = z.object({ error: z.string().optional(), message: z.string().optional() });
const Resolved = z.object({ did: z.string().startsWith('did:') });
const Profile = z.object({ did: z.string().startsWith('did:'), handle: z.string().min(1) });

const S32 = '234567abcdefghijklmnopqrstuvwxyz';
const UUID_V7 = /^([0-9a-f]{8})-?([0-9a-f]{4})-?7/i;

/**
 * The TID (13 base32-sortable characters: 53 bits of microseconds since the
 * epoch, then a 10-bit clock id) of a reply, the same for the same key. A
 * UUIDv7 key (the hub's message ids) gives its own millisecond, so the post
 * sorts by when the reply was written; any other key a hashed time.
 */
export function tidFromKey(key: string): string {
  const hash = createHash('sha256').update(key).digest();
  const v7 = UUID_V7.exec(key);
  const micros = v7 ? BigInt(parseInt(`${v7[1]}${v7[2]}`, 16)) * 1000n + BigInt(hash.readUInt16BE(0) % 1000) : hash.readBigUInt64BE(0) & ((1n << 53n) - 1n);
  const value = (micros << 10n) | BigInt(hash.readUInt16BE(2) & 0x3ff);
  let tid = '';
  for (let shift = 60n; shift >= 0n; shift -= 5n) tid += S32[Number((value >> shift) & 31n)];
  return tid;
}

const reasonOf = (answer: ProviderAnswer) => {
  const parsed = XrpcError.safeParse(answer.body);
  return parsed.success ? (parsed.data.message ?? parsed.data.error) : undefined;
};
const errorName = (answer: ProviderAnswer) => {
  const parsed = XrpcError.safeParse(answer.body);
  return parsed.success ? parsed.data.error : undefined;
};
/** A PDS says 400 or 401 `ExpiredToken` (or `InvalidToken`) when a session token no longer works. */
const tokenRefused = (answer: ProviderAnswer) => (answer.status === 400 || answer.status === 401) && ['ExpiredToken', 'InvalidToken'].includes(errorName(answer) ?? '');

export function createBlueskySender(config: BlueskySenderConfig): ChannelSender {
  const base = `${config.pdsUrl.replace(/\/+$/, '')}/xrpc`;
  let session: Promise<Session> | null = null;

  /** A query (GET, with `query`) or a procedure (POST, with a JSON body or none). */
  const xrpc = (nsid: string, init: { token?: string; json?: unknown; query?: Record<string, string> }, signal: AbortSignal) =>
    callProvider(
      PROVIDER,
      `${base}/${nsid}${init.query ? `?${new URLSearchParams(init.query)}` : ''}`,
      { method: init.query ? 'GET' : 'POST', headers: init.token ? { authorization: `Bearer ${init.token}` } : {}, json: init.json },
      signal,
    );

  async function login(signal: AbortSignal): Promise<Session> {
    const answer = await xrpc('com.atproto.server.createSession', { json: { identifier: config.handle, password: config.appPassword } }, signal);
    if (answer.status >= 300) throw providerFailure(PROVIDER, answer, reasonOf(answer));
    return parseSuccess(PROVIDER, SessionSchema, answer);
  }

  async function refresh(stale: Session, signal: AbortSignal): Promise<Session> {
    const answer = await xrpc('com.atproto.server.refreshSession', { token: stale.refreshJwt }, signal);
    // A refresh token that expired too: sign in again.
    if (answer.status >= 300) return login(signal);
    const parsed = SessionSchema.safeParse(answer.body);
    return parsed.success ? parsed.data : login(signal);
  }

  /** Sends share one session; a failed sign-in is forgotten so the next attempt tries again. */
  function keep(next: Promise<Session>): Promise<Session> {
    session = next;
    next.catch(() => {
      if (session === next) session = null;
    });
    return next;
  }

  const current = (signal: AbortSignal) => session ?? keep(login(signal));

  async function renewed(stale: Session, signal: AbortSignal): Promise<Session> {
    const latest = session ? await session.catch(() => null) : null;
    // Another send renewed it meanwhile.
    if (latest && latest.accessJwt !== stale.accessJwt) return latest;
    return keep(refresh(stale, signal));
  }

  /** A call with the session's token, renewed once when the PDS refuses it. */
  async function authorised(nsid: string, json: unknown, signal: AbortSignal): Promise<{ answer: ProviderAnswer; session: Session }> {
    let used = await current(signal);
    let answer = await xrpc(nsid, { token: used.accessJwt, json }, signal);
    if (tokenRefused(answer)) {
      used = await renewed(used, signal);
      answer = await xrpc(nsid, { token: used.accessJwt, json }, signal);
    }
    return { answer, session: used };
  }

  /** The post under this key, if the PDS has it. */
  async function existing(did: string, rkey: string, signal: AbortSignal): Promise<string | null> {
    const answer = await xrpc('com.atproto.repo.getRecord', { query: { repo: did, collection: POST, rkey } }, signal);
    if (answer.status < 300) return parseSuccess(PROVIDER, StrongRef, answer).uri;
    if (errorName(answer) === 'RecordNotFound') return null;
    throw providerFailure(PROVIDER, answer, reasonOf(answer));
  }

  /** The post's `reply`: the answered post is the parent; its thread's root, or itself when it starts one. */
  function replyRefs(reply: OutboundReply) {
    const answers = reply.answers;
    if (!answers) return undefined;
    const context = answers.context ?? {};
    const uri = typeof context.uri === 'string' ? context.uri : answers.externalId;
    const cid = context.cid;
    if (!uri.startsWith('at://') || typeof cid !== 'string') throw new DeliveryError('the answered post has no record URI and CID to reply to', true);
    const root = typeof context.rootUri === 'string' && typeof context.rootCid === 'string' ? { uri: context.rootUri, cid: context.rootCid } : { uri, cid };
    return { root, parent: { uri, cid } };
  }

  /**
   * The customer's DID and current handle: a stored DID (the adapter's identity) is looked up in
   * the AppView through the PDS (`app.bsky.actor.getProfile`), a handle resolved to its DID.
   */
  async function account(recipient: string, signal: AbortSignal): Promise<{ did: string; handle: string }> {
    if (recipient.startsWith('did:')) {
      const session = await current(signal);
      const answer = await xrpc('app.bsky.actor.getProfile', { token: session.accessJwt, query: { actor: recipient } }, signal);
      if (answer.status >= 300) throw providerFailure(PROVIDER, answer, reasonOf(answer));
      const profile = parseSuccess(PROVIDER, Profile, answer);
      if (profile.handle === 'handle.invalid') throw new DeliveryError(`${recipient} has no valid handle to mention`, true);
      return profile;
    }
    const handle = recipient.replace(/^@/, '');
    const answer = await xrpc('com.atproto.identity.resolveHandle', { query: { handle } }, signal);
    if (answer.status >= 300) throw providerFailure(PROVIDER, answer, reasonOf(answer));
    return { did: parseSuccess(PROVIDER, Resolved, answer).did, handle };
  }

  /** A first contact names the customer with a mention facet (text `@handle`, feature their DID). */
  async function firstContact(reply: OutboundReply, signal: AbortSignal) {
    if (!reply.recipient) throw new DeliveryError('no Bluesky account to write to', true);
    const { did, handle } = await account(reply.recipient, signal);
    const mention = `@${handle}`;
    const text = reply.body.includes(mention) ? reply.body : `${mention} ${reply.body}`;
    const at = text.indexOf(mention);
    const byteStart = Buffer.byteLength(text.slice(0, at));
    const facets = [{ index: { byteStart, byteEnd: byteStart + Buffer.byteLength(mention) }, features: [{ $type: 'app.bsky.richtext.facet#mention', did }] }];
    return { text, facets };
  }

  return {
    channel: 'bluesky',
    // The record key comes from the reply and is looked up before a second attempt: it cannot post twice.
    idempotent: true,
    async send(reply: OutboundReply, signal: AbortSignal): Promise<SendResult> {
      const rkey = tidFromKey(reply.idempotencyKey);
      const refs = replyRefs(reply);
      const { did } = await current(signal);
      if (reply.attempt > 1) {
        const uri = await existing(did, rkey, signal);
        if (uri) return { externalId: uri };
      }
      const content = refs ? { text: reply.body } : await firstContact(reply, signal);
      const record = { $type: POST, ...content, createdAt: new Date().toISOString(), ...(refs ? { reply: refs } : {}) };
      const { answer } = await authorised('com.atproto.repo.createRecord', { repo: did, collection: POST, rkey, record }, signal);
      if (answer.status < 300) return { externalId: parseSuccess(PROVIDER, StrongRef, answer).uri };
      const failure = providerFailure(PROVIDER, answer, reasonOf(answer));
      if (!tokenRefused(answer)) {
        const uri = await existing(did, rkey, signal).catch(() => null);
        if (uri) return { externalId: uri };
      }
      throw failure;
    },
  };
}
