/** Replies and internal notes being written, saved as they are typed so a crash loses none of them. */
import type { DraftKind } from '../../../../shared/api';
import type { CacheDb } from '../database';

export function createDraftsRepo(db: CacheDb) {
  const get = db.prepare<[string, string], { body: string; updated_at: string }>('SELECT body, updated_at FROM drafts WHERE case_id = ? AND kind = ?');
  const save = db.prepare<[string, string, string, string]>(
    'INSERT INTO drafts (case_id, kind, body, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(case_id, kind) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at',
  );
  const remove = db.prepare<[string, string]>('DELETE FROM drafts WHERE case_id = ? AND kind = ?');
  const clear = db.prepare('DELETE FROM drafts');
  return {
    get(caseId: string, kind: DraftKind = 'reply'): { body: string; updatedAt: string } | null {
      const row = get.get(caseId, kind);
      return row ? { body: row.body, updatedAt: row.updated_at } : null;
    },
    save(caseId: string, body: string, kind: DraftKind = 'reply'): void {
      if (body === '') remove.run(caseId, kind);
      else save.run(caseId, kind, body, new Date().toISOString());
    },
    remove: (caseId: string, kind: DraftKind = 'reply'): void => void remove.run(caseId, kind),
    clear: (): void => void clear.run(),
  };
}
export type DraftsRepo = ReturnType<typeof createDraftsRepo>;
