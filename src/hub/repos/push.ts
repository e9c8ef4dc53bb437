/**
 * Sync push: applies one console mutation exactly once. Case fields merge at
 * field level against the console's baseVersion: a field only the console
 * changed is applied; one the hub also changed since then keeps the hub's
 * value and comes back as a conflict with both values. Notes and messages
 * always append; assignment is the hub's word, within the actor's rights.
 */
import { and, eq, gt, inArray, sql } from 'drizzle-orm';
import { isDeepStrictEqual } from 'node:util';
import type { Case, Message, Priority } from '../../shared/domain';
import { CASE_FIELDS, type CaseField, type FieldConflict, type Mutation, type MutationResult } from '../../shared/protocol';
import type { Db } from '../db/connect';
import { toCase, toMessage } from '../db/rows';
import { caseChanges, caseMoves, cases, messages, mutations, queues, users } from '../db/schema';
import { writeTransaction } from '../db/write';
import { slaDueAt } from '../devices/sla';
import { type Actor, caseScope } from './scope';
import { setPresence } from './users';

export class Rejection extends Error {}

export interface PushOutcome {
  result: MutationResult;
  cases: Case[];
  /** New messages with the placement of their case, which decides who sees them. */
  messages: { message: Message; caseRow: Pick<Case, 'queueId' | 'assigneeId'> }[];
  presence?: { userId: string; presence: string };
  /** A reassigned case: where it was, so consoles that lose it can be told. */
  moved?: { id: string; rev: number; from: Pick<Case, 'queueId' | 'assigneeId'> };
}

type Settled = Exclude<MutationResult, { status: 'duplicate' }>;
const bump = { version: sql`${cases.version} + 1`, rev: sql`nextval('rev_seq')`, updatedAt: sql`now()` };

/**
 * Applies a console's batch in one write transaction, in order. A rejected
 * mutation is remembered and the others go on; every handler below decides
 * to reject before its first write, so a rejection never leaves half a change
 * (no savepoint needed). An unexpected error aborts the whole batch: nothing
 * is committed and the console retries. Events are for the caller to send
 * after commit.
 */
export async function applyMutations(db: Db, actor: Actor, batch: Mutation[]): Promise<PushOutcome[]> {
  return writeTransaction(db, async (tx) => {
    // One look-up for the whole batch; ids repeated inside the batch are caught as they are recorded.
    const known = await tx.select().from(mutations).where(inArray(mutations.id, [...new Set(batch.map((m) => m.id))]));
    const seen = new Map(known.map((m) => [m.id, m]));
    const outcomes: PushOutcome[] = [];
    const remembered: (typeof mutations.$inferInsert)[] = [];
    for (const mutation of batch) {
      const outcome = await applyOnce(tx, actor, mutation, seen.get(mutation.id));
      if (!seen.has(mutation.id)) {
        const record = { id: mutation.id, userId: actor.id, kind: mutation.kind, entityId: mutation.entityId, result: outcome.result, receivedAt: new Date() };
        seen.set(mutation.id, record);
        remembered.push(record);
      }
      outcomes.push(outcome);
    }
    // Remembered in the same transaction as their effects: a replay after a crash finds all or none.
    if (remembered.length > 0) await tx.insert(mutations).values(remembered);
    return outcomes;
  });
}

async function applyOnce(tx: Db, actor: Actor, mutation: Mutation, seen: typeof mutations.$inferSelect | undefined): Promise<PushOutcome> {
  if (seen) {
    if (seen.userId !== actor.id) return rejected(mutation.id, 'this mutation id was already used by someone else');
    return { result: { id: mutation.id, status: 'duplicate', original: seen.result as Settled }, cases: [], messages: [] };
  }
  let outcome: PushOutcome;
  try {
    outcome = await apply(tx, actor, mutation);
  } catch (error) {
    if (!(error instanceof Rejection)) throw error;
    outcome = rejected(mutation.id, error.message);
  }
  return outcome;
}

function rejected(id: string, reason: string): PushOutcome {
  return { result: { id, status: 'rejected', reason }, cases: [], messages: [] };
}

async function caseInScope(tx: Db, actor: Actor, id: string) {
  const [row] = await tx.select().from(cases).where(and(eq(cases.id, id), caseScope(actor))).for('update');
  if (!row) throw new Rejection('no such case in your scope');
  return row;
}

/** Each handler throws Rejection only before its first write (see applyMutations). */
async function apply(tx: Db, actor: Actor, m: Mutation): Promise<PushOutcome> {
  switch (m.kind) {
    case 'case.update':
      return updateFields(tx, actor, m.id, m.entityId, m.baseVersion, m.payload.fields);
    case 'case.assign':
      return assign(tx, actor, m.id, m.entityId, m.baseVersion, m.payload);
    case 'case.note':
    case 'message.send': {
      const row = await caseInScope(tx, actor, m.entityId);
      const [author] = await tx.select({ name: users.name }).from(users).where(eq(users.id, actor.id));
      const [message] = await tx
        .insert(messages)
        .values({
          // The mutation id doubles as the message id: a replay can never append twice.
          id: m.id,
          caseId: row.id,
          direction: m.kind === 'case.note' ? 'note' : 'out',
          channel: m.kind === 'case.note' ? row.channel : m.payload.channel,
          author: author?.name ?? actor.id,
          body: m.payload.body,
          externalId: null,
        })
        .returning();
      return { result: { id: m.id, status: 'applied', version: row.version, rev: Number(message!.rev) }, cases: [], messages: [{ message: toMessage(message!), caseRow: row }] };
    }
    case 'case.create':
      return create(tx, actor, m.id, m.entityId, m.payload.case);
    case 'presence.set': {
      if (m.entityId !== actor.id) throw new Rejection('presence can only be set for yourself');
      await setPresence(tx, actor.id, m.payload.presence);
      return { result: { id: m.id, status: 'applied', version: 0, rev: 0 }, cases: [], messages: [], presence: { userId: actor.id, presence: m.payload.presence } };
    }
  }
}

async function updateFields(tx: Db, actor: Actor, id: string, caseId: string, baseVersion: number, fields: Partial<Record<CaseField, unknown>>): Promise<PushOutcome> {
  const row = await caseInScope(tx, actor, caseId);
  if (baseVersion > row.version) throw new Rejection(`baseVersion ${baseVersion} is ahead of the hub's version ${row.version}`);
  // On the current version nothing changed on the hub since: no history to read.
  const history =
    baseVersion === row.version
      ? []
      : await tx
          .select({ fields: caseChanges.fields })
          .from(caseChanges)
          .where(and(eq(caseChanges.caseId, caseId), gt(caseChanges.version, baseVersion)));
  const changedOnHub = new Set(history.flatMap((h) => Object.keys(h.fields)));
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
    const set: Record<string, unknown> = { ...apply, ...bump };
    if (apply.priority && !['solved', 'closed'].includes(String(apply.status ?? row.status))) set.slaDueAt = slaDueAt(apply.priority as Priority, row.createdAt);
    const [next] = await tx.update(cases).set(set).where(eq(cases.id, caseId)).returning();
    updated = next!;
    await tx.insert(caseChanges).values({ caseId, version: updated.version, fields: apply, userId: actor.id });
  }
  const { version } = updated;
  const rev = Number(updated.rev);
  const changed = updated === row ? [] : [toCase(updated)];
  if (conflicts.length > 0) return { result: { id, status: 'conflict', version, rev, conflicts }, cases: changed, messages: [] };
  return { result: { id, status: row.version > baseVersion ? 'merged' : 'applied', version, rev }, cases: changed, messages: [] };
}

async function assign(
  tx: Db,
  actor: Actor,
  id: string,
  caseId: string,
  baseVersion: number,
  payload: { assigneeId: string | null; queueId?: string },
): Promise<PushOutcome> {
  const row = await caseInScope(tx, actor, caseId);
  const privileged = actor.role === 'supervisor' || actor.role === 'admin';
  if (!privileged) {
    if (payload.queueId && payload.queueId !== row.queueId) throw new Rejection('only supervisors and admins move cases between queues');
    const takes = row.assigneeId === null && payload.assigneeId === actor.id && actor.role === 'agent' && actor.queueIds.includes(row.queueId);
    const handsBack = row.assigneeId === actor.id && payload.assigneeId === null;
    if (!takes && !handsBack) throw new Rejection('you may only take unassigned work of your queues or hand back your own');
  }
  if (payload.assigneeId) {
    const [assignee] = await tx.select({ id: users.id }).from(users).where(eq(users.id, payload.assigneeId));
    if (!assignee) throw new Rejection('no such assignee');
  }
  if (payload.queueId) {
    const [queue] = await tx.select({ id: queues.id }).from(queues).where(eq(queues.id, payload.queueId));
    if (!queue) throw new Rejection('no such queue');
  }
  const set = { assigneeId: payload.assigneeId, queueId: payload.queueId ?? row.queueId };
  const [updated] = await tx.update(cases).set({ ...set, ...bump }).where(eq(cases.id, caseId)).returning();
  await tx.insert(caseChanges).values({ caseId, version: updated!.version, fields: set, userId: actor.id });
  if (set.queueId !== row.queueId || set.assigneeId !== row.assigneeId) {
    await tx.insert(caseMoves).values({ caseId, rev: Number(updated!.rev), fromQueue: row.queueId, fromAssignee: row.assigneeId });
  }

  const rev = Number(updated!.rev);
  const moved = set.queueId !== row.queueId || set.assigneeId !== row.assigneeId;
  return {
    result: { id, status: row.version > baseVersion ? 'merged' : 'applied', version: updated!.version, rev },
    cases: [toCase(updated!)],
    messages: [],
    ...(moved ? { moved: { id: caseId, rev, from: { queueId: row.queueId, assigneeId: row.assigneeId } } } : {}),
  };
}

async function create(tx: Db, actor: Actor, id: string, entityId: string, draft: Extract<Mutation, { kind: 'case.create' }>['payload']['case']): Promise<PushOutcome> {
  if (draft.id !== entityId) throw new Rejection('entityId must be the new case id');
  const privileged = actor.role === 'supervisor' || actor.role === 'admin';
  if (!privileged && !actor.queueIds.includes(draft.queueId) && actor.role !== 'technician') throw new Rejection('you may only open cases in your queues');
  const [existing] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, draft.id));
  if (existing) throw new Rejection('a case with this id already exists');
  const [queue] = await tx.select({ id: queues.id }).from(queues).where(eq(queues.id, draft.queueId));
  if (!queue) throw new Rejection('no such queue');
  // A technician's own case stays in their briefcase.
  const assigneeId = actor.role === 'technician' ? actor.id : (draft.assigneeId ?? null);
  const [row] = await tx
    .insert(cases)
    .values({ ...draft, assigneeId, slaDueAt: slaDueAt(draft.priority, new Date()), sentiment: null })
    .returning();
  return { result: { id, status: 'applied', version: row!.version, rev: Number(row!.rev) }, cases: [toCase(row!)], messages: [] };
}
