/**
 * Sync push: applies one console mutation exactly once. Case fields merge at
 * field level against the console's baseVersion: a field only the console
 * changed is applied; one the hub also changed since then keeps the hub's
 * value and comes back as a conflict with both values. Notes and messages
 * always append; assignment is the hub's word, within the actor's rights.
 */
import { and, eq, gt, sql } from 'drizzle-orm';
import { isDeepStrictEqual } from 'node:util';
import { isDone, newCaseAssignee, refuseAssignment, refuseNewCase } from '../../shared/policy';
import { refusalOf, rejectionOf } from '../../shared/rejections';
import type { Plan } from '../../shared/entitlements';
import { type Case, type Customer, IdSchema, type Mention, type Message, type Priority } from '../../shared/domain';
import { CASE_FIELDS, type CaseField, type SlaSettings, type FieldConflict, type Mutation, type MutationResult, type PresenceState } from '../../shared/protocol';
import type { Db } from '../db/connect';
import { toCase, toCustomer, toMessage } from '../db/rows';
import { caseChanges, caseMoves, cases, customers, deliveries, devices, messages, mutations, queues, users } from '../db/schema';
import { type DrawRevs, revsFrom, writeTransactionLockingLate } from '../db/write';
import { dueColumns, dueTimesAfterChange, dueTimesAfterChangeIn, dueTimesInQueue, openCaseSla, slaDocumentColumns, slaDocumentOf, type StatusChange, statusHistoryColumn, statusHistoryOf, writeRoutingNote } from '../sla';
import { type Actor, caseScope, namedInScope } from './scope';
import { setPresence } from './users';
import { Rejection } from './rejection';
import { prepareReply, refuseRetry } from './replies';
import { type DeliveryTarget, queuedDelivery, requeueDelivery, setMessageDelivery } from './deliveries';
import { lockMentionInScope, setMentionStatus } from './mentions';
import { convertMention } from '../channels/mentions';
import { type AuditDraft, auditRows } from './audit';
import { executeRows } from '../db/execute-rows';
import { insertTogether, jsonColumn, rowFromJson } from '../db/json-rows';
import { auditLog } from '../db/schema';

export { Rejection } from './rejection';

export interface PushOutcome {
  result: MutationResult;
  cases: Case[];
  /** New messages with the placement of their case, which decides who sees them. */
  messages: { message: Message; caseRow: Pick<Case, 'queueId' | 'assigneeId'> }[];
  presence?: { userId: string; state: PresenceState };
  /** Customers it changed (consent). */
  customers?: Customer[];
  /** Mentions it changed (converted, dismissed). */
  mentions?: Mention[];
  /** It queued a reply for delivery: the worker may look at once. */
  queuedDelivery?: boolean;
  /** A reassigned case: where it was, so consoles that lose it can be told. */
  moved?: { id: string; rev: number; from: Pick<Case, 'queueId' | 'assigneeId'> };
}

type Settled = Exclude<MutationResult, { status: 'duplicate' }>;

/**
 * Applies a console's batch in one write transaction, in order. A rejected
 * mutation is remembered and the others go on; every handler below decides
 * to reject before its first write, so a rejection never leaves half a change
 * (no savepoint needed). An unexpected error aborts the whole batch: nothing
 * is committed and the console retries. Events are for the caller to send
 * after commit.
 */
export async function applyMutations(db: Db, actor: Actor, batch: Mutation[]): Promise<PushOutcome[]> {
  try {
    return await applyBatch(db, actor, batch);
  } catch (error) {
    // The same mutation id pushed twice at once (a console retrying while its first try is still in
    // flight): both read the ledger before either committed, so the later one hit the ledger's key and
    // rolled back whole. Again, it finds the first one's record and answers `duplicate`.
    if (!isUniqueViolation(error)) throw error;
    return applyBatch(db, actor, batch);
  }
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if ((e as { code?: unknown }).code === '23505') return true;
  return false;
}

async function applyBatch(db: Db, actor: Actor, batch: Mutation[]): Promise<PushOutcome[]> {
  return writeTransactionLockingLate(db, async (tx, drawRevs) => {
    // One look-up for the whole batch; ids repeated inside the batch are caught as they are recorded.
    const { known, work } = await loadBatch(tx, actor, batch, drawRevs);
    const seen = new Map(known.map((m) => [m.id, m]));
    const outcomes: PushOutcome[] = [];
    const remembered: (typeof mutations.$inferInsert)[] = [];
    for (const mutation of batch) {
      const outcome = await applyOnce(work, mutation, seen.get(mutation.id));
      if (!seen.has(mutation.id)) {
        const record = { id: mutation.id, userId: actor.id, kind: mutation.kind, entityId: mutation.entityId, result: outcome.result, receivedAt: new Date() };
        seen.set(mutation.id, record);
        remembered.push(record);
      }
      outcomes.push(outcome);
    }
    // Remembered in the same statement as their effects: a replay after a crash finds all or none. Nothing follows
    // it in the transaction, so its commit goes with it.
    await flush(work, remembered);
    return outcomes;
  });
}

type CaseRow = typeof cases.$inferSelect;
type CaseChange = typeof caseChanges.$inferInsert;

/**
 * What one batch works on: the cases it touches, read and locked in one query
 * up front, then changed in memory and written back once at the end with the
 * field history, moves and messages the batch made (a few statements per batch
 * instead of several per mutation). Revs come from the sequence in one draw;
 * the whole batch commits at once under the rev lock, so their order inside
 * the batch does not matter to a pager.
 */
interface Batch {
  tx: Db;
  actor: Actor;
  cases: Map<string, CaseRow>;
  /** Ids of messages already stored that a note or reply of the batch would take as its own. */
  takenMessageIds: Set<string>;
  dirty: Set<string>;
  changes: CaseChange[];
  moves: (typeof caseMoves.$inferInsert)[];
  messages: MessageRow[];
  /** Delivery jobs of the batch's replies, written after their messages. */
  deliveries: (typeof deliveries.$inferInsert)[];
  /** What the audit log keeps of the batch's changes (reassignments, consent). */
  audit: AuditDraft[];
  revs: number[];
  size: number;
  drawRevs: DrawRevs;
  /** What moving the due times reads, for the cases loaded up front (a batch that changes cases). */
  clock: { sla: SlaSettings; plans: Map<string, Plan>; history: Map<string, StatusChange[]>; loaded: Set<string> } | null;
}
type MessageRow = typeof messages.$inferSelect;

async function nextRev(work: Batch): Promise<number> {
  if (work.revs.length === 0) work.revs = await work.drawRevs(work.size);
  return work.revs.shift()!;
}

/** The columns a case's write-back sets (its id, number and creation stay). */
const CASE_WRITE_BACK = ['subject', 'status', 'priority', 'tags', 'resolution', 'parts', 'queue_id', 'assignee_id', 'sla_due_at', 'resolution_due_at', 'version', 'rev', 'updated_at'];
const CASE_UPSERT = `ON CONFLICT (id) DO UPDATE SET ${CASE_WRITE_BACK.map((c) => `${c} = excluded.${c}`).join(', ')}`;

/** Writes back everything the batch changed and the mutations it remembers, in ONE statement (json-rows.ts). */
async function flush(work: Batch, remembered: (typeof mutations.$inferInsert)[]): Promise<void> {
  const dirty = [...work.dirty].map((id) => work.cases.get(id)!);
  await insertTogether(work.tx, [
    { table: mutations, rows: remembered },
    { table: cases, rows: dirty, onConflict: CASE_UPSERT },
    { table: caseChanges, rows: work.changes },
    { table: caseMoves, rows: work.moves },
    { table: messages, rows: work.messages },
    { table: deliveries, rows: work.deliveries },
    { table: auditLog, rows: auditRows(work.audit) },
  ], { last: true });
}

/**
 * What the batch works on, in ONE statement: the mutations already applied (the ledger), the cases it touches
 * read and locked (share for notes and replies, so pushes to one busy case run side by side; update when a
 * field or the assignment changes), and the ids its notes and replies would take that a stored message has.
 */
async function loadBatch(tx: Db, actor: Actor, batch: Mutation[], drawRevs: DrawRevs): Promise<{ known: (typeof mutations.$inferSelect)[]; work: Batch }> {
  // Mutations whose entity is a case (a retry names a message, a mention mutation a mention: they load their own).
  const onCases = batch.filter((m) => ['case.update', 'case.assign', 'case.note', 'message.send'].includes(m.kind));
  const ids = [...new Set(onCases.map((m) => m.entityId))].filter(isUuid);
  const changesCases = batch.some((m) => m.kind === 'case.update' || m.kind === 'case.assign');
  // A message takes its mutation's id: one already stored under that id (an inbound message, say) would clash on insert.
  const messageIds = batch.filter((m) => m.kind === 'case.note' || m.kind === 'message.send').map((m) => m.id);
  const scope = caseScope(actor);
  // At most one rev per mutation is drawn first (a mutation already applied wastes its own: a gap harms no pager).
  const early = drawRevs.inline(batch.length);
  // A change of priority or status moves the case's due times: what that reads (the SLA document, each case's plan and
  // status history) comes in the same statement for the whole batch, not four round trips a mutation.
  const clock = changesCases
    ? sql`, ${slaDocumentColumns()}, ${statusHistoryColumn(sql`SELECT id FROM locked`)},
        (SELECT coalesce(json_object_agg(l.id, c.plan), '{}'::json) FROM locked l JOIN ${customers} c ON c.id = l.customer_id) AS case_plans`
    : sql``;
  const [row] = await executeRows<{ known: unknown; locked: unknown; taken: unknown; revs?: unknown; case_plans?: unknown }>(
    tx,
    sql`WITH locked AS (SELECT * FROM ${cases} WHERE ${cases.id} = ANY(${sql.param(ids)}::uuid[])${scope ? sql` AND ${scope}` : sql``} ORDER BY ${cases.id} ${sql.raw(changesCases ? 'FOR UPDATE' : 'FOR SHARE')})
      SELECT (SELECT coalesce(json_agg(to_jsonb(m)), '[]'::json) FROM ${mutations} m WHERE m.id = ANY(${sql.param([...new Set(batch.map((m) => m.id))])}::uuid[])) AS known,
        (SELECT coalesce(json_agg(to_jsonb(locked)), '[]'::json) FROM locked) AS locked,
        (SELECT coalesce(json_agg(t.id), '[]'::json) FROM ${messages} t WHERE t.id = ANY(${sql.param(messageIds)}::uuid[])) AS taken${early ? sql`, ${early} AS revs` : sql``}${clock}`,
  );
  const known = jsonColumn<Record<string, unknown>[]>(row!.known).map((json) => rowFromJson(mutations, json));
  const seen = new Set(known.map((m) => m.id));
  const rows = jsonColumn<Record<string, unknown>[]>(row!.locked).map((json) => rowFromJson(cases, json));
  return {
    known,
    work: {
      tx,
      actor,
      cases: new Map(rows.map((r) => [r.id, r])),
      takenMessageIds: new Set(jsonColumn<string[]>(row!.taken)),
      dirty: new Set(),
      changes: [],
      moves: [],
      messages: [],
      deliveries: [],
      audit: [],
      revs: early ? revsFrom(row!.revs) : [],
      size: batch.filter((m) => !seen.has(m.id)).length,
      drawRevs,
      clock: changesCases
        ? {
            sla: slaDocumentOf(row!),
            plans: new Map(Object.entries(jsonColumn<Record<string, Plan>>(row!.case_plans))),
            history: statusHistoryOf(row!),
            loaded: new Set(rows.map((r) => r.id)),
          }
        : null,
    },
  };
}

// Case ids are UUIDs; anything else cannot name a case and must not reach a uuid column.
const isUuid = (id: string) => IdSchema.safeParse(id).success;

async function applyOnce(work: Batch, mutation: Mutation, seen: typeof mutations.$inferSelect | undefined): Promise<PushOutcome> {
  const { actor } = work;
  if (seen) {
    if (seen.userId !== actor.id) return rejected(mutation.id, new Rejection(rejectionOf('mutationIdUsed', { by: 'someoneElse' })));
    return { result: { id: mutation.id, status: 'duplicate', original: seen.result as Settled }, cases: [], messages: [] };
  }
  let outcome: PushOutcome;
  try {
    outcome = await apply(work, mutation);
  } catch (error) {
    if (!(error instanceof Rejection)) throw error;
    outcome = rejected(mutation.id, error);
  }
  return outcome;
}

function rejected(id: string, { reason, detail, wording }: Rejection): PushOutcome {
  return { result: { id, status: 'rejected', reason, ...(detail ? { detail } : {}), wording }, cases: [], messages: [] };
}

/** The case as this batch left it; scope was checked when the batch loaded it (a case created in the batch is the actor's). */
function caseInScope(work: Batch, id: string): CaseRow {
  const row = work.cases.get(id);
  if (!row) throw new Rejection(rejectionOf('notInScope', { what: 'case' }));
  return row;
}

/** Each handler throws Rejection only before its first write (see applyMutations). */
async function apply(work: Batch, m: Mutation): Promise<PushOutcome> {
  const { tx, actor } = work;
  switch (m.kind) {
    case 'case.update':
      return updateFields(work, m.id, m.entityId, m.baseVersion, m.payload.fields);
    case 'case.assign':
      return assign(work, m.id, m.entityId, m.baseVersion, m.payload);
    case 'case.note':
    case 'message.send': {
      const row = caseInScope(work, m.entityId);
      if (work.takenMessageIds.has(m.id)) throw new Rejection(rejectionOf('mutationIdUsed', { by: 'message' }));
      const reply = m.kind === 'message.send' ? await prepareReply(tx, actor, row, m.payload) : null;
      const now = new Date();
      const message: MessageRow = {
        // The mutation id doubles as the message id: a replay can never append twice.
        id: m.id,
        caseId: row.id,
        direction: m.kind === 'case.note' ? 'note' : 'out',
        channel: m.kind === 'case.note' ? row.channel : m.payload.channel,
        author: work.actor.name,
        body: m.payload.body,
        externalId: null,
        attachments: [],
        addressed: true,
        delivery: reply ? queuedDelivery(reply.consentOverride, now) : null,
        replyContext: null,
        version: 1,
        rev: await nextRev(work),
        createdAt: now,
        updatedAt: now,
      };
      work.messages.push(message);
      // Queued in the same transaction as the reply: both are stored, or neither. The message id is the idempotency key.
      if (reply?.consentOverride) {
        work.audit.push({ actorId: actor.id, action: 'consent.override', entity: 'message', entityId: m.id, after: { caseId: row.id, channel: message.channel }, reason: reply.consentOverride });
      }
      if (reply) work.deliveries.push({ messageId: m.id, caseId: row.id, channel: message.channel, target: reply.target as unknown as Record<string, unknown>, idempotencyKey: m.id, createdAt: now });
      return {
        result: { id: m.id, status: 'applied', version: row.version, rev: message.rev },
        cases: [],
        messages: [{ message: toMessage(message), caseRow: row }],
        ...(reply ? { queuedDelivery: true } : {}),
      };
    }
    case 'message.retry':
      return retryReply(work, m.id, m.entityId);
    case 'mention.convert':
      return convert(work, m.id, m.entityId, m.payload.caseId);
    case 'customer.consent': {
      const [customer] = isUuid(m.entityId)
        ? await tx
            .select()
            .from(customers)
            .where(and(eq(customers.id, m.entityId), namedInScope(tx, actor, customers.id, cases.customerId)))
            .for('update')
        : [];
      if (!customer) throw new Rejection(rejectionOf('notInScope', { what: 'customer' }));
      const [updated] = await tx
        .update(customers)
        .set({ ...m.payload, version: customer.version + 1, rev: await nextRev(work), updatedAt: new Date() })
        .where(eq(customers.id, customer.id))
        .returning();
      const fields = Object.keys(m.payload) as ('consent' | 'doNotEngage')[];
      work.audit.push({
        actorId: actor.id,
        action: 'customer.consent',
        entity: 'customer',
        entityId: customer.id,
        before: Object.fromEntries(fields.map((f) => [f, customer[f]])),
        after: Object.fromEntries(fields.map((f) => [f, updated![f]])),
      });
      return { result: { id: m.id, status: 'applied', version: updated!.version, rev: Number(updated!.rev) }, cases: [], messages: [], customers: [toCustomer(updated!)] };
    }
    case 'mention.dismiss': {
      const mention = await lockMentionInScope(tx, actor, m.entityId);
      if (!mention) throw new Rejection(rejectionOf('notInScope', { what: 'mention' }));
      if (mention.status === 'converted') throw new Rejection(rejectionOf('mentionConverted'));
      if (mention.status === 'dismissed') return { result: { id: m.id, status: 'applied', version: mention.version, rev: Number(mention.rev) }, cases: [], messages: [] };
      const dismissed = await setMentionStatus(tx, mention.id, 'dismissed', null, await nextRev(work));
      return { result: { id: m.id, status: 'applied', version: dismissed.version, rev: dismissed.rev }, cases: [], messages: [], mentions: [dismissed] };
    }
    case 'case.create':
      return create(work, m.id, m.entityId, m.payload.case);
    case 'presence.set': {
      if (m.entityId !== actor.id) throw new Rejection(rejectionOf('presenceSelf'));
      const state = await setPresence(tx, actor.id, m.payload.presence, { reason: m.payload.reason });
      if (!state) throw new Rejection(rejectionOf('noSuch', { what: 'user' }));
      return { result: { id: m.id, status: 'applied', version: 0, rev: 0 }, cases: [], messages: [], presence: { userId: actor.id, state } };
    }
  }
}

/**
 * Which fields someone else changed on the hub after `baseVersion`. The
 * actor's own changes never conflict with their later ones: a console queues
 * several edits of a case on the same base version, and the last word of one
 * person is their answer (so the batch's own unwritten history is not needed).
 */
async function changedSince(work: Batch, caseId: string, baseVersion: number): Promise<Set<string>> {
  const stored = await work.tx
    .select({ fields: caseChanges.fields })
    .from(caseChanges)
    .where(and(eq(caseChanges.caseId, caseId), gt(caseChanges.version, baseVersion), sql`${caseChanges.userId} IS DISTINCT FROM ${work.actor.id}`));
  return new Set(stored.flatMap((h) => Object.keys(h.fields)));
}

/** Changes a case in the batch and remembers which fields it touched; written back by flush(). */
async function writeCase(work: Batch, row: CaseRow, set: Partial<CaseRow>, fields: Record<string, unknown>): Promise<CaseRow> {
  const next: CaseRow = { ...row, ...set, version: row.version + 1, rev: await nextRev(work), updatedAt: new Date() };
  work.cases.set(row.id, next);
  work.dirty.add(row.id);
  work.changes.push({ caseId: row.id, version: next.version, fields, userId: work.actor.id });
  return next;
}

async function updateFields(work: Batch, id: string, caseId: string, baseVersion: number, fields: Partial<Record<CaseField, unknown>>): Promise<PushOutcome> {
  const row = caseInScope(work, caseId);
  if (baseVersion > row.version) throw new Rejection(rejectionOf('versionAhead', { base: baseVersion, version: row.version }));
  // On the current version nothing changed on the hub since: no history to read.
  const changedOnHub = baseVersion === row.version ? new Set<string>() : await changedSince(work, caseId, baseVersion);
  const current = toCase(row);
  const apply: Partial<Record<CaseField, unknown>> = {};
  const conflicts: FieldConflict[] = [];
  for (const field of CASE_FIELDS) {
    if (!(field in fields)) continue;
    const yours = fields[field];
    if (isDeepStrictEqual(current[field], yours)) continue;
    if (changedOnHub.has(field)) conflicts.push({ field, yours, theirs: current[field] });
    else apply[field] = yours;
  }
  let updated = row;
  if (Object.keys(apply).length > 0) {
    const set: Partial<CaseRow> = { ...(apply as Partial<CaseRow>) };
    // A new priority or status: the due times of its targets, from when the case opened, less the time it waited on the customer.
    const nextStatus = (apply.status ?? current.status) as Case['status'];
    if ((apply.priority || apply.status) && !isDone(nextStatus)) {
      const due = await dueAfterChange(work, row, { status: nextStatus, priority: (apply.priority ?? current.priority) as Priority }, new Date());
      if (due) Object.assign(set, dueColumns(due));
    }
    updated = await writeCase(work, row, set, apply);
  }
  const { version } = updated;
  const rev = Number(updated.rev);
  const changed = updated === row ? [] : [toCase(updated)];
  if (conflicts.length > 0) return { result: { id, status: 'conflict', version, rev, conflicts }, cases: changed, messages: [] };
  return { result: { id, status: row.version > baseVersion ? 'merged' : 'applied', version, rev }, cases: changed, messages: [] };
}

/** The due times after a change (sla/pause.ts), from what the batch read up front and the status changes it made itself; a case the batch made reads its own. */
async function dueAfterChange(work: Batch, row: CaseRow, next: { status: Case['status']; priority: Priority }, at: Date) {
  const clock = work.clock;
  if (!clock?.loaded.has(row.id)) return dueTimesAfterChange(work.tx, row, next, at);
  const inBatch = work.changes.flatMap((change) =>
    change.caseId === row.id && typeof change.fields.status === 'string' ? [{ status: change.fields.status as Case['status'], at: change.changedAt ?? at }] : [],
  );
  return dueTimesAfterChangeIn(clock.sla, clock.plans.get(row.id) ?? null, row, [...(clock.history.get(row.id) ?? []), ...inBatch], next, at);
}

async function assign(work: Batch, id: string, caseId: string, baseVersion: number, payload: { assigneeId: string | null; queueId?: string }): Promise<PushOutcome> {
  const { tx, actor } = work;
  const row = caseInScope(work, caseId);
  const refused = refuseAssignment(actor, row, payload);
  if (refused) throw new Rejection(refusalOf(refused));
  if (payload.assigneeId) {
    const [assignee] = await tx.select({ id: users.id }).from(users).where(eq(users.id, payload.assigneeId));
    if (!assignee) throw new Rejection(rejectionOf('noSuch', { what: 'assignee' }));
  }
  if (payload.queueId) {
    const [queue] = await tx.select({ id: queues.id }).from(queues).where(eq(queues.id, payload.queueId));
    if (!queue) throw new Rejection(rejectionOf('noSuch', { what: 'queue' }));
  }
  const set = { assigneeId: payload.assigneeId, queueId: payload.queueId ?? row.queueId };
  // Another queue, another business calendar: the due times follow it (sla/move.ts, as a bulk reassign).
  const due = set.queueId !== row.queueId ? (await dueTimesInQueue(tx, [row], set.queueId)).get(row.id) : undefined;
  const updated = await writeCase(work, row, due ? { ...set, ...dueColumns(due) } : set, set);
  const rev = Number(updated.rev);
  const moved = set.queueId !== row.queueId || set.assigneeId !== row.assigneeId;
  if (moved) {
    work.moves.push({ caseId, rev, fromQueue: row.queueId, fromAssignee: row.assigneeId });
    work.audit.push({ actorId: actor.id, action: 'case.assign', entity: 'case', entityId: caseId, before: { queueId: row.queueId, assigneeId: row.assigneeId }, after: set });
  }
  return {
    result: { id, status: row.version > baseVersion ? 'merged' : 'applied', version: updated.version, rev },
    cases: [toCase(updated)],
    messages: [],
    ...(moved ? { moved: { id: caseId, rev, from: { queueId: row.queueId, assigneeId: row.assigneeId } } } : {}),
  };
}

async function create(work: Batch, id: string, entityId: string, draft: Extract<Mutation, { kind: 'case.create' }>['payload']['case']): Promise<PushOutcome> {
  const { tx, actor } = work;
  if (draft.id !== entityId) throw new Rejection(rejectionOf('badEntity'));
  const refused = refuseNewCase(actor, draft);
  if (refused) throw new Rejection(refusalOf(refused));
  await checkNamed(work, draft);
  const [existing] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, draft.id));
  if (existing) throw new Rejection(rejectionOf('caseExists'));
  const [queue] = await tx.select({ id: queues.id }).from(queues).where(eq(queues.id, draft.queueId));
  if (!queue) throw new Rejection(rejectionOf('noSuch', { what: 'queue' }));
  // A technician's own case stays in their briefcase.
  const assigneeId = newCaseAssignee(actor, draft.assigneeId);
  if (assigneeId && assigneeId !== actor.id) {
    const [assignee] = await tx.select({ id: users.id }).from(users).where(eq(users.id, assigneeId));
    if (!assignee) throw new Rejection(rejectionOf('noSuch', { what: 'assignee' }));
  }
  // The agent chose the queue: kept; a per-incident customer's incident is counted, and a note says when they have no support.
  const sla = await openCaseSla(tx, { caseId: draft.id, customerId: draft.customerId, priority: draft.priority, queueId: draft.queueId, reroute: false });
  const [row] = await tx
    .insert(cases)
    .values({ ...draft, assigneeId, slaDueAt: sla.slaDueAt, resolutionDueAt: sla.resolutionDueAt, sentiment: null, rev: await nextRev(work) })
    .returning();
  await writeRoutingNote(tx, row!.id, row!.channel, sla.note);
  // Later mutations of this batch (a note on the new case) find it here.
  work.cases.set(row!.id, row!);
  return { result: { id, status: 'applied', version: row!.version, rev: Number(row!.rev) }, cases: [toCase(row!)], messages: [] };
}

/**
 * A new case may name only a customer and a device its author may already
 * see (the pull's rule), and the device must be that customer's: otherwise the
 * case would carry a stranger's details into the author's pull.
 */
async function checkNamed(work: Batch, draft: Pick<Case, 'customerId' | 'deviceId'>): Promise<void> {
  const { tx, actor } = work;
  if (draft.customerId) {
    const [customer] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.id, draft.customerId), namedInScope(tx, actor, customers.id, cases.customerId)));
    if (!customer) throw new Rejection(rejectionOf('notInScope', { what: 'customer' }));
  }
  if (draft.deviceId) {
    const [device] = await tx
      .select({ ownerId: devices.ownerId })
      .from(devices)
      .where(and(eq(devices.id, draft.deviceId), namedInScope(tx, actor, devices.id, cases.deviceId)));
    if (!device) throw new Rejection(rejectionOf('notInScope', { what: 'device' }));
    if (device.ownerId !== draft.customerId) throw new Rejection(rejectionOf('deviceOwner'));
  }
}

/** Sends a failed reply again: its job goes back in the queue, due now, as long as consent still allows it. */
async function retryReply(work: Batch, id: string, messageId: string): Promise<PushOutcome> {
  const { tx, actor } = work;
  const [found] = isUuid(messageId)
    ? await tx
        .select({ message: messages, caseRow: cases, target: deliveries.target })
        .from(messages)
        .innerJoin(cases, eq(cases.id, messages.caseId))
        .innerJoin(deliveries, eq(deliveries.messageId, messages.id))
        .where(and(eq(messages.id, messageId), caseScope(actor)))
        .for('update')
    : [];
  if (!found) throw new Rejection(rejectionOf('notInScope', { what: 'reply' }));
  if (found.message.delivery?.status !== 'failed') throw new Rejection(rejectionOf('retryNotFailed', { status: found.message.delivery?.status ?? 'not a reply' }));
  const answers = (found.target as unknown as DeliveryTarget).answers;
  await refuseRetry(tx, found.caseRow, { channel: found.message.channel, consentOverride: found.message.delivery.consentOverride, answersAddressed: answers ? answers.addressed : null });
  const rev = await nextRev(work);
  await requeueDelivery(tx, messageId);
  const { message, caseRow } = await setMessageDelivery(tx, messageId, (d) => ({ ...d, status: 'queued', reason: null, attempts: 0, at: new Date().toISOString() }), rev);
  return { result: { id, status: 'applied', version: message.version, rev }, cases: [], messages: [{ message, caseRow }], queuedDelivery: true };
}

/** A mention into a case: the one named (in scope, still open) or a new one whose id is the mutation's. */
async function convert(work: Batch, id: string, mentionId: string, caseId: string | undefined): Promise<PushOutcome> {
  const { tx, actor } = work;
  const mention = await lockMentionInScope(tx, actor, mentionId);
  if (!mention) throw new Rejection(rejectionOf('notInScope', { what: 'mention' }));
  if (mention.status === 'converted') throw new Rejection(rejectionOf('mentionConverted'));
  let into: Parameters<typeof convertMention>[2];
  if (caseId) {
    const [existing] = await tx.select().from(cases).where(and(eq(cases.id, caseId), caseScope(actor))).for('update');
    if (!existing) throw new Rejection(rejectionOf('notInScope', { what: 'case' }));
    const current = toCase(existing);
    if (isDone(current.status)) throw new Rejection(rejectionOf('mentionCaseClosed'));
    into = { existing: current };
  } else {
    if (!mention.queueId) throw new Rejection(rejectionOf('noQueueForChannel'));
    const [taken] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, id));
    if (taken) throw new Rejection(rejectionOf('caseExists'));
    into = { newCaseId: id, queueId: mention.queueId };
  }
  // Drawn before the inserts below, which take their revs from the sequence: the rev lock is held from here.
  const rev = await nextRev(work);
  const converted = await convertMention(tx, mention, into);
  const updated = await setMentionStatus(tx, mention.id, 'converted', converted.case.id, rev);
  return {
    result: { id, status: 'applied', version: updated.version, rev },
    cases: converted.created ? [converted.case] : [],
    messages: [{ message: converted.message, caseRow: converted.case }],
    mentions: [updated],
  };
}
