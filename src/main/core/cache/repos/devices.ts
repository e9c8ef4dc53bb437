import type { Device } from '../../../../shared/domain';
import type { CacheDb } from '../database';

export function createDevicesRepo(db: CacheDb) {
  const upsert = db.prepare<{ id: string; rev: number; ownerId: string | null; data: string }>(`
    INSERT INTO devices (id, rev, owner_id, data) VALUES (@id, @rev, @ownerId, @data)
    ON CONFLICT(id) DO UPDATE SET rev = excluded.rev, owner_id = excluded.owner_id, data = excluded.data
    WHERE excluded.rev > devices.rev OR (excluded.rev = devices.rev AND excluded.data <> devices.data)`);
  const remove = db.prepare<[string, number]>('DELETE FROM devices WHERE id = ? AND rev <= ?');
  const byId = db.prepare<[string], { data: string }>('SELECT data FROM devices WHERE id = ?');
  const clear = db.prepare('DELETE FROM devices');
  return {
    upsert: (row: Device, rev: number): boolean => upsert.run({ id: row.id, rev, ownerId: row.ownerId, data: JSON.stringify(row) }).changes > 0,
    remove: (id: string, rev: number): boolean => remove.run(id, rev).changes > 0,
    byId(id: string): Device | null {
      const row = byId.get(id);
      return row ? (JSON.parse(row.data) as Device) : null;
    },
    clear: (): void => void clear.run(),
  };
}
export type DevicesRepo = ReturnType<typeof createDevicesRepo>;
