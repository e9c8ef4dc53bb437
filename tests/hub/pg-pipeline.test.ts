/**
 * Reads sent at once inside one Postgres transaction (batch look-ups, routing rounds) share its one
 * connection: pipelined, not queued on it (node-postgres 8 warns about queueing, 9 refuses it).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/hub/db/connect';
import { backends } from './backends';

describe('concurrent reads in a Postgres transaction', () => {
  let storage: Awaited<ReturnType<(typeof backends)[number]['storage']>>;
  let database: Database;
  beforeAll(async () => {
    storage = await backends.find((b) => b.name === 'postgres')!.storage();
    database = await openDatabase(storage.options);
  });
  afterAll(async () => {
    await database?.close();
    await storage?.dispose();
  });

  it('answers each read and draws no warning from node-postgres', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const results = await database.db.transaction((tx) =>
        Promise.all(
          [1, 2, 3, 4].map(async (n) => {
            const { rows } = (await tx.execute(sql`SELECT ${n}::int AS n, pg_sleep(0.01)`)) as unknown as { rows: { n: number }[] };
            return rows[0]!.n;
          }),
        ),
      );
      expect(results).toEqual([1, 2, 3, 4]);
      // Warnings are emitted on a later tick: one of ours, after the reads, marks where theirs would have come.
      const sentinel = new Promise<void>((resolve) => process.on('warning', (w) => w.message === 'pipeline-sentinel' && resolve()));
      process.emitWarning('pipeline-sentinel');
      await sentinel;
      expect(warnings.filter((w) => w !== 'pipeline-sentinel')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
