/**
 * A case's SLA due times, from its customer's plan, its priority and its
 * queue's calendar, on the shared clock (src/shared/sla.ts). The policy gives
 * the targets; the queue's business hours, when an admin set them, replace the
 * policy's calendar (Zendesk's "schedule" of the group working the ticket).
 */
import { eq } from 'drizzle-orm';
import type { Plan } from '../../shared/entitlements';
import type { Priority } from '../../shared/domain';
import { type BusinessCalendar, businessDueAt, calendarOf, type Pause, type SlaPolicy } from '../../shared/sla';
import type { Db } from '../db/connect';
import { customers } from '../db/schema';
import { readCaseSla } from './policies';

export interface DueTimes {
  firstResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
}

/** Pure: both due times of a case opened at `openedAt` (null while a pause is open). */
export function dueTimesOf(sla: { policy: SlaPolicy; queueCalendar: BusinessCalendar | null }, priority: Priority, openedAt: Date, pauses: readonly Pause[] = []): DueTimes {
  const calendar = calendarOf(sla.policy, sla.queueCalendar);
  const targets = sla.policy.targets[priority];
  return {
    firstResponseDueAt: businessDueAt(calendar, openedAt, targets.firstResponseMinutes, pauses),
    resolutionDueAt: businessDueAt(calendar, openedAt, targets.resolutionMinutes, pauses),
  };
}

export interface CaseFacts {
  /** The customer whose plan picks the policy; null: the default policy. */
  customerId: string | null;
  /** Their plan when the caller has it (a customer this batch created is not readable yet). */
  plan?: Plan | null;
  priority: Priority;
  queueId: string;
  openedAt: Date;
  pauses?: readonly Pause[];
}

/** The policy and calendar read for a case (readCaseSla), or a batch's memo of them (open.ts). */
export type ReadCaseSla = (plan: Plan | null, queueId: string) => ReturnType<typeof readCaseSla>;

/** Reads the plan, the policy and the queue's calendar in `db` (a transaction: what every hub saved last). */
export async function dueTimes(db: Db, facts: CaseFacts, read: ReadCaseSla = (plan, queueId) => readCaseSla(db, plan, queueId)): Promise<DueTimes> {
  let plan: Plan | null = facts.plan ?? null;
  if (plan === null && facts.customerId) {
    const [row] = await db.select({ plan: customers.plan }).from(customers).where(eq(customers.id, facts.customerId));
    plan = (row?.plan as Plan | undefined) ?? null;
  }
  return dueTimesOf(await read(plan, facts.queueId), facts.priority, facts.openedAt, facts.pauses);
}

/** The columns a case row stores them in. */
export const dueColumns = (d: DueTimes) => ({ slaDueAt: d.firstResponseDueAt, resolutionDueAt: d.resolutionDueAt });
