/**
 * Bulk reassignment: a supervisor moves many cases at once to an agent and/or
 * a queue, all or none, in one write transaction that locks the cases in id
 * order, records each move (for consoles that lose a case), each field change
 * (so a console's stale edit of the assignment meets a conflict), an audit
 * entry per case and, when given, the note to the new assignee on each case.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Case, Customer, Device, Message } from '../../shared/domain';
import type { ReassignRequest } from '../../shared/protocol';
import { rejectionOf } from '../../shared/rejections';
import type { Db } from '../db/connect';
import { toCase, toCustomer, toDevice, toMessage } from '../db/rows';
import { caseChanges, caseMoves, cases, customers, devices, messages, queues, users } from '../db/schema';
import { type DrawRevs, writeTransactionLockingLate } from '../db/write';
import { type DueTimes, dueTimesInQueue } from '../sla';
import { recordAudit } from './audit';
import { Rejection } from './rejection';
import type { Actor } from './scope';

export interface Reassigned {
  /** Each moved case as it is now (its rev is the move's), and where it was. */
  moves: { row: Case; from: Pick<Case, 'queueId' | 'assigneeId'> }[];
  /** The note to the new assignee, on each moved case. */
  notes: Message[];
  /** The customers and devices the moved cases name: consoles that gain a case get them with it. */
  customers: Customer[];
  devices: Device[];
}

export async function reassignCases(db: Db, actor: Actor, request: ReassignRequest): Promise<Reassigned> {
  return writeTransactionLockingLate(db, (tx, drawRevs) => moveCases(tx, drawRevs, actor, request));
}

/** The move itself, in the caller's write transaction (routing's accept and "Next case" check their offer first). */
export async function moveCases(tx: Db, drawRevs: DrawRevs, actor: Actor, request: ReassignRequest): Promise<Reassigned> {
  const ids = [...new Set(request.caseIds)].sort();
  const rows = await tx.select().from(cases).where(inArray(cases.id, ids)).orderBy(cases.id).for('update');
  if (rows.length !== ids.length) throw new Rejection('not_found', rejectionOf('casesMissing', { count: ids.length - rows.length }));
  if (request.assigneeId) {
    const [assignee] = await tx.select({ id: users.id }).from(users).where(eq(users.id, request.assigneeId));
    if (!assignee) throw new Rejection('not_found', rejectionOf('noSuch', { what: 'assignee' }));
  }
  if (request.queueId) {
    const [queue] = await tx.select({ id: queues.id }).from(queues).where(eq(queues.id, request.queueId));
    if (!queue) throw new Rejection('not_found', rejectionOf('noSuch', { what: 'queue' }));
  }
  const changing = rows.filter((r) => (request.queueId ?? r.queueId) !== r.queueId || (request.assigneeId === undefined ? r.assigneeId : request.assigneeId) !== r.assigneeId);
  if (changing.length === 0) return { moves: [], notes: [], customers: [], devices: [] };
  // Cases that change queue run on the new queue's calendar: read before the rev lock, written with the move.
  const toQueue = request.queueId;
  const requeued = toQueue ? changing.filter((r) => r.queueId !== toQueue) : [];
  const due = toQueue ? await dueTimesInQueue(tx, requeued, toQueue) : new Map<string, DueTimes>();
  const revs = await drawRevs(changing.length * (request.note ? 2 : 1));
  const now = new Date();
  const movingIds = changing.map((r) => r.id);
  // One statement for every case, each with its own rev: a bulk move of a thousand is two round trips, not a thousand.
  const queueId = request.queueId === undefined ? sql`queue_id` : sql`${request.queueId}::uuid`;
  const assigneeId = request.assigneeId === undefined ? sql`assignee_id` : request.assigneeId === null ? sql`NULL` : sql`${request.assigneeId}::uuid`;
  // Each case's due times: the new queue's for those that change queue, what it had for the rest ('' is NULL).
  const dueOf = (r: (typeof changing)[number]) => {
    const d = due.get(r.id);
    return d ? { slaDueAt: d.firstResponseDueAt, resolutionDueAt: d.resolutionDueAt } : r;
  };
  const dueList = (pick: (d: { slaDueAt: Date | null; resolutionDueAt: Date | null }) => Date | null) => changing.map((r) => pick(dueOf(r))?.toISOString() ?? '').join(',');
  const dueSet = due.size === 0 ? sql`` : sql`, sla_due_at = m.sla_due_at, resolution_due_at = m.resolution_due_at`;
  await tx.execute(sql`
    UPDATE cases SET queue_id = ${queueId}, assignee_id = ${assigneeId}, version = version + 1, rev = m.rev, updated_at = ${now.toISOString()}::timestamptz${dueSet}
    FROM unnest(
      string_to_array(${movingIds.join(',')}, ',')::uuid[],
      string_to_array(${revs.slice(0, movingIds.length).join(',')}, ',')::bigint[],
      string_to_array(${dueList((d) => d.slaDueAt)}, ',', '')::timestamptz[],
      string_to_array(${dueList((d) => d.resolutionDueAt)}, ',', '')::timestamptz[]
    ) AS m(id, rev, sla_due_at, resolution_due_at)
    WHERE cases.id = m.id`);
  const updated = new Map((await tx.select().from(cases).where(inArray(cases.id, movingIds))).map((row) => [row.id, toCase(row)]));
  const out: Reassigned = { moves: [], notes: [], customers: [], devices: [] };
  const customerIds = [...new Set(changing.flatMap((r) => (r.customerId ? [r.customerId] : [])))];
  const deviceIds = [...new Set(changing.flatMap((r) => (r.deviceId ? [r.deviceId] : [])))];
  if (customerIds.length > 0) out.customers = (await tx.select().from(customers).where(inArray(customers.id, customerIds))).map(toCustomer);
  if (deviceIds.length > 0) out.devices = (await tx.select().from(devices).where(inArray(devices.id, deviceIds))).map(toDevice);
  out.moves = changing.map((row) => ({ row: updated.get(row.id)!, from: { queueId: row.queueId, assigneeId: row.assigneeId } }));
  if (request.note) {
    const noteRevs = revs.slice(movingIds.length);
    const notes = await tx
      .insert(messages)
      .values(changing.map((row, i) => ({ id: uuidv7(), caseId: row.id, direction: 'note' as const, channel: row.channel, author: actor.name, body: request.note!, externalId: null, attachments: [], rev: noteRevs[i]! })))
      .returning();
    out.notes = notes.map(toMessage);
  }
  await tx.insert(caseChanges).values(out.moves.map(({ row: c }) => ({ caseId: c.id, version: c.version, fields: { queueId: c.queueId, assigneeId: c.assigneeId }, userId: actor.id })));
  await tx.insert(caseMoves).values(out.moves.map((m) => ({ caseId: m.row.id, rev: m.row.rev, fromQueue: m.from.queueId, fromAssignee: m.from.assigneeId })));
  await recordAudit(
    tx,
    out.moves.map((m) => ({ actorId: actor.id, action: 'case.assign' as const, entity: 'case', entityId: m.row.id, before: m.from, after: { queueId: m.row.queueId, assigneeId: m.row.assigneeId }, reason: request.note ?? null })),
  );
  return out;
}
