/**
 * When the user's scope narrows (a supervisor made an agent, an agent taken
 * out of a queue), the hub cannot send a tombstone for every case they no
 * longer may see. The console marks what it holds, pulls everything again,
 * crosses off each row the hub sends, and then drops the rest — except cases
 * with the user's unsent changes or open conflicts: those stay marked until
 * the hub has answered them (a refusal becomes a notice holding the change),
 * and the end of a later pull drops them.
 */
import type { SyncEntity } from '../../../../shared/protocol';
import type { CacheDb } from '../database';

const TABLE = { case: 'cases', message: 'messages', customer: 'customers', device: 'devices', mention: 'mentions' } as const;
const MARKED = Object.keys(TABLE) as (keyof typeof TABLE)[];

export function createRescopeRepo(db: CacheDb) {
  // Rows born here (rev 0) are not the hub's to confirm.
  const mark = MARKED.map((entity) => db.prepare(`INSERT OR IGNORE INTO unconfirmed (entity, id) SELECT '${entity}', id FROM ${TABLE[entity]} WHERE rev > 0`));
  const pending = db.prepare('SELECT EXISTS (SELECT 1 FROM unconfirmed) AS pending');
  const confirm = db.prepare<[string, string]>('DELETE FROM unconfirmed WHERE entity = ? AND id = ?');
  const worked = `SELECT entity_id FROM outbox WHERE acked_version IS NULL UNION SELECT case_id FROM conflicts`;
  const droppable = db.prepare<[], { id: string }>(`SELECT id FROM unconfirmed WHERE entity = 'case' AND id NOT IN (${worked})`);
  const drop = [
    db.prepare(`DELETE FROM cases WHERE id IN (SELECT id FROM unconfirmed WHERE entity = 'case') AND id NOT IN (${worked})`),
    // A kept case keeps its conversation.
    db.prepare(`DELETE FROM messages WHERE id IN (SELECT id FROM unconfirmed WHERE entity = 'message') AND case_id NOT IN (SELECT id FROM cases)`),
    db.prepare(`DELETE FROM customers WHERE id IN (SELECT id FROM unconfirmed WHERE entity = 'customer')`),
    db.prepare(`DELETE FROM devices WHERE id IN (SELECT id FROM unconfirmed WHERE entity = 'device')`),
    // A mention this user's convert or dismiss still waits on stays until the hub has answered it.
    db.prepare(`DELETE FROM mentions WHERE id IN (SELECT id FROM unconfirmed WHERE entity = 'mention') AND id NOT IN (${worked})`),
    // Marks stay only on what was kept.
    db.prepare(
      `DELETE FROM unconfirmed WHERE NOT ((entity = 'case' AND id IN (SELECT id FROM cases)) OR (entity = 'message' AND id IN (SELECT id FROM messages))
         OR (entity = 'mention' AND id IN (SELECT id FROM mentions)))`,
    ),
  ];
  const clear = db.prepare('DELETE FROM unconfirmed');

  return {
    /** Marks every synced case, message, customer, device and mention as not yet sent again. */
    markAll: (): void => void mark.forEach((statement) => statement.run()),
    /** True while a full pull after a scope change has not finished, or cases it kept for the user's unsent work are still marked. */
    active: (): boolean => (pending.get() as { pending: number }).pending === 1,
    confirm(entity: SyncEntity, id: string): void {
      if (entity in TABLE) confirm.run(entity, id);
    },
    /** Drops what the full pull did not send again, but for cases with the user's unsent work; returns the ids of the cases dropped. */
    dropUnconfirmed(): string[] {
      const dropped = droppable.all().map((r) => r.id);
      for (const statement of drop) statement.run();
      return dropped;
    },
    clear: (): void => void clear.run(),
  };
}
