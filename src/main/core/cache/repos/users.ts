import type { User } from '../../../../shared/domain';
import type { CacheDb } from '../database';
import { createDocumentRepo } from './documents';

/** Users carry no rev of their own; the sync change's rev is stored beside them. */
export function createUsersRepo(db: CacheDb) {
  return createDocumentRepo<User>(db, 'users', { name: (u) => u.name });
}
export type UsersRepo = ReturnType<typeof createUsersRepo>;
