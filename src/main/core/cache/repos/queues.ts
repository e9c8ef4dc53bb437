import type { Queue } from '../../../../shared/domain';
import type { CacheDb } from '../database';
import { createDocumentRepo } from './documents';

export function createQueuesRepo(db: CacheDb) {
  const all = db.prepare<[], { data: string }>('SELECT data FROM queues ORDER BY name, id');
  return {
    ...createDocumentRepo<Queue>(db, 'queues', { name: (q) => q.name }),
    all: (): Queue[] => all.all().map((r) => JSON.parse(r.data) as Queue),
  };
}
export type QueuesRepo = ReturnType<typeof createQueuesRepo>;
