/**
 * Where SLA policies are stored (migration 18): one row per plan in
 * `sla_policies` ('default' for plans without their own) and a business
 * calendar per queue in `sla_queue_calendars`. Until an admin saves any, the
 * default policy of src/shared/sla.ts applies (24/7, today's targets).
 *
 * A row that no longer passes today's schema is skipped (the default applies)
 * rather than failing every new case.
 */
import { cachedRead } from '../ops/cached-read';
import { eq, inArray } from 'drizzle-orm';
import { type SlaSettings, SlaSettingsSchema } from '../../shared/protocol';
import { type BusinessCalendar, BusinessCalendarSchema, DEFAULT_SLA_POLICY, type SlaPolicies, type SlaPolicy, SlaPolicySchema } from '../../shared/sla';
import type { Plan } from '../../shared/entitlements';
import type { Db } from '../db/connect';
import { slaPolicies, slaQueueCalendars } from '../db/schema';
import { recordAudit } from '../repos/audit';

const DEFAULT_KEY = 'default';

function policiesOf(rows: { plan: string; policy: unknown }[]): SlaPolicies {
  const policies: SlaPolicies = { default: DEFAULT_SLA_POLICY, byPlan: {} };
  for (const row of rows) {
    const parsed = SlaPolicySchema.safeParse(row.policy);
    if (!parsed.success) continue;
    if (row.plan === DEFAULT_KEY) policies.default = parsed.data;
    else policies.byPlan[row.plan as Plan] = parsed.data;
  }
  return policies;
}

function calendarsOf(rows: { queueId: string; calendar: unknown }[]): Record<string, BusinessCalendar> {
  const calendars: Record<string, BusinessCalendar> = {};
  for (const row of rows) {
    const parsed = BusinessCalendarSchema.safeParse(row.calendar);
    if (parsed.success) calendars[row.queueId] = parsed.data;
  }
  return calendars;
}

/** The whole document: what the admin API reads and the watcher uses. */
export async function readSlaSettings(db: Db): Promise<SlaSettings> {
  const [policyRows, calendarRows] = await Promise.all([db.select({ plan: slaPolicies.plan, policy: slaPolicies.policy }).from(slaPolicies), db.select({ queueId: slaQueueCalendars.queueId, calendar: slaQueueCalendars.calendar }).from(slaQueueCalendars)]);
  return { policies: policiesOf(policyRows), queueCalendars: calendarsOf(calendarRows) };
}

/** What one new case needs (read in its own transaction: every hub applies the policy saved last): its plan's policy and its queue's calendar. */
export async function readCaseSla(db: Db, plan: Plan | null, queueId: string): Promise<{ policy: SlaPolicy; queueCalendar: BusinessCalendar | null }> {
  const keys = plan ? [DEFAULT_KEY, plan] : [DEFAULT_KEY];
  const [policyRows, calendarRows] = await Promise.all([
    db.select({ plan: slaPolicies.plan, policy: slaPolicies.policy }).from(slaPolicies).where(inArray(slaPolicies.plan, keys)),
    db.select({ queueId: slaQueueCalendars.queueId, calendar: slaQueueCalendars.calendar }).from(slaQueueCalendars).where(eq(slaQueueCalendars.queueId, queueId)),
  ]);
  const policies = policiesOf(policyRows);
  return { policy: (plan && policies.byPlan[plan]) || policies.default, queueCalendar: calendarsOf(calendarRows)[queueId] ?? null };
}

/** Replaces the document, audited (`sla.update`, before and after, and the admin's reason) in the same transaction. */
export async function writeSlaSettings(db: Db, next: SlaSettings, actorId: string | null, reason: string | null = null): Promise<{ before: SlaSettings; after: SlaSettings }> {
  const after = SlaSettingsSchema.parse(next);
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const before = await readSlaSettings(tx);
    await tx.delete(slaPolicies);
    const rows = [{ plan: DEFAULT_KEY, policy: after.policies.default }, ...Object.entries(after.policies.byPlan).map(([plan, policy]) => ({ plan, policy }))];
    await tx.insert(slaPolicies).values(rows.map((r) => ({ ...r, updatedBy: actorId })));
    await tx.delete(slaQueueCalendars);
    const calendars = Object.entries(after.queueCalendars).map(([queueId, calendar]) => ({ queueId, calendar }));
    if (calendars.length > 0) await tx.insert(slaQueueCalendars).values(calendars);
    await recordAudit(tx, [{ actorId, action: 'sla.update', entity: 'settings', entityId: 'sla-policies', before, after, reason }]);
    return { before, after };
  });
}

/** How long a hub trusts its copy (the watcher's): another hub's save counts within this time. */
export const SLA_SETTINGS_TTL_MS = 5_000;

export interface SlaSettingsSource {
  current(): Promise<SlaSettings>;
  /** Forgets the copy: the next `current()` reads the database. */
  invalidate(): void;
}

/** The document for the watcher's ticks, read at most every `ttlMs` and at once after this hub saved. */
export function slaSettingsSource(db: Db, ttlMs = SLA_SETTINGS_TTL_MS): SlaSettingsSource {
  return cachedRead(() => readSlaSettings(db), ttlMs);
}
