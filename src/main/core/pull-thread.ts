/**
 * The pull thread's side in the core's thread: a PageSource (sync.ts) whose
 * pages are fetched, validated and written in a worker thread with its own
 * connection to the cache (pull-thread-entry.ts). The core's thread only
 * hands over the session's credentials and learns each page's outline, so
 * its calls — the queue view's reads — never wait on a page being parsed or
 * written. Started at the first pull; a thread that died is started again at
 * the next.
 */
import type { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { CoreError } from './errors';
import type { HubCredentials } from './hub-client';
import type { PageWritten } from './page-writer';
import { FromPullThreadSchema, type PullThreadData, type ToPullThread } from './pull-thread-messages';
import { type FetchedPage, type PageSource, PullCancelledError } from './sync';
import { startThread } from './threads';
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

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export function pagesInPullThread(opts: PullThreadOptions): PageSource & { close(): Promise<void> } {
  let thread: { worker: Worker; ready: Promise<void> } | null = null;
  const pending = new Map<number, Pending>();
  const ids = new WeakMap<FetchedPage, number>();
  let nextId = 0;
  let closed = false;

  function start(): { worker: Worker; ready: Promise<void> } {
    const data: PullThreadData = { dataDir: opts.dataDir, key: new Uint8Array(opts.key), nativeBinding: opts.nativeBinding };
    const worker = startThread(PULL_THREAD, data);
    let started!: { resolve(): void; reject(error: Error): void };
    const ready = new Promise<void>((resolve, reject) => (started = { resolve, reject }));
    ready.catch(() => undefined);
    const current = { worker, ready };
    worker.on('message', (raw: unknown) => {
      const parsed = FromPullThreadSchema.safeParse(raw);
      if (!parsed.success) return opts.log(`the pull thread sent a message that is not of its protocol: ${z.prettifyError(parsed.error)}`);
      const message = parsed.data;
      if (message.type === 'ready') return started.resolve();
      if (message.type === 'closed') return;
      if (message.type === 'failed' && message.id === undefined) return started.reject(reviveFailure(message.error));
      const answer = pending.get(message.id!);
      pending.delete(message.id!);
      if (!answer) return;
      if (message.type === 'fetched') answer.resolve(message.page);
      else if (message.type === 'written') answer.resolve(message.written);
      else if (message.type === 'cancelled') answer.reject(new PullCancelledError());
      else answer.reject(reviveFailure(message.error));
    });
    worker.on('error', (error) => opts.log(`the pull thread failed: ${error.stack ?? error.message}`));
    worker.once('exit', (code) => {
      if (thread === current) thread = null;
      const gone = new CoreError('unavailable', `the pull thread stopped (exit code ${code})`);
      started.reject(gone);
      for (const answer of pending.values()) answer.reject(gone);
      pending.clear();
    });
    return current;
  }

  /** Sends `message` and waits for the thread's answer about `message.id` (a fetch's new id, or the page written). */
  async function ask<T>(message: ToPullThread & { id: number }): Promise<T> {
    if (closed) throw new PullCancelledError();
    thread ??= start();
    const { worker, ready } = thread;
    await ready;
    return new Promise<T>((resolve, reject) => {
      pending.set(message.id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage(message);
    });
  }

  const post = (message: ToPullThread) => thread?.worker.postMessage(message);

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
      if (!current) return;
      const exited = new Promise((resolve) => current.worker.once('exit', resolve));
      const done = new Promise<void>((resolve) => current.worker.on('message', (m: { type?: string }) => m?.type === 'closed' && resolve()));
      current.worker.postMessage({ type: 'close' } satisfies ToPullThread);
      await Promise.race([done, exited, current.ready.then(() => new Promise(() => undefined), () => undefined)]);
      await current.worker.terminate();
    },
  };
}
