/**
 * Autovacuum's work for the embedded database. Postgres runs autovacuum by
 * itself; PGlite, one process and one connection, never does: its tables
 * would never get planner statistics (every plan guessed from default row
 * counts — a rev range read as a scan of the whole table, a join begun at the
 * wrong end) nor have their dead rows reclaimed. The hub does it instead, by
 * Postgres's own rules: a table is analysed once more than 50 rows + 10 % of it
 * changed since its last analysis (or it was never analysed and holds rows),
 * and vacuumed once more than 50 rows + 20 % of it are dead — read from the
 * statistics PGlite keeps (`pg_stat_user_tables`), one table per statement so
 * other queries take their turns between them.
 */
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database, Db } from './connect';
import { executeRows } from './execute-rows';

/** How often the hub looks (autovacuum's own default is a minute; a young hub's tables grow fast). */
export const MAINTENANCE_INTERVAL_MS = 15_000;

/** Postgres's defaults: autovacuum_analyze_threshold, _scale_factor, autovacuum_vacuum_threshold, _scale_factor. */
const ANALYZE_BASE = 50;
const ANALYZE_SCALE = 0.1;
const VACUUM_BASE = 50;
const VACUUM_SCALE = 0.2;

interface TableStats {
  name: string;
  /** pg_class.reltuples: the row count the last analysis saw; -1 when never analysed. */
  tuples: number;
  modified: number;
  dead: number;
  /** Pages on disk: a table never analysed but holding rows is analysed at once. */
  pages: number;
}

export interface MaintenanceDone {
  analyzed: string[];
  vacuumed: string[];
}

/** What each of the hub's tables needs now, by autovacuum's rules. */
export function tablesDue(stats: readonly TableStats[]): { analyze: string[]; vacuum: string[] } {
  const analyze: string[] = [];
  const vacuum: string[] = [];
  for (const t of stats) {
    const rows = Math.max(0, t.tuples);
    if (t.dead > VACUUM_BASE + VACUUM_SCALE * rows) vacuum.push(t.name);
    else if ((t.tuples < 0 && t.pages > 0) || t.modified > ANALYZE_BASE + ANALYZE_SCALE * rows) analyze.push(t.name);
  }
  return { analyze, vacuum };
}

/** One look: the tables due are analysed (or vacuumed and analysed), each in a statement of its own. */
export async function maintainTables(db: Db): Promise<MaintenanceDone> {
  const stats = await executeRows<{ name: string; tuples: number; modified: string; dead: string; pages: string }>(
    db,
    sql`SELECT s.relname AS name, c.reltuples AS tuples, s.n_mod_since_analyze AS modified, s.n_dead_tup AS dead,
          pg_relation_size(c.oid) / current_setting('block_size')::int AS pages
        FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = 'public'`,
  );
  const due = tablesDue(stats.map((s) => ({ name: s.name, tuples: Number(s.tuples), modified: Number(s.modified), dead: Number(s.dead), pages: Number(s.pages) })));
  for (const table of due.vacuum) await db.execute(sql`VACUUM (ANALYZE) ${sql.identifier(table)}`);
  for (const table of due.analyze) await db.execute(sql`ANALYZE ${sql.identifier(table)}`);
  return { analyzed: due.analyze, vacuumed: due.vacuum };
}

export interface Maintenance {
  stop(): Promise<void>;
}

/**
 * On embedded PGlite: a look every interval (the first one too: what ANALYZE found is kept in the catalogue
 * across restarts, and a table never analysed is caught by the first look).
 */
export function startMaintenance(database: Pick<Database, 'db' | 'kind'>, log: Logger, opts: { intervalMs?: number } = {}): Maintenance {
  if (database.kind !== 'pglite') return { stop: async () => undefined };
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const look = () => {
    // One look at a time: a long vacuum is not queued behind by another.
    if (running) return;
    running = maintainTables(database.db).then(
      (done) => {
        if (done.analyzed.length > 0 || done.vacuumed.length > 0) log.debug(done, 'tables maintained');
      },
      (error: unknown) => {
        if (!stopped) log.warn({ err: error }, 'table maintenance failed');
      },
    ).finally(() => {
      running = null;
    });
  };
  const timer = setInterval(look, opts.intervalMs ?? MAINTENANCE_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
