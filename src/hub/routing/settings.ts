/** A queue's routing settings: read, and replaced by admins (audited as a queue change). */
import { eq } from 'drizzle-orm';
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
