/**
 * Sync pull: every row in the actor's scope whose rev is past the cursor, in
 * rev order across all entities. Each table is read up to `limit` rows and the
 * merge keeps the lowest `limit` revs, so no row can be skipped between pages.
 * A case that left the actor's scope (reassigned elsewhere) comes as a
 * delete at the rev of its move.
 */
import { and, asc, eq, gt, inArray, isNotNull, sql } from 'drizzle-orm';
import type { SyncChange, SyncPullResponse } from '../../shared/protocol';
import type { Db } from '../db/connect';
import { toCase, toCustomer, toDevice, toMessage, toQueue, toUser } from '../db/rows';
import { caseMoves, cases, customers, devices, messages, queues, users } from '../db/schema';
import { type Actor, caseScope, sawBeforeMove } from './scope';

export async function pullChanges(db: Db, actor: Actor, cursor: number, limit: number): Promise<SyncPullResponse> {
  const scope = caseScope(actor);
  const casesInScope = (column: typeof cases.customerId | typeof cases.deviceId | typeof cases.id) =>
    db.select({ id: column }).from(cases).where(and(scope, isNotNull(column)));

  const [moves, caseRows, messageRows, customerRows, deviceRows, queueRows, userRows] = await Promise.all([
    scope
      ? db
          .select({ id: caseMoves.caseId, rev: caseMoves.rev })
          .from(caseMoves)
          .innerJoin(cases, eq(cases.id, caseMoves.caseId))
          // NOT over a nullable condition is NULL; coalesce keeps "not visible now" a plain boolean.
          .where(and(gt(caseMoves.rev, cursor), sawBeforeMove(actor), sql`NOT coalesce(${scope}, false)`))
          .orderBy(asc(caseMoves.rev))
          .limit(limit)
      : Promise.resolve([]),
    db.select().from(cases).where(and(gt(cases.rev, cursor), scope)).orderBy(asc(cases.rev)).limit(limit),
    db
      .select({ m: messages })
      .from(messages)
      .innerJoin(cases, eq(messages.caseId, cases.id))
      .where(and(gt(messages.rev, cursor), scope))
      .orderBy(asc(messages.rev))
      .limit(limit),
    db
      .select()
      .from(customers)
      .where(and(gt(customers.rev, cursor), scope && inArray(customers.id, casesInScope(cases.customerId))))
      .orderBy(asc(customers.rev))
      .limit(limit),
    db
      .select()
      .from(devices)
      .where(and(gt(devices.rev, cursor), scope && inArray(devices.id, casesInScope(cases.deviceId))))
      .orderBy(asc(devices.rev))
      .limit(limit),
    db.select().from(queues).where(gt(queues.rev, cursor)).orderBy(asc(queues.rev)).limit(limit),
    db.select().from(users).where(gt(users.rev, cursor)).orderBy(asc(users.rev)).limit(limit),
  ]);

  const changes: SyncChange[] = [
    ...moves.map((m): SyncChange => ({ op: 'delete', entity: 'case', id: m.id, rev: Number(m.rev), row: null })),
    ...caseRows.map((r) => upsert('case', toCase(r))),
    ...messageRows.map((r) => upsert('message', toMessage(r.m))),
    ...customerRows.map((r) => upsert('customer', toCustomer(r))),
    ...deviceRows.map((r) => upsert('device', toDevice(r))),
    ...queueRows.map((r) => upsert('queue', toQueue(r))),
    ...userRows.map((r) => ({ op: 'upsert' as const, entity: 'user' as const, id: r.id, rev: Number(r.rev), row: toUser(r) })),
  ].sort((a, b) => a.rev - b.rev);

  const page = changes.slice(0, limit);
  const hasMore = changes.length > limit || [moves, caseRows, messageRows, customerRows, deviceRows, queueRows, userRows].some((rows) => rows.length === limit);
  return { changes: page, cursor: page.at(-1)?.rev ?? cursor, hasMore };
}

function upsert(entity: SyncChange['entity'], row: { id: string; rev: number }): SyncChange {
  return { op: 'upsert', entity, id: row.id, rev: row.rev, row };
}
