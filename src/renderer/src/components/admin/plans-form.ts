/**
 * The Plans tab's pure parts (and the SLA tab's plan names): what each plan
 * is called, how an entitlement reads, and the draft of the table as the
 * admin edits it — the incidents of a per-incident plan kept while another
 * kind is chosen, so switching back brings them back.
 */
import { DEFAULT_PLAN_ENTITLEMENTS, DEFAULT_ROUTING_LABELS, type EntitlementKind, type Plan, type PlanEntitlement, type PlanEntitlements } from '../../../../shared/entitlements';
import { englishT, type Translate } from './sla-form';

/** Product names: the same in every language. */
export const PLAN_NAMES: Record<Plan, string> = { basic: 'Basic', plus: 'Plus', premium: 'Premium', enterprise: 'Enterprise' };

/** "Per-incident support": the entitlement's name, capitalised for a select (src/shared ENTITLEMENT_LABELS in English). */
export const kindLabel = (kind: EntitlementKind, t: Translate = englishT()): string => t(`admin.plans.kinds.${kind}`);

/** "per-incident support, 3 a year": how the SLA tab names a plan's entitlement. */
export function entitlementSummary(e: PlanEntitlement, t: Translate = englishT()): string {
  return e.kind === 'per-incident' ? t('admin.plans.perIncidentSummary', { count: e.incidentsPerTerm }) : t(`admin.plans.entitlements.${e.kind}`);
}

/** Where a new case to Support from a customer on the plan goes (src/shared/entitlements.ts routeNewCase), in a line; queue names as they are. */
export function routingSummary(e: PlanEntitlement, t: Translate = englishT(), labels = DEFAULT_ROUTING_LABELS): string {
  const { support, service } = labels;
  switch (e.kind) {
    case 'none':
      return t('admin.plans.routes.none', { service });
    case 'per-incident':
      // While the number is being typed (empty, 0): the rule without it.
      if (!Number.isInteger(e.incidentsPerTerm) || e.incidentsPerTerm < 1) return t('admin.plans.routes.perIncidentSoMany', { support, service });
      return t('admin.plans.routes.perIncident', { count: e.incidentsPerTerm, support, service });
    case 'package':
      return t('admin.plans.routes.package', { support });
    case 'premium':
      return t('admin.plans.routes.premium', { support });
  }
}

/** A draft row: the kind, and the incidents per year kept for per-incident (NaN while the field is empty). */
export interface DraftEntitlement {
  kind: EntitlementKind;
  incidentsPerTerm: number;
}
export type DraftTable = Record<Plan, DraftEntitlement>;

/** Incidents a plan turned per-incident starts with, when it never had a number. */
const STARTING_INCIDENTS = (DEFAULT_PLAN_ENTITLEMENTS.plus as Extract<PlanEntitlement, { kind: 'per-incident' }>).incidentsPerTerm;

export function draftOf(table: PlanEntitlements): DraftTable {
  return Object.fromEntries(Object.entries(table).map(([plan, e]) => [plan, { kind: e.kind, incidentsPerTerm: e.kind === 'per-incident' ? e.incidentsPerTerm : STARTING_INCIDENTS }])) as DraftTable;
}

/** What goes to the hub: the incidents only on a per-incident plan. */
export function tableOf(draft: DraftTable): PlanEntitlements {
  return Object.fromEntries(Object.entries(draft).map(([plan, d]) => [plan, d.kind === 'per-incident' ? { kind: d.kind, incidentsPerTerm: d.incidentsPerTerm } : { kind: d.kind }])) as PlanEntitlements;
}
