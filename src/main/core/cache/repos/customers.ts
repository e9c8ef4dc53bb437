import type { Customer } from '../../../../shared/domain';
import { fold } from '../columns';
import type { CacheDb } from '../database';
import { createDocumentRepo } from './documents';

export function createCustomersRepo(db: CacheDb) {
  return createDocumentRepo<Customer>(db, 'customers', { name: (c) => c.name, name_folded: (c) => fold(c.name) });
}
export type CustomersRepo = ReturnType<typeof createCustomersRepo>;
