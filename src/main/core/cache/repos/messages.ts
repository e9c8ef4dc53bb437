import type { Message } from '../../../../shared/domain';
import { epochMs } from '../columns';
import type { CacheDb } from '../database';
import { createDocumentRepo } from './documents';

export function createMessagesRepo(db: CacheDb) {
  const caseOf = db.prepare<[string], { case_id: string }>('SELECT case_id FROM messages WHERE id = ?');
  const ofCase = db.prepare<[string], { data: string }>('SELECT data FROM messages WHERE case_id = ? ORDER BY created_ms, id');
  // Messages written here and not on the hub yet (rev 0) stay: their outbox rows still carry them.
  const removeOfCase = db.prepare<[string]>('DELETE FROM messages WHERE case_id = ? AND rev > 0');
  return {
    ...createDocumentRepo<Message>(db, 'messages', { case_id: (m) => m.caseId, created_ms: (m) => epochMs(m.createdAt), delivery_status: (m) => m.delivery?.status ?? null }),
    /** A case left this console's scope: its conversation goes with it. */
    removeOfCase: (caseId: string): void => void removeOfCase.run(caseId),
    caseOf: (id: string): string | null => caseOf.get(id)?.case_id ?? null,
    /** Oldest first: a conversation reads top to bottom. */
    ofCase: (caseId: string): Message[] => ofCase.all(caseId).map((r) => JSON.parse(r.data) as Message),
  };
}
export type MessagesRepo = ReturnType<typeof createMessagesRepo>;
