import type { Customer } from '../../../../shared/domain';
import { containsPattern, fold } from '../columns';
import type { CacheDb } from '../database';
import { customerSearchText } from '../migrations';
import { createDocumentRepo } from './documents';

export function createCustomersRepo(db: CacheDb) {
  const search = db.prepare<[string, number], { data: string }>("SELECT data FROM customers WHERE search_folded LIKE ? ESCAPE '\\' ORDER BY name_folded, id LIMIT ?");
  return {
    ...createDocumentRepo<Customer>(db, 'customers', { name: (c) => c.name, name_folded: (c) => fold(c.name), search_folded: customerSearchText }),
    /** By name, email, phone (its digits too) or a social handle: what a caller or writer is known by. */
    search(query: string, limit: number): Customer[] {
      let text = query.trim();
      if (!text) return [];
      // A number as people type it ("+34 600-12 34"): its digits, which every stored phone is searchable by.
      if (/^[\d\s+().-]+$/.test(text) && /\d{3}/.test(text.replace(/\D/g, ''))) text = text.replace(/\D/g, '');
      return search.all(containsPattern(text), limit).map((r) => JSON.parse(r.data) as Customer);
    },
  };
}
export type CustomersRepo = ReturnType<typeof createCustomersRepo>;
