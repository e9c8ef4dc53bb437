/** What the user must be told about: a change the hub refused (with all it carried), a case reassigned away. */
import type { Notice } from '../../../../shared/api';
import type { CacheDb } from '../database';

interface Row {
  id: string;
  kind: string;
  case_id: string | null;
  text: string;
  detail: string | null;
  created_at: string;
}

export function createNoticesRepo(db: CacheDb) {
  const insert = db.prepare<[string, string, string | null, string, string | null, string]>(
    'INSERT OR IGNORE INTO notices (id, kind, case_id, text, detail, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const all = db.prepare<[], Row>('SELECT * FROM notices ORDER BY created_at DESC, id DESC');
  const remove = db.prepare<[string]>('DELETE FROM notices WHERE id = ?');
  const clear = db.prepare('DELETE FROM notices');
  return {
    add: (n: Notice): void => void insert.run(n.id, n.kind, n.caseId, n.text, n.detail === null ? null : JSON.stringify(n.detail), n.createdAt),
    all: (): Notice[] =>
      all.all().map((r) => ({ id: r.id, kind: r.kind as Notice['kind'], caseId: r.case_id, text: r.text, detail: r.detail === null ? null : JSON.parse(r.detail), createdAt: r.created_at })),
    remove: (id: string): boolean => remove.run(id).changes > 0,
    clear: (): void => void clear.run(),
  };
}
export type NoticesRepo = ReturnType<typeof createNoticesRepo>;
