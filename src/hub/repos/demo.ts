/** Bulk writes of the demo dataset; called inside one write transaction. */
import { isNotNull } from 'drizzle-orm';
import type { Db } from '../db/connect';
import * as s from '../db/schema';
import type { DemoData } from '../demo/dataset';

const BATCH = 500;

async function insertInBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

/** Claims the demo marker; false when the dataset is already there (possibly loaded by another hub). */
export async function claimDemoMarker(db: Db, key: string): Promise<boolean> {
  const claimed = await db.insert(s.settings).values({ key, value: new Date().toISOString() }).onConflictDoNothing().returning();
  return claimed.length > 0;
}

export async function insertDemoData(db: Db, data: DemoData, passwordHash: string, deviceTokenHash: (deviceId: string) => string): Promise<void> {
  await db.insert(s.queues).values(data.queues);
  await db.insert(s.users).values(data.users.map(({ queues: _queues, ...user }) => ({ ...user, passwordHash })));
  const members = data.users.flatMap((u) => u.queues.map((queueId) => ({ queueId, userId: u.id })));
  if (members.length > 0) await db.insert(s.queueMembers).values(members);
  await db.insert(s.customers).values(data.customers);
  await db.insert(s.devices).values(data.devices.map((d) => ({ ...d, tokenHash: deviceTokenHash(d.id) })));
  // Postgres evaluates the number and rev defaults row by row in VALUES order, so the order given here is the order they get.
  await insertInBatches(data.cases, (batch) => db.insert(s.cases).values(batch));
  await insertInBatches(data.messages, (batch) => db.insert(s.messages).values(batch));
  await db.insert(s.articles).values(data.articles);
  await db.insert(s.channelQueues).values(data.channelQueues);
  // Two demo customers may share a handle: the first keeps it.
  await insertInBatches(data.identities, (batch) => db.insert(s.customerIdentities).values(batch).onConflictDoNothing());
  if (data.phoneNumbers.length > 0) await db.insert(s.phoneNumbers).values(data.phoneNumbers);
}

/** Some customers' phone numbers, for the demo feed's calls. */
export async function customerPhones(db: Db, limit: number): Promise<string[]> {
  const rows = await db.select({ phone: s.customers.phone }).from(s.customers).where(isNotNull(s.customers.phone)).limit(limit);
  return rows.map((r) => r.phone!);
}
