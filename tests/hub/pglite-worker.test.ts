/**
 * Embedded PGlite runs in a worker thread: a long query leaves the hub's
 * event loop free, and what comes back through the worker (rows and their
 * types, errors with their Postgres codes, transactions and their rollback,
 * the order of queries around an open transaction) is what PGlite gives in
 * one thread.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../../src/hub/db/connect';
import { executeLastRows } from '../../src/hub/db/execute-rows';
import { PGliteWorker } from '../../src/hub/db/pglite-proxy';

let dir: string;
let database: Database;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchboard-pglite-worker-'));
  database = await openDatabase({ dataDir: dir });
  await database.db.execute(sql`CREATE TABLE worker_probe (id int PRIMARY KEY, note text NOT NULL, body bytea, at timestamptz, big int8, doc jsonb)`);
});

afterAll(async () => {
  await database?.close();
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The error drizzle throws wraps the database's own one. */
const databaseError = (error: unknown) => (error as { cause?: Record<string, unknown> }).cause ?? {};

async function caught(run: Promise<unknown>): Promise<unknown> {
  try {
    await run;
  } catch (error) {
    return error;
  }
  throw new Error('expected the query to fail');
}

describe('embedded PGlite in a worker thread', () => {
  it('keeps the event loop running while a long query runs', async () => {
    let running = true;
    const query = database.db.execute(sql`SELECT pg_sleep(0.4)`).finally(() => (running = false));
    // Timer ticks that happen while the query is still running: in one thread PGlite holds the loop for its whole run, so there are none.
    let ticksDuringQuery = 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (running) ticksDuringQuery++;
        if (!running || ticksDuringQuery >= 5) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    expect(running).toBe(true);
    expect(ticksDuringQuery).toBe(5);
    await query;
  });

  it('gives back rows with the types PGlite gives: bytea, timestamps as drizzle reads them, int8, jsonb', async () => {
    const body = new Uint8Array([0, 1, 2, 255]);
    const at = new Date('2026-01-02T03:04:05.678Z');
    await database.db.execute(sql`INSERT INTO worker_probe VALUES (1, 'one', ${body}, ${at.toISOString()}, 9007199254740993, ${JSON.stringify({ a: [1, 'b'] })}::jsonb)`);
    const { rows } = (await database.db.execute(sql`SELECT body, at, big, doc FROM worker_probe WHERE id = 1`)) as unknown as { rows: Record<string, unknown>[] };
    expect(rows[0]!.body).toBeInstanceOf(Uint8Array);
    expect([...(rows[0]!.body as Uint8Array)]).toEqual([0, 1, 2, 255]);
    // drizzle asks PGlite for timestamps as text: the worker keeps that parser.
    expect(new Date(rows[0]!.at as string).toISOString()).toBe(at.toISOString());
    expect(rows[0]!.big).toBe(9007199254740993n);
    expect(rows[0]!.doc).toEqual({ a: [1, 'b'] });
  });

  it('fails a query with the Postgres error, its code and detail', async () => {
    const duplicate = databaseError(await caught(database.db.execute(sql`INSERT INTO worker_probe (id, note) VALUES (1, 'again')`)));
    expect(duplicate).toMatchObject({ code: '23505', constraint: 'worker_probe_pkey', detail: 'Key (id)=(1) already exists.', severity: 'ERROR' });
    expect(duplicate).toBeInstanceOf(Error);
    expect(databaseError(await caught(database.db.execute(sql`SELECT * FROM no_such_table`)))).toMatchObject({ code: '42P01' });
    // The database is still usable after both.
    expect(await database.ping()).toBe(true);
  });

  it('rolls back a transaction whose callback throws, and the caller gets its error', async () => {
    const failure = new Error('changed my mind');
    const thrown = await caught(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO worker_probe (id, note) VALUES (2, 'two')`);
        throw failure;
      }),
    );
    expect(thrown).toBe(failure);
    const { rows } = (await database.db.execute(sql`SELECT count(*)::int AS n FROM worker_probe WHERE id = 2`)) as unknown as { rows: { n: number }[] };
    expect(rows[0]!.n).toBe(0);
  });

  it('rolls back on tx.rollback(), a failed statement, and a nested savepoint only', async () => {
    await caught(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO worker_probe (id, note) VALUES (3, 'three')`);
        tx.rollback();
      }),
    );
    const duplicate = await caught(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO worker_probe (id, note) VALUES (4, 'four')`);
        await tx.execute(sql`INSERT INTO worker_probe (id, note) VALUES (1, 'duplicate')`);
      }),
    );
    expect(databaseError(duplicate)).toMatchObject({ code: '23505' });
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO worker_probe (id, note) VALUES (5, 'five')`);
      await caught(
        tx.transaction(async (inner) => {
          await inner.execute(sql`INSERT INTO worker_probe (id, note) VALUES (6, 'six')`);
          throw new Error('inner only');
        }),
      );
    });
    const { rows } = (await database.db.execute(sql`SELECT id FROM worker_probe WHERE id BETWEEN 3 AND 6 ORDER BY id`)) as unknown as { rows: { id: number }[] };
    expect(rows.map((r) => r.id)).toEqual([5]);
  });

  it('holds a query outside a transaction until the transaction ends, as PGlite does', async () => {
    const order: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    const transaction = database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO worker_probe (id, note) VALUES (7, 'seven')`);
      opened();
      await released;
      // Sent after the query outside: it is answered first all the same, the other one waits for the commit.
      await tx.execute(sql`SELECT 1`);
      order.push('inside');
    });
    await isOpen;
    const outside = database.db.execute(sql`SELECT note FROM worker_probe WHERE id = 7`).then((result) => {
      order.push('outside');
      return (result as unknown as { rows: { note: string }[] }).rows;
    });
    release();
    await transaction;
    expect(await outside).toEqual([{ note: 'seven' }]);
    expect(order).toEqual(['inside', 'outside']);
  });

  it("sends a transaction's first statements with its BEGIN: held in the worker until the one before it ends, then run in order", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let opened!: () => void;
    const isOpen = new Promise<void>((resolve) => (opened = resolve));
    const first = database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO worker_probe (id, note) VALUES (8, 'eight')`);
      opened();
      await released;
    });
    await isOpen;
    let started = false;
    const second = database.db.transaction(async (tx) => {
      started = true;
      const [seen] = await Promise.all([
        tx.execute(sql`SELECT note FROM worker_probe WHERE id = 8`),
        tx.execute(sql`UPDATE worker_probe SET note = 'eight, then nine' WHERE id = 8`),
      ]);
      return (seen as unknown as { rows: { note: string }[] }).rows;
    });
    // One turn of the event loop: the second callback has run, though the first transaction still holds the database
    // (waiting for its BEGIN to be answered, it could not have).
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(true);
    release();
    await first;
    expect(await second).toEqual([{ note: 'eight' }]);
    const after = (await database.db.execute(sql`SELECT note FROM worker_probe WHERE id = 8`)) as unknown as { rows: { note: string }[] };
    expect(after.rows).toEqual([{ note: 'eight, then nine' }]);
  });

  it("ends a transaction with its last statement: one message carries both, committed when it is answered", async () => {
    const sent = vi.spyOn(PGliteWorker.prototype as unknown as { request(message: { op: string; commit?: boolean }): Promise<unknown> }, 'request');
    const seenInside = await database.db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO worker_probe (id, note) VALUES (20, 'twenty')`);
      await executeLastRows(tx, sql`INSERT INTO worker_probe (id, note) VALUES (21, 'twenty-one')`);
      // Committed already: a query outside the transaction is not held for it (were it still open, this would wait for ever).
      return (await database.db.execute(sql`SELECT id FROM worker_probe WHERE id IN (20, 21) ORDER BY id`)) as unknown as { rows: { id: number }[] };
    });
    expect(seenInside.rows.map((r) => r.id)).toEqual([20, 21]);
    const ops = sent.mock.calls.map(([message]) => `${message.op}${message.commit ? '+commit' : ''}`);
    expect(ops).toEqual(['begin', 'query', 'query+commit', 'query']);
  });

  it('rolls the whole transaction back when its last statement fails, and answers with its error', async () => {
    const duplicate = await caught(
      database.db.transaction(async (tx) => {
        await tx.execute(sql`INSERT INTO worker_probe (id, note) VALUES (22, 'twenty-two')`);
        await executeLastRows(tx, sql`INSERT INTO worker_probe (id, note) VALUES (1, 'duplicate')`);
      }),
    );
    expect(databaseError(duplicate)).toMatchObject({ code: '23505' });
    const { rows } = (await database.db.execute(sql`SELECT count(*)::int AS n FROM worker_probe WHERE id = 22`)) as unknown as { rows: { n: number }[] };
    expect(rows[0]!.n).toBe(0);
    // The database goes on: the next transaction commits.
    await database.db.transaction(async (tx) => tx.execute(sql`INSERT INTO worker_probe (id, note) VALUES (22, 'twenty-two')`));
    const again = (await database.db.execute(sql`SELECT note FROM worker_probe WHERE id = 22`)) as unknown as { rows: { note: string }[] };
    expect(again.rows).toEqual([{ note: 'twenty-two' }]);
  });

  it('refuses a query after the last statement; what was committed stays, even if the callback then throws', async () => {
    const afterLast = await caught(
      database.db.transaction(async (tx) => {
        await executeLastRows(tx, sql`INSERT INTO worker_probe (id, note) VALUES (23, 'twenty-three')`);
        await tx.execute(sql`INSERT INTO worker_probe (id, note) VALUES (24, 'too late')`);
      }),
    );
    expect(String((afterLast as Error).message) + String(databaseError(afterLast).message)).toContain('Transaction is closed');
    const { rows } = (await database.db.execute(sql`SELECT id FROM worker_probe WHERE id IN (23, 24)`)) as unknown as { rows: { id: number }[] };
    expect(rows.map((r) => r.id)).toEqual([23]);
  });

  it('prepares a statement a transaction runs a second time (pglite-prepared.mjs), and it answers the same', async () => {
    const prepared = async () => ((await database.db.execute(sql`SELECT count(*)::int AS n FROM pg_prepared_statements`)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
    const before = await prepared();
    const read = () => database.db.transaction(async (tx) => (await tx.execute(sql`SELECT note FROM worker_probe WHERE id = ${1} AND note <> ${'prepared?'}`)) as unknown as { rows: { note: string }[] });
    const first = await read();
    expect(await prepared()).toBe(before);
    const second = await read();
    expect(await prepared()).toBe(before + 1);
    expect(second.rows).toEqual(first.rows);
    expect(first.rows).toHaveLength(1);
  });

  // Last: it closes the database the others use.
  it('closes: the worker ends and later queries fail', async () => {
    await database.close();
    expect(await database.ping()).toBe(false);
    expect(databaseError(await caught(database.db.execute(sql`SELECT 1`)))).toMatchObject({ message: 'PGlite is closed' });
    // A transaction too: its BEGIN fails, and so does what it sent with it.
    const error = await caught(database.db.transaction(async (tx) => tx.execute(sql`SELECT 1`)));
    expect(String((error as Error).message) + String(databaseError(error).message)).toContain('PGlite is closed');
  });
});
