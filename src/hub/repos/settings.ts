import { eq } from 'drizzle-orm';
import type { Db } from '../db/connect';
import { settings } from '../db/schema';

export async function getSetting(db: Db, key: string): Promise<string | null> {
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  return row?.value ?? null;
}

/** Sets the value unless one exists; returns whichever won (several hubs may race). */
export async function getOrInitSetting(db: Db, key: string, value: string): Promise<string> {
  await db.insert(settings).values({ key, value }).onConflictDoNothing();
  return (await getSetting(db, key)) ?? value;
}
