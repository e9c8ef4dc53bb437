/**
 * Bulk reassignment: a supervisor moves many cases at once to an agent and/or
 * a queue, all or none, in one write transaction that locks the cases in id
 * order, records each move (for consoles that lose a case), each field change
 * (so a console's stale edit of the assignment meets a conflict), an audit
 * entry per case and, when given, the note to the new assignee on each case.
 */
import { eq, inArray } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Case, Message } from '../../shared/domain';
import type { ReassignRequest } from '../../shared/protocol';
import type { Db } from '../db/connect';
import { toCase, toMessage } from '../db/rows';
import { caseChanges, caseMoves, cases, messages, queues, users } from '../db/schema';
import { writeTransactionLockingLate } from '../db/write';
import { recordAudit } from './audit';
import { Rejection } from './rejection';
import type { Actor } from './scope';

export interface Reassigned {
  cases: Case[];
  moves: { row: Case; from: Pick<Case, 'queueId' | 'assigneeId'>; rev: number }[];
  notes: { message: Message; caseRow: Case }[];
}

export async function reassignCases(db: Db, actor: Actor, request: ReassignRequest): Promise<Reassigned> {
  const ids = [...new Set(request.caseIds)].sort();
  return writeTransactionLockingLate(db, async (tx, drawRevs) => {
    const rows = await tx.select().from(cases).where(inArray(cases.id, ids)).orderBy(cases.id).for('update');
    if (rows.length !== ids.length) throw new Rejection('not_found', `${ids.length - rows.length} of the cases do not exist`);
    if (request.assigneeId) {
      const [assignee] = await tx.select({ id: users.id }).from(users).where(eq(users.id, request.assigneeId));
      if (!assignee) throw new Rejection('not_found', 'no such assignee');
    }
    if (request.queueId) {
      const [queue] = await tx.select({ id: queues.id }).from(queues).where(eq(queues.id, request.queueId));
      if (!queue) throw new Rejection('not_found', 'no such queue');
    }
    const changing = rows.filter((r) => (request.queueId ?? r.queueId) !== r.queueId || (request.assigneeId === undefined ? r.assigneeId : request.assigneeId) !== r.assigneeId);
    const revs = await drawRevs(changing.length * (request.note ? 2 : 1));
    const now = new Date();
    const out: Reassigned = { cases: [], moves: [], notes: [] };
    for (const row of changing) {
      const set = { queueId: request.queueId ?? row.queueId, assigneeId: request.assigneeId === undefined ? row.assigneeId : request.assigneeId };
      const rev = revs.shift()!;
      const [updated] = await tx
        .update(cases)
        .set({ ...set, version: row.version + 1, rev, updatedAt: now })
        .where(eq(cases.id, row.id))
        .returning();
      const moved = toCase(updated!);
      const from = { queueId: row.queueId, assigneeId: row.assigneeId };
      out.cases.push(moved);
      out.moves.push({ row: moved, from, rev });
      if (request.note) {
        const [note] = await tx
          .insert(messages)
          .values({ id: uuidv7(), caseId: row.id, direction: 'note', channel: row.channel, author: actor.name, body: request.note, externalId: null, attachments: [], rev: revs.shift()! })
          .returning();
        out.notes.push({ message: toMessage(note!), caseRow: moved });
      }
    }
    if (changing.length > 0) {
      await tx.insert(caseChanges).values(out.cases.map((c) => ({ caseId: c.id, version: c.version, fields: { queueId: c.queueId, assigneeId: c.assigneeId }, userId: actor.id })));
      await tx.insert(caseMoves).values(out.moves.map((m) => ({ caseId: m.row.id, rev: m.rev, fromQueue: m.from.queueId, fromAssignee: m.from.assigneeId })));
      await recordAudit(
        tx,
        out.moves.map((m) => ({ actorId: actor.id, action: 'case.assign' as const, entity: 'case', entityId: m.row.id, before: m.from, after: { queueId: m.row.queueId, assigneeId: m.row.assigneeId }, reason: request.note ?? null })),
      );
    }
    return out;
  });
}
