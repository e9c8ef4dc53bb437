/** A queue's routing settings: read, and replaced by admins (audited as a queue change). */
import { asc, eq } from 'drizzle-orm';
import type { QueueRoutingView } from '../../shared/protocol';
import type { QueueRouting } from '../../shared/routing';
import type { Db } from '../db/connect';
import { queues } from '../db/schema';
import { recordAudit } from '../repos/audit';

export async function setQueueRouting(db: Db, queueId: string, next: QueueRouting, actorId: string): Promise<QueueRouting | null> {
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [before] = await tx.select({ routing: queues.routing, requiredSkills: queues.requiredSkills, offerSeconds: queues.offerSeconds }).from(queues).where(eq(queues.id, queueId)).for('update');
    if (!before) return null;
    await tx.update(queues).set(next).where(eq(queues.id, queueId));
    await recordAudit(tx, [{ actorId, action: 'queue.update', entity: 'queue', entityId: queueId, before, after: next }]);
    return next;
  });
}

/** Every queue's routing, for the admin screen (by queue name). */
export async function listQueueRouting(db: Db): Promise<QueueRoutingView[]> {
  const rows = await db.select({ queueId: queues.id, routing: queues.routing, requiredSkills: queues.requiredSkills, offerSeconds: queues.offerSeconds }).from(queues).orderBy(asc(queues.name));
  return rows.map((r) => ({ ...r, routing: r.routing as QueueRoutingView['routing'] }));
}
