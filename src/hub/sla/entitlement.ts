/**
 * Entitlement routing when a case opens (src/shared/entitlements.ts decides;
 * this reads and writes what it needs): a customer without support — no
 * support plan, or per-incident support used up this term — goes to the
 * service queue (the routing label, "Sales"), with the reason written on the
 * case as a note the agent reads; a per-incident customer's case that goes to
 * support takes one incident, counted in `support_incidents`.
 *
 * Only cases bound for the support queue (the routing label "Support") are
 * decided here: social, billing and device queues serve anyone.
 *
 * A term is the contract year: from the anniversary of the customer's record
 * (the demo has no contract dates).
 */
import { and, count, eq, gte, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { DEFAULT_ROUTING_LABELS, type Entitlement, entitlementOf, type Plan, type PlanEntitlements, routeNewCase, type RoutingLabels } from '../../shared/entitlements';
import type { Db } from '../db/connect';
import { customers, messages, queues, supportIncidents } from '../db/schema';
import { readPlanEntitlements } from './plans';

/** The last anniversary of `start` at or before `now` (29 February falls on 28 February in other years). */
export function termStart(start: Date, now: Date): Date {
  const at = (year: number) => {
    const day = Math.min(start.getUTCDate(), new Date(Date.UTC(year, start.getUTCMonth() + 1, 0)).getUTCDate());
    return new Date(Date.UTC(year, start.getUTCMonth(), day, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()));
  };
  if (start > now) return start;
  const thisYear = at(now.getUTCFullYear());
  return thisYear <= now ? thisYear : at(now.getUTCFullYear() - 1);
}

/** Incidents the customer used this term. */
export async function incidentsUsed(db: Db, customerId: string, since: Date): Promise<number> {
  const [row] = await db.select({ n: count() }).from(supportIncidents).where(and(eq(supportIncidents.customerId, customerId), gte(supportIncidents.at, since)));
  return Number(row?.n ?? 0);
}

export interface EntitlementRouting {
  /** Where the case goes: the queue asked for, or the service queue. */
  queueId: string;
  entitlement: Entitlement;
  /** What the note on the case says; null when there is nothing to tell (support package, premium). */
  note: string | null;
  /** The case took one of the customer's per-incident incidents. */
  counted: boolean;
}

/**
 * Decides and counts, in the case's transaction (the customer's row is locked
 * so two cases opening at once cannot both take the last incident). The
 * customer must be written already; the case need not be. What each plan
 * includes is the admin's table (plans.ts), read through `db` unless the
 * caller's transaction has it already (`plans`, asked only for a case bound
 * for support).
 */
export async function routeByEntitlement(
  db: Db,
  opts: { caseId: string; customerId: string | null; queueId: string; at?: Date; labels?: RoutingLabels; plans?: () => Promise<PlanEntitlements>; queueName?: (queueId: string) => Promise<string | null> },
): Promise<EntitlementRouting> {
  const at = opts.at ?? new Date();
  const labels = opts.labels ?? DEFAULT_ROUTING_LABELS;
  // Only a case bound for support is a support incident; other queues (social, billing, devices) serve anyone.
  const name = opts.queueName ? await opts.queueName(opts.queueId) : (await db.select({ name: queues.name }).from(queues).where(eq(queues.id, opts.queueId)))[0]?.name;
  if (!name || name.toLowerCase() !== labels.support.toLowerCase()) return { queueId: opts.queueId, entitlement: entitlementOf(null), note: null, counted: false };
  let customer: { id: string; plan: Plan; createdAt: Date } | null = null;
  if (opts.customerId) {
    const [row] = await db.select({ id: customers.id, plan: customers.plan, planOnRecord: customers.planOnRecord, createdAt: customers.createdAt }).from(customers).where(eq(customers.id, opts.customerId)).for('update');
    // Made from an unknown author: the plan is a placeholder, so nothing is known to route by.
    if (row && !row.planOnRecord) return { queueId: opts.queueId, entitlement: entitlementOf(null), note: null, counted: false };
    if (row) customer = { id: row.id, plan: row.plan as Plan, createdAt: row.createdAt };
  }
  const [used, table] = await Promise.all([customer ? incidentsUsed(db, customer.id, termStart(customer.createdAt, at)) : 0, opts.plans ? opts.plans() : readPlanEntitlements(db)]);
  const entitlement = entitlementOf(customer, used, table);
  const decision = routeNewCase(entitlement, labels);
  if (decision.to === 'service') {
    const [service] = await db.select({ id: queues.id }).from(queues).where(sql`lower(${queues.name}) = lower(${labels.service})`);
    const plan = customer ? ` (${customer.plan} plan)` : '';
    if (!service) return { queueId: opts.queueId, entitlement, note: `${decision.reason}${plan} — no ${labels.service} queue exists, so it stays here`, counted: false };
    return { queueId: service.id, entitlement, note: `${decision.reason}${plan}`, counted: false };
  }
  if (decision.consumesIncident && customer) {
    const inserted = await db.insert(supportIncidents).values({ caseId: opts.caseId, customerId: customer.id, at }).onConflictDoNothing().returning({ caseId: supportIncidents.caseId });
    return { queueId: opts.queueId, entitlement, note: decision.reason, counted: inserted.length > 0 };
  }
  return { queueId: opts.queueId, entitlement, note: null, counted: false };
}

/** The note that tells the agent why the case is where it is (written after the case). */
export function routingNote(caseId: string, channel: string, note: string) {
  return { id: uuidv7(), caseId, direction: 'note' as const, channel, author: 'Switchboard', body: note, externalId: null, attachments: [] };
}

/** Writes the note in `db` once the case exists. */
export async function writeRoutingNote(db: Db, caseId: string, channel: string, note: string | null): Promise<void> {
  if (note) await db.insert(messages).values(routingNote(caseId, channel, note));
}
