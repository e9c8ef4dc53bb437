/**
 * What every place that opens a case calls (inbound pipeline, mention
 * convert, console-created cases, rule-opened cases): entitlement routing
 * (entitlement.ts) and then the due times (due.ts) for the queue the case
 * ends up in.
 */
import type { Priority } from '../../shared/domain';
import type { Plan, PlanEntitlements } from '../../shared/entitlements';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/connect';
import { dueColumns, dueTimes, type ReadCaseSla } from './due';
import type { SlaSettings } from '../../shared/protocol';
import { caseSlaIn, type OpeningContext, readCaseSla, readSlaSettings } from './policies';
import { routeByEntitlement } from './entitlement';
import { readPlanEntitlements } from './plans';
import { executeRows } from '../db/execute-rows';

export interface OpeningCase {
  caseId: string;
  customerId: string | null;
  /** A customer this very message created has no plan on record (the 'basic' they get is a placeholder): they are not routed by it. */
  newCustomer?: boolean;
  plan?: Plan | null;
  priority: Priority;
  queueId: string;
  openedAt?: Date;
  /** False: the queue is kept (an agent chose it) and only the incident is counted and the note written. */
  reroute?: boolean;
}

export interface OpenedCaseSla {
  queueId: string;
  /** Why the case is where it is, for a note on the case; null: nothing to tell. */
  note: string | null;
  slaDueAt: Date | null;
  resolutionDueAt: Date | null;
}

/**
 * What opening cases reads besides the customer: the transaction's now() and the policies. A batch that
 * opens many cases in one transaction reads each once (batchSlaReads); the same in every statement of it.
 */
export interface SlaReads {
  now(): Promise<Date>;
  caseSla: ReadCaseSla;
  /** What each plan includes (plans.ts), read on the transaction's own connection. */
  plans(): Promise<PlanEntitlements>;
  /** A queue's name, when read ahead (otherwise entitlement routing reads it). */
  queueName?(queueId: string): Promise<string | null>;
}

export const directSlaReads = (db: Db): SlaReads => ({ now: () => transactionNow(db), caseSla: (plan, queueId) => readCaseSla(db, plan, queueId), plans: () => readPlanEntitlements(db) });

/**
 * Reads of one transaction, each made once: now() is the transaction's start, and nothing in it changes the
 * policies. Given `context` (a batch that may open cases reads it in its look-up statement, `openingContextColumns`)
 * they all come from it, rather than one after another as the first case needs them: the whole SLA document
 * is a few rows.
 */
export function batchSlaReads(db: Db, context: Promise<OpeningContext> | null = null): SlaReads {
  let now: Promise<Date> | null = context ? quiet(context.then((read) => read.now)) : null;
  let plans: Promise<PlanEntitlements> | null = context ? quiet(context.then((read) => read.plans)) : null;
  // The whole document, once: every case's policy and calendar are in it.
  let document: Promise<SlaSettings> | null = context ? quiet(context.then((read) => read.sla)) : null;
  return {
    now: () => (now ??= transactionNow(db)),
    plans: () => (plans ??= readPlanEntitlements(db)),
    caseSla: async (plan, queueId) => caseSlaIn(await (document ??= readSlaSettings(db)), plan, queueId),
  };
}

export async function openCaseSla(db: Db, c: OpeningCase, reads: SlaReads = directSlaReads(db)): Promise<OpenedCaseSla> {
  // The transaction's now(): what the case row's created_at will say, so the clock starts when the case did.
  const openedAt = c.openedAt ?? (await reads.now());
  // No customer (a device case, an agent's case without one): nobody's entitlement to weigh.
  const routed = c.newCustomer || !c.customerId ? null : await routeByEntitlement(db, { caseId: c.caseId, customerId: c.customerId, queueId: c.queueId, at: openedAt, plans: reads.plans, queueName: reads.queueName });
  const keep = c.reroute === false;
  const queueId = routed && !keep ? routed.queueId : c.queueId;
  let note = routed?.note ?? null;
  if (note && keep && routed!.queueId !== c.queueId) note = `${note.replace(/: routed to .*$/, '')}: kept in this queue, as created by an agent`;
  const due = await dueTimes(db, { customerId: c.customerId, plan: c.plan ?? null, priority: c.priority, queueId, openedAt }, reads.caseSla);
  return { queueId, note, ...dueColumns(due) };
}

/** A read made ahead that the batch may never need: its failure (the transaction's, told by what it did need) is not unhandled. */
function quiet<T>(read: Promise<T>): Promise<T> {
  read.catch(() => undefined);
  return read;
}

async function transactionNow(db: Db): Promise<Date> {
  const rows = await executeRows<{ now: Date | string }>(db, sql`SELECT now() AS now`);
  return new Date(rows[0]!.now);
}
