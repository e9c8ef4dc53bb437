/**
 * The Mastodon inbound channel: the brand's notification stream (SSE), with a
 * REST catch-up from the stored cursor each time it (re)connects.
 *
 * Each session opens the stream FIRST and only then catches up: whatever is
 * created after the stream is open arrives on it (held in the connection until
 * the catch-up is done), whatever before it comes from the catch-up, so
 * nothing falls between the two; a notification seen both ways is stored once
 * (the pipeline dedupes by external id) and the cursor only moves forward.
 * The cursor — the last notification id handled — moves in the transaction
 * that stores the message it covers. On the very first start it is set to the
 * newest mention there is: the history before the hub is not imported.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../db/connect';
import { advanceChannelCursor, readChannelCursor } from '../../repos/channel-cursors';
import type { InboundMessage } from '../inbound';
import type { InboundPipeline } from '../pipeline';
import { keepStreaming, type StreamSession } from '../reconnect';
import { type MastodonApi, type MastodonChannelConfig, mastodonApi, PAGE_LIMIT } from './api';
import { type MastodonBrand, MastodonPayloadError, MentionNotificationSchema, NotificationHeadSchema, normaliseMastodonMention } from './payload';

const CHANNEL = 'mastodon';
/** Mastodon sends a heartbeat comment every few seconds; this long without a byte, the connection is dead. */
const IDLE_TIMEOUT_MS = 60_000;

export interface MastodonStreamDeps {
  db: Db;
  log: Logger;
}

export function startMastodonStream(config: MastodonChannelConfig, pipeline: InboundPipeline, deps: MastodonStreamDeps): { close(): Promise<void> } {
  const { db, log } = deps;
  const api = mastodonApi(config);
  const host = new URL(config.url).host;
  let brand: MastodonBrand | null = null;

  /** Handles one notification, from the catch-up or the stream; resolves once it (or the cursor past it) is stored. */
  async function handle(raw: unknown, current: MastodonBrand): Promise<void> {
    const head = NotificationHeadSchema.safeParse(raw);
    if (!head.success) {
      log.warn({ issues: head.error.issues.map((i) => i.path.join('.')) }, 'mastodon: skipped a notification without an id');
      return;
    }
    const { id, type } = head.data;
    // Favourites, follows, boosts: not posts to the brand. The catch-up asks for mentions only, so they need no cursor.
    if (type !== 'mention') return;
    const mention = MentionNotificationSchema.safeParse(raw);
    let message: InboundMessage | null;
    try {
      if (!mention.success) throw new MastodonPayloadError(z.prettifyError(mention.error));
      message = normaliseMastodonMention(mention.data, current);
    } catch (error) {
      if (!(error instanceof MastodonPayloadError)) throw error;
      // Moved past, so it does not come back with every catch-up.
      log.warn({ notificationId: id, reason: error.message }, 'mastodon: skipped a malformed mention');
      await advanceChannelCursor(db, CHANNEL, id);
      return;
    }
    if (message === null) {
      await advanceChannelCursor(db, CHANNEL, id);
      return;
    }
    const outcome = await pipeline.receive(message, (tx) => advanceChannelCursor(tx, CHANNEL, id));
    log.debug({ notificationId: id, status: outcome.status }, 'mastodon: mention received');
  }

  /** The first start: from the newest mention there is (or from the beginning, when there is none yet). */
  async function firstCursor(signal: AbortSignal): Promise<string> {
    const page = await api.mentions(null, 1, signal);
    const newest = page.notifications.map((n) => NotificationHeadSchema.safeParse(n)).find((h) => h.success)?.data.id ?? '0';
    await advanceChannelCursor(db, CHANNEL, newest);
    log.info({ cursor: newest }, 'mastodon: first start, taking mentions from now on');
    return newest;
  }

  /** Pages forward from the cursor until a page comes back empty. */
  async function catchUp(from: string, current: MastodonBrand, signal: AbortSignal): Promise<void> {
    let minId = from;
    for (;;) {
      const page = await api.mentions(minId, PAGE_LIMIT, signal);
      const ids = page.notifications.flatMap((n) => {
        const head = NotificationHeadSchema.safeParse(n);
        return head.success ? [{ id: BigInt(head.data.id), raw: n }] : [];
      });
      if (page.notifications.length === 0) return;
      // A page comes newest first: stored oldest first, so the cursor never skips one on a crash.
      ids.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      for (const { raw } of ids) {
        if (signal.aborted) return;
        await handle(raw, current);
      }
      const next = page.newerMinId ?? (ids.length > 0 ? String(ids[ids.length - 1]!.id) : null);
      // A server that does not move forward would loop forever.
      if (next === null || BigInt(next) <= BigInt(minId)) return;
      minId = next;
    }
  }

  async function session({ signal, connected }: StreamSession): Promise<void> {
    const current = brand ?? (await verifyBrand(api, host, signal));
    brand = current;
    const sessionAbort = new AbortController();
    const abortSession = () => sessionAbort.abort();
    signal.addEventListener('abort', abortSession, { once: true });
    try {
      const body = await api.openNotificationStream(sessionAbort.signal);
      const cursor = (await readChannelCursor(db, CHANNEL)) ?? (await firstCursor(sessionAbort.signal));
      await catchUp(cursor, current, sessionAbort.signal);
      connected();
      log.info({ cursor }, 'mastodon: caught up; streaming');
      await readStream(body, sessionAbort, (raw) => handle(raw, current), log);
    } finally {
      signal.removeEventListener('abort', abortSession);
      sessionAbort.abort();
    }
  }

  return keepStreaming({ log, what: 'mastodon', session });
}

class StreamIdleError extends Error {}

async function verifyBrand(api: MastodonApi, host: string, signal: AbortSignal): Promise<MastodonBrand> {
  const account = await api.verifyCredentials(signal);
  return { accountId: account.id, host };
}

/**
 * Reads server-sent events until the server ends the stream (resolves), the
 * connection goes silent or fails (rejects), or the session is aborted. Each
 * `notification` is handled before the next chunk is read.
 */
async function readStream(body: ReadableStream<Uint8Array>, session: AbortController, handle: (raw: unknown) => Promise<void>, log: Logger): Promise<void> {
  const events: EventSourceMessage[] = [];
  const parser = createParser({
    onEvent: (event) => events.push(event),
    onError: (error) => log.warn({ err: error }, 'mastodon: malformed server-sent event'),
  });
  let idle: NodeJS.Timeout | undefined;
  const watch = () => {
    clearTimeout(idle);
    idle = setTimeout(() => session.abort(new StreamIdleError(`no data (not even a heartbeat) for ${IDLE_TIMEOUT_MS / 1000} s`)), IDLE_TIMEOUT_MS);
  };
  watch();
  try {
    for await (const chunk of body.pipeThrough(new TextDecoderStream())) {
      watch();
      parser.feed(chunk);
      for (let event = events.shift(); event; event = events.shift()) {
        if (event.event !== 'notification') continue;
        let raw: unknown;
        try {
          raw = JSON.parse(event.data);
        } catch {
          log.warn('mastodon: skipped a notification event that is not JSON');
          continue;
        }
        await handle(raw);
      }
    }
  } catch (error) {
    // Our own abort ends the stream: on close quietly, from the idle watch as a failure to reconnect from.
    if (session.signal.reason instanceof StreamIdleError) throw session.signal.reason;
    if (session.signal.aborted) return;
    throw error;
  } finally {
    clearTimeout(idle);
  }
}
