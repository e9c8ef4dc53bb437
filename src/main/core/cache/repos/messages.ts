import type { Message } from '../../../../shared/domain';
import { epochMs } from '../columns';
import type { CacheDb } from '../database';

export function createMessagesRepo(db: CacheDb) {
  const upsert = db.prepare<{ id: string; rev: number; caseId: string; createdMs: number; data: string }>(`
    INSERT INTO messages (id, rev, case_id, created_ms, data) VALUES (@id, @rev, @caseId, @createdMs, @data)
    ON CONFLICT(id) DO UPDATE SET rev = excluded.rev, case_id = excluded.case_id, created_ms = excluded.created_ms, data = excluded.data
    WHERE excluded.rev > messages.rev OR (excluded.rev = messages.rev AND excluded.data <> messages.data)`);
  const remove = db.prepare<[string, number]>('DELETE FROM messages WHERE id = ? AND rev <= ?');
  const caseOf = db.prepare<[string], { case_id: string }>('SELECT case_id FROM messages WHERE id = ?');
  const ofCase = db.prepare<[string], { data: string }>('SELECT data FROM messages WHERE case_id = ? ORDER BY created_ms, id');
  const clear = db.prepare('DELETE FROM messages');
  return {
    upsert: (row: Message, rev: number): boolean =>
      upsert.run({ id: row.id, rev, caseId: row.caseId, createdMs: epochMs(row.createdAt), data: JSON.stringify(row) }).changes > 0,
    remove: (id: string, rev: number): boolean => remove.run(id, rev).changes > 0,
    caseOf: (id: string): string | null => caseOf.get(id)?.case_id ?? null,
    /** Oldest first: a conversation reads top to bottom. */
    ofCase: (caseId: string): Message[] => ofCase.all(caseId).map((r) => JSON.parse(r.data) as Message),
    clear: (): void => void clear.run(),
  };
}
export type MessagesRepo = ReturnType<typeof createMessagesRepo>;
