/**
 * A local stand-in for the providers replies go to: one HTTP server speaking
 * the X API v2, Graph API, Mastodon and XRPC (Bluesky PDS) wire formats, and
 * an SMTP sink (smtp-server, read with mailparser). It checks the demo
 * credentials (DEMO_OUTBOUND) the way each provider does, keeps what it was
 * sent (`received()`, a `call` event, `waitFor`), and can be told to refuse
 * the next calls (`failNext`) so retries and failures can be tested and shown.
 * The demo (`--demo`) points every provider URL and the relay here
 * (`demoOutboundOptions`).
 *
 * It also plays the two open networks the hub listens to: a Mastodon
 * instance with the brand's mentions in its notifications API and stream
 * (simulated-mastodon.ts) and a Jetstream (`ws://…/subscribe`,
 * simulated-jetstream.ts) with the PDS reads the hub makes (resolveHandle,
 * describeRepo). `postMastodon` and `postBluesky` publish a customer's post
 * there; the hub's replies (statuses, createRecord) join the same timelines,
 * so a customer can answer them (`mastodonThreads`, `blueskyThreads`). Every
 * list it keeps holds the last 1,000 items.
 *
 * By hand: `npx tsx src/hub/demo/provider-simulator.ts [--port 4790] [--smtp-port 2590]`
 * prints its URLs and one line per call.
 */
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { z } from 'zod';
import { simulatedJetstream, type StrongRef } from './simulated-jetstream';
import { keepLast, type MastodonPost, type MastodonVisibility, simulatedMastodon } from './simulated-mastodon';

/** How many calls, refusals, posts and sessions the simulator keeps. */
const KEEP = 1_000;

/** The credentials the simulator accepts, which the demo hub is given. */
export const DEMO_OUTBOUND = {
  xToken: 'demo-x-user-token',
  metaPageToken: 'demo-meta-page-token',
  mastodonToken: 'demo-mastodon-token',
  blueskyHandle: 'switchboard.bsky.social',
  blueskyAppPassword: 'demo-bsky-app-password',
  /** The brand's Bluesky DID on the simulated PDS. */
  blueskyDid: 'did:plc:sw1tchb0ardd3m0br4ndacct',
  /** The brand's account on the simulated Mastodon instance. */
  mastodonAcct: 'switchboard',
} as const;

/** The providers, as failNext names them: Graph serves both Facebook and Instagram. */
export type SimulatedProvider = 'x' | 'meta' | 'mastodon' | 'bluesky' | 'email';

export interface ReceivedCall {
  provider: SimulatedProvider;
  /** The route: `POST /2/tweets`, `POST /xrpc/com.atproto.repo.createRecord`, `SMTP DATA`… */
  endpoint: string;
  /** The path as requested (ids filled in). */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string>;
  /** The parsed JSON or form body; a mail's text. */
  body: unknown;
  /** What the simulator answered. */
  answer: unknown;
  /** Mastodon: an Idempotency-Key seen before, answered with the earlier status (nothing new made). */
  replayed?: boolean;
  /** SMTP: the envelope and the mail as mailparser reads it. */
  envelope?: { from: string; to: string[] };
  mail?: ParsedMail;
}

/** A Bluesky post by a customer, as the simulated network publishes it on its Jetstream. */
export interface BlueskyPost {
  handle: string;
  /** Derived from the handle when not given. */
  did?: string;
  /** `@switchboard.bsky.social` in it gets a mention facet, as a client adds one. */
  text: string;
  /** The post it answers: its root is looked up (or the parent itself). */
  replyTo?: StrongRef;
  langs?: string[];
}

export interface ProviderSimulator {
  /** The HTTP base URL: X, Graph, Mastodon and the PDS all live under it. */
  url: string;
  /** `ws://host:port`: the Jetstream (its `/subscribe`). */
  jetstreamUrl: string;
  /** `smtp://host:port` of the sink. */
  smtpUrl: string;
  /** Every call accepted so far, oldest first. */
  received(): ReceivedCall[];
  /** Every call answered with an error (a bad token or body, an existing record key, failNext), with its status. */
  refused(): (Omit<ReceivedCall, 'answer'> & { status: number; answer: unknown })[];
  /** Emits `call` with each accepted ReceivedCall. */
  events: EventEmitter;
  /** The first accepted call (already received or still to come) that matches. */
  waitFor(match: (call: ReceivedCall) => boolean, timeoutMs?: number): Promise<ReceivedCall>;
  /**
   * Refuses the provider's next `count` writes (a tweet or DM, a comment or
   * message, a status, a createRecord, a mail's DATA) with `status` — an SMTP
   * code for `email` — and `body` (for `email`, the reply text), by default
   * an error in the provider's own format. Sign-ins and reads are not counted.
   */
  failNext(provider: SimulatedProvider, status: number, body?: unknown, count?: number): void;
  /** Makes every Bluesky access token issued so far expired (the refresh path). */
  expireBlueskySessions(): void;
  /** A customer's status mentioning the brand: in the notifications API and on every open stream. */
  postMastodon(post: MastodonPost): { statusId: string; notificationId: string };
  /** A customer's post, published on the Jetstream. */
  postBluesky(post: BlueskyPost): { uri: string; cid: string; did: string; timeUs: number };
  /** The brand's statuses a customer can answer, newest first: its replies (with whom each answered), then its announcement. */
  mastodonThreads(): { statusId: string; to: { acct: string; displayName: string; visibility: MastodonVisibility } | null }[];
  /** The brand's posts a customer can answer, newest first: its replies (with whom each answered), then its announcement. */
  blueskyThreads(): { post: StrongRef; to: { did: string; handle: string } | null }[];
  close(): Promise<void>;
}

/** The hub's outbound options that send every reply to this simulator. */
export function demoOutboundOptions(sim: Pick<ProviderSimulator, 'url' | 'smtpUrl'>) {
  return {
    smtpRelayUrl: sim.smtpUrl,
    xApiUrl: sim.url,
    xToken: DEMO_OUTBOUND.xToken,
    metaApiUrl: sim.url,
    metaPageToken: DEMO_OUTBOUND.metaPageToken,
    mastodonUrl: sim.url,
    mastodonToken: DEMO_OUTBOUND.mastodonToken,
    blueskyPdsUrl: sim.url,
    blueskyHandle: DEMO_OUTBOUND.blueskyHandle,
    blueskyAppPassword: DEMO_OUTBOUND.blueskyAppPassword,
  };
}

const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/;
const S32 = '234567abcdefghijklmnopqrstuvwxyz';
const GRAPH_ID = /^\d{1,30}(_\d{1,30})?$/;

/** A CID-looking string (CIDv1, dag-cbor, sha256, base32) of a record. */
const cidOf = (value: unknown) => {
  const digest = createHash('sha256').update(JSON.stringify(value)).digest();
  let bits = '';
  for (const byte of digest) bits += byte.toString(2).padStart(8, '0');
  let out = 'bafyrei';
  for (let i = 0; i + 5 <= bits.length; i += 5) out += 'abcdefghijklmnopqrstuvwxyz234567'[parseInt(bits.slice(i, i + 5), 2)];
  return out;
};
const didOf = (handle: string) => {
  const digest = createHash('sha256').update(handle.toLowerCase()).digest();
  return `did:plc:${Array.from(digest.subarray(0, 24), (b) => 'abcdefghijklmnopqrstuvwxyz234567'[b & 31]).join('')}`;
};
const token = (prefix: string) => `${prefix}.${randomBytes(18).toString('base64url')}`;

function nextTid(): string {
  let value = (BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000))) << 10n;
  value |= BigInt(Math.floor(Math.random() * 1024));
  let tid = '';
  for (let shift = 60n; shift >= 0n; shift -= 5n) tid += S32[Number((value >> shift) & 31n)];
  return tid;
}

/** The mention facet a client adds for `@switchboard.bsky.social` in a post (byte offsets in UTF-8). */
function mentionFacets(text: string): { facets?: object[] } {
  const at = text.toLowerCase().indexOf(`@${DEMO_OUTBOUND.blueskyHandle}`);
  if (at < 0) return {};
  const byteStart = Buffer.byteLength(text.slice(0, at));
  const byteEnd = byteStart + Buffer.byteLength(`@${DEMO_OUTBOUND.blueskyHandle}`);
  return { facets: [{ $type: 'app.bsky.richtext.facet', index: { byteStart, byteEnd }, features: [{ $type: 'app.bsky.richtext.facet#mention', did: DEMO_OUTBOUND.blueskyDid }] }] };
}

const bearer = (request: FastifyRequest) => /^(?:Bearer|OAuth)\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1];

const X_TITLES: Record<number, string> = { 400: 'Invalid Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found Error', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** The error each provider would send for this status, when a test names none. */
function defaultFailure(provider: SimulatedProvider, status: number): unknown {
  const title = X_TITLES[status] ?? `HTTP ${status}`;
  switch (provider) {
    case 'x':
      return { title, detail: status === 429 ? 'Too Many Requests' : `simulated ${title.toLowerCase()}`, type: 'about:blank', status };
    case 'meta':
      return { error: { message: `(#${status === 429 ? 4 : status >= 500 ? 2 : 100}) simulated failure`, type: 'OAuthException', code: status === 429 ? 4 : status >= 500 ? 2 : 100, fbtrace_id: randomBytes(8).toString('base64url') } };
    case 'mastodon':
      return { error: status === 429 ? 'Too many requests' : `simulated failure (${status})` };
    case 'bluesky':
      return { error: status >= 500 ? 'InternalServerError' : status === 429 ? 'RateLimitExceeded' : 'InvalidRequest', message: 'simulated failure' };
    case 'email':
      return status >= 500 ? '5.7.1 simulated refusal' : '4.3.0 simulated temporary failure';
  }
}

const XTweetBody = z.object({
  text: z.string().min(1),
  reply: z.object({ in_reply_to_tweet_id: z.string().regex(/^\d+$/) }).strict().optional(),
});
const XDmBody = z.object({ text: z.string().min(1) });
const GraphCommentBody = z.object({ message: z.string().min(1) });
const GraphSendBody = z.object({
  recipient: z.object({ id: z.string().regex(/^\d+$/) }),
  messaging_type: z.enum(['RESPONSE', 'UPDATE', 'MESSAGE_TAG']),
  message: z.object({ text: z.string().min(1).max(2000) }),
});
const MastodonStatusBody = z.object({
  status: z.string().min(1).max(500),
  in_reply_to_id: z.string().regex(/^\d+$/).optional(),
  visibility: z.enum(['public', 'unlisted', 'private', 'direct']).optional(),
});
const StrongRef = z.object({ uri: z.string().startsWith('at://'), cid: z.string().min(1) });
const PostRecord = z.object({
  $type: z.literal('app.bsky.feed.post'),
  text: z.string().max(3000),
  createdAt: z.iso.datetime({ offset: true }),
  reply: z.object({ root: StrongRef, parent: StrongRef }).optional(),
  facets: z.array(z.unknown()).optional(),
});
const CreateRecordBody = z.object({ repo: z.string().min(1), collection: z.string().min(1), rkey: z.string().optional(), record: z.record(z.string(), z.unknown()) });
const CreateSessionBody = z.object({ identifier: z.string(), password: z.string() });

export async function startProviderSimulator(opts: { port?: number; host?: string; smtpPort?: number } = {}): Promise<ProviderSimulator> {
  const host = opts.host ?? '127.0.0.1';
  const calls: ReceivedCall[] = [];
  const refusals: ReturnType<ProviderSimulator['refused']> = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const failures = new Map<SimulatedProvider, { status: number; body: unknown }[]>();
  let serial = BigInt(Date.now()) << 22n;
  const nextId = () => String(++serial);

  // Mastodon: statuses by Idempotency-Key. Bluesky: sessions and the repo.
  const statusesByKey = new Map<string, unknown>();
  const accessTokens = new Map<string, { did: string; expired: boolean }>();
  const refreshTokens = new Map<string, string>();
  const records = new Map<string, { uri: string; cid: string; value: unknown }>();
  /** Handles by DID, for the profiles of this simulated network. */
  const handles = new Map<string, string>();
  const handleOf = (did: string) => (did === DEMO_OUTBOUND.blueskyDid ? DEMO_OUTBOUND.blueskyHandle : handles.get(did));
  const knowHandle = (did: string, handle: string) => {
    if (did === DEMO_OUTBOUND.blueskyDid) return;
    handles.delete(did);
    handles.set(did, handle);
    keepLast(handles, KEEP);
  };
  const keepRecord = (uri: string, cid: string, value: unknown) => {
    records.set(uri, { uri, cid, value });
    keepLast(records, KEEP);
  };

  const mastodon = simulatedMastodon({ token: DEMO_OUTBOUND.mastodonToken, brandAcct: DEMO_OUTBOUND.mastodonAcct, nextId, max: KEEP });
  const jetstream = simulatedJetstream({ max: KEEP });
  /** The brand's Bluesky posts (its announcement, then the hub's replies), oldest first. */
  const brandPosts: { post: StrongRef; to: { did: string; handle: string } | null }[] = [];

  const bounded = <T>(list: T[], item: T) => {
    list.push(item);
    if (list.length > KEEP) list.splice(0, list.length - KEEP);
  };
  const record = (call: Omit<ReceivedCall, 'headers' | 'query'> & Partial<Pick<ReceivedCall, 'headers' | 'query'>>) => {
    const full: ReceivedCall = { headers: {}, query: {}, ...call };
    bounded(calls, full);
    events.emit('call', full);
  };
  const takeFailure = (provider: SimulatedProvider) => failures.get(provider)?.shift();

  // forceCloseConnections: close() must not wait for an open Mastodon event stream.
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, forceCloseConnections: true });
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 400) return payload;
    const path = request.url.split('?')[0]!;
    const provider: SimulatedProvider = path.startsWith('/2/') ? 'x' : path.startsWith('/v21.0/') ? 'meta' : path.startsWith('/api/') ? 'mastodon' : 'bluesky';
    let answer: unknown = payload;
    try {
      answer = typeof payload === 'string' ? JSON.parse(payload) : payload;
    } catch {
      // Keep the text.
    }
    bounded(refusals, { provider, endpoint: `${request.method} ${provider === 'bluesky' ? path : (request.routeOptions.url ?? path)}`, path, headers: request.headers, query: request.query as Record<string, string>, body: request.body, status: reply.statusCode, answer });
    return payload;
  });
  // Graph and Mastodon take form bodies as well as JSON.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));

  /** Answers an accepted write, or the failure a test asked for. */
  function respond(provider: SimulatedProvider, request: FastifyRequest, reply: FastifyReply, endpoint: string, status: number, answer: unknown, extra: Partial<ReceivedCall> = {}) {
    record({ provider, endpoint, path: request.url.split('?')[0]!, headers: request.headers, query: request.query as Record<string, string>, body: request.body, answer, ...extra });
    return reply.code(status).send(answer);
  }
  function refuse(provider: SimulatedProvider, reply: FastifyReply): boolean {
    const failure = takeFailure(provider);
    if (!failure) return false;
    void reply.code(failure.status).send(failure.body);
    return true;
  }

  // ---- X API v2 ----
  const xUnauthorized = (reply: FastifyReply) => reply.code(401).send({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' });
  const xInvalid = (reply: FastifyReply, error: z.ZodError) =>
    reply.code(400).send({
      errors: error.issues.map((issue) => ({ parameters: { [issue.path.join('.')]: [] }, message: issue.message })),
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    });

  app.post('/2/tweets', async (request, reply) => {
    if (bearer(request) !== DEMO_OUTBOUND.xToken) return xUnauthorized(reply);
    const body = XTweetBody.safeParse(request.body);
    if (!body.success) return xInvalid(reply, body.error);
    if (refuse('x', reply)) return reply;
    const id = nextId();
    return respond('x', request, reply, 'POST /2/tweets', 201, { data: { id, text: body.data.text, edit_history_tweet_ids: [id] } });
  });

  app.post<{ Params: { participant: string } }>('/2/dm_conversations/with/:participant/messages', async (request, reply) => {
    if (bearer(request) !== DEMO_OUTBOUND.xToken) return xUnauthorized(reply);
    const body = XDmBody.safeParse(request.body);
    if (!body.success) return xInvalid(reply, body.error);
    if (!/^\d+$/.test(request.params.participant)) return reply.code(400).send({ title: 'Invalid Request', detail: `The \`participant_id\` query parameter value [${request.params.participant}] is not valid`, type: 'https://api.twitter.com/2/problems/invalid-request' });
    if (refuse('x', reply)) return reply;
    return respond('x', request, reply, 'POST /2/dm_conversations/with/:participant_id/messages', 201, { data: { dm_conversation_id: `${request.params.participant}-2244994945`, dm_event_id: nextId() } });
  });

  // ---- Graph API ----
  const graphError = (reply: FastifyReply, status: number, code: number, message: string, type = 'OAuthException') =>
    reply.code(status).send({ error: { message, type, code, fbtrace_id: randomBytes(8).toString('base64url') } });
  const graphToken = (request: FastifyRequest) => (request.body as { access_token?: unknown } | null)?.access_token ?? (request.query as { access_token?: string }).access_token ?? bearer(request);

  const graphComment = (edge: 'comments' | 'replies') => async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply) => {
    if (graphToken(request) !== DEMO_OUTBOUND.metaPageToken) return graphError(reply, 400, 190, 'Invalid OAuth access token - Cannot parse access token');
    const id = request.params.id;
    if (!GRAPH_ID.test(id)) return graphError(reply, 400, 100, `Unsupported post request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 'GraphMethodException');
    const body = GraphCommentBody.safeParse(request.body);
    if (!body.success) return graphError(reply, 400, 100, '(#100) The parameter message is required');
    if (refuse('meta', reply)) return reply;
    const created = edge === 'comments' && id.includes('_') ? `${id.split('_')[0]}_${nextId()}` : nextId();
    return respond('meta', request, reply, `POST /v21.0/:id/${edge}`, 200, { id: created });
  };
  app.post('/v21.0/:id/comments', graphComment('comments'));
  app.post('/v21.0/:id/replies', graphComment('replies'));

  app.post('/v21.0/me/messages', async (request, reply) => {
    if (graphToken(request) !== DEMO_OUTBOUND.metaPageToken) return graphError(reply, 400, 190, 'Invalid OAuth access token - Cannot parse access token');
    const body = GraphSendBody.safeParse(request.body);
    if (!body.success) return graphError(reply, 400, 100, `(#100) ${body.error.issues[0]?.path.join('.')}: ${body.error.issues[0]?.message}`);
    if (refuse('meta', reply)) return reply;
    return respond('meta', request, reply, 'POST /v21.0/me/messages', 200, { recipient_id: body.data.recipient.id, message_id: `m_${randomBytes(24).toString('base64url')}` });
  });

  // ---- Mastodon ----
  app.post('/api/v1/statuses', async (request, reply) => {
    if (bearer(request) !== DEMO_OUTBOUND.mastodonToken) return reply.code(401).send({ error: 'The access token is invalid' });
    const key = request.headers['idempotency-key'];
    // Mastodon answers a key it has seen with the status it made then.
    const seen = typeof key === 'string' ? statusesByKey.get(key) : undefined;
    if (seen) return respond('mastodon', request, reply, 'POST /api/v1/statuses', 200, seen, { replayed: true });
    const body = MastodonStatusBody.safeParse(request.body);
    if (!body.success) return reply.code(422).send({ error: `Validation failed: ${body.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join(', ')}` });
    if (refuse('mastodon', reply)) return reply;
    // In the instance's timeline, so the customer can answer it.
    const status = mastodon.brandStatus(body.data.status, body.data.in_reply_to_id, body.data.visibility ?? 'public');
    if (typeof key === 'string') {
      statusesByKey.set(key, status);
      keepLast(statusesByKey, KEEP);
    }
    return respond('mastodon', request, reply, 'POST /api/v1/statuses', 200, status);
  });

  // The read side the hub's inbound Mastodon stream uses: the brand's account, its mention notifications and their stream.
  mastodon.register(app);

  // ---- XRPC (a PDS with the brand's account) ----
  const xrpcError = (reply: FastifyReply, status: number, error: string, message: string) => reply.code(status).send({ error, message });
  const newSession = (did: string) => {
    const accessJwt = token('access');
    const refreshJwt = token('refresh');
    accessTokens.set(accessJwt, { did, expired: false });
    refreshTokens.set(refreshJwt, did);
    keepLast(accessTokens, KEEP);
    keepLast(refreshTokens, KEEP);
    return { accessJwt, refreshJwt, handle: DEMO_OUTBOUND.blueskyHandle, did, active: true };
  };
  /** The session's DID, or the answer already sent. */
  const authorised = (request: FastifyRequest, reply: FastifyReply): string | null => {
    const session = accessTokens.get(bearer(request) ?? '');
    if (session && !session.expired) return session.did;
    void (session ? xrpcError(reply, 401, 'ExpiredToken', 'Token has expired') : xrpcError(reply, 401, 'AuthenticationRequired', 'Authentication Required'));
    return null;
  };
  const repoDid = (repo: string) => (repo === DEMO_OUTBOUND.blueskyHandle ? DEMO_OUTBOUND.blueskyDid : repo);

  app.route<{ Params: { nsid: string } }>({
    method: ['GET', 'POST'],
    url: '/xrpc/:nsid',
    handler: async (request, reply) => {
      const { nsid } = request.params;
      const query = request.query as Record<string, string>;
      const endpoint = `${request.method} /xrpc/${nsid}`;
      switch (`${request.method} ${nsid}`) {
        case 'POST com.atproto.server.createSession': {
          const body = CreateSessionBody.safeParse(request.body);
          if (!body.success) return xrpcError(reply, 400, 'InvalidRequest', 'Input must have the properties "identifier", "password"');
          const known = [DEMO_OUTBOUND.blueskyHandle, DEMO_OUTBOUND.blueskyDid].includes(body.data.identifier.toLowerCase() as never);
          if (!known || body.data.password !== DEMO_OUTBOUND.blueskyAppPassword) return xrpcError(reply, 401, 'AuthenticationRequired', 'Invalid identifier or password');
          return respond('bluesky', request, reply, endpoint, 200, newSession(DEMO_OUTBOUND.blueskyDid), { body: { identifier: body.data.identifier } });
        }
        case 'POST com.atproto.server.refreshSession': {
          const presented = bearer(request) ?? '';
          const did = refreshTokens.get(presented);
          if (!did) return xrpcError(reply, 400, 'ExpiredToken', 'Token has expired');
          refreshTokens.delete(presented);
          return respond('bluesky', request, reply, endpoint, 200, newSession(did));
        }
        case 'GET com.atproto.identity.resolveHandle': {
          const handle = query.handle?.toLowerCase();
          if (!handle || !/^[a-z0-9.-]+\.[a-z]{2,}$/.test(handle)) return xrpcError(reply, 400, 'InvalidRequest', 'Unable to resolve handle');
          // Every well-formed handle exists on this simulated network.
          const did = handle === DEMO_OUTBOUND.blueskyHandle ? DEMO_OUTBOUND.blueskyDid : didOf(handle);
          knowHandle(did, handle);
          return respond('bluesky', request, reply, endpoint, 200, { did });
        }
        case 'GET com.atproto.repo.describeRepo': {
          // The hub asks it for a post author's handle: only repos this network has seen exist.
          const did = repoDid(query.repo ?? '');
          const handle = handleOf(did);
          if (!handle) return xrpcError(reply, 400, 'RepoNotFound', `Could not find repo: ${query.repo ?? ''}`);
          return respond('bluesky', request, reply, endpoint, 200, { handle, did, didDoc: {}, collections: ['app.bsky.feed.post'], handleIsCorrect: true });
        }
        case 'GET app.bsky.actor.getProfile': {
          // A PDS proxies app.bsky.* to the AppView for a signed-in account.
          if (!authorised(request, reply)) return reply;
          const actor = query.actor ?? '';
          const did = actor.startsWith('did:') ? actor : didOf(actor);
          if (!/^did:[a-z]+:[\w.:%-]+$/.test(did)) return xrpcError(reply, 400, 'InvalidRequest', 'Error: actor must be a valid did or a handle');
          // Every DID exists too; one never seen gets a handle of its own.
          const handle = handleOf(did) ?? (actor.startsWith('did:') ? `user-${did.slice(-8)}.bsky.social` : actor);
          knowHandle(did, handle);
          return respond('bluesky', request, reply, endpoint, 200, { did, handle, displayName: '', followersCount: 0, followsCount: 0, postsCount: 0 });
        }
        case 'GET com.atproto.repo.getRecord': {
          const uri = `at://${repoDid(query.repo ?? '')}/${query.collection}/${query.rkey}`;
          const found = records.get(uri);
          if (!found) return xrpcError(reply, 400, 'RecordNotFound', `Could not locate record: ${uri}`);
          return respond('bluesky', request, reply, endpoint, 200, found);
        }
        case 'POST com.atproto.repo.createRecord': {
          const did = authorised(request, reply);
          if (!did) return reply;
          const body = CreateRecordBody.safeParse(request.body);
          if (!body.success) return xrpcError(reply, 400, 'InvalidRequest', z.prettifyError(body.error));
          if (repoDid(body.data.repo) !== did) return xrpcError(reply, 403, 'InvalidRequest', 'Invalid did for this session');
          if (body.data.collection !== 'app.bsky.feed.post') return xrpcError(reply, 400, 'InvalidRequest', `Unsupported collection ${body.data.collection}`);
          const post = PostRecord.safeParse(body.data.record);
          if (!post.success) return xrpcError(reply, 400, 'InvalidRequest', `Invalid app.bsky.feed.post record: ${z.prettifyError(post.error)}`);
          const rkey = body.data.rkey ?? nextTid();
          if (!TID.test(rkey)) return xrpcError(reply, 400, 'InvalidRequest', `Invalid record key: ${rkey} is not a TID`);
          const uri = `at://${did}/${body.data.collection}/${rkey}`;
          if (records.has(uri)) return xrpcError(reply, 400, 'InvalidRequest', `Record already exists: ${uri}`);
          if (refuse('bluesky', reply)) return reply;
          const cid = cidOf(post.data);
          const rev = nextTid();
          keepRecord(uri, cid, post.data);
          // On the network's firehose too (the hub drops its own posts), and in the threads a customer can answer.
          jetstream.commit(did, body.data.collection, rkey, cid, rev, post.data);
          const parentDid = /^at:\/\/([^/]+)\//.exec(post.data.reply?.parent.uri ?? '')?.[1];
          bounded(brandPosts, { post: { uri, cid }, to: parentDid && parentDid !== did ? { did: parentDid, handle: handleOf(parentDid) ?? parentDid } : null });
          return respond('bluesky', request, reply, endpoint, 200, { uri, cid, commit: { cid: cidOf(uri), rev }, validationStatus: 'valid' });
        }
        default:
          return xrpcError(reply, 501, 'MethodNotImplemented', `Method Not Implemented: ${nsid}`);
      }
    },
  });

  // ---- SMTP sink ----
  const smtp = new SMTPServer({
    banner: 'Switchboard provider simulator',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('error', callback);
      stream.once('end', () => {
        const failure = takeFailure('email');
        if (failure) {
          bounded(refusals, { provider: 'email', endpoint: 'SMTP DATA', path: '', headers: {}, query: {}, body: null, status: failure.status, answer: failure.body });
          return callback(Object.assign(new Error(String(failure.body)), { responseCode: failure.status }));
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (mail) => {
            const envelope = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) };
            record({ provider: 'email', endpoint: 'SMTP DATA', path: '', body: mail.text ?? '', answer: '250 accepted', envelope, mail });
            callback(null, 'accepted');
          },
          (error: unknown) => callback(Object.assign(new Error(`5.6.0 malformed message: ${String(error)}`), { responseCode: 554 })),
        );
      });
    },
  });
  smtp.on('error', () => {
    // A client dropping its connection is no concern of the sink's.
  });

  jetstream.attach(app.server);
  await app.listen({ port: opts.port ?? 0, host });
  try {
    await new Promise<void>((resolve, reject) => {
      smtp.server.once('error', reject);
      smtp.listen(opts.smtpPort ?? 0, host, () => resolve());
    });
  } catch (error) {
    await app.close();
    throw error;
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const httpPort = (app.server.address() as AddressInfo).port;
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  mastodon.setBase(`http://${urlHost}:${httpPort}`);

  /** Publishes a post on the firehose, kept as a record of its repo. */
  function publishPost(did: string, record: z.infer<typeof PostRecord> & { langs?: string[] }): { uri: string; cid: string; timeUs: number } {
    const rkey = nextTid();
    const uri = `at://${did}/app.bsky.feed.post/${rkey}`;
    const cid = cidOf(record);
    keepRecord(uri, cid, record);
    return { uri, cid, timeUs: jetstream.commit(did, 'app.bsky.feed.post', rkey, cid, nextTid(), record) };
  }

  // The brand's pinned posts, which a new customer answers to open a conversation.
  const announcement = 'Questions about your car, router or thermostat? Reply here and our team will help.';
  mastodon.pin(announcement);
  const pinned = publishPost(DEMO_OUTBOUND.blueskyDid, { $type: 'app.bsky.feed.post', text: announcement, createdAt: new Date().toISOString(), langs: ['en'] });
  bounded(brandPosts, { post: { uri: pinned.uri, cid: pinned.cid }, to: null });
  const pinnedPost = brandPosts[0]!;

  return {
    url: `http://${urlHost}:${httpPort}`,
    smtpUrl: `smtp://${urlHost}:${smtpPort}`,
    jetstreamUrl: `ws://${urlHost}:${httpPort}`,
    received: () => [...calls],
    refused: () => [...refusals],
    events,
    waitFor(match, timeoutMs = 10_000) {
      const already = calls.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const onCall = (call: ReceivedCall) => {
          if (!match(call)) return;
          clearTimeout(timer);
          events.off('call', onCall);
          resolve(call);
        };
        const timer = setTimeout(() => {
          events.off('call', onCall);
          reject(new Error(`the provider simulator received no matching call within ${timeoutMs} ms`));
        }, timeoutMs);
        events.on('call', onCall);
      });
    },
    failNext(provider, status, body, count = 1) {
      const queue = failures.get(provider) ?? [];
      for (let i = 0; i < count; i++) queue.push({ status, body: body ?? defaultFailure(provider, status) });
      failures.set(provider, queue);
    },
    expireBlueskySessions() {
      for (const session of accessTokens.values()) session.expired = true;
    },
    postMastodon(post) {
      const { status, notificationId } = mastodon.post(post);
      return { statusId: status.id, notificationId };
    },
    postBluesky(post) {
      const did = post.did ?? didOf(post.handle);
      knowHandle(did, post.handle);
      const parent = post.replyTo ? records.get(post.replyTo.uri) : undefined;
      // A reply's root is its parent's root (or the parent, when that is no reply).
      const root = (parent?.value as { reply?: { root: StrongRef } } | undefined)?.reply?.root ?? post.replyTo;
      const record = {
        $type: 'app.bsky.feed.post' as const,
        text: post.text,
        createdAt: new Date().toISOString(),
        ...(post.langs ? { langs: post.langs } : {}),
        ...(post.replyTo && root ? { reply: { root, parent: post.replyTo } } : {}),
        ...mentionFacets(post.text),
      };
      return { ...publishPost(did, record), did };
    },
    mastodonThreads() {
      const replies = mastodon.brandReplies().map(({ statusId, acct, displayName, visibility }) => ({ statusId, to: { acct, displayName, visibility } }));
      return [...replies, { statusId: mastodon.announcementId(), to: null }];
    },
    blueskyThreads() {
      return [...brandPosts.filter((p) => p.to !== null).slice(-20).reverse(), pinnedPost];
    },
    async close() {
      mastodon.close();
      jetstream.close();
      await Promise.all([app.close(), new Promise<void>((resolve) => smtp.close(() => resolve()))]);
    },
  };
}

// Run by hand: a simulator to point a hub at, logging every call. (No top-level await: bundlers may emit CommonJS.)
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { port: { type: 'string' }, 'smtp-port': { type: 'string' }, host: { type: 'string' } } });
  void startProviderSimulator({ port: Number(values.port ?? 4790), smtpPort: Number(values['smtp-port'] ?? 2590), host: values.host }).then(
    (sim) => {
      console.log(`provider simulator listening on ${sim.url} (X, Graph, Mastodon, XRPC), ${sim.jetstreamUrl}/subscribe (Jetstream) and ${sim.smtpUrl}`);
      console.log('hub options:', JSON.stringify({ ...demoOutboundOptions(sim), blueskyJetstreamUrl: sim.jetstreamUrl }));
      sim.events.on('call', (call: ReceivedCall) => console.log(`${call.provider} ${call.endpoint}`, JSON.stringify(call.mail ? { subject: call.mail.subject, to: call.envelope?.to } : call.body)));
      const stop = () => void sim.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      console.error(`provider simulator: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
