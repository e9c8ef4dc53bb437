/** Entitlements and the service-vs-support decision for a new case (src/shared/entitlements.ts). */
import { describe, expect, it } from 'vitest';
import { PLANS } from '../../src/shared/domain';
import {
  DEFAULT_PLAN_ENTITLEMENTS,
  entitlementLabel,
  entitlementOf,
  hasSupport,
  incidentsLeft,
  PlanEntitlementsSchema,
  routeNewCase,
  RoutingLabelsSchema,
} from '../../src/shared/entitlements';

describe('entitlementOf', () => {
  it('maps every demo plan to an entitlement, each kind once', () => {
    expect(Object.keys(DEFAULT_PLAN_ENTITLEMENTS).sort()).toEqual([...PLANS].sort());
    expect(PLANS.map((plan) => entitlementOf({ plan }).kind)).toEqual(['none', 'per-incident', 'package', 'premium']);
    expect(PlanEntitlementsSchema.parse(DEFAULT_PLAN_ENTITLEMENTS)).toEqual(DEFAULT_PLAN_ENTITLEMENTS);
  });

  it('counts the incidents of per-incident support', () => {
    expect(entitlementOf({ plan: 'plus' }, 2)).toEqual({ kind: 'per-incident', plan: 'plus', incidentsAllowed: 3, incidentsUsed: 2 });
    expect(incidentsLeft(entitlementOf({ plan: 'plus' }, 2))).toBe(1);
    expect(incidentsLeft(entitlementOf({ plan: 'plus' }, 7))).toBe(0);
    expect(incidentsLeft(entitlementOf({ plan: 'premium' }, 7))).toBeNull();
  });

  it('gives a case with no customer no support', () => {
    expect(entitlementOf(null)).toEqual({ kind: 'none', plan: null });
  });

  it('follows a table an admin edits', () => {
    const table = PlanEntitlementsSchema.parse({ ...DEFAULT_PLAN_ENTITLEMENTS, basic: { kind: 'per-incident', incidentsPerTerm: 1 } });
    expect(entitlementOf({ plan: 'basic' }, 0, table)).toMatchObject({ kind: 'per-incident', incidentsAllowed: 1 });
    expect(PlanEntitlementsSchema.safeParse({ ...DEFAULT_PLAN_ENTITLEMENTS, plus: { kind: 'per-incident' } }).success).toBe(false);
    expect(PlanEntitlementsSchema.safeParse({ ...DEFAULT_PLAN_ENTITLEMENTS, plus: { kind: 'gold' } }).success).toBe(false);
  });
});

describe('routeNewCase: service or support', () => {
  it('sends a customer without support to Sales, with the reason', () => {
    expect(routeNewCase(entitlementOf({ plan: 'basic' }))).toEqual({ to: 'service', consumesIncident: false, reason: 'no support plan: routed to Sales' });
    expect(routeNewCase(entitlementOf(null)).reason).toBe('no customer on record: routed to Sales');
  });

  it('spends a per-incident incident while there is one, then sends to Sales', () => {
    expect(routeNewCase(entitlementOf({ plan: 'plus' }, 0))).toEqual({ to: 'support', consumesIncident: true, reason: 'per-incident support, incident 1 of 3: routed to Support' });
    expect(routeNewCase(entitlementOf({ plan: 'plus' }, 2))).toMatchObject({ to: 'support', consumesIncident: true });
    expect(routeNewCase(entitlementOf({ plan: 'plus' }, 3))).toEqual({ to: 'service', consumesIncident: false, reason: 'per-incident support used up (3 of 3 incidents this term): routed to Sales' });
  });

  it('sends package and premium customers to support without counting', () => {
    expect(routeNewCase(entitlementOf({ plan: 'premium' }, 40))).toEqual({ to: 'support', consumesIncident: false, reason: 'support package: routed to Support' });
    expect(routeNewCase(entitlementOf({ plan: 'enterprise' }))).toEqual({ to: 'support', consumesIncident: false, reason: 'premium support: routed to Support' });
  });

  it('agrees with hasSupport', () => {
    for (const plan of PLANS) for (const used of [0, 2, 3, 9]) {
      const e = entitlementOf({ plan }, used);
      expect(routeNewCase(e).to === 'support').toBe(hasSupport(e));
    }
  });

  it('names the queues as configured', () => {
    const labels = RoutingLabelsSchema.parse({ service: 'Customer service' });
    expect(routeNewCase(entitlementOf({ plan: 'basic' }), labels).reason).toBe('no support plan: routed to Customer service');
    expect(routeNewCase(entitlementOf({ plan: 'premium' }), labels).reason).toBe('support package: routed to Support');
  });
});

describe('entitlementLabel', () => {
  it('reads as agents see it', () => {
    expect(entitlementLabel(entitlementOf({ plan: 'basic' }))).toBe('no support plan');
    expect(entitlementLabel(entitlementOf({ plan: 'plus' }, 1))).toBe('per-incident support (2 of 3 left)');
    expect(entitlementLabel(entitlementOf({ plan: 'enterprise' }))).toBe('premium support');
  });
});
