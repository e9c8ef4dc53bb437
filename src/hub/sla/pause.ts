/**
 * The clock paused while the case waits on the customer, on the hub: the
 * stored due times are what the clock says given the case's status history
 * (`case_changes`), so when a case leaves a paused status (an agent sets it
 * open, the customer writes again) its due times move on by the business time
 * it spent paused. While it is paused they stay as they were (the watcher
 * does not warn about a paused case).
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { CaseStatus, Priority } from '../../shared/domain';
import type { Plan } from '../../shared/entitlements';
import { pausesFromHistory } from '../../shared/sla';
import type { Db } from '../db/connect';
import { caseChanges, customers } from '../db/schema';
import { type DueTimes, dueTimesOf } from './due';
import { readCaseSla } from './policies';

export interface CaseClockFacts {
  id: string;
  customerId: string | null;
  queueId: string;
  createdAt: Date;
}

/**
 * The due times after a change of status and/or priority at `at` (not yet in
 * `case_changes`); null when the case is (still) paused: keep what is stored.
 */
export async function dueTimesAfterChange(db: Db, c: CaseClockFacts, next: { status: CaseStatus; priority: Priority }, at: Date): Promise<DueTimes | null> {
  let plan: Plan | null = null;
  if (c.customerId) {
    const [row] = await db.select({ plan: customers.plan }).from(customers).where(eq(customers.id, c.customerId));
    plan = (row?.plan as Plan | undefined) ?? null;
  }
  const sla = await readCaseSla(db, plan, c.queueId);
  const changes = await db
    .select({ fields: caseChanges.fields, at: caseChanges.changedAt })
    .from(caseChanges)
    .where(and(eq(caseChanges.caseId, c.id), sql`${caseChanges.fields} ->> 'status' IS NOT NULL`))
    .orderBy(asc(caseChanges.version));
  const history = [
    { status: 'new' as CaseStatus, at: c.createdAt },
    ...changes.map((ch) => ({ status: ch.fields.status as CaseStatus, at: ch.at })),
    { status: next.status, at },
  ];
  const due = dueTimesOf(sla, next.priority, c.createdAt, pausesFromHistory(history, sla.policy.pausedStatuses));
  return due.firstResponseDueAt === null ? null : due;
}
