/**
 * A case that moves to another queue runs on that queue's business calendar
 * from then on: both due times recomputed from when it was opened, with the
 * pauses it has had (a pause still open stays out, so a paused case keeps
 * due times as before its pause, as pause.ts keeps them; they move on when
 * it resumes). Read in the mover's transaction before it takes the rev lock.
 */
import { and, asc, inArray, sql } from 'drizzle-orm';
import type { CaseStatus, Priority } from '../../shared/domain';
import type { Plan } from '../../shared/entitlements';
import { pausesFromHistory } from '../../shared/sla';
import type { Db } from '../db/connect';
import { caseChanges, customers } from '../db/schema';
import { type DueTimes, dueTimesOf } from './due';
import { caseSlaIn, readSlaSettings } from './policies';

export interface MovingCase {
  id: string;
  customerId: string | null;
  priority: string;
  createdAt: Date;
}

/** Each case's due times in `queueId`: a few reads for any number of cases (plans, status histories, the SLA document). */
export async function dueTimesInQueue(db: Db, moving: readonly MovingCase[], queueId: string): Promise<Map<string, DueTimes>> {
  const out = new Map<string, DueTimes>();
  if (moving.length === 0) return out;
  const customerIds = [...new Set(moving.flatMap((c) => (c.customerId ? [c.customerId] : [])))];
  const plans = new Map(
    customerIds.length === 0 ? [] : (await db.select({ id: customers.id, plan: customers.plan }).from(customers).where(inArray(customers.id, customerIds))).map((r) => [r.id, r.plan as Plan]),
  );
  const changes = await db
    .select({ caseId: caseChanges.caseId, status: sql<string>`${caseChanges.fields} ->> 'status'`, at: caseChanges.changedAt })
    .from(caseChanges)
    .where(and(inArray(caseChanges.caseId, moving.map((c) => c.id)), sql`${caseChanges.fields} ->> 'status' IS NOT NULL`))
    .orderBy(asc(caseChanges.caseId), asc(caseChanges.version));
  const historyOf = new Map<string, { status: CaseStatus; at: Date }[]>();
  for (const ch of changes) {
    const list = historyOf.get(ch.caseId) ?? [];
    list.push({ status: ch.status as CaseStatus, at: ch.at });
    historyOf.set(ch.caseId, list);
  }
  const document = await readSlaSettings(db);
  for (const c of moving) {
    const plan = (c.customerId && plans.get(c.customerId)) || null;
    const sla = caseSlaIn(document, plan, queueId);
    const history = [{ status: 'new' as CaseStatus, at: c.createdAt }, ...(historyOf.get(c.id) ?? [])];
    const closed = pausesFromHistory(history, sla.policy.pausedStatuses).filter((p) => p.to !== null);
    out.set(c.id, dueTimesOf(sla, c.priority as Priority, c.createdAt, closed));
  }
  return out;
}
