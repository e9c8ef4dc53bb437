/**
 * Rows as JSON, for the hot paths. `insertRows`: many rows into one table
 * with one statement of one parameter, the rows as a JSON array spread into
 * the table's columns by `jsonb_populate_recordset`. `rowFromJson`: a row a
 * statement built as JSON (`to_jsonb(t)`, to read several tables in one
 * statement) decoded as drizzle's select decodes it.
 *
 * For the hot paths (a batch of inbound messages): drizzle builds a multi-row
 * insert chunk by chunk — several type checks per column of every row, a
 * large share of an inbound message's cost on the hub's thread — and the
 * database parses a parameter per value. Here the statement's text depends only
 * on the table and the columns given, and the rows cost one JSON.stringify.
 * Values go through each column's own driver mapping, results come back
 * through its own decoding: the same rows drizzle's insert and select give.
 */
import { getTableColumns, getTableName, is, SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from './connect';

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

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface InsertRowsOptions {
  /** `ON CONFLICT …` as SQL text (the table's own column names): an upsert. */
  onConflict?: string;
  /** RETURNING every column (true) or these keys (the rows as drizzle's select gives them); without it nothing is read back. */
  returning?: true | string[];
}

/**
 * Inserts `rows` (drizzle's insert shape: a missing key takes the column's default, as in `.values()`) in
 * one statement per set of keys given (rows that give the same keys go together, in their order).
 */
export async function insertRows<T extends PgTable>(db: Db, table: T, rows: T['$inferInsert'][], opts: InsertRowsOptions = {}): Promise<T['$inferSelect'][]> {
  if (rows.length === 0) return [];
  const shape = shapeOf(table);
  const groups = new Map<string, { given: TableShape['columns']; rows: Record<string, unknown>[] }>();
  for (const row of rows as Record<string, unknown>[]) {
    const given = shape.columns.filter(({ key }) => row[key] !== undefined);
    const signature = given.map((c) => c.key).join(',');
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = { given, rows: [] }));
    group.rows.push(encode(shape, given, row));
  }
  const returning = opts.returning === true ? shape.columns : opts.returning?.map((key) => columnOf(shape, key));
  const out: T['$inferSelect'][] = [];
  for (const { given, rows: encoded } of groups.values()) {
    const names = given.map(({ column }) => quoted(column.name)).join(', ');
    const head = `INSERT INTO ${quoted(shape.name)} (${names}) SELECT ${names} FROM jsonb_populate_recordset(NULL::${quoted(shape.name)}, `;
    const tail = `::jsonb)${opts.onConflict ? ` ${opts.onConflict}` : ''}${returning ? ` RETURNING ${returning.map(({ column }) => quoted(column.name)).join(', ')}` : ''}`;
    // PGlite and node-postgres both answer with `rows`.
    const result = (await db.execute(sql`${sql.raw(head)}${JSON.stringify(encoded)}${sql.raw(tail)}`)) as unknown as { rows: Record<string, unknown>[] };
    if (returning) for (const row of result.rows) out.push(decode(returning, row) as T['$inferSelect']);
  }
  return out;
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
