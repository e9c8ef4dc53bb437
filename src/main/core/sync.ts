/**
 * Pull by cursor until caught up. Each page is validated whole (a row that
 * fails validation changes nothing), then written in slices with a turn of
 * the event loop between them, the cursor with the last, so a crash mid-pull
 * resumes after the last whole page and the UI never waits for a whole page.
 * When the hub says the user's scope changed, everything is pulled again
 * from the start and what it does not send again is dropped (repos/rescope).
 */
import { z } from 'zod';
import { parseSyncRow, type SyncPullResponse } from '../../shared/protocol';
import type { Cache, EntityRows } from './cache';
import type { HubClient } from './hub-client';
import { caseOfTheUser, noticeIfReassigned } from './reassignment';

export const PULL_PAGE_SIZE = 5000;
const PullPageSizeSchema = z.coerce.number().int().min(1).max(PULL_PAGE_SIZE);

/** `--pull-page-size` as typed on a command line (a smaller page on a slow link); throws, naming the flag. */
export function parsePullPageSize(text: string): number {
  const size = PullPageSizeSchema.safeParse(text);
  if (!size.success) throw new Error(`--pull-page-size must be a whole number from 1 to ${PULL_PAGE_SIZE}, got ${JSON.stringify(text)}`);
  return size.data;
}

export interface PullResult {
  /** Rows that changed the cache (stale or repeated ones do not count). */
  applied: number;
  /** Cases added, changed or removed by this pull. */
  caseIds: string[];
  /** A customer, queue, user or device changed: what the queue shows beside its cases. */
  othersChanged: boolean;
  /** Mentions added, changed or removed by this pull. */
  mentionsChanged: boolean;
  cursor: number;
}

export interface PullOptions {
  /** Who is logged in, to explain their cases being reassigned away. */
  me?(): string | null;
  /** Each page applied during a long pull: revs done of the revs to go. */
  onProgress?(progress: { done: number; total: number } | null): void;
}

export interface Puller {
  /** Pulls until the hub has nothing more; concurrent callers share one run. `afterOffline`: catching up after being away. */
  pull(how?: { afterOffline?: boolean }): Promise<PullResult>;
  /** Drops a pull in flight (logout, another user): its pages are not applied. */
  cancel(): void;
}

export class PullCancelledError extends Error {
  constructor() {
    super('pull cancelled');
    this.name = 'PullCancelledError';
  }
}

/** Rows written per SQLite transaction while a page is applied (about 10 ms of the thread here). */
const APPLY_SLICE = 400;

interface PageApplied {
  applied: number;
  caseIds: Set<string>;
  othersChanged: boolean;
  mentionsChanged: boolean;
}

export function createPuller(cache: Cache, hub: Pick<HubClient, 'pull'>, pageSize = PULL_PAGE_SIZE, opts: PullOptions = {}): Puller {
  let running: Promise<PullResult> | null = null;
  let generation = 0;

  /**
   * A page, validated whole (a malformed row changes nothing), then written in slices of APPLY_SLICE rows, one
   * transaction each with a turn of the event loop between them: a call from the UI waits for one slice at
   * most, never a whole page. The cursor moves with the last slice, so a crash mid-page pulls the page again
   * (writing a row twice changes nothing: each is kept by its rev).
   */
  async function applyPage(page: SyncPullResponse, nextCursor: number, afterOffline: boolean, mine: number): Promise<PageApplied> {
    const rows: (EntityRows[keyof EntityRows] | null)[] = [];
    for (const [i, change] of page.changes.entries()) {
      rows.push(change.op === 'delete' ? null : (parseSyncRow(change.entity, change.row) as EntityRows[typeof change.entity]));
      if ((i + 1) % APPLY_SLICE === 0) await nextTurn(mine);
    }
    const me = opts.me?.() ?? null;
    const done: PageApplied = { applied: 0, caseIds: new Set(), othersChanged: false, mentionsChanged: false };
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
            if (changed && caseOfMessage) done.caseIds.add(caseOfMessage);
          } else {
            const row = rows[i]!;
            changed = cache.apply(change.entity, row, change.rev);
            if (changed && change.entity === 'message') done.caseIds.add((row as EntityRows['message']).caseId);
          }
          if (changed && change.entity === 'case') done.caseIds.add(change.id);
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
        if (confirming && !page.hasMore) for (const id of cache.rescope.dropUnconfirmed()) done.caseIds.add(id);
      });
      if (last) return done;
      await nextTurn(mine);
    }
  }

  /** A turn of the event loop for whatever waits (a call from the UI); a pull dropped meanwhile stops here. */
  async function nextTurn(mine: number): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    if (mine !== generation) throw new PullCancelledError();
  }

  async function pullAll(afterOffline: boolean): Promise<PullResult> {
    const mine = generation;
    let start = Number(cache.meta.get('cursor') ?? 0);
    let cursor = start;
    let applied = 0;
    let othersChanged = false;
    let mentionsChanged = false;
    const caseIds = new Set<string>();
    let fetching = hub.pull(cursor, pageSize);
    try {
      for (;;) {
        const page = await fetching;
        if (mine !== generation) throw new PullCancelledError();
        const held = cache.meta.get('scope');
        if (page.scope !== undefined && held !== null && page.scope !== held && cursor > 0) {
          // Marked, and the cursor back to the start, in one transaction: a crash resumes the full pull.
          cache.transaction(() => {
            cache.rescope.markAll();
            cache.meta.set('cursor', '0');
            cache.meta.set('scope', page.scope!);
          });
          start = cursor = 0;
          fetching = hub.pull(0, pageSize);
          continue;
        }
        // Never move backwards: a hub answering an older cursor would replay history forever.
        const next = Math.max(cursor, page.cursor);
        // The next page is on its way while this one is written: the hub reads while the console applies.
        if (page.hasMore && page.changes.length > 0) {
          fetching = hub.pull(next, pageSize);
          // Awaited on the next turn; if this page fails first, that failure is the one reported.
          fetching.catch(() => undefined);
        }
        const result = await applyPage(page, next, afterOffline, mine);
        applied += result.applied;
        othersChanged ||= result.othersChanged;
        mentionsChanged ||= result.mentionsChanged;
        for (const id of result.caseIds) caseIds.add(id);
        cursor = next;
        if (!page.hasMore) return { applied, caseIds: [...caseIds], othersChanged, mentionsChanged, cursor };
        if (page.changes.length === 0) throw new Error('the hub said it has more changes but sent none');
        if (page.head !== undefined && page.head > start) opts.onProgress?.({ done: cursor - start, total: page.head - start });
      }
    } finally {
      opts.onProgress?.(null);
    }
  }

  return {
    pull(how = {}) {
      if (!running) {
        const run = pullAll(how.afterOffline ?? false).finally(() => {
          if (running === run) running = null;
        });
        running = run;
      }
      return running;
    },
    cancel() {
      generation++;
      running = null;
    },
  };
}
