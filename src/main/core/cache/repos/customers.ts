import type { Customer } from '../../../../shared/domain';
import { fold } from '../columns';
import type { CacheDb } from '../database';

export function createCustomersRepo(db: CacheDb) {
  const upsert = db.prepare<{ id: string; rev: number; name: string; nameFolded: string; data: string }>(`
    INSERT INTO customers (id, rev, name, name_folded, data) VALUES (@id, @rev, @name, @nameFolded, @data)
    ON CONFLICT(id) DO UPDATE SET rev = excluded.rev, name = excluded.name, name_folded = excluded.name_folded, data = excluded.data
    WHERE excluded.rev > customers.rev OR (excluded.rev = customers.rev AND excluded.data <> customers.data)`);
  const remove = db.prepare<[string, number]>('DELETE FROM customers WHERE id = ? AND rev <= ?');
  const byId = db.prepare<[string], { data: string }>('SELECT data FROM customers WHERE id = ?');
  const clear = db.prepare('DELETE FROM customers');
  return {
    upsert: (row: Customer, rev: number): boolean =>
      upsert.run({ id: row.id, rev, name: row.name, nameFolded: fold(row.name), data: JSON.stringify(row) }).changes > 0,
    remove: (id: string, rev: number): boolean => remove.run(id, rev).changes > 0,
    byId(id: string): Customer | null {
      const row = byId.get(id);
      return row ? (JSON.parse(row.data) as Customer) : null;
    },
    clear: (): void => void clear.run(),
  };
}
export type CustomersRepo = ReturnType<typeof createCustomersRepo>;
