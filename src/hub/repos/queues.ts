import { asc, eq } from 'drizzle-orm';
import type { Queue } from '../../shared/domain';
import type { Db } from '../db/connect';
import { toQueue } from '../db/rows';
import { queues } from '../db/schema';

export async function listQueues(db: Db): Promise<Queue[]> {
  return (await db.select().from(queues).orderBy(asc(queues.name))).map(toQueue);
}

export async function findQueueByName(db: Db, name: string): Promise<Queue | null> {
  const [row] = await db.select().from(queues).where(eq(queues.name, name));
  return row ? toQueue(row) : null;
}
