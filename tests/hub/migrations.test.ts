import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/hub/db/connect';
import { currentVersion, DatabaseTooNewError, migrate } from '../../src/hub/db/migrate';
import { migrations } from '../../src/hub/db/migrations';
import { backends, withDatabase } from './backends';

const latest = Math.max(...migrations.map((m) => m.version));

async function tableExists(db: Db, name: string): Promise<boolean> {
  const result = (await db.execute(sql`SELECT to_regclass(${name}) IS NOT NULL AS present`)) as unknown as { rows: { present: boolean }[] };
  return result.rows[0]?.present === true;
}

describe.each(backends)('migrations on $name', (backend) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function freshStorage() {
    const storage = await backend.storage();
    cleanups.push(storage.dispose);
    return storage.options;
  }

  it('migrates an empty database to the latest version, then does nothing on the next start', async () => {
    const options = await freshStorage();
    // openDatabase migrates: the first open applies everything.
    await withDatabase(options, async (db) => {
      expect(await currentVersion(db)).toBe(latest);
      for (const table of ['cases', 'messages', 'customers', 'devices', 'telemetry', 'device_rules', 'rule_state', 'alerts', 'mentions']) {
        expect(await tableExists(db, table)).toBe(true);
      }
    });
    await withDatabase(options, async (db) => {
      expect(await migrate(db)).toBe(0);
      expect(await migrate(db)).toBe(0);
      const result = (await db.execute(sql`SELECT count(*)::int AS n FROM schema_migrations`)) as unknown as { rows: { n: number }[] };
      expect(result.rows[0]!.n).toBe(migrations.length);
    });
  });

  it('refuses a database newer than the code knows', async () => {
    const options = await freshStorage();
    await withDatabase(options, async (db) => {
      // A hub that only knows the first migration meets a database at the latest version.
      await expect(migrate(db, migrations.slice(0, 1))).rejects.toBeInstanceOf(DatabaseTooNewError);
      await expect(migrate(db, migrations.slice(0, 1))).rejects.toThrow(`schema version ${latest}, newer than this hub knows (1)`);
    });
  });

  it('applies a migration entirely or not at all', async () => {
    const options = await freshStorage();
    await withDatabase(options, async (db) => {
      const broken = { version: latest + 1, name: 'half broken', sql: 'CREATE TABLE half_done (a integer);\nSELECT no_such_function();' };
      await expect(migrate(db, [...migrations, broken])).rejects.toThrow(/no_such_function/);
      expect(await tableExists(db, 'half_done')).toBe(false);
      expect(await currentVersion(db)).toBe(latest);
      const fixed = { ...broken, sql: 'CREATE TABLE half_done (a integer);' };
      expect(await migrate(db, [...migrations, fixed])).toBe(1);
      expect(await tableExists(db, 'half_done')).toBe(true);
      expect(await currentVersion(db)).toBe(latest + 1);
    });
  });
});
