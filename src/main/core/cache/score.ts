/**
 * The queue's order: each case's priority score (src/shared/priority.ts — the
 * one rule the hub and the renderer read too) from its SLA time left,
 * severity, sentiment and its customer's plan, lifetime value and
 * influence. Stored in `cases.score` (indexed) when a case is written, and
 * again every minute for the cases still being worked, since SLA time left
 * changes as time passes.
 */
import type { Case, Customer } from '../../../shared/domain';
import type { PlanEntitlements } from '../../../shared/entitlements';
import { casePriorityInput, type PriorityScore, priorityScore, priorityScoreValue } from '../../../shared/priority';

export type ScoredCustomer = Pick<Customer, 'plan' | 'lifetimeValue' | 'influence'>;

export const caseScoreValue = (c: Case, customer: ScoredCustomer | null, now: number, plans: PlanEntitlements): number =>
  priorityScoreValue(casePriorityInput(c, customer, now, plans));
export const caseScore = (c: Case, customer: ScoredCustomer | null, now: number, plans: PlanEntitlements): PriorityScore =>
  priorityScore(casePriorityInput(c, customer, now, plans));

/** For SQL (`priority_score(cases.data, customers.data, now)`): the JSON as stored. */
export function scoreOfJson(caseJson: string, customerJson: string | null, now: number, plans: PlanEntitlements): number {
  return caseScoreValue(JSON.parse(caseJson) as Case, customerJson === null ? null : (JSON.parse(customerJson) as Customer), now, plans);
}
