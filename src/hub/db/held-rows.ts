/**
 * The rows a transaction writes, held until it needs them in the database and
 * then written in ONE statement (`insertTogether`): a hot path that writes to
 * six tables pays one round trip to the database, not six. Rows held with
 * `returning` come back as stored (their rev, number and times) by id after
 * the flush. A read that must see what is held calls `flush` first.
 */
import { getTableName, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './connect';
import { type InsertPart, insertTogether, type StatementPart } from './json-rows';

export interface HoldOptions {
  /** `ON CONFLICT …` as SQL text: an upsert. Give `key` with it: one statement may not touch a row twice. */
  onConflict?: string;
  /** The row's conflict key: a later row with the same key replaces the one held. */
  key?: string;
  /** Read the row back as stored (by its `id` column), through `stored`. */
  returning?: boolean;
}

export interface HeldRows {
  insert<T extends PgTable>(table: T, row: T['$inferInsert'], opts?: HoldOptions): void;
  /** A data-modifying statement (an UPDATE) written with the rows. */
  statement(statement: SQL): void;
  /** Writes what is held, in one statement; nothing held, nothing sent. `last`: nothing follows it in the transaction, so its commit goes with it (execute-rows.ts executeLastRows). */
  flush(opts?: { last?: boolean }): Promise<void>;
  /** A row held with `returning`, as a flush stored it; undefined: no flush wrote it. */
  stored<T extends PgTable>(table: T, id: string): T['$inferSelect'] | undefined;
  readonly tx: Db;
}

interface Part {
  table: PgTable;
  opts: HoldOptions;
  rows: Map<string | number, Record<string, unknown>>;
}

export function holdRows(tx: Db): HeldRows {
  let parts = new Map<string, Part>();
  let statements: SQL[] = [];
  let count = 0;
  const stored = new Map<string, unknown>();
  const storedKey = (table: PgTable, id: string) => `${getTableName(table)}\u0000${id}`;

  return {
    tx,
    insert(table, row, opts = {}) {
      const kind = `${getTableName(table)}\u0000${opts.onConflict ?? ''}\u0000${opts.returning ? 'r' : ''}`;
      let part = parts.get(kind);
      if (!part) parts.set(kind, (part = { table, opts, rows: new Map() }));
      // Re-keyed on replace, so the latest row is written in its own turn.
      if (opts.key !== undefined) part.rows.delete(opts.key);
      part.rows.set(opts.key ?? count++, row as Record<string, unknown>);
    },
    statement(statement) {
      statements.push(statement);
    },
    async flush(opts) {
      const held = [...parts.values()];
      const updates = statements;
      if (held.length === 0 && updates.length === 0) return;
      parts = new Map();
      statements = [];
      const sent: (InsertPart | StatementPart)[] = [
        ...held.map((p) => ({ table: p.table, rows: [...p.rows.values()], onConflict: p.opts.onConflict, returning: p.opts.returning ? (true as const) : undefined })),
        ...updates.map((statement) => ({ statement })),
      ];
      const returned = await insertTogether(tx, sent, opts);
      held.forEach((part, i) => {
        if (part.opts.returning) for (const row of returned[i] as { id: string }[]) stored.set(storedKey(part.table, row.id), row);
      });
    },
    stored: (table, id) => stored.get(storedKey(table, id)) as never,
  };
}
