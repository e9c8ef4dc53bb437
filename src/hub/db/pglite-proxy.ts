/**
 * The hub's embedded PGlite, run in a worker thread (pglite-worker.mjs) so a
 * big pull or a burst of writes never holds up the hub's event loop. This is
 * the part of PGlite's interface drizzle-orm/pglite uses — query (with
 * rowMode, paramTypes and drizzle's identity parsers), exec, transaction with
 * query/exec/rollback/closed, close — each call one message to the worker;
 * and one thing PGlite has not: a transaction's last query sent with its
 * commit (commitWithNext).
 * Ordering and transactions are PGlite's own mutex, in the worker: a query
 * outside a transaction waits while one is open, exactly as in one thread.
 * Results and errors come back by structured clone (Date, bigint, Uint8Array
 * and JSON values as PGlite gave them); an error keeps its fields (code,
 * detail, constraint, query, params…).
 */
import { Worker } from 'node:worker_threads';
import type { QueryOptions, Results, Transaction } from '@electric-sql/pglite';

interface ErrorData {
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, unknown>;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ErrorData };
type Ready = { ready: true } | { ready: false; error: ErrorData };

/** What crosses to the worker of a query's options: functions cannot, see optionsFor. */
interface SentOptions {
  rowMode?: 'array' | 'object';
  paramTypes?: number[];
  identityParsers?: number[];
}

/** Postgres's own error as PGlite throws it (pg-protocol's DatabaseError, whose class name PGlite's bundle minifies). */
export class DatabaseError extends Error {}

function errorFrom(data: ErrorData): Error {
  const fromPostgres = typeof data.fields.code === 'string' && typeof data.fields.severity === 'string';
  const error = fromPostgres ? new DatabaseError(data.message) : new Error(data.message);
  Object.assign(error, data.fields);
  error.name = data.name;
  if (data.stack) error.stack = data.stack;
  return error;
}

/**
 * drizzle's parsers (dates, timestamps, intervals and their arrays) all keep
 * the text as is: that is the one kind of parser that crosses to the worker.
 * Any other function-valued option is refused rather than silently dropped.
 */
function optionsFor(options: QueryOptions | undefined): SentOptions | undefined {
  if (!options) return undefined;
  const { rowMode, paramTypes, parsers, ...rest } = options;
  const unsupported = Object.entries(rest).filter(([, value]) => value !== undefined);
  if (unsupported.length > 0) throw new Error(`embedded database worker: unsupported query option ${unsupported.map(([key]) => key).join(', ')}`);
  const sent: SentOptions = {};
  if (rowMode) sent.rowMode = rowMode;
  if (paramTypes) sent.paramTypes = paramTypes;
  if (parsers) sent.identityParsers = Object.keys(parsers).map(Number);
  return sent;
}

const CLOSE_WAIT_MS = 30_000;

export class PGliteWorker {
  private nextId = 1;
  private nextTx = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  /** Set once the worker cannot answer any more: every later call fails with it. */
  private gone: Error | null = null;
  private closing: Promise<void> | null = null;
  private readonly exited: Promise<void>;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (message: Reply) => this.answer(message));
    worker.on('error', (error) => this.stop(new Error(`embedded database worker failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => this.stop(new Error(this.closing ? 'PGlite is closed' : `embedded database worker stopped (exit code ${code})`)));
  }

  /** Starts the worker and opens (or creates) the database in `dataDir`. */
  static async create(dataDir: string): Promise<PGliteWorker> {
    const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dataDir } });
    const ready = await new Promise<Ready>((resolve, reject) => {
      const onExit = (code: number) => reject(new Error(`embedded database worker stopped while opening ${dataDir} (exit code ${code})`));
      worker.once('message', (message: Ready) => {
        worker.off('error', reject);
        worker.off('exit', onExit);
        resolve(message);
      });
      worker.once('error', reject);
      worker.once('exit', onExit);
    });
    if (!ready.ready) {
      worker.on('error', () => undefined);
      await worker.terminate();
      throw errorFrom(ready.error);
    }
    const proxy = new PGliteWorker(worker);
    // An idle worker must not keep the process alive (in one thread PGlite holds no handle); a waiting request does.
    worker.unref();
    return proxy;
  }

  get closed(): boolean {
    return this.gone !== null || this.closing !== null;
  }

  query<T>(query: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>> {
    return this.request({ op: 'query', sql: query, params, options: optionsFor(options) }) as Promise<Results<T>>;
  }

  exec(query: string, options?: QueryOptions): Promise<Results[]> {
    return this.request({ op: 'exec', sql: query, options: optionsFor(options) }) as Promise<Results[]>;
  }

  /**
   * PGlite's transaction: BEGIN, `fn`, COMMIT — or ROLLBACK when `fn` throws (its error is what the caller gets).
   * `fn` runs at once: its first queries follow the BEGIN to the worker, which holds them until the transaction
   * is open, instead of waiting a round trip for it here.
   */
  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const id = this.nextTx++;
    const begun = this.request({ op: 'begin', newTx: id });
    // Awaited below; until then a failed BEGIN must not count as unhandled.
    begun.catch(() => undefined);
    let closed = false;
    /** commitWithNext was called: the next query carries the commit. */
    let endsWithNext = false;
    /** That query has been sent: the worker ends the transaction, nothing is left to send. */
    let ended = false;
    const open = () => {
      if (closed) throw new Error('Transaction is closed');
    };
    const tx = {
      query: async <R>(query: string, params?: unknown[], options?: QueryOptions) => {
        open();
        const request = { op: 'query', tx: id, sql: query, params, options: optionsFor(options), ...(endsWithNext ? { commit: true } : {}) };
        if (endsWithNext) [closed, ended] = [true, true];
        return (await this.request(request)) as Results<R>;
      },
      /**
       * The next query is the transaction's last: the worker commits right after it (or rolls back, if it
       * fails) and answers once it has, so no round trip to this thread holds the transaction open between
       * them. Further queries fail, and an error thrown after it no longer undoes what was committed.
       */
      commitWithNext: () => {
        open();
        endsWithNext = true;
      },
      exec: async (query: string, options?: QueryOptions) => {
        open();
        return (await this.request({ op: 'exec', tx: id, sql: query, options: optionsFor(options) })) as Results[];
      },
      rollback: async () => {
        open();
        await this.request({ op: 'rollback', tx: id });
        closed = true;
      },
      sql: () => Promise.reject(new Error('embedded database worker: tx.sql is not supported, use tx.query')),
      listen: () => Promise.reject(new Error('embedded database worker: LISTEN is not supported')),
      get closed() {
        return closed;
      },
    } as unknown as Transaction;
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      closed = true;
      // Never begun (the database closed, say): that is why its queries failed, and there is nothing to end.
      await begun;
      if (!ended) await this.request({ op: 'finish', tx: id, commit: false });
      throw error;
    }
    closed = true;
    await begun;
    if (!ended) await this.request({ op: 'finish', tx: id, commit: true });
    return result;
  }

  /** Closes the database, then the worker ends (terminated if it has not within CLOSE_WAIT_MS). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      // A transaction left open would hold PGlite's close for ever: the worker is stopped after a while all the same.
      const timer = setTimeout(() => void this.worker.terminate(), CLOSE_WAIT_MS);
      if (!this.gone) await this.request({ op: 'close' }, true).catch(() => undefined);
      await this.exited;
      clearTimeout(timer);
    })();
    return this.closing;
  }

  private request(message: Record<string, unknown>, closing = false): Promise<unknown> {
    if (this.gone) return Promise.reject(this.gone);
    // Once closing, only what ends an open transaction still goes through.
    if (this.closing && !closing && message.tx === undefined) return Promise.reject(new Error('PGlite is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      // Sent first: a parameter that cannot cross to the worker (DataCloneError) fails this call alone.
      this.worker.postMessage({ ...message, id });
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
    });
  }

  private answer(reply: Reply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(errorFrom(reply.error));
  }

  private stop(reason: Error): void {
    this.gone ??= reason;
    for (const { reject } of this.pending.values()) reject(reason);
    this.pending.clear();
  }
}
