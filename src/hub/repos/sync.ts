/**
 * Sync pull: every row in the actor's scope whose rev is past the cursor, in
 * rev order across all entities. Each table is read up to `limit` rows and the
 * merge keeps the lowest `limit` revs, so no row can be skipped between pages.
 * A case that left the actor's scope (reassigned elsewhere) comes as a
 * delete at the rev of its move.
 */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Case } from '../../shared/domain';
import type { SyncChange, SyncPullResponse } from '../../shared/protocol';
import type { Db } from '../db/connect';
import { toArticle, toCase, toCustomer, toDevice, toMention, toMessage, toQueue, toUser } from '../db/rows';
import { articles, caseMoves, cases, customers, devices, mentions, messages, queues, users } from '../db/schema';
import { type Actor, caseScope, mentionScope, namedInScope, sawBeforeMove, scopeKey } from './scope';

export function pullChanges(db: Db, actor: Actor, cursor: number, limit: number): Promise<SyncPullResponse> {
  // One snapshot for every table read: writers commit in rev order, so a snapshot holds every rev up to
  // some point and none past it. Reads in separate snapshots (separate pool connections, or PGlite
  // letting a write in between two reads) could see a message at rev 102 but not the case at rev 101
  // committed just before it, and move the cursor past that case for good.
  return db.transaction((tx) => pullInSnapshot(tx as unknown as Db, actor, cursor, limit), { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

async function pullInSnapshot(db: Db, actor: Actor, cursor: number, limit: number): Promise<SyncPullResponse> {
  const scope = caseScope(actor);

  // One after another: the snapshot is one connection, and a client runs one query at a time anyway
  // (node-postgres deprecates queueing them on it).
  const [head, moves, caseRows, messageRows, customerRows, deviceRows, queueRows, userRows, articleRows, mentionRows] = await inTurn([
    db.select({ rev: sql<string>`last_value` }).from(sql`rev_seq`),
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
      .where(and(gt(customers.rev, cursor), namedInScope(db, actor, customers.id, cases.customerId)))
      .orderBy(asc(customers.rev))
      .limit(limit),
    db
      .select()
      .from(devices)
      .where(and(gt(devices.rev, cursor), namedInScope(db, actor, devices.id, cases.deviceId)))
      .orderBy(asc(devices.rev))
      .limit(limit),
    db.select().from(queues).where(gt(queues.rev, cursor)).orderBy(asc(queues.rev)).limit(limit),
    db.select().from(users).where(gt(users.rev, cursor)).orderBy(asc(users.rev)).limit(limit),
    // The whole knowledge base goes to every console: it is small beside the cases, and a technician offline needs whatever fits the case in front of them.
    db.select().from(articles).where(gt(articles.rev, cursor)).orderBy(asc(articles.rev)).limit(limit),
    db.select().from(mentions).where(and(gt(mentions.rev, cursor), mentionScope(actor))).orderBy(asc(mentions.rev)).limit(limit),
  ]);

  const changes: SyncChange[] = [
    ...moves.map((m): SyncChange => ({ op: 'delete', entity: 'case', id: m.id, rev: Number(m.rev), row: null })),
    ...caseRows.map((r) => upsert('case', toCase(r))),
    ...messageRows.map((r) => upsert('message', toMessage(r.m))),
    ...customerRows.map((r) => upsert('customer', toCustomer(r))),
    ...deviceRows.map((r) => upsert('device', toDevice(r))),
    ...queueRows.map((r) => upsert('queue', toQueue(r))),
    ...userRows.map((r) => ({ op: 'upsert' as const, entity: 'user' as const, id: r.id, rev: Number(r.rev), row: toUser(r) })),
    ...articleRows.map((r) => upsert('article', toArticle(r))),
    ...mentionRows.map((r) => upsert('mention', toMention(r))),
  ].sort((a, b) => a.rev - b.rev);

  const page = changes.slice(0, limit);
  const hasMore = changes.length > limit || [moves, caseRows, messageRows, customerRows, deviceRows, queueRows, userRows, articleRows, mentionRows].some((rows) => rows.length === limit);
  const around = scope ? await aroundScopeChanges(db, actor, cursor, page) : [];
  return { changes: [...page, ...around], cursor: page.at(-1)?.rev ?? cursor, hasMore, head: Number(head[0]?.rev ?? 0), scope: scopeKey(actor) };
}

/**
 * A case that entered the scope since the cursor (reassigned to this user, or
 * into their queue) comes with what the console needs to work it offline —
 * its customer, device and whole conversation — even though those rows are
 * older than the cursor. A case that left takes along its customer and device
 * when no other case in scope still needs them. These ride with the page that
 * carries the case; they are not counted against the limit and do not move
 * the cursor (each keeps its own rev, so the console reconciles them as usual).
 */
async function aroundScopeChanges(db: Db, actor: Actor, cursor: number, page: SyncChange[]): Promise<SyncChange[]> {
  const upserted = page.filter((c) => c.entity === 'case' && c.op === 'upsert').map((c) => c.row as Case);
  const removed = page.filter((c) => c.entity === 'case' && c.op === 'delete');
  const out: SyncChange[] = [];

  if (upserted.length > 0) {
    const moved = await db
      .selectDistinct({ id: caseMoves.caseId })
      .from(caseMoves)
      .where(and(gt(caseMoves.rev, cursor), inArray(caseMoves.caseId, upserted.map((c) => c.id))));
    const movedIds = new Set(moved.map((m) => m.id));
    const entered = upserted.filter((c) => movedIds.has(c.id));
    const customerIds = unique(entered.map((c) => c.customerId));
    const deviceIds = unique(entered.map((c) => c.deviceId));
    const [customerRows, deviceRows, messageRows] = await inTurn([
      customerIds.length > 0 ? db.select().from(customers).where(inArray(customers.id, customerIds)) : [],
      deviceIds.length > 0 ? db.select().from(devices).where(inArray(devices.id, deviceIds)) : [],
      entered.length > 0 ? db.select().from(messages).where(inArray(messages.caseId, entered.map((c) => c.id))).orderBy(asc(messages.rev)) : [],
    ]);
    out.push(...customerRows.map((r) => upsert('customer', toCustomer(r))), ...deviceRows.map((r) => upsert('device', toDevice(r))));
    out.push(...messageRows.map((r) => upsert('message', toMessage(r))));
  }

  if (removed.length > 0) {
    const left = await db
      .select({ id: cases.id, customerId: cases.customerId, deviceId: cases.deviceId })
      .from(cases)
      .where(inArray(cases.id, removed.map((c) => c.id)));
    const revOf = new Map(removed.map((c) => [c.id, c.rev]));
    const stillNeeded = async (column: typeof cases.customerId | typeof cases.deviceId, ids: string[]) =>
      new Set(
        ids.length === 0
          ? []
          : (await db.selectDistinct({ id: column }).from(cases).where(and(caseScope(actor), inArray(column, ids)))).map((r) => r.id),
      );
    const keepCustomers = await stillNeeded(cases.customerId, unique(left.map((c) => c.customerId)));
    const keepDevices = await stillNeeded(cases.deviceId, unique(left.map((c) => c.deviceId)));
    for (const c of left) {
      const rev = revOf.get(c.id)!;
      if (c.customerId && !keepCustomers.has(c.customerId)) out.push({ op: 'delete', entity: 'customer', id: c.customerId, rev, row: null });
      if (c.deviceId && !keepDevices.has(c.deviceId)) out.push({ op: 'delete', entity: 'device', id: c.deviceId, rev, row: null });
    }
  }
  return out;
}

function unique(ids: (string | null)[]): string[] {
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

function upsert(entity: SyncChange['entity'], row: { id: string; rev: number }): SyncChange {
  return { op: 'upsert', entity, id: row.id, rev: row.rev, row };
}

/** Runs the queries one at a time, in order: a drizzle query starts only when awaited (Promise.all would start them all at once). */
async function inTurn<T extends readonly unknown[]>(queries: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results: unknown[] = [];
  for (const query of queries) results.push(await query);
  return results as { -readonly [K in keyof T]: Awaited<T[K]> };
}
