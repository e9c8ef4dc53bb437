/**
 * The Bluesky inbound channel: Jetstream's post commits over a WebSocket,
 * filtered down to the posts for the brand (payload.ts).
 *
 * The cursor is the time_us of the last event handled: moved in the
 * transaction that stores a message, and — for the many dropped events —
 * saved at most every few seconds (and on close). A (re)connection resumes
 * from a few seconds before it, as Jetstream documents for gapless
 * reconnection; the overlap is stored once because the pipeline dedupes by
 * the post's URI. Without a cursor yet, the first connection starts live.
 */
import type { Logger } from 'pino';
import WebSocket from 'ws';
import type { Db } from '../../db/connect';
import { advanceChannelCursor, readChannelCursor } from '../../repos/channel-cursors';
import type { InboundPipeline } from '../pipeline';
import { keepStreaming, type StreamSession } from '../reconnect';
import { authorNames, resolveHandle } from './identity';
import { BlueskyPayloadError, type BlueskyBrand, isPostCreate, JetstreamHeadSchema, normaliseBlueskyPost, type PostMatch, type PostCreate, PostCreateSchema, postMatcher } from './payload';

export interface BlueskyChannelConfig {
  /** The Jetstream instance, e.g. `wss://jetstream2.us-east.bsky.network` (its `/subscribe` is added). */
  jetstreamUrl: string;
  /** The brand's handle, lower case, without the @. */
  handle: string | null;
  /** The brand's PDS: resolves the handle to the brand's DID and authors' DIDs to handles. */
  pdsUrl: string | null;
  /** The keywords the hub was started with; `BlueskyStreamDeps.keywords`, when given, replaces them live. */
  keywords: string[];
}

const CHANNEL = 'bluesky';
/** How far before the cursor a reconnection replays (Jetstream: "a few seconds" make reconnection gapless). */
export const REPLAY_US = 5_000_000;
/** How often the cursor is saved while only dropped events pass. */
const SAVE_EVERY_MS = 3_000;
const PING_EVERY_MS = 30_000;
/** Events waiting to be handled before the socket stops reading (the pipeline is slower than the firehose at times). */
const MAX_BACKLOG = 1_000;

export interface BlueskyStreamDeps {
  db: Db;
  log: Logger;
  /** The current listening keywords (the admin's channel settings), asked for every post: cached by the caller. */
  keywords?: () => Promise<readonly string[]>;
}

/** `…/subscribe?wantedCollections=app.bsky.feed.post[&cursor=…]`. */
export function subscribeUrl(jetstreamUrl: string, cursor: number | null): string {
  const url = new URL(jetstreamUrl);
  if (!url.pathname.endsWith('/subscribe')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/subscribe`;
  url.searchParams.set('wantedCollections', 'app.bsky.feed.post');
  if (cursor !== null) url.searchParams.set('cursor', String(cursor));
  return url.href;
}

export function startBlueskyStream(config: BlueskyChannelConfig, pipeline: InboundPipeline, deps: BlueskyStreamDeps): { close(): Promise<void> } {
  const { db, log } = deps;
  const names = authorNames(config.pdsUrl);
  const keywordsNow = deps.keywords ?? (async () => config.keywords);
  /** The brand's DID, resolved once; the matcher is compiled again only when the keywords change. */
  let identity: { did: string | null } | null = null;
  let match: { keywords: string; test: (post: PostCreate) => PostMatch | null } | null = null;
  /** The time_us of the last event handled, and of the last one saved (with when). */
  let handled: number | null = null;
  let saved: { timeUs: number | null; at: number } = { timeUs: null, at: 0 };

  async function resolveBrand(signal: AbortSignal): Promise<void> {
    if (identity) return;
    let did: string | null = null;
    if (config.handle && config.pdsUrl) did = await resolveHandle(config.pdsUrl, config.handle, signal);
    else if (config.handle) log.warn('bluesky: no PDS URL, so the brand’s DID is unknown: replies to it and mention facets are not recognised, only "@handle" in the text and the keywords');
    identity = { did };
  }

  /** The matcher for the keywords as they are now (Jetstream sends hundreds of posts a second: compiled once per change). */
  async function brandMatcher(): Promise<(post: PostCreate) => PostMatch | null> {
    const keywords = [...(await keywordsNow())];
    const key = keywords.join('\n');
    if (match?.keywords === key) return match.test;
    const brand: BlueskyBrand = { did: identity?.did ?? null, handle: config.handle, keywords };
    log.info({ did: brand.did, keywords: keywords.length }, 'bluesky: listening for the brand');
    match = { keywords: key, test: postMatcher(brand) };
    return match.test;
  }

  async function saveHandled(): Promise<void> {
    if (handled === null || handled === saved.timeUs) return;
    const timeUs = handled;
    await advanceChannelCursor(db, CHANNEL, String(timeUs));
    saved = { timeUs, at: Date.now() };
  }

  /** Handles one Jetstream message; resolves once the post it carries (if it is for the brand) is stored. */
  async function handle(text: string): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      log.warn('bluesky: skipped an event that is not JSON');
      return;
    }
    const head = JetstreamHeadSchema.safeParse(json);
    if (!head.success) {
      log.warn({ issues: head.error.issues.map((i) => i.path.join('.')) }, 'bluesky: skipped an event without did, time_us or kind');
      return;
    }
    const timeUs = head.data.time_us;
    if (isPostCreate(json)) {
      const post = PostCreateSchema.safeParse(json);
      const found = post.success ? (await brandMatcher())(post.data) : null;
      if (!post.success) log.warn({ timeUs, issues: post.error.issues.map((i) => i.path.join('.')) }, 'bluesky: skipped a malformed post');
      else if (found) {
        try {
          const message = normaliseBlueskyPost(post.data, found, await names(post.data.did));
          const outcome = await pipeline.receive(message, (tx) => advanceChannelCursor(tx, CHANNEL, String(timeUs)));
          handled = Math.max(handled ?? 0, timeUs);
          saved = { timeUs: handled, at: Date.now() };
          log.debug({ timeUs, status: outcome.status }, 'bluesky: post received');
          return;
        } catch (error) {
          if (!(error instanceof BlueskyPayloadError)) throw error;
          log.warn({ timeUs, reason: error.message }, 'bluesky: skipped a post that is not storable');
        }
      }
    }
    handled = Math.max(handled ?? 0, timeUs);
    if (Date.now() - saved.at >= SAVE_EVERY_MS) await saveHandled();
  }

  async function session({ signal, connected }: StreamSession): Promise<void> {
    await resolveBrand(signal);
    const stored = handled ?? (await readChannelCursor(db, CHANNEL));
    const cursor = stored === null ? null : Math.max(0, Number(stored) - REPLAY_US);
    try {
      await stream(subscribeUrl(config.jetstreamUrl, cursor), signal, connected, (text) => handle(text));
    } finally {
      // What was handled since the last save: a restart then replays less.
      await saveHandled().catch((error: unknown) => log.warn({ err: error }, 'bluesky: could not save the cursor'));
    }
  }

  /**
   * One WebSocket connection: each message is handled in order, one at a
   * time; resolves when the server closes it, rejects when it fails or a
   * message could not be stored (the next connection replays from the cursor).
   */
  function stream(url: string, signal: AbortSignal, connected: () => void, onMessage: (text: string) => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      // Closed while the session read its cursor: an abort listener added now would never fire, and the socket never close.
      if (signal.aborted) return resolve();
      const ws = new WebSocket(url, { handshakeTimeout: 10_000, maxPayload: 4 * 1024 * 1024 });
      let chain = Promise.resolve();
      let failure: unknown = null;
      let backlog = 0;
      let alive = true;
      // A half-open connection delivers nothing and never closes: a ping unanswered for a whole period ends it.
      const heartbeat = setInterval(() => {
        if (!alive) return ws.terminate();
        alive = false;
        ws.ping();
      }, PING_EVERY_MS);
      const stop = () => ws.close(1000);
      signal.addEventListener('abort', stop, { once: true });
      ws.on('open', () => {
        connected();
        log.info({ resumed: url.includes('cursor=') }, 'bluesky: streaming');
      });
      ws.on('pong', () => (alive = true));
      ws.on('error', (error) => (failure ??= error));
      ws.on('message', (data: WebSocket.RawData) => {
        alive = true;
        if (failure !== null || signal.aborted) return;
        const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
        if (++backlog >= MAX_BACKLOG && !ws.isPaused) ws.pause();
        chain = chain.then(async () => {
          try {
            // Once failed or closing, the rest waits for the next connection's replay.
            if (failure === null && !signal.aborted) await onMessage(text);
          } catch (error) {
            failure ??= error;
            ws.terminate();
          } finally {
            if (--backlog < MAX_BACKLOG / 2 && ws.isPaused) ws.resume();
          }
        });
      });
      ws.on('close', () => {
        clearInterval(heartbeat);
        signal.removeEventListener('abort', stop);
        void chain.then(() => (failure !== null && !signal.aborted ? reject(failure) : resolve()));
      });
    });
  }

  return keepStreaming({ log, what: 'bluesky', session });
}
