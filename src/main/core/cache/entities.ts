/**
 * Writes synced rows into the cache. An upsert replaces a row only when its
 * rev is at least the stored one, so a stale or repeated event changes nothing.
 */
import { type Case, type Customer, type Device, type Message, PRIORITY_RANK, type Queue, type User } from '../../../shared/domain';
import type { SyncEntity } from '../../../shared/protocol';
import type { CacheDb } from './database';

export interface EntityRows {
  case: Case;
  customer: Customer;
  message: Message;
  device: Device;
  queue: Queue;
  user: User;
}

export function createEntityStore(db: CacheDb) {
  const upsertCase = db.prepare(`
    INSERT INTO cases (id, rev, number, subject, status, priority_rank, queue_id, assignee_id, customer_id, sla_due_at, created_at, data)
    VALUES (@id, @rev, @number, @subject, @status, @priorityRank, @queueId, @assigneeId, @customerId, @slaDueAt, @createdAt, @data)
    ON CONFLICT(id) DO UPDATE SET rev = excluded.rev, number = excluded.number, subject = excluded.subject, status = excluded.status,
      priority_rank = excluded.priority_rank, queue_id = excluded.queue_id, assignee_id = excluded.assignee_id,
      customer_id = excluded.customer_id, sla_due_at = excluded.sla_due_at, created_at = excluded.created_at, data = excluded.data
    WHERE excluded.rev >= cases.rev`);
  const upsertMessage = db.prepare(`
    INSERT INTO messages (id, rev, case_id, created_at, data) VALUES (@id, @rev, @caseId, @createdAt, @data)
    ON CONFLICT(id) DO UPDATE SET rev = excluded.rev, case_id = excluded.case_id, created_at = excluded.created_at, data = excluded.data
    WHERE excluded.rev >= messages.rev`);
  const upsertNamed = (table: 'customers' | 'queues' | 'users') =>
    db.prepare(`
      INSERT INTO ${table} (id, rev, name, data) VALUES (@id, @rev, @name, @data)
      ON CONFLICT(id) DO UPDATE SET rev = excluded.rev, name = excluded.name, data = excluded.data
      WHERE excluded.rev >= ${table}.rev`);
  const upsertCustomer = upsertNamed('customers');
  const upsertQueue = upsertNamed('queues');
  const upsertUser = upsertNamed('users');
  const upsertDevice = db.prepare(`
    INSERT INTO devices (id, rev, owner_id, data) VALUES (@id, @rev, @ownerId, @data)
    ON CONFLICT(id) DO UPDATE SET rev = excluded.rev, owner_id = excluded.owner_id, data = excluded.data
    WHERE excluded.rev >= devices.rev`);
  const deletes: Record<SyncEntity, ReturnType<CacheDb['prepare']>> = {
    case: db.prepare('DELETE FROM cases WHERE id = ?'),
    customer: db.prepare('DELETE FROM customers WHERE id = ?'),
    message: db.prepare('DELETE FROM messages WHERE id = ?'),
    device: db.prepare('DELETE FROM devices WHERE id = ?'),
    queue: db.prepare('DELETE FROM queues WHERE id = ?'),
    user: db.prepare('DELETE FROM users WHERE id = ?'),
  };

  /** Returns true when the row was written (it was new or newer). */
  function upsert<E extends SyncEntity>(entity: E, row: EntityRows[E], rev = (row as { rev?: number }).rev ?? 0): boolean {
    const data = JSON.stringify(row);
    switch (entity) {
      case 'case': {
        const c = row as Case;
        return upsertCase.run({ ...c, rev, priorityRank: PRIORITY_RANK[c.priority], data }).changes > 0;
      }
      case 'message': {
        const m = row as Message;
        return upsertMessage.run({ id: m.id, rev, caseId: m.caseId, createdAt: m.createdAt, data }).changes > 0;
      }
      case 'customer':
        return upsertCustomer.run({ id: row.id, rev, name: (row as Customer).name, data }).changes > 0;
      case 'queue':
        return upsertQueue.run({ id: row.id, rev, name: (row as Queue).name, data }).changes > 0;
      case 'user':
        return upsertUser.run({ id: row.id, rev, name: (row as User).name, data }).changes > 0;
      case 'device':
        return upsertDevice.run({ id: row.id, rev, ownerId: (row as Device).ownerId, data }).changes > 0;
      default:
        throw new Error(`unknown entity ${String(entity)}`);
    }
  }

  return {
    upsert,
    remove: (entity: SyncEntity, id: string) => deletes[entity].run(id).changes > 0,
    clearAll(): void {
      db.exec('DELETE FROM cases; DELETE FROM messages; DELETE FROM customers; DELETE FROM devices; DELETE FROM queues; DELETE FROM users;');
    },
  };
}
export type EntityStore = ReturnType<typeof createEntityStore>;
