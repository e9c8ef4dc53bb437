/** A queue's routing settings: read, and replaced by admins (audited as a queue change). */
import { asc, eq, sql } from 'drizzle-orm';
import type { QueueRoutingView } from '../../shared/protocol';
import type { QueueRouting } from '../../shared/routing';
import type { Db } from '../db/connect';
import { queues } from '../db/schema';
import { writeTransaction } from '../db/write';
import { recordAudit } from '../repos/audit';

export async function setQueueRouting(db: Db, queueId: string, next: QueueRouting, actorId: string, reason: string | null = null): Promise<QueueRouting | null> {
  // The queue row syncs with its mode (consoles show "Next case" by it): a change bumps its version and rev.
  return writeTransaction(db, async (tx) => {
    const [before] = await tx.select({ routing: queues.routing, requiredSkills: queues.requiredSkills, offerSeconds: queues.offerSeconds }).from(queues).where(eq(queues.id, queueId)).for('update');
    if (!before) return null;
    await tx
      .update(queues)
      .set({ ...next, version: sql`${queues.version} + 1`, rev: sql`nextval('rev_seq')`, updatedAt: sql`now()` })
      .where(eq(queues.id, queueId));
    await recordAudit(tx, [{ actorId, action: 'queue.update', entity: 'queue', entityId: queueId, before, after: next, reason }]);
    return next;
  });
}

/** Every queue's routing, for the admin screen (by queue name). */
export async function listQueueRouting(db: Db): Promise<QueueRoutingView[]> {
  const rows = await db.select({ queueId: queues.id, routing: queues.routing, requiredSkills: queues.requiredSkills, offerSeconds: queues.offerSeconds }).from(queues).orderBy(asc(queues.name));
  return rows.map((r) => ({ ...r, routing: r.routing as QueueRoutingView['routing'] }));
}
