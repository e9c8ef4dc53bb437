import type { Device } from '../../../../shared/domain';
import type { CacheDb } from '../database';
import { createDocumentRepo } from './documents';

export function createDevicesRepo(db: CacheDb) {
  const ofOwner = db.prepare<[string], { data: string }>('SELECT data FROM devices WHERE owner_id = ? ORDER BY id');
  return {
    ...createDocumentRepo<Device>(db, 'devices', { owner_id: (d) => d.ownerId }),
    ofOwner: (customerId: string): Device[] => ofOwner.all(customerId).map((r) => JSON.parse(r.data) as Device),
  };
}
export type DevicesRepo = ReturnType<typeof createDevicesRepo>;
