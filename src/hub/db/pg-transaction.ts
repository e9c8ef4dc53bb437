/**
 * A transaction on Postgres whose last statement may carry its COMMIT — the
 * `commitWithNext` the embedded database's worker offers (pglite-proxy.ts),
 * here by pipelining: the COMMIT is written right behind the statement on the
 * transaction's one connection, so the rev lock the write holds is released
 * without one more round trip through this thread. Drizzle's own transaction
 * would send a COMMIT of its own after ours, so this one runs BEGIN, the
 * function and COMMIT/ROLLBACK itself, with drizzle's transaction object.
 */
import { NodePgSession, NodePgTransaction } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db } from './connect';

/** What drizzle's node-postgres session keeps (private in its types). */
interface SessionParts {
  client: pg.Pool;
  dialect: ConstructorParameters<typeof NodePgSession>[1];
  schema: ConstructorParameters<typeof NodePgSession>[2];
  options: ConstructorParameters<typeof NodePgSession>[3];
}

/**
 * A query that knows whether it reached the wire. node-postgres can fail one without sending it: `submit`
 * returns an error (answered on a later tick), throws, or — a parameter it cannot serialise — answers the
 * error at once and writes only a Close and a Sync. A COMMIT pipelined behind any of those would commit the
 * transaction's earlier writes, so it is sent only behind a statement that really went out.
 */
class TrackedQuery extends pg.Query {
  answered = false;
  onWire = false;
  constructor(config: pg.QueryConfig, values?: unknown[]) {
    super(config, values);
    const submit = this.submit.bind(this) as unknown as (connection: unknown) => Error | null;
    this.submit = ((connection: unknown) => {
      const error = submit(connection);
      this.onWire = !error && !this.answered;
      return error;
    }) as unknown as pg.Query['submit'];
  }
}

/** The transaction's connection as drizzle's session sees it: queries pass through until the last one. */
class EndingClient {
  /** commitWithNext was called: the next query is the last. */
  private endsWithNext = false;
  private closed = false;
  /** A COMMIT went out behind the last query: the transaction ends with it, nothing is left to send. */
  ended = false;
  /** node-postgres threw while writing a query: what it left on the connection is unknown. */
  broken = false;

  constructor(private readonly client: pg.PoolClient) {}

  /**
   * The next query is the transaction's last: a COMMIT follows it on the wire at once. Postgres answers
   * that COMMIT with a rollback when the query failed, so a failed last query keeps nothing of the
   * transaction and the caller gets its error. Queries after it fail, and an error thrown after it no
   * longer undoes what was committed.
   */
  commitWithNext(): void {
    this.open();
    this.endsWithNext = true;
  }

  query(config: pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    this.open();
    if (!this.endsWithNext) return this.client.query(config, values);
    this.closed = true;
    return this.last(config, values);
  }

  private async last(config: pg.QueryConfig, values?: unknown[]): Promise<pg.QueryResult> {
    const query = new TrackedQuery(config, values);
    const answer = new Promise<pg.QueryResult>((resolve, reject) => {
      (query as unknown as { callback: (error: Error | null, result: pg.QueryResult) => void }).callback = (error, result) => {
        query.answered = true;
        if (error) reject(error);
        else resolve(result);
      };
    });
    try {
      this.client.query(query);
    } catch (error) {
      this.broken = true;
      throw error;
    }
    // Not on the wire: the transaction is still open, and ends as any other whose query failed.
    if (!query.onWire) return answer;
    this.ended = true;
    const commit = this.client.query('COMMIT');
    const [result, committed] = await Promise.allSettled([answer, commit]);
    if (result.status === 'rejected') {
      // The COMMIT's answer was a rollback; it is only waited for, so the connection goes back to the pool idle.
      throw result.reason;
    }
    if (committed.status === 'rejected') throw committed.reason;
    return result.value;
  }

  private open(): void {
    if (this.closed) throw new Error('Transaction is closed');
  }
}

/** Runs `fn` in a transaction on `db`'s Postgres pool; `executeLastRows` in it sends its COMMIT pipelined. */
export async function postgresTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const session = (db as unknown as { session: SessionParts }).session;
  const client = await session.client.connect();
  const ending = new EndingClient(client);
  const txSession = new NodePgSession(ending as unknown as pg.PoolClient, session.dialect, session.schema, session.options);
  const tx = new NodePgTransaction(session.dialect, txSession, session.schema) as unknown as Db;
  // A BEGIN or COMMIT that failed other than with Postgres's answer (the connection lost, say), any failed ROLLBACK,
  // or a query half written: the connection is in doubt, and is closed rather than reused.
  let doubt: Error | undefined;
  const send = async (statement: string) => {
    try {
      await client.query(statement);
    } catch (error) {
      if (!(error instanceof pg.DatabaseError)) doubt = error as Error;
      throw error;
    }
  };
  try {
    await send('BEGIN');
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      // The error that ended the transaction is the caller's to see, whatever becomes of the rollback.
      if (!ending.ended) await send('ROLLBACK').catch((failed: unknown) => (doubt ??= failed as Error));
      throw error;
    }
    if (!ending.ended) await send('COMMIT');
    return result;
  } finally {
    client.release(ending.broken ? new Error('a query was left half written') : doubt);
  }
}
