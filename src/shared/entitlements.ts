/**
 * Entitlements: what support a customer has paid for, and where a new case
 * from them goes. From the seeds' distinction between service and support:
 * service is talking with the customer and delivering what they asked for
 * (anyone gets it); support is fixing what broke, and only some customers
 * have it: per incident, as a support package, or premium, or not at all.
 * A case from a customer without support goes to a service/sales queue with
 * the reason shown, not to support.
 *
 * Pure: the hub decides with it when a case is opened, the console shows
 * the same words.
 */
import { z } from 'zod';
import { AuditReasonSchema } from './audit';
import { PLANS } from './domain';

export type Plan = (typeof PLANS)[number];

/** Ordered least to most support. */
export const ENTITLEMENT_KINDS = ['none', 'per-incident', 'package', 'premium'] as const;
export const EntitlementKindSchema = z.enum(ENTITLEMENT_KINDS);
export type EntitlementKind = z.infer<typeof EntitlementKindSchema>;

export const ENTITLEMENT_LABELS: Record<EntitlementKind, string> = {
  none: 'no support plan',
  'per-incident': 'per-incident support',
  package: 'support package',
  premium: 'premium support',
};

/** More than anyone sells per contract year: a typo, not a plan. */
export const MAX_INCIDENTS_PER_TERM = 1000;

/** What a plan includes. `incidentsPerTerm` is for per-incident plans only: how many incidents a term (the contract year) allows. */
export const PlanEntitlementSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('per-incident'), incidentsPerTerm: z.number({ error: 'incidents per contract year must be a number' }).int('incidents per contract year must be a whole number').min(1, 'at least 1 incident per contract year').max(MAX_INCIDENTS_PER_TERM, `at most ${MAX_INCIDENTS_PER_TERM} incidents per contract year`) }),
  z.object({ kind: z.literal('package') }),
  z.object({ kind: z.literal('premium') }),
]);
export type PlanEntitlement = z.infer<typeof PlanEntitlementSchema>;

export const PlanEntitlementsSchema = z.object(Object.fromEntries(PLANS.map((p) => [p, PlanEntitlementSchema])) as Record<Plan, typeof PlanEntitlementSchema>);
export type PlanEntitlements = z.infer<typeof PlanEntitlementsSchema>;

/**
 * The demo plans, in one table:
 * - basic → no support: service only (questions, billing, buying more go to Sales);
 * - plus → per-incident: three support incidents a contract year, counted;
 * - premium → support package: support for every incident;
 * - enterprise → premium support: every incident, first in line.
 */
export const DEFAULT_PLAN_ENTITLEMENTS: PlanEntitlements = {
  basic: { kind: 'none' },
  plus: { kind: 'per-incident', incidentsPerTerm: 3 },
  premium: { kind: 'package' },
  enterprise: { kind: 'premium' },
};

/**
 * GET /api/admin/plans (admins): what each plan includes, as the hub keeps
 * it — the defaults above until an admin saves. Every plan must be there,
 * and no other.
 */
export const PlansSettingsSchema = z.object({ entitlements: PlanEntitlementsSchema.strict() });
export type PlansSettings = z.infer<typeof PlansSettingsSchema>;
/**
 * PUT /api/admin/plans: the whole table and, optionally, why (kept with the audit row `plans.update`, not in the table)
 * and `expected`, the document the admin's edit started from: the hub saves only while it still keeps that (else 409).
 */
export const PlansSaveInputSchema = PlansSettingsSchema.extend({ reason: AuditReasonSchema.optional(), expected: PlansSettingsSchema.optional() });
export type PlansSaveInput = z.input<typeof PlansSaveInputSchema>;

/** A customer's entitlement now: for per-incident support, with the incidents used this term counted. */
export type Entitlement =
  | { kind: 'none'; plan: Plan | null }
  | { kind: 'per-incident'; plan: Plan; incidentsAllowed: number; incidentsUsed: number }
  | { kind: 'package'; plan: Plan }
  | { kind: 'premium'; plan: Plan };

/**
 * The entitlement of a customer on `plan` who has used `incidentsUsed`
 * support incidents this term; a case with no customer (an unknown author)
 * has none.
 */
export function entitlementOf(customer: { plan: Plan } | null, incidentsUsed = 0, table: PlanEntitlements = DEFAULT_PLAN_ENTITLEMENTS): Entitlement {
  if (!customer) return { kind: 'none', plan: null };
  const plan = customer.plan;
  const e = table[plan];
  switch (e.kind) {
    case 'per-incident':
      return { kind: 'per-incident', plan, incidentsAllowed: e.incidentsPerTerm, incidentsUsed: Math.max(0, Math.floor(incidentsUsed)) };
    case 'none':
      return { kind: 'none', plan };
    default:
      return { kind: e.kind, plan };
  }
}

/** Per-incident support with incidents left this term. */
export const incidentsLeft = (e: Entitlement): number | null => (e.kind === 'per-incident' ? Math.max(0, e.incidentsAllowed - e.incidentsUsed) : null);

/** Whether a new case from this customer may go to support. */
export const hasSupport = (e: Entitlement): boolean => e.kind === 'package' || e.kind === 'premium' || (e.kind === 'per-incident' && incidentsLeft(e)! > 0);

export const RoutingLabelsSchema = z.object({
  /** The name of where cases without support go, as agents read it. */
  service: z.string().trim().min(1).max(60).default('Sales'),
  support: z.string().trim().min(1).max(60).default('Support'),
});
export type RoutingLabels = z.infer<typeof RoutingLabelsSchema>;
export const DEFAULT_ROUTING_LABELS: RoutingLabels = { service: 'Sales', support: 'Support' };

export interface RoutingDecision {
  to: 'support' | 'service';
  /** Counts as one of the customer's per-incident support incidents. */
  consumesIncident: boolean;
  /** Shown on the case: "no support plan: routed to Sales". */
  reason: string;
}

/**
 * Where a new case goes: to support when the customer is entitled to it,
 * else to the service/sales queue, with the reason an agent reads.
 */
export function routeNewCase(entitlement: Entitlement, labels: RoutingLabels = DEFAULT_ROUTING_LABELS): RoutingDecision {
  const toService = (why: string): RoutingDecision => ({ to: 'service', consumesIncident: false, reason: `${why}: routed to ${labels.service}` });
  const toSupport = (why: string, consumesIncident = false): RoutingDecision => ({ to: 'support', consumesIncident, reason: `${why}: routed to ${labels.support}` });
  switch (entitlement.kind) {
    case 'none':
      return toService(entitlement.plan === null ? 'no customer on record' : 'no support plan');
    case 'per-incident': {
      const { incidentsUsed: used, incidentsAllowed: allowed } = entitlement;
      if (used >= allowed) return toService(`per-incident support used up (${used} of ${allowed} incidents this term)`);
      return toSupport(`per-incident support, incident ${used + 1} of ${allowed}`, true);
    }
    case 'package':
      return toSupport('support package');
    case 'premium':
      return toSupport('premium support');
  }
}

/** A short label for the case header and the queue: "premium support", "per-incident support (2 of 3 left)". */
export function entitlementLabel(e: Entitlement): string {
  if (e.kind === 'per-incident') return `${ENTITLEMENT_LABELS[e.kind]} (${incidentsLeft(e)} of ${e.incidentsAllowed} left)`;
  return ENTITLEMENT_LABELS[e.kind];
}
