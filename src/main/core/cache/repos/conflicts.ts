/** Fields the hub kept its own value of: the user's value waits here until they decide. */
import type { CaseConflict } from '../../../../shared/api';
import type { CaseField } from '../../../../shared/protocol';
import type { CacheDb } from '../database';

export type ConflictRecord = CaseConflict;

interface Row {
  id: string;
  mutation_id: string;
  case_id: string;
  field: string;
  yours: string;
  theirs: string;
  hub_version: number;
  created_at: string;
}

const toRecord = (r: Row): ConflictRecord => ({
  id: r.id,
  mutationId: r.mutation_id,
  caseId: r.case_id,
  field: r.field as CaseField,
  yours: JSON.parse(r.yours),
  theirs: JSON.parse(r.theirs),
  hubVersion: r.hub_version,
  createdAt: r.created_at,
});

export function createConflictsRepo(db: CacheDb) {
  const insert = db.prepare<[string, string, string, string, string, string, number, string]>(
    'INSERT INTO conflicts (id, mutation_id, case_id, field, yours, theirs, hub_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  // An older undecided conflict of the same field is replaced by the newer one: the user's latest value is what they mean.
  const dropSameField = db.prepare<[string, string]>('DELETE FROM conflicts WHERE case_id = ? AND field = ?');
  const all = db.prepare<[], Row>('SELECT * FROM conflicts ORDER BY created_at, id');
  const ofCase = db.prepare<[string], Row>('SELECT * FROM conflicts WHERE case_id = ? ORDER BY created_at, id');
  const byId = db.prepare<[string], Row>('SELECT * FROM conflicts WHERE id = ?');
  const remove = db.prepare<[string]>('DELETE FROM conflicts WHERE id = ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM conflicts');
  const clear = db.prepare('DELETE FROM conflicts');
  return {
    add(c: ConflictRecord): void {
      dropSameField.run(c.caseId, c.field);
      insert.run(c.id, c.mutationId, c.caseId, c.field, JSON.stringify(c.yours ?? null), JSON.stringify(c.theirs ?? null), c.hubVersion, c.createdAt);
    },
    /** A later change of the field settled on the hub: an older undecided conflict of it is moot. */
    dropField: (caseId: string, field: string): void => void dropSameField.run(caseId, field),
    all: (): ConflictRecord[] => all.all().map(toRecord),
    ofCase: (caseId: string): ConflictRecord[] => ofCase.all(caseId).map(toRecord),
    byId(id: string): ConflictRecord | null {
      const row = byId.get(id);
      return row ? toRecord(row) : null;
    },
    remove: (id: string): void => void remove.run(id),
    count: (): number => count.get()?.n ?? 0,
    clear: (): void => void clear.run(),
  };
}
export type ConflictsRepo = ReturnType<typeof createConflictsRepo>;
