import type { User } from '../../../../shared/domain';
import type { CacheDb } from '../database';

/** Users carry no rev of their own; the sync change's rev is stored beside them. */
export function createUsersRepo(db: CacheDb) {
  const upsert = db.prepare<{ id: string; rev: number; name: string; data: string }>(`
    INSERT INTO users (id, rev, name, data) VALUES (@id, @rev, @name, @data)
    ON CONFLICT(id) DO UPDATE SET rev = excluded.rev, name = excluded.name, data = excluded.data
    WHERE excluded.rev > users.rev OR (excluded.rev = users.rev AND excluded.data <> users.data)`);
  const remove = db.prepare<[string, number]>('DELETE FROM users WHERE id = ? AND rev <= ?');
  const byId = db.prepare<[string], { data: string }>('SELECT data FROM users WHERE id = ?');
  const clear = db.prepare('DELETE FROM users');
  return {
    upsert: (row: User, rev: number): boolean => upsert.run({ id: row.id, rev, name: row.name, data: JSON.stringify(row) }).changes > 0,
    remove: (id: string, rev: number): boolean => remove.run(id, rev).changes > 0,
    byId(id: string): User | null {
      const row = byId.get(id);
      return row ? (JSON.parse(row.data) as User) : null;
    },
    clear: (): void => void clear.run(),
  };
}
export type UsersRepo = ReturnType<typeof createUsersRepo>;
