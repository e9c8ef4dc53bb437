/**
 * The outbox: every change a user made, in the order they made it, until the
 * hub has answered. Rows of case changes the hub applied stay as an overlay
 * (acked_version) until the hub's own row of that version reaches the cache,
 * so the screen never flickers back to an older value in between.
 */
import { type CaseFields, type Mutation, MutationSchema } from '../../../../shared/protocol';
import type { CacheDb } from '../database';

interface OutboxRow {
  seq: number;
  id: string;
  kind: string;
  entity_id: string;
  base_version: number;
  payload: string;
  created_at: string;
  attempts: number;
  last_error: string | null;
}

export interface PendingMutation {
  seq: number;
  mutation: Mutation;
  attempts: number;
  lastError: string | null;
}

/** A change to a case's fields as the overlay applies it. */
export type CaseOverlay = CaseFields & { assigneeId?: string | null; queueId?: string };

/** A convert or dismiss as the mentions list shows it before the hub confirms it. */
export type MentionOverlay = { status: 'converted'; caseId: string } | { status: 'dismissed' };

/**
 * A queued change that does not pass today's rules: queued under looser ones by an older version (a
 * longer subject, say), or damaged. It is never sent; the pusher sets it aside whole, in a notice.
 */
export interface UnsendableRow {
  id: string;
  kind: string;
  entityId: string;
  /** Everything the row carried, as the notice keeps it. */
  detail: Record<string, unknown>;
  reason: string;
}

function readRow(row: OutboxRow): { mutation: Mutation } | { unsendable: UnsendableRow } {
  let payload: unknown;
  try {
    payload = JSON.parse(row.payload);
  } catch {
    payload = row.payload;
  }
  const detail = { id: row.id, kind: row.kind, entityId: row.entity_id, baseVersion: row.base_version, payload, createdAt: row.created_at };
  // Rows were validated when written; parsing again keeps a damaged or outdated row from reaching the hub.
  const parsed = MutationSchema.safeParse(detail);
  if (parsed.success) return { mutation: parsed.data };
  const issue = parsed.error.issues[0];
  const reason = issue ? `${issue.path.filter((p) => p !== 'payload').join('.') || 'change'}: ${issue.message}` : 'unreadable';
  return { unsendable: { id: row.id, kind: row.kind, entityId: row.entity_id, detail, reason } };
}

export function createOutboxRepo(db: CacheDb) {
  const insert = db.prepare<[string, string, string, number, string, string]>(
    'INSERT INTO outbox (id, kind, entity_id, base_version, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const pending = db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE acked_version IS NULL ORDER BY seq LIMIT ?');
  const overlayRows = db.prepare<[string, number], { kind: string; payload: string }>(
    `SELECT kind, payload FROM outbox WHERE entity_id = ? AND kind IN ('case.update', 'case.assign')
       AND (acked_version IS NULL OR acked_version > ?) ORDER BY seq`,
  );
  const mentionRows = db.prepare<[string, number], { id: string; kind: string; payload: string }>(
    `SELECT id, kind, payload FROM outbox WHERE entity_id = ? AND kind IN ('mention.convert', 'mention.dismiss')
       AND (acked_version IS NULL OR acked_version > ?) ORDER BY seq`,
  );
  const createOf = db.prepare<[string], { payload: string }>(`SELECT payload FROM outbox WHERE entity_id = ? AND kind = 'case.create' ORDER BY seq LIMIT 1`);
  const prune = db.prepare<[string, number]>('DELETE FROM outbox WHERE entity_id = ? AND acked_version IS NOT NULL AND acked_version <= ?');
  const ack = db.prepare<[number, string, string]>('UPDATE outbox SET acked_version = ?, payload = ? WHERE id = ?');
  const remove = db.prepare<[string]>('DELETE FROM outbox WHERE id = ?');
  const failed = db.prepare<[string, string]>('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox WHERE acked_version IS NULL');
  const countOf = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM outbox WHERE entity_id = ? AND acked_version IS NULL');
  const entityOf = db.prepare<[string], { entity_id: string }>('SELECT entity_id FROM outbox WHERE id = ?');
  const clear = db.prepare('DELETE FROM outbox');

  return {
    add(m: Mutation): void {
      insert.run(m.id, m.kind, m.entityId, m.baseVersion, JSON.stringify(m.payload), m.createdAt);
    },
    /** The oldest mutations the hub has not answered yet, and any among them that can no longer be sent. */
    pending(limit: number): { ready: PendingMutation[]; unsendable: UnsendableRow[] } {
      const ready: PendingMutation[] = [];
      const unsendable: UnsendableRow[] = [];
      for (const row of pending.all(limit)) {
        const read = readRow(row);
        if ('mutation' in read) ready.push({ seq: row.seq, mutation: read.mutation, attempts: row.attempts, lastError: row.last_error });
        else unsendable.push(read.unsendable);
      }
      return { ready, unsendable };
    },
    /** Local changes of a case newer than the hub version the cache holds, oldest first, merged. */
    overlayFor(caseId: string, hubVersion: number): CaseOverlay | null {
      const rows = overlayRows.all(caseId, hubVersion);
      if (rows.length === 0) return null;
      const merged: CaseOverlay = {};
      for (const row of rows) {
        const payload = JSON.parse(row.payload) as { fields?: CaseFields; assigneeId?: string | null; queueId?: string };
        if (row.kind === 'case.update') Object.assign(merged, payload.fields);
        else {
          merged.assigneeId = payload.assigneeId ?? null;
          if (payload.queueId) merged.queueId = payload.queueId;
        }
      }
      return merged;
    },
    /** What this console did to a mention the hub's row of `hubVersion` does not hold yet (the last change wins). */
    mentionOverlayFor(mentionId: string, hubVersion: number): MentionOverlay | null {
      let overlay: MentionOverlay | null = null;
      for (const row of mentionRows.all(mentionId, hubVersion)) {
        if (row.kind === 'mention.dismiss') overlay = { status: 'dismissed' };
        else {
          // Without a case named, the hub opens one whose id is the mutation's.
          const payload = JSON.parse(row.payload) as { caseId?: string };
          overlay = { status: 'converted', caseId: payload.caseId ?? row.id };
        }
      }
      return overlay;
    },
    /** The draft of a case created here and not confirmed yet. */
    createdHere(caseId: string): unknown {
      const row = createOf.get(caseId);
      return row ? (JSON.parse(row.payload) as { case: unknown }).case : null;
    },
    /** The hub's row reached `version`: overlays it already holds are done. */
    pruneAcked: (caseId: string, version: number): void => void prune.run(caseId, version),
    /** The hub applied it into `version`; `payload` is what it kept of it (a conflict drops the fields it refused). */
    ack: (id: string, version: number, payload: unknown): void => void ack.run(version, JSON.stringify(payload), id),
    remove: (id: string): void => void remove.run(id),
    failed: (id: string, error: string): void => void failed.run(error, id),
    entityOf: (id: string): string | null => entityOf.get(id)?.entity_id ?? null,
    countPending: (): number => count.get()?.n ?? 0,
    pendingOf: (entityId: string): number => countOf.get(entityId)?.n ?? 0,
    clear: (): void => void clear.run(),
  };
}
export type OutboxRepo = ReturnType<typeof createOutboxRepo>;
