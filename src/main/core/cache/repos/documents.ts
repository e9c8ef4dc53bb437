/**
 * The shape every cached table shares: the row's JSON in `data`, its `rev`,
 * and a few columns copied out of it to index and sort. An upsert replaces a
 * row only when the incoming rev is newer (or the same rev with other data),
 * so a stale or repeated event changes nothing; a delete never removes a
 * newer row.
 */
import type { CacheDb } from '../database';

type Table = 'cases' | 'messages' | 'customers' | 'devices' | 'queues' | 'users';
type Column = string | number | null;

export function createDocumentRepo<T extends { id: string }>(db: CacheDb, table: Table, columns: Record<string, (row: T) => Column>) {
  const names = Object.keys(columns);
  const upsert = db.prepare<Record<string, Column>>(`
    INSERT INTO ${table} (id, rev, ${names.join(', ')}, data) VALUES (@id, @rev, ${names.map((n) => `@${n}`).join(', ')}, @data)
    ON CONFLICT(id) DO UPDATE SET rev = excluded.rev, ${names.map((n) => `${n} = excluded.${n}`).join(', ')}, data = excluded.data
    WHERE excluded.rev > ${table}.rev OR (excluded.rev = ${table}.rev AND excluded.data <> ${table}.data)`);
  const remove = db.prepare<[string, number]>(`DELETE FROM ${table} WHERE id = ? AND rev <= ?`);
  const byId = db.prepare<[string], { data: string }>(`SELECT data FROM ${table} WHERE id = ?`);
  const clear = db.prepare(`DELETE FROM ${table}`);
  return {
    /** True when the row was new or newer than the stored one. */
    upsert(row: T, rev: number): boolean {
      const values: Record<string, Column> = { id: row.id, rev, data: JSON.stringify(row) };
      for (const name of names) values[name] = columns[name]!(row);
      return upsert.run(values).changes > 0;
    },
    remove: (id: string, rev: number): boolean => remove.run(id, rev).changes > 0,
    byId(id: string): T | null {
      const row = byId.get(id);
      return row ? (JSON.parse(row.data) as T) : null;
    },
    clear: (): void => void clear.run(),
  };
}
