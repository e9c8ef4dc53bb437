/** Loads the demo dataset into an empty database; a no-op when it is already there. */
import type { Logger } from 'pino';
import type { Db } from '../db/connect';
import { writeTransaction } from '../db/write';
import { hashPassword } from '../auth/passwords';
import { hashDeviceToken } from '../auth/device-tokens';
import { getSetting } from '../repos/settings';
import * as s from '../db/schema';
import { buildDemoData, DEMO_PASSWORD, demoDeviceToken } from './dataset';

const MARKER = 'demo_loaded_at';

export async function loadDemo(db: Db, log: Logger): Promise<boolean> {
  if (await getSetting(db, MARKER)) return false;
  const data = buildDemoData();
  // Hashing is slow on purpose: once for all demo users.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await writeTransaction(db, async (tx) => {
    const claimed = await tx.insert(s.settings).values({ key: MARKER, value: new Date().toISOString() }).onConflictDoNothing().returning();
    if (claimed.length === 0) return; // another hub loaded it meanwhile
    await tx.insert(s.queues).values(data.queues);
    await tx.insert(s.users).values(data.users.map(({ queues: _q, ...u }) => ({ ...u, passwordHash })));
    const members = data.users.flatMap((u) => u.queues.map((queueId) => ({ queueId, userId: u.id })));
    if (members.length) await tx.insert(s.queueMembers).values(members);
    await tx.insert(s.customers).values(data.customers);
    await tx.insert(s.devices).values(data.devices.map((d) => ({ ...d, tokenHash: hashDeviceToken(demoDeviceToken(d.id)) })));
    await tx.insert(s.deviceRules).values(data.rules.map((r) => ({ ...r, enabled: true })));
    // Oldest first, so case numbers and revs follow creation time.
    const cases = [...data.cases].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    for (const c of cases) await tx.insert(s.cases).values(c);
    for (let i = 0; i < data.messages.length; i += 500) await tx.insert(s.messages).values(data.messages.slice(i, i + 500));
  });
  log.info({ customers: data.customers.length, cases: data.cases.length }, 'demo dataset loaded');
  return true;
}
