/** Replies being written, saved as they are typed so a crash loses none of them. */
import type { CacheDb } from '../database';

export function createDraftsRepo(db: CacheDb) {
  const get = db.prepare<[string], { body: string; updated_at: string }>('SELECT body, updated_at FROM drafts WHERE case_id = ?');
  const save = db.prepare<[string, string, string]>(
    'INSERT INTO drafts (case_id, body, updated_at) VALUES (?, ?, ?) ON CONFLICT(case_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at',
  );
  const remove = db.prepare<[string]>('DELETE FROM drafts WHERE case_id = ?');
  const clear = db.prepare('DELETE FROM drafts');
  return {
    get(caseId: string): { body: string; updatedAt: string } | null {
      const row = get.get(caseId);
      return row ? { body: row.body, updatedAt: row.updated_at } : null;
    },
    save(caseId: string, body: string): void {
      if (body === '') remove.run(caseId);
      else save.run(caseId, body, new Date().toISOString());
    },
    remove: (caseId: string): void => void remove.run(caseId),
    clear: (): void => void clear.run(),
  };
}
export type DraftsRepo = ReturnType<typeof createDraftsRepo>;
