/**
 * The shape every cached table shares: the row's JSON in `data`, its `rev`,
 * and a few columns copied out of it to index and sort. An upsert replaces a
 * row only when the incoming rev is newer (or the same rev with other data),
 * so a stale or repeated event changes nothing; a delete never removes a
 * newer row.
 *
 * A table with an `overlay` (cases) shows in `data` the hub's row with this
 * console's unconfirmed changes laid over it, so every read, filter and sort
 * sees what the user did at once; the hub's own row is then kept in `base`
 * (NULL when nothing is laid over it: `data` is the hub's row, stored once).
 */
import type { CacheDb } from '../database';

type Table = 'cases' | 'messages' | 'customers' | 'devices' | 'queues' | 'users' | 'articles' | 'mentions';
type Column = string | number | null;

export interface DocumentOptions<T> {
  /** The row as this console shows it: the hub's row plus local changes not yet confirmed. */
  overlay?: (row: T) => T;
}

export function createDocumentRepo<T extends { id: string }>(db: CacheDb, table: Table, columns: Record<string, (row: T) => Column>, opts: DocumentOptions<T> = {}) {
  const names = Object.keys(columns);
  const withBase = opts.overlay !== undefined;
  const baseInsert = withBase ? ', base' : '';
  const baseValue = withBase ? ', @base' : '';
  const baseSet = withBase ? ', base = excluded.base' : '';
  const baseChanged = withBase ? ' OR excluded.base IS NOT ' + table + '.base' : '';
  const upsert = db.prepare<Record<string, Column>>(`
    INSERT INTO ${table} (id, rev, ${names.join(', ')}, data${baseInsert}) VALUES (@id, @rev, ${names.map((n) => `@${n}`).join(', ')}, @data${baseValue})
    ON CONFLICT(id) DO UPDATE SET rev = excluded.rev, ${names.map((n) => `${n} = excluded.${n}`).join(', ')}, data = excluded.data${baseSet}
    WHERE excluded.rev > ${table}.rev OR (excluded.rev = ${table}.rev AND (excluded.data <> ${table}.data${baseChanged}))`);
  const remove = db.prepare<[string, number]>(`DELETE FROM ${table} WHERE id = ? AND rev <= ?`);
  const byId = db.prepare<[string], { data: string }>(`SELECT data FROM ${table} WHERE id = ?`);
  const clear = db.prepare(`DELETE FROM ${table}`);
  const baseOf = withBase ? db.prepare<[string], { base: string | null; data: string; rev: number }>(`SELECT base, data, rev FROM ${table} WHERE id = ?`) : null;
  const rewrite = withBase
    ? db.prepare<Record<string, Column>>(`UPDATE ${table} SET ${names.map((n) => `${n} = @${n}`).join(', ')}, data = @data, base = @base WHERE id = @id`)
    : null;

  function values(row: T, rev: number): Record<string, Column> {
    const shown = opts.overlay ? opts.overlay(row) : row;
    const out: Record<string, Column> = { id: row.id, rev, data: JSON.stringify(shown) };
    // A row born here (rev 0) has no hub row yet; one without local changes is its own base.
    if (withBase) out.base = rev > 0 && shown !== row ? JSON.stringify(row) : null;
    for (const name of names) out[name] = columns[name]!(shown);
    return out;
  }

  /** The hub's row as stored: `base` when local changes are laid over it, else `data` itself. */
  function hubRow(stored: { base: string | null; data: string; rev: number }): T | null {
    if (stored.rev === 0) return null;
    return JSON.parse(stored.base ?? stored.data) as T;
  }

  return {
    /** True when the row was new or newer than the stored one. A rev of 0 is a row born here, unknown to the hub. */
    upsert: (row: T, rev: number): boolean => upsert.run(values(row, rev)).changes > 0,
    remove: (id: string, rev: number): boolean => remove.run(id, rev).changes > 0,
    byId(id: string): T | null {
      const row = byId.get(id);
      return row ? (JSON.parse(row.data) as T) : null;
    },
    /** The hub's row, without this console's changes (null: none, or born here). */
    baseById(id: string): T | null {
      const stored = baseOf?.get(id);
      return stored ? hubRow(stored) : null;
    },
    /** Lays the current local changes over the stored hub row again (after the outbox changed). */
    refresh(id: string): void {
      if (!baseOf || !rewrite) return;
      const stored = baseOf.get(id);
      if (!stored) return;
      // A row born here has no hub row: its changes are laid again over what it shows (the same fields win).
      const base = hubRow(stored) ?? (JSON.parse(stored.data) as T);
      const next = values(base, stored.rev);
      delete next.rev;
      rewrite.run(next);
    },
    clear: (): void => void clear.run(),
  };
}
