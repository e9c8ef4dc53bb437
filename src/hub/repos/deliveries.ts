/**
 * The delivery queue of outbound replies (a transactional outbox): a job is
 * written in the transaction that stores its reply, claimed under a lease
 * with SKIP LOCKED (so hubs sharing a Postgres never hold one job at once),
 * and finished in a write transaction that also moves the message's
 * `delivery` (a new rev, so consoles hear of it and pull it).
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Case, Delivery, Message } from '../../shared/domain';
import type { Db } from '../db/connect';
import { toMessage } from '../db/rows';
import { cases, deliveries, messages } from '../db/schema';
import { writeTransaction } from '../db/write';
import { executeRows } from '../db/execute-rows';

/** What a reply answers and whom it goes to, resolved when the agent sent it. */
export interface DeliveryTarget {
  recipient: string | null;
  answers: { externalId: string; author: string; addressed: boolean; context: Record<string, string | string[]> | null } | null;
  case: { id: string; number: number; subject: string };
}

export type DeliveryRow = typeof deliveries.$inferSelect;
/** A job this hub now holds the lease of, with what its attempt needs. */
export interface ClaimedJob {
  messageId: string;
  channel: string;
  /** This attempt's number (counted when claimed). */
  attempts: number;
  target: DeliveryTarget;
  idempotencyKey: string;
  /** `sending`: an earlier attempt's lease ran out (its hub stopped mid-call): the provider may have taken it. */
  was: 'queued' | 'sending';
  body: string;
}

export function queuedDelivery(consentOverride: string | null, now = new Date()): Delivery {
  return { status: 'queued', externalId: null, reason: null, attempts: 0, consentOverride, at: now.toISOString() };
}

/**
 * Claims up to `limit` due jobs for `hub`: queued ones whose time has come
 * and ones whose lease ran out. A case's replies leave in the order they were
 * written: a job waits while an earlier one of its case is unfinished.
 */
export async function claimDueDeliveries(db: Db, hub: string, limit: number, leaseMs: number): Promise<ClaimedJob[]> {
  const result = await executeRows(db, sql`
    UPDATE deliveries SET state = 'sending', attempts = deliveries.attempts + 1, lease_until = now() + ${leaseMs} * interval '1 millisecond',
      leased_by = ${hub}, updated_at = now()
    FROM (
      SELECT d.message_id, d.state AS was FROM deliveries d
      WHERE ((d.state = 'queued' AND d.next_attempt_at <= now()) OR (d.state = 'sending' AND d.lease_until < now()))
        AND NOT EXISTS (
          SELECT 1 FROM deliveries e WHERE e.case_id = d.case_id AND e.state IN ('queued', 'sending')
            AND (e.created_at, e.message_id) < (d.created_at, d.message_id))
      ORDER BY d.next_attempt_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ) due, messages m
    WHERE deliveries.message_id = due.message_id AND m.id = due.message_id
    RETURNING deliveries.message_id, deliveries.channel, deliveries.attempts, deliveries.target, deliveries.idempotency_key, due.was, m.body
  `);
  return result.map((r) => ({
    messageId: String(r.message_id),
    channel: String(r.channel),
    attempts: Number(r.attempts),
    target: (typeof r.target === 'string' ? JSON.parse(r.target) : r.target) as DeliveryTarget,
    idempotencyKey: String(r.idempotency_key),
    was: r.was === 'sending' ? 'sending' : 'queued',
    body: String(r.body),
  }));
}

/** How an attempt ended: sent, failed for good, or to be tried again at `retryAt`. */
export type AttemptEnd = { status: 'sent'; externalId: string } | { status: 'failed'; reason: string } | { status: 'retry'; reason: string; retryAt: Date };

export interface FinishedDelivery {
  message: Message;
  caseRow: Pick<Case, 'queueId' | 'assigneeId'>;
}

/**
 * Records how `hub`'s attempt ended, on the job and on its message, in one
 * write transaction. Null when the job is no longer this hub's (its lease ran
 * out and another hub took it): that hub's word counts.
 */
export async function finishAttempt(db: Db, hub: string, messageId: string, end: AttemptEnd): Promise<FinishedDelivery | null> {
  return writeTransaction(db, async (tx) => {
    const [job] = await tx
      .update(deliveries)
      .set({
        state: end.status === 'retry' ? 'queued' : end.status,
        externalId: end.status === 'sent' ? end.externalId : null,
        reason: end.status === 'sent' ? null : end.reason,
        nextAttemptAt: end.status === 'retry' ? end.retryAt : sql`${deliveries.nextAttemptAt}`,
        leaseUntil: null,
        leasedBy: null,
        updatedAt: new Date(),
      })
      .where(and(eq(deliveries.messageId, messageId), eq(deliveries.state, 'sending'), eq(deliveries.leasedBy, hub)))
      .returning({ attempts: deliveries.attempts });
    if (!job) return null;
    return setMessageDelivery(tx, messageId, (current) => ({
      ...current,
      status: end.status === 'retry' ? 'queued' : end.status,
      externalId: end.status === 'sent' ? end.externalId : null,
      reason: end.status === 'sent' ? null : end.reason,
      attempts: job.attempts,
      at: new Date().toISOString(),
    }));
  });
}

/** Moves a message's delivery (a new version and rev: `rev` when the caller drew one); call inside a write transaction. */
export async function setMessageDelivery(tx: Db, messageId: string, next: (current: Delivery) => Delivery, rev?: number): Promise<FinishedDelivery> {
  const [current] = await tx.select({ delivery: messages.delivery }).from(messages).where(eq(messages.id, messageId));
  const delivery = next(current?.delivery ?? queuedDelivery(null));
  const [row] = await tx
    .update(messages)
    .set({
      delivery,
      // Sent, the reply has the provider's id like any post: the customer's answer to it threads into its case.
      ...(delivery.status === 'sent' && delivery.externalId ? { externalId: delivery.externalId } : {}),
      version: sql`${messages.version} + 1`,
      rev: rev ?? sql`nextval('rev_seq')`,
      updatedAt: new Date(),
    })
    .where(eq(messages.id, messageId))
    .returning();
  const [placement] = await tx.select({ queueId: cases.queueId, assigneeId: cases.assigneeId }).from(cases).where(eq(cases.id, row!.caseId));
  return { message: toMessage(row!), caseRow: placement! };
}

/** Puts a failed reply back in the queue, due now, with a fresh budget of attempts; call inside a write transaction. */
export async function requeueDelivery(tx: Db, messageId: string): Promise<boolean> {
  const rows = await tx
    .update(deliveries)
    .set({ state: 'queued', attempts: 0, nextAttemptAt: new Date(), reason: null, leaseUntil: null, leasedBy: null, updatedAt: new Date() })
    .where(and(eq(deliveries.messageId, messageId), eq(deliveries.state, 'failed')))
    .returning({ id: deliveries.messageId });
  return rows.length > 0;
}

/** The soonest time a queued job is due, so an idle worker sleeps until then (or until kicked). */
export async function nextDueAt(db: Db): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<string | null>`min(CASE WHEN ${deliveries.state} = 'queued' THEN ${deliveries.nextAttemptAt} ELSE ${deliveries.leaseUntil} END)` })
    .from(deliveries)
    .where(sql`${deliveries.state} IN ('queued', 'sending')`);
  return row?.at ? new Date(row.at) : null;
}

export async function getDelivery(db: Db, messageId: string): Promise<DeliveryRow | null> {
  const [row] = await db.select().from(deliveries).where(eq(deliveries.messageId, messageId));
  return row ?? null;
}
