/**
 * What the rules engine needs stored: the brand's rules document (one row,
 * versioned), each device's engine state, the open case of each rule and
 * subject ("join instead of opening another"), and the firings.
 */
import { and, asc, count, eq, notInArray, type SQL, sql } from 'drizzle-orm';
import { type Case, DONE_STATUSES, type Priority } from '../../shared/domain';
import type { Plan, PlanEntitlements } from '../../shared/entitlements';
import { entitlementOf } from '../../shared/entitlements';
import { readPlanEntitlements } from '../sla/plans';
import { type OpeningContext, openingContextColumns, openingContextOf } from '../sla/policies';
import { jsonColumn, rowFromJson } from '../db/json-rows';
import type { RuleFiring } from '../../shared/rules';
import type { Db } from '../db/connect';
import type { HeldRows } from '../db/held-rows';
import { toCase } from '../db/rows';
import { caseChanges, cases, customers, deviceRuleStates, queues, ruleFirings, ruleOpenCases, rulesDocuments } from '../db/schema';
import type { CustomerFacts, DeviceState } from '../rules';
import type { RulesFormat } from '../rules/load';
import { executeRows } from '../db/execute-rows';

export interface StoredRules {
  brand: string;
  format: RulesFormat;
  source: string;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
}

export async function readRulesDocument(db: Db, brand: string): Promise<StoredRules | null> {
  const [row] = await db.select().from(rulesDocuments).where(eq(rulesDocuments.brand, brand));
  return row ? { ...row, format: row.format as RulesFormat, updatedAt: row.updatedAt.toISOString() } : null;
}

export async function rulesVersion(db: Db, brand: string): Promise<number | null> {
  const [row] = await db.select({ version: rulesDocuments.version }).from(rulesDocuments).where(eq(rulesDocuments.brand, brand));
  return row?.version ?? null;
}

/** Replaces the document (locked, so two saves at once give versions n+1 and n+2), returning what it replaced. */
export async function writeRulesDocument(tx: Db, brand: string, next: { format: RulesFormat; source: string }, actorId: string | null): Promise<{ before: StoredRules | null; after: StoredRules }> {
  const [locked] = await tx.select().from(rulesDocuments).where(eq(rulesDocuments.brand, brand)).for('update');
  const before = locked ? { ...locked, format: locked.format as RulesFormat, updatedAt: locked.updatedAt.toISOString() } : null;
  const version = (before?.version ?? 0) + 1;
  const [row] = await tx
    .insert(rulesDocuments)
    .values({ brand, ...next, version, updatedBy: actorId })
    .onConflictDoUpdate({ target: rulesDocuments.brand, set: { ...next, version, updatedBy: actorId, updatedAt: new Date() } })
    .returning();
  return { before, after: { ...row!, format: row!.format as RulesFormat, updatedAt: row!.updatedAt.toISOString() } };
}

/** The device's engine state, written with the rest of its transaction. */
export function holdDeviceState(writes: HeldRows, state: DeviceState): void {
  writes.insert(deviceRuleStates, { deviceId: state.deviceId, state }, { onConflict: 'ON CONFLICT (device_id) DO UPDATE SET state = excluded.state, updated_at = now()', key: state.deviceId });
}

/** Every device's state, for the silence tick (a row per device, no history). */
export async function allDeviceStates(tx: Db): Promise<DeviceState[]> {
  const rows = await tx.select({ state: deviceRuleStates.state }).from(deviceRuleStates).orderBy(asc(deviceRuleStates.deviceId));
  return rows.map((r) => r.state as DeviceState);
}

/** The case this rule opened for this subject, if it is still being worked. */
export async function openCaseOfRule(tx: Db, ruleId: string, subjectKey: string): Promise<Case | null> {
  const [row] = await tx
    .select({ case: cases })
    .from(ruleOpenCases)
    .innerJoin(cases, eq(cases.id, ruleOpenCases.caseId))
    .where(and(eq(ruleOpenCases.ruleId, ruleId), eq(ruleOpenCases.subjectKey, subjectKey), notInArray(cases.status, [...DONE_STATUSES])));
  return row ? toCase(row.case) : null;
}

/** Devices with a case a rule opened that is still being worked (the demo feed leaves them alone). */
export async function devicesWithOpenRuleCase(db: Db): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ key: ruleOpenCases.subjectKey })
    .from(ruleOpenCases)
    .innerJoin(cases, eq(cases.id, ruleOpenCases.caseId))
    .where(and(sql`${ruleOpenCases.subjectKey} LIKE 'device:%'`, notInArray(cases.status, [...DONE_STATUSES])));
  return new Set(rows.map((r) => r.key.slice('device:'.length)));
}

export type FiringOutcome = RuleFiring['outcome'];

/** The firings recorded on a case, oldest first. */
export async function firingsOfCase(db: Db, caseId: string): Promise<RuleFiring[]> {
  const rows = await db.select().from(ruleFirings).where(eq(ruleFirings.caseId, caseId)).orderBy(asc(ruleFirings.at), asc(ruleFirings.id));
  return rows.map((r) => ({ id: r.id, ruleId: r.ruleId, ruleName: r.ruleName, kind: r.kind, outcome: r.outcome as FiringOutcome, because: r.because, at: r.at.toISOString() }));
}

/** Queue ids by name, for the actions that name a queue. */
export async function queueIdsByName(tx: Db): Promise<Map<string, string>> {
  const rows = await tx.select({ id: queues.id, name: queues.name }).from(queues);
  return new Map(rows.map((r) => [r.name, r.id]));
}

/** What a rule's conditions may read about a customer. */
export async function customerFacts(tx: Db, customerId: string | null): Promise<CustomerFacts | null> {
  if (!customerId) return null;
  const [[row], plans] = await Promise.all([
    tx
      .select({ id: customers.id, name: customers.name, plan: customers.plan, lifetimeValue: customers.lifetimeValue, openCases: count(cases.id) })
      .from(customers)
      .leftJoin(cases, and(eq(cases.customerId, customers.id), notInArray(cases.status, [...DONE_STATUSES])))
      .where(eq(customers.id, customerId))
      .groupBy(customers.id),
    readPlanEntitlements(tx),
  ]);
  return row ? factsOf(row, plans) : null;
}

/**
 * The customer facts of `customerId` (SQL: a customer's id) as one JSON column, for a look-up statement that
 * reads them beside other things; `customerFactsOf` decodes it with the plan table read beside it.
 */
export const customerFactsColumn = (customerId: SQL) => sql`(SELECT json_build_object('id', c.id, 'name', c.name, 'plan', c.plan, 'lifetimeValue', c.lifetime_value,
        'openCases', (SELECT count(*) FROM ${cases} k WHERE k.customer_id = c.id AND k.status <> ALL(${sql.param([...DONE_STATUSES])}::text[])))
      FROM ${customers} c WHERE c.id = ${customerId})`;

export function customerFactsOf(json: unknown, plans: PlanEntitlements): CustomerFacts | null {
  const row = jsonColumn<{ id: string; name: string; plan: string; lifetimeValue: number; openCases: number } | null>(json);
  return row ? factsOf(row, plans) : null;
}

function factsOf(row: { id: string; name: string; plan: string; lifetimeValue: number; openCases: number | string }, plans: PlanEntitlements): CustomerFacts {
  const plan = row.plan as Plan;
  // The entitlement by the plan table in force, as routing and the queue's score read it.
  return { id: row.id, name: row.name, plan, entitlement: entitlementOf({ plan }, 0, plans).kind, lifetimeValue: Number(row.lifetimeValue), openCases: Number(row.openCases) };
}

/** What firings ask before they are carried out, read by `readFiringContext`. */
export interface FiringContext {
  /** The (rule, subject) pairs asked (`openedKey`), and the open case of each that has one still being worked. */
  asked: Set<string>;
  openCases: Map<string, Case>;
  /** Every queue: id by name, and name by id. */
  queueIds: Map<string, string>;
  queueNames: Map<string, string>;
  /** What opening a case reads (the clock, the policies, the plan table), when asked for. */
  opening: OpeningContext | null;
}

export const openedKey = (ruleId: string, subjectKey: string) => `${ruleId}\u0000${subjectKey}`;

/** Everything firings of one transaction read, in ONE statement: a statement is a round trip to the database. */
export async function readFiringContext(tx: Db, ask: { openCases: { ruleId: string; subjectKey: string }[]; opening: boolean }): Promise<FiringContext> {
  const result = await executeRows(tx, sql`
    SELECT
      (SELECT coalesce(json_agg(json_build_array(o.rule_id, o.subject_key, to_jsonb(c))), '[]'::json)
        FROM ${ruleOpenCases} o JOIN ${cases} c ON c.id = o.case_id
        WHERE (o.rule_id, o.subject_key) IN (SELECT * FROM unnest(${sql.param(ask.openCases.map((o) => o.ruleId))}::text[], ${sql.param(ask.openCases.map((o) => o.subjectKey))}::text[]))
          AND c.status <> ALL(${sql.param([...DONE_STATUSES])}::text[])) AS open_cases,
      (SELECT coalesce(json_agg(json_build_array(q.id, q.name)), '[]'::json) FROM ${queues} q) AS queues
      ${ask.opening ? sql`, ${openingContextColumns()}` : sql``}
  `);
  const row = result[0]!;
  const queueRows = jsonColumn<[string, string][]>(row.queues);
  return {
    asked: new Set(ask.openCases.map((o) => openedKey(o.ruleId, o.subjectKey))),
    openCases: new Map(jsonColumn<[string, string, Record<string, unknown>][]>(row.open_cases).map(([ruleId, subjectKey, c]) => [openedKey(ruleId, subjectKey), toCase(rowFromJson(cases, c))])),
    queueIds: new Map(queueRows.map(([id, name]) => [name, id])),
    queueNames: new Map(queueRows),
    opening: ask.opening ? openingContextOf(row) : null,
  };
}

/**
 * A rule's set_priority and add_tags on a case, or its open_case routing a case a message just opened to
 * another queue: a new version, recorded as the hub's change (a console's edit meets it as a conflict).
 */
export async function changeCaseByRule(tx: Db, caseRow: Case, change: { priority?: Priority; tags?: string[]; queueId?: string }): Promise<Case> {
  const fields: { priority?: Priority; tags?: string[]; queueId?: string } = {};
  if (change.priority && change.priority !== caseRow.priority) fields.priority = change.priority;
  if (change.queueId && change.queueId !== caseRow.queueId) fields.queueId = change.queueId;
  if (change.tags) {
    const merged = [...new Set([...caseRow.tags, ...change.tags])];
    if (merged.length !== caseRow.tags.length) fields.tags = merged;
  }
  if (Object.keys(fields).length === 0) return caseRow;
  const version = caseRow.version + 1;
  const [row] = await tx
    .update(cases)
    .set({ ...fields, version, rev: sql`nextval('rev_seq')`, updatedAt: new Date() })
    .where(eq(cases.id, caseRow.id))
    .returning();
  await tx.insert(caseChanges).values({ caseId: caseRow.id, version, fields, userId: null });
  return toCase(row!);
}
