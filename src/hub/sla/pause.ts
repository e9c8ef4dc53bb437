/**
 * The clock paused while the case waits on the customer, on the hub: the
 * stored due times are what the clock says given the case's status history
 * (`case_changes`), so when a case leaves a paused status (an agent sets it
 * open, the customer writes again) its due times move on by the business time
 * it spent paused. While it is paused they stay as they were (the watcher
 * does not warn about a paused case).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { CaseStatus, Priority } from '../../shared/domain';
import type { Plan } from '../../shared/entitlements';
import type { SlaSettings } from '../../shared/protocol';
import { pausesFromHistory } from '../../shared/sla';
import type { Db } from '../db/connect';
import { isoTime } from '../db/change-json';
import { executeRows } from '../db/execute-rows';
import { jsonColumn } from '../db/json-rows';
import { caseChanges, customers } from '../db/schema';
import { type DueTimes, dueTimesOf } from './due';
import { caseSlaIn, slaDocumentColumns, slaDocumentOf } from './policies';

export interface CaseClockFacts {
  id: string;
  customerId: string | null;
  queueId: string;
  createdAt: Date;
}

/** A change of a case's status, from its history (`case_changes`). */
export interface StatusChange {
  status: CaseStatus;
  at: Date;
}

/**
 * The due times after a change of status and/or priority at `at` (not yet in
 * `case_changes`); null when the case is (still) paused: keep what is stored.
 * What it reads — the customer's plan, the SLA document, the case's status
 * history — is one statement (a push reads them for its whole batch at once,
 * `statusHistoryColumn`, and calls `dueTimesAfterChangeIn`).
 */
export async function dueTimesAfterChange(db: Db, c: CaseClockFacts, next: { status: CaseStatus; priority: Priority }, at: Date): Promise<DueTimes | null> {
  const [row] = await executeRows(
    db,
    sql`SELECT (SELECT ${customers.plan} FROM ${customers} WHERE ${customers.id} = ${c.customerId}) AS plan, ${slaDocumentColumns()},
      ${statusHistoryColumn(sql`${c.id}::uuid`)}`,
  );
  const history = statusHistoryOf(row!).get(c.id) ?? [];
  return dueTimesAfterChangeIn(slaDocumentOf(row!), (row!.plan as Plan | null) ?? null, c, history, next, at);
}

/** The status history of the cases `ids` (a uuid array or set expression) as a column `history` (read with statusHistoryOf). */
export function statusHistoryColumn(ids: SQL): SQL {
  return sql`(SELECT coalesce(json_agg(json_build_object('caseId', ${caseChanges.caseId}, 'status', ${caseChanges.fields} ->> 'status', 'at', ${isoTime(caseChanges.changedAt)})
      ORDER BY ${caseChanges.caseId}, ${caseChanges.version}), '[]'::json)
    FROM ${caseChanges} WHERE ${caseChanges.caseId} IN (${ids}) AND ${caseChanges.fields} ->> 'status' IS NOT NULL) AS history`;
}

/** Each case's status changes, in order, from a row that selected `statusHistoryColumn`. */
export function statusHistoryOf(row: Record<string, unknown>): Map<string, StatusChange[]> {
  const out = new Map<string, StatusChange[]>();
  for (const change of jsonColumn<{ caseId: string; status: CaseStatus; at: string }[]>(row.history ?? [])) {
    const list = out.get(change.caseId) ?? [];
    list.push({ status: change.status, at: new Date(change.at) });
    out.set(change.caseId, list);
  }
  return out;
}

/** The due times after the change, given the SLA document, the customer's plan and the case's status changes so far. */
export function dueTimesAfterChangeIn(doc: SlaSettings, plan: Plan | null, c: CaseClockFacts, changes: StatusChange[], next: { status: CaseStatus; priority: Priority }, at: Date): DueTimes | null {
  const sla = caseSlaIn(doc, plan, c.queueId);
  const history = [{ status: 'new' as CaseStatus, at: c.createdAt }, ...changes, { status: next.status, at }];
  const due = dueTimesOf(sla, next.priority, c.createdAt, pausesFromHistory(history, sla.policy.pausedStatuses));
  return due.firstResponseDueAt === null ? null : due;
}
