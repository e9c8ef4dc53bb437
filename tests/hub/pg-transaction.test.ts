/**
 * A Postgres transaction's last statement carries its COMMIT (pg-transaction.ts): the COMMIT is on the wire
 * before the statement is answered; a statement Postgres refuses keeps nothing of the transaction; one that
 * node-postgres fails without sending is followed by no COMMIT; nothing runs after the last; and a
 * transaction without a last statement commits or rolls back as before.
 */
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../../src/hub/db/connect';
import { executeLastRows, executeRows } from '../../src/hub/db/execute-rows';
import { postgresTransaction } from '../../src/hub/db/pg-transaction';
import { writeTransactionLockingLate } from '../../src/hub/db/write';
import { backends } from './backends';
import { wireLog } from './pg-wire';

describe('a Postgres transaction whose last statement carries its commit', () => {
  let storage: Awaited<ReturnType<(typeof backends)[number]['storage']>>;
  let database: Database;
  const rows = async () => (await executeRows<{ n: number }>(database.db, sql`SELECT n FROM pipelined ORDER BY n`)).map((r) => r.n);

  beforeAll(async () => {
    storage = await backends.find((b) => b.name === 'postgres')!.storage();
    database = await openDatabase(storage.options);
    await database.db.execute(sql`CREATE TABLE pipelined (n int PRIMARY KEY)`);
  });
  beforeEach(async () => {
    await database.db.execute(sql`TRUNCATE pipelined`);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await database?.close();
    await storage?.dispose();
  });

  it('sends the COMMIT behind the last statement, before its answer, and keeps what the transaction wrote', async () => {
    const log = wireLog();
    const answer = await postgresTransaction(database.db, async (tx) => {
      await executeRows(tx, sql`INSERT INTO pipelined VALUES (1)`);
      return executeLastRows<{ n: number }>(tx, sql`INSERT INTO pipelined VALUES (2) RETURNING n`);
    });
    expect(answer).toEqual([{ n: 2 }]);
    expect(log).toEqual([
      'sent:BEGIN', 'answered:BEGIN',
      'sent:INSERT INTO pipelined', 'answered:INSERT INTO pipelined',
      'sent:INSERT INTO pipelined', 'sent:COMMIT', 'answered:INSERT INTO pipelined', 'answered:COMMIT',
    ]);
    vi.restoreAllMocks();
    expect(await rows()).toEqual([1, 2]);
  });

  it('keeps nothing when Postgres refuses the last statement, and the caller gets its error', async () => {
    const failed = postgresTransaction(database.db, async (tx) => {
      await executeRows(tx, sql`INSERT INTO pipelined VALUES (1)`);
      return executeLastRows(tx, sql`INSERT INTO pipelined VALUES (2), (2)`);
    });
    await expect(failed).rejects.toMatchObject({ cause: { code: '23505' } });
    expect(await rows()).toEqual([]);
    // The connection went back to the pool idle: the next transaction on it works.
    await postgresTransaction(database.db, (tx) => executeLastRows(tx, sql`INSERT INTO pipelined VALUES (3)`));
    expect(await rows()).toEqual([3]);
  });

  it('sends no COMMIT behind a statement node-postgres could not send, and rolls back', async () => {
    const log = wireLog();
    const unsendable = { toPostgres: () => { throw new Error('cannot be serialised'); } };
    const failed = postgresTransaction(database.db, async (tx) => {
      await executeRows(tx, sql`INSERT INTO pipelined VALUES (1)`);
      return executeLastRows(tx, sql`INSERT INTO pipelined VALUES (${unsendable})`);
    });
    await expect(failed).rejects.toMatchObject({ cause: { message: 'cannot be serialised' } });
    expect(log).not.toContain('sent:COMMIT');
    expect(log).toContain('sent:ROLLBACK');
    vi.restoreAllMocks();
    expect(await rows()).toEqual([]);
  });

  it('refuses a statement after the last, and an error thrown after it does not undo the commit', async () => {
    let refused: unknown;
    const failed = postgresTransaction(database.db, async (tx) => {
      await executeLastRows(tx, sql`INSERT INTO pipelined VALUES (1)`);
      refused = await executeRows(tx, sql`INSERT INTO pipelined VALUES (2)`).catch((error: unknown) => error);
      throw new Error('after the commit');
    });
    await expect(failed).rejects.toThrow('after the commit');
    expect(refused).toMatchObject({ cause: { message: 'Transaction is closed' } });
    expect(await rows()).toEqual([1]);
  });

  it('commits, or rolls back on an error, a transaction that never names its last statement', async () => {
    const log = wireLog();
    await postgresTransaction(database.db, (tx) => executeRows(tx, sql`INSERT INTO pipelined VALUES (1)`));
    await expect(postgresTransaction(database.db, async (tx) => {
      await executeRows(tx, sql`INSERT INTO pipelined VALUES (2)`);
      throw new Error('changed its mind');
    })).rejects.toThrow('changed its mind');
    expect(log.filter((entry) => entry.startsWith('sent:'))).toEqual([
      'sent:BEGIN', 'sent:INSERT INTO pipelined', 'sent:COMMIT',
      'sent:BEGIN', 'sent:INSERT INTO pipelined', 'sent:ROLLBACK',
    ]);
    vi.restoreAllMocks();
    expect(await rows()).toEqual([1]);
  });

  it('is the transaction of a write that takes the rev lock late', async () => {
    const log = wireLog();
    await writeTransactionLockingLate(database.db, async (tx, drawRevs) => {
      const [rev] = await drawRevs(1);
      return executeLastRows(tx, sql`INSERT INTO pipelined VALUES (${rev! % 1000})`);
    });
    const sent = log.filter((entry) => entry.startsWith('sent:'));
    expect(sent.slice(-2)).toEqual(['sent:INSERT INTO pipelined', 'sent:COMMIT']);
    expect(log.indexOf('sent:COMMIT')).toBeLessThan(log.lastIndexOf('answered:INSERT INTO pipelined'));
  });
});
