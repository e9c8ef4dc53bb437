import { asc, eq, sql } from 'drizzle-orm';
import type { Alert, Device, TelemetryReading } from '../../shared/domain';
import type { Plan } from '../../shared/entitlements';
import type { Db } from '../db/connect';
import type { HeldRows } from '../db/held-rows';
import { jsonColumn, rowFromJson } from '../db/json-rows';
import { toDevice } from '../db/rows';
import { alerts, customers, deviceRuleStates, devices, settings, telemetry } from '../db/schema';
import type { CustomerFacts, DeviceState } from '../rules';
import { PLAN_ENTITLEMENTS_KEY, planEntitlementsOf } from '../sla/plans';
import { customerFactsColumn, customerFactsOf } from './rules';
import { executeRows } from '../db/execute-rows';

export async function findDevice(db: Db, id: string): Promise<(Device & { tokenHash: string }) | null> {
  const [row] = await db.select().from(devices).where(eq(devices.id, id));
  return row ? { ...toDevice(row), tokenHash: row.tokenHash } : null;
}

export async function deviceExists(db: Db, id: string): Promise<boolean> {
  const [row] = await db.select({ id: devices.id }).from(devices).where(eq(devices.id, id));
  return row !== undefined;
}

export type NewDevice = Pick<typeof devices.$inferInsert, 'id' | 'model' | 'serial' | 'ownerId' | 'tokenHash'>;

export async function insertDevice(db: Db, device: NewDevice): Promise<Device> {
  const [row] = await db.insert(devices).values({ ...device, health: 'ok' }).returning();
  if (!row) throw new Error('device insert returned nothing');
  return toDevice(row);
}

/** Readings, written with the rest of their transaction in the given order. */
export function holdReadings(writes: HeldRows, deviceId: string, readings: TelemetryReading[]): void {
  for (const r of readings) writes.insert(telemetry, { deviceId, metric: r.metric, value: r.value, ts: new Date(r.ts) });
}

/**
 * What a device's readings are judged with, in ONE statement: the device, its engine state, its owner's plan
 * (the SLA policy of a case it opens) and — when a rule reads them — the owner's facts with the plan table.
 * Null: no such device.
 */
export async function readReadingContext(
  db: Db,
  deviceId: string,
  opts: { customer: boolean },
): Promise<{ device: Device; state: DeviceState | null; ownerPlan: Plan | null; customer: CustomerFacts | null } | null> {
  const result = await executeRows(db, sql`
    SELECT to_jsonb(d) AS device, (SELECT s.state FROM ${deviceRuleStates} s WHERE s.device_id = d.id) AS state,
      (SELECT o.plan FROM ${customers} o WHERE o.id = d.owner_id) AS owner_plan
      ${opts.customer ? sql`, ${customerFactsColumn(sql`d.owner_id`)} AS customer, (SELECT value FROM ${settings} WHERE key = ${PLAN_ENTITLEMENTS_KEY}) AS plans` : sql``}
    FROM ${devices} d WHERE d.id = ${deviceId}
  `);
  const row = result[0];
  if (!row) return null;
  return {
    device: toDevice(rowFromJson(devices, jsonColumn(row.device))),
    state: row.state === null || row.state === undefined ? null : jsonColumn<DeviceState>(row.state),
    ownerPlan: (row.owner_plan as Plan | null) ?? null,
    customer: opts.customer ? customerFactsOf(row.customer, planEntitlementsOf(row.plans as string | null)) : null,
  };
}

export async function countReadings(db: Db, deviceId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(telemetry).where(eq(telemetry.deviceId, deviceId));
  return Number(row?.n ?? 0);
}

/** When the device last spoke and its health, written with its readings; bumps version and rev like every synced write. */
export function holdDeviceSeen(writes: HeldRows, deviceId: string, at: Date, health: Device['health']): void {
  writes.statement(
    // A late, older batch must not move the clock back.
    sql`UPDATE ${devices} SET last_telemetry_at = greatest(last_telemetry_at, ${at.toISOString()}::timestamptz), health = ${health},
      version = version + 1, rev = nextval('rev_seq'), updated_at = now() WHERE id = ${deviceId}`,
  );
}

export function holdAlert(writes: HeldRows, alert: Alert): void {
  writes.insert(alerts, { ...alert, at: new Date(alert.at) });
}

export async function countAlerts(db: Db, deviceId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(alerts).where(eq(alerts.deviceId, deviceId));
  return Number(row?.n ?? 0);
}

export async function listDeviceIds(db: Db): Promise<string[]> {
  const rows = await db.select({ id: devices.id }).from(devices).orderBy(asc(devices.id));
  return rows.map((r) => r.id);
}

