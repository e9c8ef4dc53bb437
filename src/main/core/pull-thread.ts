/**
 * The pull thread's side in the core's thread: a PageSource (sync.ts) whose
 * pages are fetched, validated and written in a worker thread with its own
 * connection to the cache (pull-thread-entry.ts). The core's thread only
 * hands over the session's credentials and learns each page's outline, so
 * its calls — the queue view's reads — never wait on a page being parsed or
 * written. Started at the first pull; a thread that died is started again at
 * the next.
 */
import { CoreError } from './errors';
import type { HubCredentials } from './hub-client';
import type { PageWritten } from './page-writer';
import { FromPullThreadSchema, type PullThreadData, type ToPullThread } from './pull-thread-messages';
import { type FetchedPage, type PageSource, PullCancelledError } from './sync';
import { startThreadClient, type ThreadClient } from './thread-client';
import { reviveFailure } from './worker-messages';

/** electron-vite's third `main` input (electron.vite.config.ts). */
const PULL_THREAD = { source: './pull-thread-entry.ts', built: 'pull-thread.js' };

export interface PullThreadOptions {
  dataDir: string;
  /** The cache's key (`cache.key`). */
  key: Buffer;
  nativeBinding?: string;
  credentials(): HubCredentials | null;
  log(message: string): void;
}

export interface PullThreadSource extends PageSource {
  close(): Promise<void>;
  /** Ends the thread at once, as a crash would (tests): the next request starts another. */
  terminate(): Promise<void>;
}

export function pagesInPullThread(opts: PullThreadOptions): PullThreadSource {
  let thread: ThreadClient | null = null;
  const ids = new WeakMap<FetchedPage, number>();
  let nextId = 0;
  let closed = false;

  function start(): ThreadClient {
    const data: PullThreadData = { dataDir: opts.dataDir, key: new Uint8Array(opts.key), nativeBinding: opts.nativeBinding };
    const started = startThreadClient({
      file: PULL_THREAD,
      workerData: data,
      schema: FromPullThreadSchema,
      name: 'the pull thread',
      log: opts.log,
      onMessage(message, client) {
        if (message.type === 'fetched') client.settle(message.id, { value: message.page });
        else if (message.type === 'written') client.settle(message.id, { value: message.written });
        else if (message.type === 'cancelled') client.settle(message.id, { error: new PullCancelledError() });
        else if (message.type === 'failed' && message.id !== undefined) client.settle(message.id, { error: reviveFailure(message.error) });
      },
      goneError: (code) => new CoreError('unavailable', `the pull thread stopped (exit code ${code})`),
      // Started again at the next pull.
      onExit: () => {
        if (thread === started) thread = null;
      },
    });
    return started;
  }

  /** Sends `message` and waits for the thread's answer about `message.id` (a fetch's new id, or the page written). */
  async function ask<T>(message: ToPullThread & { id: number }): Promise<T> {
    if (closed) throw new PullCancelledError();
    thread ??= start();
    const current = thread;
    await current.ready;
    return current.request<T>(message.id, message);
  }

  const post = (message: ToPullThread) => thread?.post(message);

  return {
    async fetch(cursor, limit) {
      const credentials = opts.credentials();
      if (!credentials) throw new CoreError('unauthorized', 'not logged in');
      const id = nextId++;
      const page = await ask<FetchedPage>({ type: 'fetch', id, ...credentials, cursor, limit });
      ids.set(page, id);
      return page;
    },
    write(page, how) {
      const id = ids.get(page);
      if (id === undefined) return Promise.reject(new PullCancelledError());
      ids.delete(page);
      return ask<PageWritten>({ type: 'write', id, ...how });
    },
    drop(page) {
      const id = ids.get(page);
      ids.delete(page);
      if (id !== undefined) post({ type: 'drop', id });
    },
    cancel() {
      post({ type: 'cancel' });
    },
    async close() {
      closed = true;
      const current = thread;
      thread = null;
      await current?.close({ type: 'close' } satisfies ToPullThread);
    },
    async terminate() {
      await thread?.worker.terminate();
    },
  };
}
