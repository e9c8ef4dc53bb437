/**
 * The calling side of one of the core's threads (the core's own, the pull
 * thread): what both need and once written here — every message checked
 * against the thread's protocol, its start (`ready`, or a start-up failure
 * revived as the same error), requests answered by id, the calls in flight
 * failed when the thread dies, and an orderly close (`close`, then the
 * thread's `closed` or its end, then terminate).
 */
import type { TransferListItem, Worker } from 'node:worker_threads';
import { z } from 'zod';
import { startThread, type ThreadFile } from './threads';
import { reviveFailure, type StartFailure } from './worker-messages';

/** The messages every thread may send besides its own: started, failed to start (no id), closed. */
type Lifecycle = { type: 'ready' } | { type: 'failed'; id?: number; error: StartFailure } | { type: 'closed' };

export interface ThreadClientOptions<M extends { type: string }> {
  file: ThreadFile;
  workerData: unknown;
  transferList?: TransferListItem[];
  /** What the thread may send: its own messages and the lifecycle ones (`Lifecycle`). */
  schema: z.ZodType<M>;
  /** The thread's name in log lines: "the pull thread". */
  name: string;
  log(message: string): void;
  /** Every other message (a `failed` with an id is a request's); answer requests with `client.settle`. */
  onMessage(message: M, client: ThreadClient): void;
  /** Why the calls in flight fail once the thread has ended with `code`. */
  goneError(code: number): Error;
  /** After the thread ended, its calls failed (`started`: whether it had been ready). */
  onExit?(code: number, started: boolean): void;
}

export interface ThreadClient {
  worker: Worker;
  /** Resolves at the thread's `ready`; rejects with its start-up failure (the same class) or its end. */
  ready: Promise<void>;
  /** Whether it has ended (every later request fails with `goneError`). */
  readonly gone: boolean;
  /** Posts `message` and waits for its answer (`settle` with the same id); a message that cannot cross rejects at once. */
  request<T>(id: number, message: unknown): Promise<T>;
  settle(id: number, outcome: { value: unknown } | { error: Error }): void;
  post(message: unknown): void;
  /** Posts `close`, waits for the thread's `closed` (or its end, or a start that failed), then terminates it. */
  close(closeMessage: unknown): Promise<void>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export function startThreadClient<M extends { type: string }>(opts: ThreadClientOptions<M>): ThreadClient {
  const worker = startThread(opts.file, opts.workerData, opts.transferList);
  const pending = new Map<number, Pending>();
  let started = false;
  let exitCode: number | null = null;
  let markClosed: () => void = () => undefined;
  const closedByThread = new Promise<void>((resolve) => (markClosed = resolve));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let settleStart!: { resolve(): void; reject(error: Error): void };
  const ready = new Promise<void>((resolve, reject) => (settleStart = { resolve, reject }));
  // Awaited by whoever needs the thread; a failed start must not count as unhandled meanwhile.
  ready.catch(() => undefined);

  const client: ThreadClient = {
    worker,
    ready,
    get gone() {
      return exitCode !== null;
    },
    request<T>(id: number, message: unknown): Promise<T> {
      if (exitCode !== null) return Promise.reject(opts.goneError(exitCode));
      return new Promise<T>((resolve, reject) => {
        // Posted first: a message that cannot be cloned (DataCloneError) fails this call alone.
        worker.postMessage(message);
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      });
    },
    settle(id, outcome) {
      const waiting = pending.get(id);
      pending.delete(id);
      if (!waiting) return;
      if ('error' in outcome) waiting.reject(outcome.error);
      else waiting.resolve(outcome.value);
    },
    post(message) {
      if (exitCode === null) worker.postMessage(message);
    },
    async close(closeMessage) {
      if (exitCode === null) {
        worker.postMessage(closeMessage);
        await Promise.race([closedByThread, exited, ready.then(() => new Promise(() => undefined), () => undefined)]);
      }
      await worker.terminate();
    },
  };

  worker.on('message', (raw: unknown) => {
    const parsed = opts.schema.safeParse(raw);
    if (!parsed.success) return opts.log(`${opts.name} sent a message that is not of its protocol: ${z.prettifyError(parsed.error)}`);
    const lifecycle = parsed.data as M | Lifecycle;
    if (lifecycle.type === 'ready') {
      started = true;
      return settleStart.resolve();
    }
    if (lifecycle.type === 'closed') return markClosed();
    if (lifecycle.type === 'failed' && 'error' in lifecycle && lifecycle.id === undefined) return settleStart.reject(reviveFailure(lifecycle.error));
    opts.onMessage(parsed.data, client);
  });
  worker.on('error', (error) => {
    // Thrown and not caught in the thread; its 'exit' follows.
    if (started) opts.log(`${opts.name} failed: ${error.stack ?? error.message}`);
    else settleStart.reject(error);
  });
  worker.once('exit', (code) => {
    exitCode = code;
    const gone = opts.goneError(code);
    settleStart.reject(gone);
    for (const waiting of pending.values()) waiting.reject(gone);
    pending.clear();
    opts.onExit?.(code, started);
  });
  return client;
}
