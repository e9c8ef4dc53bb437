import type { User } from '../../../../shared/domain';
import type { CacheDb } from '../database';
import { createDocumentRepo } from './documents';

/** Users carry no rev of their own; the sync change's rev is stored beside them. */
export function createUsersRepo(db: CacheDb) {
  const all = db.prepare<[], { data: string }>('SELECT data FROM users ORDER BY name, id');
  return {
    ...createDocumentRepo<User>(db, 'users', { name: (u) => u.name }),
    all: (): User[] => all.all().map((r) => JSON.parse(r.data) as User),
  };
}
export type UsersRepo = ReturnType<typeof createUsersRepo>;
