// @ts-check
/**
 * Statements a transaction runs again and again, prepared once, for the
 * embedded database's worker (pglite-worker.mjs). PGlite's `query` parses and
 * plans every statement each time it runs, and the hub's hot statements (a
 * push's look-up and write, a device reading's context and write) are large:
 * planning was most of their cost (up to 2 ms of a 2.4 ms statement). Here a
 * statement seen a second time is parsed once under a name (Postgres keeps
 * it for the session and replans it by itself when a table it reads changes),
 * and later runs only bind and execute it — the same protocol messages and
 * the same value serialisation and result parsing PGlite's `query` uses, so
 * the results are the same.
 *
 * Inside a transaction only: PGlite's transaction holds its transaction lock,
 * and a statement here takes its query lock (`runExclusive`), as `tx.query`
 * does. Named statements are not transactional: a rollback keeps them.
 */
import { parse, protocol } from '@electric-sql/pglite';

const { serialize } = protocol;
const { DatabaseError } = protocol.messages;

/** Statements kept prepared at most; the least recently run is closed to make room. */
export const PREPARED_MAX = 256;
/** Statements seen once, remembered to be prepared when seen again (a one-off statement is never prepared). */
const SEEN_MAX = 1024;
/** Names are unique in the process, whichever database holds them. */
let named = 0;

/**
 * @typedef {import('@electric-sql/pglite').PGlite} PGlite
 * @typedef {{ rowMode?: 'array' | 'object', paramTypes?: number[], parsers?: Record<number, (value: string, typeId: number) => unknown> }} Options
 */

/** @param {PGlite} db */
export function preparedStatements(db) {
  /** SQL text (and declared parameter types) → its statement's name and parameter types, least recently run first. @type {Map<string, { name: string, types: number[] }>} */
  const prepared = new Map();
  /** @type {Set<string>} */
  const seen = new Set();
  const run = (/** @type {Uint8Array} */ message) => db.execProtocolStream(message, { syncToFs: false });

  /**
   * Runs `sql` as PGlite's `query` would, prepared if it has run before; only inside an open transaction.
   * @param {string} sql
   * @param {unknown[]} params
   * @param {Options | undefined} options
   */
  async function query(sql, params = [], options = undefined) {
    // The same text with other declared parameter types is another statement.
    const key = options?.paramTypes ? `${sql}\u0000${options.paramTypes.join(',')}` : sql;
    let statement = prepared.get(key);
    if (!statement && !seen.has(key)) {
      if (seen.size >= SEEN_MAX) seen.delete(/** @type {string} */ (seen.values().next().value));
      seen.add(key);
      return null;
    }
    return db.runExclusive(async () => {
      /** @type {import('@electric-sql/pglite').messages.BackendMessage[]} */
      const results = [];
      try {
        if (statement) {
          // Most recently run last.
          prepared.delete(key);
          prepared.set(key, statement);
        } else {
          if (prepared.size >= PREPARED_MAX) await closeOldest();
          const name = `sb_${++named}`;
          await run(serialize.parse({ name, text: sql, types: options?.paramTypes }));
          const types = parse.parseDescribeStatementResults(await run(serialize.describe({ type: 'S', name })));
          statement = { name, types };
          prepared.set(key, statement);
          seen.delete(key);
        }
        const { types } = statement;
        const values = params.map((param, i) => {
          if (param === null || param === undefined) return null;
          const serializer = db.serializers[/** @type {number} */ (types[i])];
          return serializer ? serializer(param) : String(param);
        });
        results.push(...(await run(serialize.bind({ statement: statement.name, values }))));
        results.push(...(await run(serialize.describe({ type: 'P' }))));
        results.push(...(await run(serialize.execute({}))));
      } catch (error) {
        // As PGlite's query tells it: the statement and its parameters on the error.
        if (error instanceof DatabaseError) Object.assign(error, { query: sql, params });
        throw error;
      } finally {
        results.push(...(await run(serialize.sync())));
      }
      return parse.parseResults(results, db.parsers, options)[0];
    });
  }

  async function closeOldest() {
    const [key, oldest] = /** @type {[string, { name: string }]} */ (prepared.entries().next().value);
    prepared.delete(key);
    // Run before: prepared again when it comes back.
    seen.add(key);
    await run(serialize.close({ type: 'S', name: oldest.name }));
  }

  return {
    /** The result of `sql`, prepared; null: not run (seen for the first time), run it as usual. */
    query,
    /** How many are prepared now (for tests). */
    get size() {
      return prepared.size;
    },
  };
}
