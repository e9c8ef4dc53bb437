import { sql } from 'drizzle-orm';
import type { Db } from './connect';
import { migrations, type Migration } from './migrations';
import { executeRows } from './execute-rows';

export class DatabaseTooNewError extends Error {
  constructor(found: number, known: number) {
    super(`the database is at schema version ${found}, newer than this hub knows (${known}); upgrade the hub`);
    this.name = 'DatabaseTooNewError';
  }
}

/** Applies pending migrations, each in its own transaction; safe to run from several hubs at once. */
export async function migrate(db: Db, list: Migration[] = migrations): Promise<number> {
  await db.transaction(async (tx) => {
    // Hubs sharing one Postgres may start together: CREATE ... IF NOT EXISTS alone still races.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(4710)`);
    await tx.execute(sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  });
  const known = Math.max(0, ...list.map((m) => m.version));
  let applied = 0;
  for (const migration of list) {
    await db.transaction(async (tx) => {
      // One hub migrates at a time, even when several share one Postgres.
      await tx.execute(sql`SELECT pg_advisory_xact_lock(4710)`);
      const current = await currentVersion(tx as unknown as Db);
      if (current > known) throw new DatabaseTooNewError(current, known);
      if (current >= migration.version) return;
      for (const statement of statements(migration.sql)) await tx.execute(sql.raw(statement));
      await tx.execute(sql`INSERT INTO schema_migrations (version, name) VALUES (${migration.version}, ${migration.name})`);
      applied++;
    });
  }
  if (list.length === 0 || applied === 0) {
    const current = await currentVersion(db);
    if (current > known) throw new DatabaseTooNewError(current, known);
  }
  return applied;
}

export async function currentVersion(db: Db): Promise<number> {
  const result = await executeRows<{ v: number | null }>(db, sql`SELECT max(version) AS v FROM schema_migrations`);
  return Number(result[0]?.v ?? 0);
}

/** Splits a migration into statements: drizzle's PGlite driver runs one per call. Our migrations keep `;` at line ends only. */
function statements(script: string): string[] {
  return script
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
