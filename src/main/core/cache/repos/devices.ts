import type { Device } from '../../../../shared/domain';
import type { CacheDb } from '../database';
import { createDocumentRepo } from './documents';

export function createDevicesRepo(db: CacheDb) {
  return createDocumentRepo<Device>(db, 'devices', { owner_id: (d) => d.ownerId });
}
export type DevicesRepo = ReturnType<typeof createDevicesRepo>;
