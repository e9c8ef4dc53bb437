/**
 * Rows as JSON, for the hot paths (a batch of inbound messages). Drizzle
 * builds a multi-row insert chunk by chunk — several type checks per column
 * of every row, once the largest single cost of an inbound message on the
 * hub's thread — and the database parses a parameter per value. Here:
 * - `insertRows` / `insertTogether`: rows into one table, or several tables
 *   in ONE statement (a data-modifying WITH per table), each table's rows one
 *   JSON parameter spread into its columns by `jsonb_populate_recordset`; the
 *   statement's text depends only on the tables and columns given;
 * - `rowFromJson`: a row a statement built as JSON (`to_jsonb(t)`, to read
 *   several tables in one statement) decoded as drizzle's select decodes it.
 * Values go through each column's own driver mapping and come back through
 * its own decoding: the same rows drizzle's insert and select give.
 */
import { getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './connect';
import { executeLastRows, executeRows } from './execute-rows';

interface TableShape {
  name: string;
  /** Each column: its key in drizzle's rows, its name in the database, and whether it is json (kept as JSON, not as text). */
  columns: { key: string; column: PgColumn; json: boolean }[];
}

const shapes = new WeakMap<PgTable, TableShape>();

function shapeOf(table: PgTable): TableShape {
  let shape = shapes.get(table);
  if (!shape) {
    const columns = Object.entries(getTableColumns(table)).map(([key, column]) => ({ key, column, json: ['json', 'jsonb'].includes(column.getSQLType()) }));
    shape = { name: getTableName(table), columns };
    shapes.set(table, shape);
  }
  return shape;
}

/** A json column as the drivers give it: PGlite and node-postgres parse it; a driver that gives text is read all the same. */
export const jsonColumn = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface InsertRowsOptions {
  /** `ON CONFLICT …` as SQL text (the table's own column names): an upsert. */
  onConflict?: string;
  /** RETURNING every column (true) or these keys (the rows as drizzle's select gives them); without it nothing is read back. */
  returning?: true | string[];
}

/** One table's rows for `insertTogether`. */
export interface InsertPart<T extends PgTable = PgTable> extends InsertRowsOptions {
  table: T;
  rows: T['$inferInsert'][];
}

/** A data-modifying statement (an UPDATE, no RETURNING) run in the same statement as the inserts. */
export interface StatementPart {
  statement: SQL;
}

/**
 * Inserts `rows` (drizzle's insert shape: a missing key takes the column's default, as in `.values()`) in
 * one statement; rows that give different sets of keys each go in with their like, in their order.
 */
export async function insertRows<T extends PgTable>(db: Db, table: T, rows: T['$inferInsert'][], opts: InsertRowsOptions = {}): Promise<T['$inferSelect'][]> {
  const [out] = await insertTogether(db, [{ table, rows, ...opts } as InsertPart]);
  return (out ?? []) as T['$inferSelect'][];
}

/**
 * Inserts into several tables in ONE statement (a data-modifying WITH per table and set of keys, and one per
 * statement part): one round trip, one statement for the database to run, whatever the number of tables and
 * rows. The constraints between them (a message's case, a case's customer) are checked at the statement's end,
 * so the parts may come in any order; no two parts may write the same row. Gives back each part's returned
 * rows, in the order of `parts`. `last`: it is the transaction's last statement (see executeLastRows).
 */
export async function insertTogether(db: Db, parts: (InsertPart | StatementPart)[], opts: { last?: boolean } = {}): Promise<unknown[][]> {
  const execute = opts.last ? executeLastRows : executeRows;
  const withs: SQL[] = [];
  const reads: { part: number; columns: TableShape['columns']; alias: string }[] = [];
  const inserts: { statement: SQL; part: number; returning: TableShape['columns'] | undefined }[] = [];
  parts.forEach((part, index) => {
    if ('statement' in part) return void inserts.push({ statement: part.statement, part: index, returning: undefined });
    const shape = shapeOf(part.table);
    const returning = part.returning === true ? shape.columns : part.returning?.map((key) => columnOf(shape, key));
    for (const { given, rows } of groupByKeys(shape, part.rows as Record<string, unknown>[])) {
      const names = given.map(({ column }) => quoted(column.name)).join(', ');
      const head = `INSERT INTO ${quoted(shape.name)} (${names}) SELECT ${names} FROM jsonb_populate_recordset(NULL::${quoted(shape.name)}, `;
      const tail = `::jsonb)${part.onConflict ? ` ${part.onConflict}` : ''}${returning ? ` RETURNING ${returning.map(({ column }) => quoted(column.name)).join(', ')}` : ''}`;
      inserts.push({ statement: sql`${sql.raw(head)}${JSON.stringify(rows)}${sql.raw(tail)}`, part: index, returning });
    }
  });
  const out: unknown[][] = parts.map(() => []);
  if (inserts.length === 0) return out;
  if (inserts.length === 1) {
    // One insert needs no WITH around it (nor its rows made JSON to come back).
    const [{ statement, part, returning }] = inserts as [(typeof inserts)[number]];
    const result = await execute(db, statement);
    if (returning) for (const row of result) out[part]!.push(decode(returning, row));
    return out;
  }
  inserts.forEach(({ statement, part, returning }, i) => {
    withs.push(sql`${sql.raw(`w${i} AS (`)}${statement})`);
    if (returning) reads.push({ part, columns: returning, alias: `w${i}` });
  });
  const selected = reads.length === 0 ? '1' : reads.map(({ alias }) => `(SELECT coalesce(json_agg(to_jsonb(${alias})), '[]'::json) FROM ${alias}) AS ${alias}`).join(', ');
  const result = await execute(db, sql`WITH ${sql.join(withs, sql`, `)} SELECT ${sql.raw(selected)}`);
  const row = result[0] ?? {};
  for (const { part, columns, alias } of reads) {
    for (const returned of jsonColumn<Record<string, unknown>[]>(row[alias])) out[part]!.push(decode(columns, returned));
  }
  return out;
}

function groupByKeys(shape: TableShape, rows: Record<string, unknown>[]): { given: TableShape['columns']; rows: Record<string, unknown>[] }[] {
  const groups = new Map<string, { given: TableShape['columns']; rows: Record<string, unknown>[] }>();
  for (const row of rows) {
    const given = shape.columns.filter(({ key }) => row[key] !== undefined);
    const signature = given.map((c) => c.key).join(',');
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = { given, rows: [] }));
    group.rows.push(encode(shape, given, row));
  }
  return [...groups.values()];
}

function encode(shape: TableShape, given: TableShape['columns'], row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, column, json } of given) {
    const value = row[key];
    if (is(value, SQL)) throw new Error(`insertRows: ${shape.name}.${column.name} is SQL, which a JSON row cannot carry: leave it to the column's default`);
    out[column.name] = value === null || json ? value : column.mapToDriverValue(value);
  }
  return out;
}

function columnOf(shape: TableShape, key: string): TableShape['columns'][number] {
  const found = shape.columns.find((c) => c.key === key);
  if (!found) throw new Error(`insertRows: ${shape.name} has no column ${key}`);
  return found;
}

/** A table's row as `to_jsonb(row)` gives it (the database's column names, JSON values), as drizzle's select gives it. */
export function rowFromJson<T extends PgTable>(table: T, json: Record<string, unknown>): T['$inferSelect'] {
  return decode(shapeOf(table).columns, json) as T['$inferSelect'];
}

function decode(columns: TableShape['columns'], row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, column } of columns) {
    const value = row[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out;
}
