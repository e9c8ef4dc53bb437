/**
 * An agent answering an offer, or asking for the next case (pull queues).
 * Accepting and "Next case" assign through the same move as a supervisor's
 * (repos/reassign.ts: change record, move, audit), in one write transaction
 * that first makes sure the case is still theirs to take: an offer that
 * lapsed or a case someone else took is refused, never taken twice.
 */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Case } from '../../shared/domain';
import { rejectionOf } from '../../shared/rejections';
import { hasRoomFor, hasSkills, LOADING_STATUSES, type Offer } from '../../shared/routing';
import { liveCallsByAgent } from '../repos/live-calls';
import type { Db } from '../db/connect';
import { toCase } from '../db/rows';
import { caseOfferRefusals, caseOffers, cases, customers, queueMembers, queues, users } from '../db/schema';
import { writeTransactionLockingLate } from '../db/write';
import { moveCases, type Reassigned } from '../repos/reassign';
import { Rejection } from '../repos/rejection';
import { readPlanEntitlements } from '../sla/plans';
import type { Actor } from '../repos/scope';
import { scoreOf, scoringCustomer, waitingForAgent, workingOf } from './router';

export async function acceptOffer(db: Db, actor: Actor, caseId: string, now = new Date()): Promise<Reassigned> {
  return writeTransactionLockingLate(db, async (tx, drawRevs) => {
    const [offer] = await tx
      .delete(caseOffers)
      .where(and(eq(caseOffers.caseId, caseId), eq(caseOffers.userId, actor.id), gt(caseOffers.expiresAt, now)))
      .returning();
    if (!offer) throw new Rejection('not_found', rejectionOf('offerGone'));
    const [row] = await tx.select().from(cases).where(eq(cases.id, caseId)).for('update');
    if (!row || row.assigneeId !== null) throw new Rejection('conflict', rejectionOf('takenMeanwhile'));
    await tx.update(users).set({ lastRoutedAt: now }).where(eq(users.id, actor.id));
    return moveCases(tx, drawRevs, actor, { caseIds: [caseId], assigneeId: actor.id });
  });
}

/** The offers an agent holds now, as `offer:new` said them (a console that restarts asks for them again). */
export async function openOffers(db: Db, userId: string, now = new Date()): Promise<Offer[]> {
  const plans = await readPlanEntitlements(db);
  const rows = await db
    .select({ c: cases, expiresAt: caseOffers.expiresAt, cu: scoringCustomer })
    .from(caseOffers)
    .innerJoin(cases, eq(cases.id, caseOffers.caseId))
    .leftJoin(customers, eq(customers.id, cases.customerId))
    .where(and(eq(caseOffers.userId, userId), gt(caseOffers.expiresAt, now)))
    .orderBy(asc(caseOffers.offeredAt));
  return rows.map(({ c, expiresAt, cu }) => {
    const row = toCase(c);
    const { explanation, parts } = scoreOf(row, cu, now.getTime(), plans);
    return { case: row, expiresAt: expiresAt.toISOString(), why: explanation, whyParts: parts };
  });
}

/** Declined: not offered to this agent again; the next round offers it to the next one. */
export async function declineOffer(db: Db, actor: Actor, caseId: string): Promise<void> {
  await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [offer] = await tx.delete(caseOffers).where(and(eq(caseOffers.caseId, caseId), eq(caseOffers.userId, actor.id))).returning();
    if (!offer) throw new Rejection('not_found', rejectionOf('offerGone'));
    await tx.insert(caseOfferRefusals).values({ caseId, userId: actor.id, reason: 'declined' }).onConflictDoNothing();
  });
}

/**
 * "Next case": the best waiting case of the agent's pull queues that they
 * have the skills and room for, assigned to them at once. Candidates are
 * locked SKIP LOCKED, so two agents pressing at once get two cases.
 */
export async function takeNext(db: Db, actor: Actor, now = new Date()): Promise<{ taken: Reassigned; case: Case } | null> {
  return writeTransactionLockingLate(db, async (tx, drawRevs) => {
    const [me] = await tx.select({ skills: users.skills, capacity: users.capacity }).from(users).where(eq(users.id, actor.id));
    if (!me) throw new Rejection('not_found', rejectionOf('noSuch', { what: 'user' }));
    const pull = await tx
      .select({ id: queues.id, required: queues.requiredSkills })
      .from(queues)
      .innerJoin(queueMembers, and(eq(queueMembers.queueId, queues.id), eq(queueMembers.userId, actor.id)))
      .where(eq(queues.routing, 'pull'));
    const mine = pull.filter((q) => hasSkills(me.skills, q.required)).map((q) => q.id);
    if (mine.length === 0) return null;
    const [cases_, onCall] = await Promise.all([
      tx
        .select({ channel: cases.channel, status: cases.status })
        .from(cases)
        .where(and(eq(cases.assigneeId, actor.id), inArray(cases.status, [...LOADING_STATUSES]))),
      liveCallsByAgent(tx).then((calls) => calls.get(actor.id)),
    ]);
    // On a call, nothing fits: the call takes all of the agent's capacity.
    const working = workingOf(cases_, onCall);
    const plans = await readPlanEntitlements(tx);
    const rows = await tx
      .select({ c: cases, cu: scoringCustomer })
      .from(cases)
      .leftJoin(customers, eq(customers.id, cases.customerId))
      .where(and(inArray(cases.queueId, mine), waitingForAgent(tx, now)))
      .orderBy(sql`${cases.slaDueAt} ASC NULLS LAST`, asc(cases.createdAt))
      .limit(200);
    const ranked = rows
      .map(({ c, cu }) => {
        const row = toCase(c);
        return { row, score: scoreOf(row, cu, now.getTime(), plans).score };
      })
      .filter((x) => hasRoomFor(me.capacity, working, x.row))
      .sort((a, b) => b.score - a.score || Date.parse(a.row.createdAt) - Date.parse(b.row.createdAt));
    // The best one nobody else is taking right now: locked, and still waiting once locked.
    let best: (typeof ranked)[number] | undefined;
    for (const candidate of ranked) {
      const [locked] = await tx.select({ id: cases.id }).from(cases).where(and(eq(cases.id, candidate.row.id), waitingForAgent(tx, now))).for('update', { skipLocked: true });
      if (locked) {
        best = candidate;
        break;
      }
    }
    if (!best) return null;
    await tx.update(users).set({ lastRoutedAt: now }).where(eq(users.id, actor.id));
    const taken = await moveCases(tx, drawRevs, actor, { caseIds: [best.row.id], assigneeId: actor.id });
    return { taken, case: taken.moves[0]!.row };
  });
}
