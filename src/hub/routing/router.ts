/**
 * Push routing: the highest-priority waiting case of a push queue is offered
 * to the available agent with the skills and free capacity who has waited
 * longest; the agent accepts or declines before the offer lapses, and
 * otherwise it goes to the next. Each round runs in a write transaction that
 * locks the cases it offers (SKIP LOCKED: one a "Next case" is taking is left
 * to it), and an offer's key is its case, so a case is never offered to two
 * agents at once, also with several hubs.
 */
import { and, asc, eq, gt, inArray, isNull, lte, notExists, sql } from 'drizzle-orm';
import type { Case, CaseStatus, Channel, Priority } from '../../shared/domain';
import type { Plan, PlanEntitlements } from '../../shared/entitlements';
import { casePriorityInput, priorityScore, type PriorityWhyPart } from '../../shared/priority';
import { hasRoomFor, hasSkills, type Load, liveCallLoad, LOADING_STATUSES, type Offer, type OfferGone } from '../../shared/routing';
import type { LiveCall } from '../../shared/calls';
import { liveCallsByAgent } from '../repos/live-calls';
import type { Db } from '../db/connect';
import { toCase } from '../db/rows';
import { caseOfferRefusals, caseOffers, cases, customers, queueMembers, queues, users } from '../db/schema';
import { writeTransaction } from '../db/write';
import { readPlanEntitlements } from '../sla/plans';
import { type MatchAgent, matchOffers } from './match';

/** Waiting cases read per push queue and round: the most urgent by SLA; the score orders them. */
const WAITING_PER_QUEUE = 200;

export interface RoundResult {
  offers: { userId: string; offer: Offer }[];
  gone: { userId: string; gone: OfferGone }[];
  /** The queues that push, as the round read them. */
  pushQueueIds: string[];
}

type Agent = MatchAgent;

/**
 * Waiting for an agent: unassigned, still to start, not on offer (push rounds and "Next case" alike). An
 * offer past its time no longer holds the case, though the next round has yet to withdraw it.
 */
export const waitingForAgent = (tx: Db, now: Date) =>
  and(
    isNull(cases.assigneeId),
    inArray(cases.status, [...LOADING_STATUSES]),
    notExists(tx.select({ one: sql`1` }).from(caseOffers).where(and(eq(caseOffers.caseId, cases.id), gt(caseOffers.expiresAt, now)))),
  );

/** What scoreOf reads of a case's customer: the columns every routing read selects. */
export const scoringCustomer = { plan: customers.plan, lifetimeValue: customers.lifetimeValue, influence: customers.influence };

/** Scores a waiting case as the queue shows it (src/shared/priority.ts), with why, by the plan table in force. */
export function scoreOf(
  c: Pick<Case, 'priority' | 'sentiment' | 'slaDueAt' | 'status'>,
  customer: { plan: string; lifetimeValue: number; influence: number } | null,
  now: number,
  plans: PlanEntitlements,
) {
  return priorityScore(casePriorityInput(c, customer ? { ...customer, plan: customer.plan as Plan } : null, now, plans));
}

/** One round: lapsed offers withdrawn (and remembered as refused), then new offers made. Events are the caller's, after commit. */
export function routeRound(db: Db, now = new Date()): Promise<RoundResult> {
  return writeTransaction(db, async (tx) => {
    const result: RoundResult = { offers: [], gone: [], pushQueueIds: [] };
    const lapsed = await tx.delete(caseOffers).where(lte(caseOffers.expiresAt, now)).returning();
    if (lapsed.length > 0) {
      await tx
        .insert(caseOfferRefusals)
        .values(lapsed.map((o) => ({ caseId: o.caseId, userId: o.userId, reason: 'timeout' })))
        .onConflictDoNothing();
      for (const o of lapsed) result.gone.push({ userId: o.userId, gone: { caseId: o.caseId, reason: 'timeout' } });
    }

    const pushQueues = await tx.select().from(queues).where(eq(queues.routing, 'push'));
    result.pushQueueIds = pushQueues.map((q) => q.id);
    if (pushQueues.length === 0) return result;
    const agents = await availableAgents(tx, pushQueues.map((q) => q.id));
    if (agents.length === 0) return result;

    // Waiting: unassigned, still to start, not on offer; the most urgent first by the score. Only in queues an
    // agent free now could take work from (one agent freed: their queues, not every queue's backlog); all at once.
    const served = pushQueues.filter((q) => agents.some((a) => a.queueIds.has(q.id) && hasSkills(a.skills, q.requiredSkills)));
    const plans = readPlanEntitlements(tx);
    // What scoring and matching read of a candidate; the whole row only of those offered.
    const reads = served.map(async (queue) => ({
      queue,
      rows: await tx
        .select({
          id: cases.id,
          queueId: cases.queueId,
          priority: cases.priority,
          sentiment: cases.sentiment,
          slaDueAt: cases.slaDueAt,
          status: cases.status,
          channel: cases.channel,
          createdAt: cases.createdAt,
          cu: scoringCustomer,
        })
        .from(cases)
        .leftJoin(customers, eq(customers.id, cases.customerId))
        .where(and(eq(cases.queueId, queue.id), waitingForAgent(tx, now)))
        .orderBy(sql`${cases.slaDueAt} ASC NULLS LAST`, asc(cases.createdAt))
        .limit(WAITING_PER_QUEUE),
    }));
    const waiting: { id: string; queueId: string; load: Load; createdAt: number; score: number; why: string; whyParts: PriorityWhyPart[]; offerSeconds: number; required: string[] }[] = [];
    const [table, read] = await Promise.all([plans, Promise.all(reads)]);
    for (const { queue, rows } of read) {
      for (const r of rows) {
        const c = { priority: r.priority as Priority, sentiment: r.sentiment, slaDueAt: r.slaDueAt?.toISOString() ?? null, status: r.status as CaseStatus };
        const score = scoreOf(c, r.cu, now.getTime(), table);
        const load = { channel: r.channel as Channel, status: r.status };
        waiting.push({ id: r.id, queueId: r.queueId, load, createdAt: r.createdAt.getTime(), score: score.score, why: score.explanation, whyParts: score.parts, offerSeconds: queue.offerSeconds, required: queue.requiredSkills });
      }
    }
    waiting.sort((a, b) => b.score - a.score || a.createdAt - b.createdAt);

    const chosen = matchOffers(waiting, agents);
    if (chosen.length === 0) return result;
    // Locked only now, and only what is offered: a case another transaction is taking meanwhile ("Next case",
    // an accept) is skipped — its agent gets the next round's best — and a round locks a few rows, not backlogs.
    const locked = await tx
      .select()
      .from(cases)
      .where(and(inArray(cases.id, chosen.map((c) => c.item.id)), waitingForAgent(tx, now)))
      .for('update', { skipLocked: true });
    const rows = new Map(locked.map((r) => [r.id, toCase(r)]));
    const made = chosen.flatMap(({ item, agentId }) => {
      const row = rows.get(item.id);
      return row ? [{ row, why: item.why, whyParts: item.whyParts, agentId, expiresAt: new Date(now.getTime() + item.offerSeconds * 1000) }] : [];
    });
    if (made.length === 0) return result;
    await tx.insert(caseOffers).values(made.map(({ row, agentId, expiresAt }) => ({ caseId: row.id, userId: agentId, offeredAt: now, expiresAt })));
    for (const { row, why, whyParts, agentId, expiresAt } of made) result.offers.push({ userId: agentId, offer: { case: row, expiresAt: expiresAt.toISOString(), why, whyParts } });
    return result;
  });
}

/**
 * Agents who may get an offer now: available, in a push queue, holding no
 * offer, with room for a case (a live call takes all of it:
 * repos/live-calls.ts); those who have waited longest (since their
 * last routed case, else since they became available) first.
 */
async function availableAgents(tx: Db, queueIds: string[]): Promise<Agent[]> {
  const rows = await tx
    .select({ id: users.id, skills: users.skills, capacity: users.capacity, lastRoutedAt: users.lastRoutedAt, since: users.presenceSince })
    .from(users)
    .where(
      and(
        eq(users.role, 'agent'),
        eq(users.presence, 'available'),
        notExists(tx.select({ one: sql`1` }).from(caseOffers).where(eq(caseOffers.userId, users.id))),
        inArray(users.id, tx.select({ id: queueMembers.userId }).from(queueMembers).where(inArray(queueMembers.queueId, queueIds))),
      ),
    );
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [memberships, working, refusals, onCall] = await Promise.all([
    tx.select().from(queueMembers).where(inArray(queueMembers.userId, ids)),
    tx
      .select({ assigneeId: cases.assigneeId, channel: cases.channel, status: cases.status })
      .from(cases)
      .where(and(inArray(cases.assigneeId, ids), inArray(cases.status, [...LOADING_STATUSES]))),
    tx.select().from(caseOfferRefusals).where(inArray(caseOfferRefusals.userId, ids)),
    liveCallsByAgent(tx),
  ]);
  const waitedSince = (r: (typeof rows)[number]) => Math.max(r.lastRoutedAt?.getTime() ?? 0, r.since.getTime());
  return rows
    .sort((a, b) => waitedSince(a) - waitedSince(b) || a.id.localeCompare(b.id))
    .map((r) => ({
      id: r.id,
      skills: r.skills,
      capacity: r.capacity,
      working: workingOf(working.filter((w) => w.assigneeId === r.id), onCall.get(r.id)),
      queueIds: new Set(memberships.filter((m) => m.userId === r.id).map((m) => m.queueId)),
      refused: new Set(refusals.filter((x) => x.userId === r.id).map((x) => x.caseId)),
    }))
    // No room for any case (on a call, or full): their queues' backlogs need not be read this round.
    .filter((a) => hasRoomFor(a.capacity, a.working, A_CASE));
}

/** Any one case: every case weighs the same (src/shared/routing.ts loadOf). */
const A_CASE: Load = { channel: 'email', status: 'new' };

/** What an agent is working on: their loading cases, and the call they are on, if any (all their capacity). */
export function workingOf(cases: readonly { channel: string; status: string }[], call: LiveCall | undefined): Load[] {
  return [...cases.map((w) => ({ channel: w.channel as Case['channel'], status: w.status })), ...(call ? [liveCallLoad(call.callSid)] : [])];
}

/**
 * An agent answered a call: the offers they hold are withdrawn (not refused: they may get the case again once
 * free), so each goes to the next agent now. The withdrawn case ids, for `offer:gone` after commit.
 */
export async function withdrawOffersOf(tx: Db, userId: string): Promise<string[]> {
  const gone = await tx.delete(caseOffers).where(eq(caseOffers.userId, userId)).returning({ caseId: caseOffers.caseId });
  return gone.map((g) => g.caseId);
}
