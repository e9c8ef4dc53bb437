import type { Queue } from '../../../../shared/domain';
import type { CacheDb } from '../database';

export function createQueuesRepo(db: CacheDb) {
  const upsert = db.prepare<{ id: string; rev: number; name: string; data: string }>(`
    INSERT INTO queues (id, rev, name, data) VALUES (@id, @rev, @name, @data)
    ON CONFLICT(id) DO UPDATE SET rev = excluded.rev, name = excluded.name, data = excluded.data
    WHERE excluded.rev > queues.rev OR (excluded.rev = queues.rev AND excluded.data <> queues.data)`);
  const remove = db.prepare<[string, number]>('DELETE FROM queues WHERE id = ? AND rev <= ?');
  const all = db.prepare<[], { data: string }>('SELECT data FROM queues ORDER BY name, id');
  const clear = db.prepare('DELETE FROM queues');
  return {
    /** True when the row was new or newer than the stored one. */
    upsert: (row: Queue, rev: number): boolean => upsert.run({ id: row.id, rev, name: row.name, data: JSON.stringify(row) }).changes > 0,
    remove: (id: string, rev: number): boolean => remove.run(id, rev).changes > 0,
    all: (): Queue[] => all.all().map((r) => JSON.parse(r.data) as Queue),
    clear: (): void => void clear.run(),
  };
}
export type QueuesRepo = ReturnType<typeof createQueuesRepo>;
