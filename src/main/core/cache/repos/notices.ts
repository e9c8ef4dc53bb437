/** What the user must be told about: a change the hub refused (with all it carried), a case reassigned away. */
import type { Notice } from '../../../../shared/api';
import { WordingSchema } from '../../../../shared/wording';
import type { CacheDb } from '../database';

/**
 * A notice's wording (its key and parameters) rides in the detail column, in
 * a wrapper no detail of before has (`{"wording": …, "detail": …}`): no
 * migration, and notices stored by an older version read as they were.
 */
const WRAPPED = '__noticeWording';

function storedDetail(n: Notice): string | null {
  if (n.wording) return JSON.stringify({ [WRAPPED]: n.wording, detail: n.detail });
  return n.detail === null ? null : JSON.stringify(n.detail);
}

function readDetail(raw: string | null): Pick<Notice, 'detail' | 'wording'> {
  if (raw === null) return { detail: null };
  const parsed: unknown = JSON.parse(raw);
  if (typeof parsed === 'object' && parsed !== null && WRAPPED in parsed) {
    const wrapped = parsed as { [WRAPPED]: unknown; detail?: unknown };
    const wording = WordingSchema.safeParse(wrapped[WRAPPED]);
    return { detail: wrapped.detail ?? null, ...(wording.success ? { wording: wording.data } : {}) };
  }
  return { detail: parsed };
}

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
    add: (n: Notice): void => void insert.run(n.id, n.kind, n.caseId, n.text, storedDetail(n), n.createdAt),
    all: (): Notice[] => all.all().map((r) => ({ id: r.id, kind: r.kind as Notice['kind'], caseId: r.case_id, text: r.text, ...readDetail(r.detail), createdAt: r.created_at })),
    remove: (id: string): boolean => remove.run(id).changes > 0,
    clear: (): void => void clear.run(),
  };
}
export type NoticesRepo = ReturnType<typeof createNoticesRepo>;
