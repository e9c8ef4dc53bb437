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
import { sql } from 'drizzle-orm';
import { type SlaSettings, SlaSettingsSchema } from '../../shared/protocol';
import { type BusinessCalendar, BusinessCalendarSchema, caseSlaOf, DEFAULT_SLA_POLICY, type SlaPolicies, type SlaPolicy, SlaPolicySchema } from '../../shared/sla';
import type { Plan, PlanEntitlements } from '../../shared/entitlements';
import type { Db } from '../db/connect';
import { executeRows } from '../db/execute-rows';
import { jsonColumn } from '../db/json-rows';
import { settings, slaPolicies, slaQueueCalendars } from '../db/schema';
import { PLAN_ENTITLEMENTS_KEY, planEntitlementsOf } from './plans';
import { recordAudit } from '../repos/audit';
import { checkExpected, lockDocument, SLA_LOCK } from './expected';

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

/**
 * The whole document, in one statement: what the admin API reads, the watcher uses and a new case's SLA is
 * taken from (readCaseSla). Statements that read it beside their other look-ups select slaDocumentColumns().
 */
export async function readSlaSettings(db: Db): Promise<SlaSettings> {
  const [row] = await executeRows(db, sql`SELECT ${slaDocumentColumns()}`);
  return slaDocumentOf(row!);
}

/** What opening cases reads besides the customer: the transaction's now(), the SLA document, the plan table. */
export interface OpeningContext {
  now: Date;
  sla: SlaSettings;
  plans: PlanEntitlements;
}

/**
 * The opening context as columns of a SELECT (`now`, `policies`, `calendars`, `plans`), read beside the other
 * look-ups of an inbound batch in one statement (repos/inbound.ts readBatchLookups).
 */
export const openingContextColumns = () => sql`now() AS now, ${slaDocumentColumns()},
      (SELECT value FROM ${settings} WHERE key = ${PLAN_ENTITLEMENTS_KEY}) AS plans`;

/** The opening context from a row that selected `openingContextColumns()`. */
export function openingContextOf(row: Record<string, unknown>): OpeningContext {
  return {
    now: new Date(row.now as Date | string),
    sla: slaDocumentOf(row),
    plans: planEntitlementsOf(row.plans as string | null),
  };
}

/** The SLA document as columns of a SELECT (`policies`, `calendars`), to read beside a statement's other look-ups. */
export const slaDocumentColumns = () => sql`(SELECT coalesce(json_agg(json_build_object('plan', plan, 'policy', policy)), '[]'::json) FROM ${slaPolicies}) AS policies,
      (SELECT coalesce(json_agg(json_build_object('queueId', queue_id, 'calendar', calendar)), '[]'::json) FROM ${slaQueueCalendars}) AS calendars`;

/** The SLA document from a row that selected `slaDocumentColumns()`. */
export function slaDocumentOf(row: Record<string, unknown>): SlaSettings {
  return { policies: policiesOf(jsonColumn(row.policies)), queueCalendars: calendarsOf(jsonColumn(row.calendars)) };
}

/** What one new case needs (read in its own transaction: every hub applies the policy saved last): its plan's policy and its queue's calendar. */
export async function readCaseSla(db: Db, plan: Plan | null, queueId: string): Promise<CaseSla> {
  return caseSlaIn(await readSlaSettings(db), plan, queueId);
}

export interface CaseSla {
  policy: SlaPolicy;
  queueCalendar: BusinessCalendar | null;
}

/** A case's SLA in the document: its plan's policy (the same choice the console makes for its countdown, src/shared/sla.ts caseSlaOf) and its queue's calendar. */
export function caseSlaIn(doc: SlaSettings, plan: Plan | null, queueId: string): CaseSla {
  const { policy } = caseSlaOf({ policies: doc.policies, queueCalendars: {} }, plan, queueId);
  return { policy, queueCalendar: doc.queueCalendars[queueId] ?? null };
}

/**
 * Replaces the document, audited (`sla.update`, before and after, and the admin's reason) in the same transaction.
 * With `expected` (the document the admin's edit started from), only while that is still the one kept: else DocumentChangedError (expected.ts), nothing written.
 */
export async function writeSlaSettings(db: Db, next: SlaSettings, actorId: string | null, reason: string | null = null, expected?: SlaSettings): Promise<{ before: SlaSettings; after: SlaSettings }> {
  const after = SlaSettingsSchema.parse(next);
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    await lockDocument(tx, SLA_LOCK);
    const before = await readSlaSettings(tx);
    checkExpected(before, expected);
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
