/**
 * Sync pull: every row in the actor's scope whose rev is past the cursor, in
 * rev order across all entities. Each table is read up to `limit` rows and the
 * merge keeps the lowest `limit` revs, so no row can be skipped between pages.
 * A case that left the actor's scope (reassigned elsewhere) comes as a
 * delete at the rev of its move.
 *
 * A table is read a slice at a time (READ_SLICE rows a query, each starting
 * after the last rev of the one before) and each slice is mapped as it
 * arrives: a page of 5,000 rows never holds the hub's event loop for the
 * whole page at once. Revs are unique (every write draws its own from
 * rev_seq), so the slices are exactly the rows of one read of `limit`.
 *
 * Each change comes from the database as its JSON (db/change-json.ts builds
 * it as rows.ts maps the row), and a PageChange keeps those bytes off the
 * heap, a slice's in one region of the page's buffers (page-bytes.ts), with
 * only what the merge and the scope's additions read (a case's id, customer
 * and device only in a pull with a scope): decoding every column, mapping
 * and stringifying each row was two thirds of the hub thread's work in a big
 * pull, and a page held as thousands of row objects until the response is
 * written survived every young-generation collection meanwhile (copying it
 * stalled the event loop 10–25 ms a time).
 */
import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import type { SyncChange, SyncPullResponse } from '../../shared/protocol';
import { upsertJson, wireFields, wireRev, type WireEntity } from '../db/change-json';
import type { Db } from '../db/connect';
import { articles, caseMoves, cases, customers, devices, mentions, messages, queues, users } from '../db/schema';
import { PageBytes } from './page-bytes';
import { type Actor, caseScope, mentionScope, namedInScope, sawBeforeMove, scopeKey } from './scope';

/** Rows of one table read (and mapped) in one go: a few ms of the event loop each. */
export const READ_SLICE = 500;

/**
 * A change of a page being made: its rev (the merge's key), its JSON in UTF-8
 * (`end - start` bytes of `bytes`, a buffer the other changes of its slice
 * share: one buffer off the heap a slice, not one each) and, for a case's
 * change in a pull with a scope, what the scope's additions read of it.
 * Nothing else: every change of a page lives until the page is written, and
 * what it holds survives young-generation collections meanwhile.
 */
export interface PageChange {
  rev: number;
  bytes: Buffer;
  start: number;
  end: number;
  case?: ChangedCase;
}

/** A case's change, for the scope's additions: the customer and device come along when it enters a scope, or leave with it. */
export interface ChangedCase {
  op: SyncChange['op'];
  id: string;
  customerId: string | null;
  deviceId: string | null;
}

/** A pull page as it is sent (http/page-json.ts writes it); `bytes` holds its changes' bytes until it is released, once sent. */
export interface PulledPage extends Omit<SyncPullResponse, 'changes'> {
  changes: PageChange[];
  bytes: PageBytes;
}

/** The changes' JSON as UTF-8, one after another in one region of the page's bytes, each with its part of it. */
function encodeTogether(page: PageBytes, texts: readonly string[]): Pick<PageChange, 'bytes' | 'start' | 'end'>[] {
  const lengths = texts.map((text) => Buffer.byteLength(text));
  const { bytes, start: from } = page.region(lengths.reduce((sum, length) => sum + length, 0));
  let at = from;
  return texts.map((text, i) => {
    const start = at;
    at += bytes.write(text, at);
    if (at - start !== lengths[i]) throw new Error('pull: a change was written short');
    return { bytes, start, end: at };
  });
}

/** Changes made here (deletes), written as the database writes the others. */
function written(page: PageBytes, changes: SyncChange[]): PageChange[] {
  return readChanges(
    page,
    changes.map((change) => ({ rev: change.rev, json: JSON.stringify(change) })),
  );
}

/** The page as objects, for a caller that reads its rows (the tests). */
export async function pullChanges(db: Db, actor: Actor, cursor: number, limit: number, slice = READ_SLICE): Promise<SyncPullResponse> {
  const { changes, bytes, ...page } = await pullPage(db, actor, cursor, limit, slice);
  const decoded = changes.map((change) => JSON.parse(change.bytes.toString('utf8', change.start, change.end)) as SyncChange);
  bytes.release();
  return { ...page, changes: decoded };
}

/** `slice` is for tests: any size must give the same pages. */
export function pullPage(db: Db, actor: Actor, cursor: number, limit: number, slice = READ_SLICE): Promise<PulledPage> {
  // One snapshot for every table read: writers commit in rev order, so a snapshot holds every rev up to
  // some point and none past it. Reads in separate snapshots (separate pool connections, or PGlite
  // letting a write in between two reads) could see a message at rev 102 but not the case at rev 101
  // committed just before it, and move the cursor past that case for good.
  return db.transaction((tx) => pullInSnapshot(tx as unknown as Db, actor, cursor, limit, slice), { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

/** One table's part of a page: its changes in rev order, and whether it had `limit` rows (more may follow). */
interface TableRead {
  changes: PageChange[];
  full: boolean;
}

/** A row of a table read: its rev and id, a case's customer and device, and its change as JSON built by the database. */
interface ReadRow {
  rev: number;
  id: string;
  customerId?: string | null;
  deviceId?: string | null;
  json: string;
}

function readChanges(page: PageBytes, rows: Pick<ReadRow, 'rev' | 'json'>[]): PageChange[] {
  return encodeTogether(
    page,
    rows.map((row) => row.json),
  ).map((part, i) => ({ rev: Number(rows[i]!.rev), ...part }));
}

/** The columns of a table read: each change's JSON comes built by the database (db/change-json.ts), the hub's thread only copies it. */
const upserts = (entity: WireEntity) => ({ rev: wireRev(entity), id: wireFields[entity].id, json: upsertJson(entity) });

function changedCase(op: SyncChange['op'], row: { id: string; customerId?: string | null; deviceId?: string | null }): ChangedCase {
  return { op, id: row.id, customerId: row.customerId ?? null, deviceId: row.deviceId ?? null };
}

async function pullInSnapshot(db: Db, actor: Actor, cursor: number, limit: number, slice: number): Promise<PulledPage> {
  const scope = caseScope(actor);
  const bytes = new PageBytes();
  // A table's rows past the cursor: `query` reads `take` of them past a rev (`past`, on the table's `rev` column) in rev order.
  const read = <R,>(rev: Parameters<typeof gt>[0], query: (past: SQL, take: number) => PromiseLike<R[]>, map: (rows: R[]) => PageChange[]) =>
    inSlices(cursor, limit, slice, (after, take) => query(gt(rev, after), take), map);
  // One after another: the snapshot is one connection, and a client runs one query at a time anyway
  // (node-postgres deprecates queueing them on it).
  const [head] = await db.select({ rev: sql<string>`last_value` }).from(sql`rev_seq`);
  const tables: (() => Promise<TableRead>)[] = [
    () =>
      scope
        ? read(
            caseMoves.rev,
            (past, take) =>
              db
                .select({ id: caseMoves.caseId, rev: caseMoves.rev })
                .from(caseMoves)
                .innerJoin(cases, eq(cases.id, caseMoves.caseId))
                // NOT over a nullable condition is NULL; coalesce keeps "not visible now" a plain boolean.
                .where(and(past, sawBeforeMove(actor), sql`NOT coalesce(${scope}, false)`))
                .orderBy(asc(caseMoves.rev))
                .limit(take),
            (moves) =>
              written(
                bytes,
                moves.map((m) => ({ op: 'delete', entity: 'case', id: m.id, rev: Number(m.rev), row: null })),
              ).map((change, i) => ({ ...change, case: changedCase('delete', moves[i]!) })),
          )
        : Promise.resolve({ changes: [], full: false }),
    () =>
      read(
        cases.rev,
        (past, take) =>
          db
            .select({ ...upserts('case'), customerId: cases.customerId, deviceId: cases.deviceId })
            .from(cases)
            .where(and(past, scope))
            .orderBy(asc(cases.rev))
            .limit(take),
        (rows) => (scope ? readChanges(bytes, rows).map((change, i) => ({ ...change, case: changedCase('upsert', rows[i]!) })) : readChanges(bytes, rows)),
      ),
    () =>
      read(
        messages.rev,
        (past, take) =>
          db
            .select(upserts('message'))
            .from(messages)
            .innerJoin(cases, eq(messages.caseId, cases.id))
            .where(and(past, scope))
            .orderBy(asc(messages.rev))
            .limit(take),
        (rows) => readChanges(bytes, rows),
      ),
    () =>
      read(
        customers.rev,
        (past, take) =>
          db
            .select(upserts('customer'))
            .from(customers)
            .where(and(past, namedInScope(db, actor, customers.id, cases.customerId)))
            .orderBy(asc(customers.rev))
            .limit(take),
        (rows) => readChanges(bytes, rows),
      ),
    () =>
      read(
        devices.rev,
        (past, take) =>
          db
            .select(upserts('device'))
            .from(devices)
            .where(and(past, namedInScope(db, actor, devices.id, cases.deviceId)))
            .orderBy(asc(devices.rev))
            .limit(take),
        (rows) => readChanges(bytes, rows),
      ),
    () => read(queues.rev, (past, take) => db.select(upserts('queue')).from(queues).where(past).orderBy(asc(queues.rev)).limit(take), (rows) => readChanges(bytes, rows)),
    () => read(users.rev, (past, take) => db.select(upserts('user')).from(users).where(past).orderBy(asc(users.rev)).limit(take), (rows) => readChanges(bytes, rows)),
    // The whole knowledge base goes to every console: it is small beside the cases, and a technician offline needs whatever fits the case in front of them.
    () => read(articles.rev, (past, take) => db.select(upserts('article')).from(articles).where(past).orderBy(asc(articles.rev)).limit(take), (rows) => readChanges(bytes, rows)),
    () =>
      read(
        mentions.rev,
        (past, take) => db.select(upserts('mention')).from(mentions).where(and(past, mentionScope(actor))).orderBy(asc(mentions.rev)).limit(take),
        (rows) => readChanges(bytes, rows),
      ),
  ];
  const reads: TableRead[] = [];
  for (const table of tables) reads.push(await table());

  // Stable: changes of one rev keep the order of the tables above.
  const changes = reads.flatMap((r) => r.changes).sort((a, b) => a.rev - b.rev);
  const page = changes.length > limit ? changes.slice(0, limit) : changes;
  const hasMore = changes.length > limit || reads.some((r) => r.full);
  const around = scope ? await aroundScopeChanges(db, actor, cursor, page, bytes) : [];
  return { changes: around.length > 0 ? [...page, ...around] : page, cursor: page.at(-1)?.rev ?? cursor, hasMore, head: Number(head?.rev ?? 0), scope: scopeKey(actor), queueIds: actor.queueIds, bytes };
}

/**
 * Up to `limit` rows past `cursor` in rev order, `slice` a query: each read
 * starts after the last rev of the one before, and its rows are mapped before
 * the next is asked for.
 */
async function inSlices<R>(
  cursor: number,
  limit: number,
  slice: number,
  query: (after: number, take: number) => PromiseLike<R[]>,
  map: (rows: R[]) => PageChange[],
): Promise<TableRead> {
  const changes: PageChange[] = [];
  let after = cursor;
  for (;;) {
    const take = Math.min(slice, limit - changes.length);
    const rows = await query(after, take);
    changes.push(...map(rows));
    if (changes.length === limit) return { changes, full: true };
    if (rows.length < take) return { changes, full: false };
    after = changes.at(-1)!.rev;
  }
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
async function aroundScopeChanges(db: Db, actor: Actor, cursor: number, page: PageChange[], bytes: PageBytes): Promise<PageChange[]> {
  const upserted = page.flatMap((c) => (c.case?.op === 'upsert' ? [c.case] : []));
  const removed = page.flatMap((c) => (c.case?.op === 'delete' ? [{ ...c.case, rev: c.rev }] : []));
  const out: PageChange[] = [];
  const deletes: SyncChange[] = [];

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
      customerIds.length > 0 ? db.select(upserts('customer')).from(customers).where(inArray(customers.id, customerIds)) : [],
      deviceIds.length > 0 ? db.select(upserts('device')).from(devices).where(inArray(devices.id, deviceIds)) : [],
      entered.length > 0 ? db.select(upserts('message')).from(messages).where(inArray(messages.caseId, entered.map((c) => c.id))).orderBy(asc(messages.rev)) : [],
    ]);
    out.push(...readChanges(bytes, [...customerRows, ...deviceRows, ...messageRows]));
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
      if (c.customerId && !keepCustomers.has(c.customerId)) deletes.push({ op: 'delete', entity: 'customer', id: c.customerId, rev, row: null });
      if (c.deviceId && !keepDevices.has(c.deviceId)) deletes.push({ op: 'delete', entity: 'device', id: c.deviceId, rev, row: null });
    }
  }
  return [...out, ...written(bytes, deletes)];
}

function unique(ids: (string | null)[]): string[] {
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

/** Runs the queries one at a time, in order: a drizzle query starts only when awaited (Promise.all would start them all at once). */
async function inTurn<T extends readonly unknown[]>(queries: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results: unknown[] = [];
  for (const query of queries) results.push(await query);
  return results as { -readonly [K in keyof T]: Awaited<T[K]> };
}
