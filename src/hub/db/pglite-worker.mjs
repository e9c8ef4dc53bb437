// @ts-check
/**
 * The worker thread that owns the hub's embedded PGlite, so its queries run
 * off the hub's event loop. Plain JavaScript on purpose: a worker starts in
 * bare Node (no tsx, no vitest transform), whatever started the hub.
 *
 * It answers the requests of pglite-proxy.ts, one message each:
 *   {id, op: 'query', sql, params, options, tx?}   → PGlite's query result
 *   {id, op: 'query', …, tx, commit: true}         → the same once tx has committed after it (or
 *                                                     rolled back, when it failed): the
 *                                                     transaction's last statement and its end in
 *                                                     one message, no round trip between them
 *   {id, op: 'exec', sql, options, tx?}            → PGlite's exec results
 *   {id, op: 'begin', newTx}                       → {tx}: transaction newTx is open; the
 *                                                     requests naming it that come before it is
 *                                                     wait for it, in order
 *   {id, op: 'rollback', tx}                       → tx.rollback()
 *   {id, op: 'finish', tx, commit}                 → commits (or rolls back) it
 *   {id, op: 'close'}                              → closes the database
 * and replies {id, ok: true, value} or {id, ok: false, error}. A query in a
 * transaction that has run before is bound to its prepared statement
 * (pglite-prepared.mjs) instead of being parsed and planned again. Everything else
 * (the order of queries, a transaction holding back other queries) is
 * PGlite's own mutex, exactly as in one thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { preparedStatements } from './pglite-prepared.mjs';

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
const identity = (/** @type {unknown} */ value) => value;

/** Why a transaction ends without commit when the proxy's callback threw (that error stays in the main thread). */
class Aborted extends Error {}

/** @typedef {import('@electric-sql/pglite').Transaction} Transaction */
/** Each transaction from its BEGIN on: `open` settles once PGlite has begun it (or failed to). @type {Map<number, { open: Promise<Transaction>, finish: (commit: boolean) => void }>} */
const transactions = new Map();

/**
 * Query options as the proxy sends them: functions do not cross threads, so
 * `identityParsers` lists the type OIDs whose text is kept as is (drizzle's
 * parsers for dates and intervals are all the identity).
 * @param {{ rowMode?: 'array' | 'object', paramTypes?: number[], identityParsers?: number[] } | undefined} sent
 */
function optionsOf(sent) {
  if (!sent) return undefined;
  const { identityParsers, ...options } = sent;
  if (!identityParsers) return options;
  return { ...options, parsers: Object.fromEntries(identityParsers.map((oid) => [oid, identity])) };
}

/** An error as data: structured clone keeps only message and stack of an Error, and the codes matter (23505…). */
function errorData(/** @type {unknown} */ error) {
  if (!(error instanceof Error)) {
    // Emscripten's file system throws plain objects ({name: 'ErrnoError', errno}): say what they hold.
    const fields = error !== null && typeof error === 'object' ? { ...error } : {};
    const name = typeof fields.name === 'string' ? fields.name : 'Error';
    return { name, message: Object.keys(fields).length > 0 ? JSON.stringify(fields) : String(error), fields };
  }
  /** @type {Record<string, unknown>} */
  const fields = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'queryOptions' || typeof value === 'function') continue;
    fields[key] = value;
  }
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

/**
 * Begins transaction `id`: known at once (its queries may already be on their way), open once PGlite's
 * mutex lets it. Settles when it has committed or rolled back.
 * @param {number} id
 * @param {() => void} onOpen
 */
function begin(id, onOpen) {
  /** @type {(tx: Transaction) => void} */
  let opened = () => undefined;
  /** @type {(error: unknown) => void} */
  let failed = () => undefined;
  /** @type {Promise<Transaction>} */
  const open = new Promise((resolve, reject) => {
    opened = resolve;
    failed = reject;
  });
  // A BEGIN that fails is answered by its own reply; the queries held for it fail with it.
  open.catch(() => undefined);
  /** @type {(commit: boolean) => void} */
  let finish = () => undefined;
  const finished = new Promise((resolve, reject) => {
    finish = (commit) => (commit ? resolve(undefined) : reject(new Aborted()));
  });
  transactions.set(id, { open, finish: (commit) => finish(commit) });
  return db
    .transaction(async (tx) => {
      opened(tx);
      onOpen();
      await finished;
    })
    .catch((/** @type {unknown} */ error) => {
      failed(error);
      throw error;
    });
}

/** @param {number} id */
function transaction(id) {
  const open = transactions.get(id);
  if (!open) throw new Error(`no open transaction ${id}`);
  return open;
}

/** The transaction a request names once it is open, or the database itself. @param {number | undefined} id */
async function targetOf(id) {
  return id ? await transaction(id).open : db;
}

/** @type {PGlite} */
let db;
try {
  db = await PGlite.create(workerData.dataDir);
} catch (error) {
  // Told to the main thread, which fails openDatabase with it; then this thread ends.
  port.postMessage({ ready: false, error: errorData(error) });
  process.exit(1);
}

const statements = preparedStatements(db);

/** What waits for each ending transaction: called once PGlite has committed or rolled it back. @type {Map<number, (error: unknown) => void>} */
const finishing = new Map();

port.on('message', (/** @type {any} */ message) => {
  const { id, op } = message;
  const ok = (/** @type {unknown} */ value) => port.postMessage({ id, ok: true, value });
  const fail = (/** @type {unknown} */ error) => {
    try {
      port.postMessage({ id, ok: false, error: errorData(error) });
    } catch {
      // A field that cannot be cloned: the message and stack still can.
      const { name, message: text, stack } = errorData(error);
      port.postMessage({ id, ok: false, error: { name, message: text, stack, fields: {} } });
    }
  };
  /** @param {() => Promise<unknown>} run */
  const answer = (run) => {
    // A result that cannot be cloned fails its query, never the thread.
    run().then(ok).catch(fail);
  };
  try {
    switch (op) {
      case 'query': {
        // Looked up now, not once open: a transaction unknown when its request arrives is an error at once.
        const target = targetOf(message.tx);
        const run = async () => {
          const tx = await target;
          const options = optionsOf(message.options);
          // In a transaction, a statement run before is bound to its prepared self (pglite-prepared.mjs).
          const answered = message.tx ? await statements.query(message.sql, message.params, options) : null;
          return answered ?? tx.query(message.sql, message.params, options);
        };
        if (!message.commit) return answer(run);
        return answer(async () => {
          let result;
          try {
            result = await run();
          } catch (error) {
            // Rolled back, unless it never began (then that is why the statement failed): the caller gets the statement's error.
            if (transactions.has(message.tx)) await end(message.tx, false).catch(() => undefined);
            throw error;
          }
          await end(message.tx, true);
          return result;
        });
      }
      case 'exec': {
        const target = targetOf(message.tx);
        return answer(async () => (await target).exec(message.sql, optionsOf(message.options)));
      }
      case 'begin': {
        const txId = message.newTx;
        let begun = false;
        begin(txId, () => {
          begun = true;
          ok({ tx: txId });
        }).then(
          () => settle(txId, undefined),
          (error) => {
            if (begun) return settle(txId, error);
            transactions.delete(txId);
            fail(error);
          },
        );
        return;
      }
      case 'rollback':
        return answer(async () => (await transaction(message.tx).open).rollback());
      case 'finish':
        return answer(() => end(message.tx, message.commit));
      case 'close':
        return answer(async () => {
          await db.close();
          // Nothing more will come: letting go of the port lets the thread end.
          setImmediate(() => port.close());
        });
      default:
        throw new Error(`unknown request ${String(op)}`);
    }
  } catch (error) {
    fail(error);
  }
});

/** Commits (or rolls back) transaction `txId`; settles once PGlite has (a failed commit rejects). */
function end(/** @type {number} */ txId, /** @type {boolean} */ commit) {
  const open = transaction(txId);
  return new Promise((resolve, reject) => {
    finishing.set(txId, (error) => (error === undefined || error instanceof Aborted ? resolve(undefined) : reject(error)));
    open.finish(commit);
  });
}

/** A transaction has ended (committed, or rolled back with `error`): wake what waits for its end. */
function settle(/** @type {number} */ txId, /** @type {unknown} */ error) {
  transactions.delete(txId);
  const reply = finishing.get(txId);
  finishing.delete(txId);
  reply?.(error);
}

port.postMessage({ ready: true });
