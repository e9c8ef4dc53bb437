import type { Message } from '../../../../shared/domain';
import { epochMs } from '../columns';
import type { CacheDb } from '../database';
import { createDocumentRepo } from './documents';

export function createMessagesRepo(db: CacheDb) {
  const caseOf = db.prepare<[string], { case_id: string }>('SELECT case_id FROM messages WHERE id = ?');
  const ofCase = db.prepare<[string], { data: string }>('SELECT data FROM messages WHERE case_id = ? ORDER BY created_ms, id');
  return {
    ...createDocumentRepo<Message>(db, 'messages', { case_id: (m) => m.caseId, created_ms: (m) => epochMs(m.createdAt) }),
    caseOf: (id: string): string | null => caseOf.get(id)?.case_id ?? null,
    /** Oldest first: a conversation reads top to bottom. */
    ofCase: (caseId: string): Message[] => ofCase.all(caseId).map((r) => JSON.parse(r.data) as Message),
  };
}
export type MessagesRepo = ReturnType<typeof createMessagesRepo>;
