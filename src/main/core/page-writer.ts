/**
 * Writes one validated pull page into the cache: in slices of APPLY_SLICE
 * rows, one transaction each with a turn of the event loop between them, the
 * cursor with the last slice, so a crash mid-page pulls the page again (a row
 * written twice changes nothing: each is kept by its rev). Runs in the pull
 * thread (pull-thread-entry.ts) with a connection of its own, or, for a core
 * given its own `fetch` (tests), in the core's thread.
 */
import { parseSyncRow, type SyncPullResponse } from '../../shared/protocol';
import type { Cache, EntityRows } from './cache';
import { caseOfTheUser, noticeIfReassigned } from './reassignment';

/** Rows written per SQLite transaction: a write from the core's thread (a user's change) waits for one slice at most. */
export const APPLY_SLICE = 400;

export interface PageWritten {
  applied: number;
  caseIds: string[];
  othersChanged: boolean;
  mentionsChanged: boolean;
}

export interface WriteHow {
  /** The cursor saved with the last slice. */
  nextCursor: number;
  afterOffline: boolean;
  /** Who is logged in, to explain their cases being reassigned away. */
  me: string | null;
}

/** A validated page: its rows parsed (null for a deletion). */
export interface ParsedPage {
  page: SyncPullResponse;
  rows: (EntityRows[keyof EntityRows] | null)[];
}

/** `nextTurn` lets whatever waits run between slices, and throws when the pull was dropped meanwhile. */
export async function writePage(cache: Cache, { page, rows }: ParsedPage, how: WriteHow, nextTurn: () => Promise<void>): Promise<PageWritten> {
  const { me, afterOffline, nextCursor } = how;
  const caseIds = new Set<string>();
  const done = { applied: 0, othersChanged: false, mentionsChanged: false };
  // Scores are made with the plan table in force, which the core's connection may have just changed.
  cache.plans.reload();
  for (let from = 0; ; from += APPLY_SLICE) {
    const last = from + APPLY_SLICE >= page.changes.length;
    cache.transaction(() => {
      const confirming = cache.rescope.active();
      for (let i = from; i < Math.min(page.changes.length, from + APPLY_SLICE); i++) {
        const change = page.changes[i]!;
        if (confirming) cache.rescope.confirm(change.entity, change.id);
        let changed: boolean;
        const before = change.entity === 'case' ? caseOfTheUser(cache, me, change.id) : null;
        if (change.op === 'delete') {
          // A removed message changes its case's conversation.
          const caseOfMessage = change.entity === 'message' ? cache.messages.caseOf(change.id) : null;
          changed = cache.remove(change.entity, change.id, change.rev);
          if (changed && caseOfMessage) caseIds.add(caseOfMessage);
        } else {
          const row = rows[i]!;
          changed = cache.apply(change.entity, row, change.rev);
          if (changed && change.entity === 'message') caseIds.add((row as EntityRows['message']).caseId);
        }
        if (changed && change.entity === 'case') caseIds.add(change.id);
        if (changed && before) noticeIfReassigned(cache, me, before, change.rev, afterOffline);
        if (changed && change.entity === 'mention') done.mentionsChanged = true;
        else if (changed && change.entity !== 'case' && change.entity !== 'message') done.othersChanged = true;
        if (changed) done.applied++;
      }
      if (!last) return;
      cache.meta.set('cursor', String(nextCursor));
      cache.meta.set('lastSyncAt', new Date().toISOString());
      if (page.scope !== undefined) cache.meta.set('scope', page.scope);
      // Joined or left a queue: what the console offers (Next case) follows, like a changed queue row.
      if (page.queueIds !== undefined && cache.queues.setMemberOf(page.queueIds)) {
        done.othersChanged = true;
        done.applied++;
      }
      // The last page of the full pull after a scope change (or of any later pull while cases it kept for
      // unsent work are marked): what was not sent again is no longer the user's.
      if (confirming && !page.hasMore) for (const id of cache.rescope.dropUnconfirmed()) caseIds.add(id);
    });
    if (last) return { ...done, caseIds: [...caseIds] };
    await nextTurn();
  }
}

/** Each row checked against its entity's schema before any is written (a malformed row changes nothing), a turn between slices. */
export async function parsePage(page: SyncPullResponse, nextTurn: () => Promise<void>): Promise<ParsedPage> {
  const rows: ParsedPage['rows'] = [];
  for (const [i, change] of page.changes.entries()) {
    rows.push(change.op === 'delete' ? null : (parseSyncRow(change.entity, change.row) as EntityRows[typeof change.entity]));
    if ((i + 1) % APPLY_SLICE === 0) await nextTurn();
  }
  return { page, rows };
}
