/**
 * What each customer plan includes (src/shared/entitlements.ts), as the hub last said it: the queue's
 * priority score weighs the entitlement, so this console scores by the table an admin saved, offline too.
 * Kept in meta; held in memory as well, since every case written is scored with it.
 */
import { DEFAULT_PLAN_ENTITLEMENTS, type PlanEntitlements, PlanEntitlementsSchema } from '../../../../shared/entitlements';
import type { MetaRepo } from './meta';

export function createPlansRepo(meta: MetaRepo) {
  let raw = meta.get('plans');
  let current = stored(raw);
  return {
    current: (): PlanEntitlements => current,
    /** Takes up what another connection kept (the pull thread scores the rows it writes by the table in force). */
    reload(): void {
      const now = meta.get('plans');
      if (now === raw) return;
      raw = now;
      current = stored(now);
    },
    /** Keeps the hub's table; true when it differs from the one in force. */
    keep(table: PlanEntitlements): boolean {
      const value = JSON.stringify(table);
      if (value === JSON.stringify(current)) return false;
      meta.set('plans', value);
      raw = value;
      current = table;
      return true;
    },
  };
}

/** Before the hub first said (or if what was kept no longer parses): the defaults, as the hub's own. */
function stored(raw: string | null): PlanEntitlements {
  if (!raw) return DEFAULT_PLAN_ENTITLEMENTS;
  try {
    return PlanEntitlementsSchema.parse(JSON.parse(raw));
  } catch {
    return DEFAULT_PLAN_ENTITLEMENTS;
  }
}
