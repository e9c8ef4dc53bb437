/**
 * What each plan includes (src/shared/entitlements.ts), as the admin set it:
 * one JSON document in the settings table under `plan-entitlements`. Until an
 * admin saves one, DEFAULT_PLAN_ENTITLEMENTS applies, so a hub upgraded in
 * place routes as it did.
 *
 * Opening a case reads it through the case's own transaction (open.ts,
 * `SlaReads.plans`): on the connection that transaction already holds, so
 * PGlite's single connection is never asked twice, and every hub on a shared
 * Postgres applies the table saved last, with no cache to expire.
 */
import { DEFAULT_PLAN_ENTITLEMENTS, type PlanEntitlements, PlanEntitlementsSchema } from '../../shared/entitlements';
import type { Db } from '../db/connect';
import { settings } from '../db/schema';
import { recordAudit } from '../repos/audit';
import { readSettingsDocument, settingsDocumentOf } from '../repos/settings';
import { checkExpected, lockDocument, PLANS_LOCK } from './expected';

export const PLAN_ENTITLEMENTS_KEY = 'plan-entitlements';

/** The stored table, or null when none is stored (or it no longer passes today's schema: the defaults then apply rather than failing every new case). */
const readStored = (db: Db, forUpdate = false): Promise<PlanEntitlements | null> => readSettingsDocument(db, PLAN_ENTITLEMENTS_KEY, PlanEntitlementsSchema, forUpdate);

export async function readPlanEntitlements(db: Db): Promise<PlanEntitlements> {
  return (await readStored(db)) ?? DEFAULT_PLAN_ENTITLEMENTS;
}

/** The table from the settings value as stored (read with other things in one statement: policies.ts). */
export const planEntitlementsOf = (stored: string | null): PlanEntitlements => settingsDocumentOf(stored, PlanEntitlementsSchema) ?? DEFAULT_PLAN_ENTITLEMENTS;

/** The table as flat fields (`plus.kind`, `plus.incidentsPerTerm`): what the audit log compares, as it does the channel settings. */
function flatten(table: PlanEntitlements): Record<string, unknown> {
  const flat: Record<string, unknown> = {};
  for (const [plan, e] of Object.entries(table)) for (const [field, value] of Object.entries(e)) flat[`${plan}.${field}`] = value;
  return flat;
}

/** Only the fields that changed, before and after (a field only one side has is left out of the other). */
export function plansChange(before: PlanEntitlements, after: PlanEntitlements): { before: Record<string, unknown>; after: Record<string, unknown> } {
  const [was, is] = [flatten(before), flatten(after)];
  const changed = [...new Set([...Object.keys(was), ...Object.keys(is)])].filter((key) => JSON.stringify(was[key]) !== JSON.stringify(is[key]));
  const side = (flat: Record<string, unknown>) => Object.fromEntries(changed.filter((key) => key in flat).map((key) => [key, flat[key]]));
  return { before: side(was), after: side(is) };
}

/**
 * Replaces the table, audited (`plans.update`: the changed fields before and after, and the admin's reason) in the same transaction.
 * With `expected` (the table the admin's edit started from), only while that is still the table kept: else DocumentChangedError, nothing written.
 */
export async function writePlanEntitlements(
  db: Db,
  next: PlanEntitlements,
  actorId: string | null,
  reason: string | null = null,
  expected?: PlanEntitlements,
): Promise<{ before: PlanEntitlements; after: PlanEntitlements }> {
  const after = PlanEntitlementsSchema.parse(next);
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await lockDocument(tx, PLANS_LOCK);
    const before = (await readStored(tx, true)) ?? DEFAULT_PLAN_ENTITLEMENTS;
    checkExpected(before, expected);
    const value = JSON.stringify(after);
    await tx.insert(settings).values({ key: PLAN_ENTITLEMENTS_KEY, value }).onConflictDoUpdate({ target: settings.key, set: { value } });
    await recordAudit(tx, [{ actorId, action: 'plans.update', entity: 'settings', entityId: 'plans', ...plansChange(before, after), reason }]);
    return { before, after };
  });
}
