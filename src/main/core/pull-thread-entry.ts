/**
 * The pull thread (started by pull-thread.ts): fetches each pull page from
 * the hub, parses and validates it, and writes it into the cache through a
 * connection of its own — so none of a bootstrap's work runs on the core's
 * thread, whose reads (WAL) never wait for these writes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';
import { openCache } from './cache';
import { createHubClient } from './hub-client';
import { type ParsedPage, parsePage, writePage } from './page-writer';
import { type FromPullThread, PullThreadDataSchema, ToPullThreadSchema } from './pull-thread-messages';
import { PullCancelledError, pullGenerations } from './sync';
import { runInBackground } from './threads';
import { describeFailure } from './worker-messages';

if (!parentPort) throw new Error('pull-thread-entry.ts runs as a worker thread (pull-thread.ts starts it)');
const port = parentPort;
const post = (message: FromPullThread) => port.postMessage(message);

function serve(): void {
  const data = PullThreadDataSchema.parse(workerData);
  // A bootstrap is bulk work: the core's thread, which answers the windows, gets a core first.
  runInBackground();
  const cache = openCache(data.dataDir, { key: Buffer.from(data.key), nativeBinding: data.nativeBinding });
  const pages = new Map<number, ParsedPage>();
  /** Bumped by `cancel`: a fetch or write of an earlier generation stops at its next turn. */
  const generations = pullGenerations();
  const { turnOf } = generations;
  const failed = (id: number, error: unknown) => post(error instanceof PullCancelledError ? { type: 'cancelled', id } : { type: 'failed', id, error: describeFailure(error) });

  port.on('message', (raw: unknown) => {
    const parsed = ToPullThreadSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`the pull thread was sent a message that is not of its protocol: ${z.prettifyError(parsed.error)}`);
    const message = parsed.data;
    const mine = generations.current();
    switch (message.type) {
      case 'fetch': {
        const hub = createHubClient(() => ({ hubUrl: message.hubUrl, token: message.token }));
        hub
          .pull(message.cursor, message.limit)
          .then((page) => parsePage(page, turnOf(mine)))
          .then(({ page, rows }) => {
            if (mine !== generations.current()) throw new PullCancelledError();
            pages.set(message.id, { page, rows });
            post({ type: 'fetched', id: message.id, page: { cursor: page.cursor, hasMore: page.hasMore, head: page.head, scope: page.scope, count: page.changes.length } });
          })
          .catch((error: unknown) => failed(message.id, error));
        break;
      }
      case 'write': {
        const page = pages.get(message.id);
        pages.delete(message.id);
        if (!page) {
          post({ type: 'cancelled', id: message.id });
          break;
        }
        writePage(cache, page, message, turnOf(mine)).then(
          (written) => post({ type: 'written', id: message.id, written }),
          (error: unknown) => failed(message.id, error),
        );
        break;
      }
      case 'drop':
        pages.delete(message.id);
        break;
      case 'cancel':
        generations.cancel();
        pages.clear();
        break;
      case 'close':
        // A write in progress stops at its next slice; the connection closes after the slice running now.
        generations.cancel();
        pages.clear();
        setImmediate(() => {
          cache.close();
          post({ type: 'closed' });
        });
        break;
    }
  });
  post({ type: 'ready' });
}

try {
  serve();
} catch (error) {
  post({ type: 'failed', error: describeFailure(error) });
}
