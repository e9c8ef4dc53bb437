/** Loads the demo dataset into an empty database; a no-op when it is already there. */
import type { Logger } from 'pino';
import type { Db } from '../db/connect';
import { writeTransaction } from '../db/write';
import { hashDeviceToken } from '../auth/device-tokens';
import { hashPassword } from '../auth/passwords';
import { claimDemoMarker, insertDemoData } from '../repos/demo';
import { getSetting } from '../repos/settings';
import { buildDemoData, DEMO_PASSWORD, demoDeviceToken } from './dataset';

const MARKER = 'demo_loaded_at';

export async function loadDemo(db: Db, log: Logger): Promise<boolean> {
  if (await getSetting(db, MARKER)) return false;
  const data = buildDemoData();
  // Oldest first, so case numbers and revs follow creation time.
  data.cases.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  // argon2 is slow on purpose: hash once for all demo users.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const loaded = await writeTransaction(db, async (tx) => {
    if (!(await claimDemoMarker(tx, MARKER))) return false;
    await insertDemoData(tx, data, passwordHash, (deviceId) => hashDeviceToken(demoDeviceToken(deviceId)));
    return true;
  });
  if (loaded) log.info({ customers: data.customers.length, cases: data.cases.length, devices: data.devices.length }, 'demo dataset loaded');
  return loaded;
}
