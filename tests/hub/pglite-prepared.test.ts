/**
 * The embedded database's worker prepares a statement a transaction runs a
 * second time (src/hub/db/pglite-prepared.mjs): the database then holds it
 * under a name, its results are those PGlite's own `query` gives (types,
 * parsers, row modes), its errors keep their code and statement, and no more
 * than PREPARED_MAX are kept.
 */
import { PGlite, type Results } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREPARED_MAX, preparedStatements } from '../../src/hub/db/pglite-prepared.mjs';

let db: PGlite;

beforeAll(async () => {
  db = await PGlite.create();
  await db.exec(`CREATE TABLE probe (id uuid PRIMARY KEY, n int8 NOT NULL, at timestamptz NOT NULL, doc jsonb, tags text[], body bytea)`);
  await db.query(`INSERT INTO probe VALUES ('11111111-1111-4111-8111-111111111111', 9007199254740993, '2026-12-01T10:00:00.123456Z', '{"a":[1,"x"]}', '{red,blue}', '\\x0102')`);
});

afterAll(async () => {
  await db?.close();
});

const PROBE = `SELECT id, n, at, doc, tags, body FROM probe WHERE id = ANY($1::uuid[]) AND at > $2`;
const params = [['11111111-1111-4111-8111-111111111111'], new Date('2026-01-01T00:00:00Z')];
/** drizzle's way: timestamps kept as text (identity parser for timestamptz). */
const options = { rowMode: 'object' as const, parsers: { 1184: (value: string) => value } };

const names = async () => (await db.query<{ name: string }>(`SELECT name FROM pg_prepared_statements ORDER BY name`)).rows.map((r) => r.name);

describe('statements prepared in the embedded database’s worker', () => {
  it('runs a statement as PGlite does the first time, and prepared from the second, with the same results', async () => {
    const statements = preparedStatements(db);
    const before = await names();
    const plain = await db.query(PROBE, params, options);
    const runs = await db.transaction(async () => [await statements.query(PROBE, params, options), await statements.query(PROBE, params, options), await statements.query(PROBE, params, options)]);
    // First sight: not run here (the worker runs it as usual); then prepared once and bound each time.
    expect(runs[0]).toBeNull();
    expect(statements.size).toBe(1);
    expect((await names()).filter((name) => !before.includes(name))).toHaveLength(1);
    for (const result of runs.slice(1) as Results[]) {
      expect(result.rows).toEqual(plain.rows);
      expect(result.fields).toEqual(plain.fields);
    }
    expect(plain.rows[0]).toMatchObject({ n: 9007199254740993n, at: '2026-12-01 10:00:00.123456+00', doc: { a: [1, 'x'] }, tags: ['red', 'blue'] });
    // Array rows too, and the parameters of another run.
    const arrays = (await db.transaction(async () => statements.query(PROBE, [params[0], new Date('2027-01-01T00:00:00Z')], { ...options, rowMode: 'array' })))!;
    expect(arrays.rows).toEqual([]);
  });

  it('answers a failing run with the database’s error, its code and statement, and the statement stays prepared', async () => {
    const statements = preparedStatements(db);
    const insert = `INSERT INTO probe (id, n, at) VALUES ($1, $2, now())`;
    const id = '22222222-2222-4222-8222-222222222222';
    await db.transaction(async () => {
      expect(await statements.query(insert, [id, 1], undefined)).toBeNull();
    });
    await db.transaction(async () => {
      await statements.query(insert, [id, 2], undefined);
    });
    const failed = await db
      .transaction(async () => {
        await statements.query(insert, [id, 3], undefined);
      })
      .catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: '23505', query: insert, params: [id, 3] });
    expect(statements.size).toBe(1);
    expect((await db.query<{ n: number }>(`SELECT n FROM probe WHERE id = $1`, [id])).rows).toEqual([{ n: 2 }]);
  });

  it(`keeps at most ${PREPARED_MAX}, closing the least recently run`, async () => {
    const statements = preparedStatements(db);
    const before = (await names()).length;
    const nth = (i: number) => `SELECT ${i}::int AS n`;
    await db.transaction(async () => {
      for (let i = 0; i <= PREPARED_MAX; i++) {
        await statements.query(nth(i), [], undefined);
        await statements.query(nth(i), [], undefined);
      }
      // The first one was closed to make room: run again, it is prepared anew and answers all the same.
      expect(((await statements.query(nth(0), [], undefined)) as Results).rows).toEqual([{ n: 0 }]);
    });
    expect(statements.size).toBe(PREPARED_MAX);
    expect((await names()).length - before).toBe(PREPARED_MAX);
  });
});
