import { asc, eq, sql } from 'drizzle-orm';
import type { Alert, Device, TelemetryReading } from '../../shared/domain';
import type { Db } from '../db/connect';
import { toDevice } from '../db/rows';
import { alerts, devices, telemetry } from '../db/schema';

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

/** Stores readings in the given order; returns their row ids in that order. */
export async function insertReadings(db: Db, deviceId: string, readings: TelemetryReading[]): Promise<number[]> {
  const rows = await db
    .insert(telemetry)
    .values(readings.map((r) => ({ deviceId, metric: r.metric, value: r.value, ts: new Date(r.ts) })))
    .returning({ id: telemetry.id });
  // Ids come from one sequence in VALUES order; sorting guards against RETURNING order, which SQL leaves open.
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
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
      // A late, older batch must not move the clock back.
      lastTelemetryAt: sql`greatest(${devices.lastTelemetryAt}, ${at.toISOString()}::timestamptz)`,
      health,
      version: sql`${devices.version} + 1`,
      rev: sql`nextval('rev_seq')`,
      updatedAt: new Date(),
    })
    .where(eq(devices.id, deviceId))
    .returning();
  return row ? toDevice(row) : null;
}

export async function insertAlert(db: Db, alert: Alert): Promise<void> {
  await db.insert(alerts).values({ ...alert, at: new Date(alert.at) });
}

export async function countAlerts(db: Db, deviceId: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(alerts).where(eq(alerts.deviceId, deviceId));
  return Number(row?.n ?? 0);
}

export async function listDeviceIds(db: Db): Promise<string[]> {
  const rows = await db.select({ id: devices.id }).from(devices).orderBy(asc(devices.id));
  return rows.map((r) => r.id);
}

