/**
 * Settings documents (SLA policies, the plan table) compared by content: a
 * document read back from Postgres jsonb keeps no key order, so the same
 * document must not read as another. The admin screens compare their draft
 * with what the hub keeps; the hub compares the document an admin's draft
 * started from (`expected`) with what it keeps before replacing it.
 */

/** JSON with every object's keys in order: equal for equal documents whatever the key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}

/** Whether two documents say the same (key order aside). */
export const sameDocument = (a: unknown, b: unknown): boolean => stableJson(a) === stableJson(b);
