import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Alert, Device, Mention, TelemetryReading } from '../../shared/domain';
import type { Db } from '../db/connect';
import { toDevice } from '../db/rows';
import { alerts, deviceRules, devices, mentions, ruleState, telemetry } from '../db/schema';

export async function findDevice(db: Db, id: string): Promise<(Device & { tokenHash: string }) | null> {
  const [row] = await db.select().from(devices).where(eq(devices.id, id));
  return row ? { ...toDevice(row), tokenHash: row.tokenHash } : null;
}

export async function insertReadings(db: Db, deviceId: string, readings: TelemetryReading[]): Promise<void> {
  await db.insert(telemetry).values(readings.map((r) => ({ deviceId, metric: r.metric, value: r.value, ts: new Date(r.ts) })));
}

export async function countReadings(db: Db, deviceId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(telemetry).where(eq(telemetry.deviceId, deviceId));
  return Number(row?.n ?? 0);
}

/** Records when the device last spoke and its health; bumps version and rev like every synced write. */
export async function markDeviceSeen(db: Db, deviceId: string, at: Date, health: Device['health']): Promise<Device | null> {
  const [row] = await db
    .update(devices)
    .set({
      lastTelemetryAt: at,
      health,
      version: sql`${devices.version} + 1`,
      rev: sql`nextval('rev_seq')`,
      updatedAt: new Date(),
    })
    .where(eq(devices.id, deviceId))
    .returning();
  return row ? toDevice(row) : null;
}

export type Rule = typeof deviceRules.$inferSelect;

/** Enabled rules that apply to this device and metric (device-specific or fleet-wide). */
export async function rulesFor(db: Db, deviceId: string, metric: string): Promise<Rule[]> {
  return db
    .select()
    .from(deviceRules)
    .where(and(eq(deviceRules.enabled, true), eq(deviceRules.metric, metric), or(isNull(deviceRules.deviceId), eq(deviceRules.deviceId, deviceId))));
}

export async function getRuleState(db: Db, ruleId: string, deviceId: string): Promise<{ streak: number; openCaseId: string | null }> {
  const [row] = await db.select().from(ruleState).where(and(eq(ruleState.ruleId, ruleId), eq(ruleState.deviceId, deviceId)));
  return { streak: row?.streak ?? 0, openCaseId: row?.openCaseId ?? null };
}

export async function setRuleState(db: Db, ruleId: string, deviceId: string, streak: number, openCaseId: string | null): Promise<void> {
  await db
    .insert(ruleState)
    .values({ ruleId, deviceId, streak, openCaseId })
    .onConflictDoUpdate({ target: [ruleState.ruleId, ruleState.deviceId], set: { streak, openCaseId } });
}

export async function insertAlert(db: Db, alert: Alert): Promise<void> {
  await db.insert(alerts).values({ ...alert, at: new Date(alert.at) });
}

export async function countAlerts(db: Db, deviceId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(alerts).where(eq(alerts.deviceId, deviceId));
  return Number(row?.n ?? 0);
}

export async function insertMention(db: Db, mention: Mention): Promise<void> {
  await db.insert(mentions).values({ ...mention, at: new Date(mention.at) }).onConflictDoNothing();
}
