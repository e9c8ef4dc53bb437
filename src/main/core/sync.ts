/**
 * Pull by cursor until caught up, the next page fetched while one is written.
 * Each page is validated whole (a row that fails validation changes nothing),
 * then written in slices, the cursor with the last, so a crash mid-pull
 * resumes after the last whole page (page-writer.ts) — in the pull thread
 * (pull-thread.ts), so the core's calls never wait for it. When the hub says the user's scope changed, everything is pulled again
 * from the start and what it does not send again is dropped (repos/rescope).
 */
import { z } from 'zod';
import type { SyncPullResponse } from '../../shared/protocol';
import type { Cache } from './cache';
import type { HubClient } from './hub-client';
import { type PageWritten, type ParsedPage, parsePage, type WriteHow, writePage } from './page-writer';

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
  /**
   * Pulls until the hub has nothing more. Asked while a run is under way, it answers with one more run after
   * that one (shared by every caller meanwhile): the run under way may predate the reason for asking.
   * `afterOffline`: catching up after being away.
   */
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

/**
 * Where pages come from and are written: fetched, validated and written in this thread
 * (`pagesInThisThread`), or all three in the pull thread (pull-thread.ts), so the thread answering
 * the UI's calls never parses or writes a page.
 */
export interface PageSource {
  /** Fetches and validates a page past `cursor`; its rows stay with the source until written or dropped. */
  fetch(cursor: number, limit: number): Promise<FetchedPage>;
  /** Writes a fetched page (page-writer.ts); rejects with PullCancelledError when `cancel` came first. */
  write(page: FetchedPage, how: WriteHow): Promise<PageWritten>;
  /** A fetched page that will not be written. */
  drop(page: FetchedPage): void;
  /** Drops every page held and stops a write in progress at its next slice. */
  cancel(): void;
}

/** What the puller needs to know of a page to decide what comes next. */
export interface FetchedPage extends Pick<SyncPullResponse, 'cursor' | 'hasMore' | 'head' | 'scope'> {
  /** How many changes it holds. */
  count: number;
}

/**
 * A page source's cancelling: `cancel()` starts a new generation, and work of an earlier one stops at its next
 * turn (`turnOf(mine)`, a turn of the event loop that throws PullCancelledError once cancelled since `mine`).
 */
export function pullGenerations() {
  let generation = 0;
  return {
    current: (): number => generation,
    cancel(): void {
      generation++;
    },
    turnOf: (mine: number) => async (): Promise<void> => {
      await new Promise((resolve) => setImmediate(resolve));
      if (mine !== generation) throw new PullCancelledError();
    },
  };
}

/** Fetched over `hub`, parsed and written on this thread, a turn of its event loop between slices. */
export function pagesInThisThread(cache: Cache, hub: Pick<HubClient, 'pull'>): PageSource {
  const generations = pullGenerations();
  /** Each page fetched, with the generation it was fetched in: a page from before a cancel is never written. */
  const held = new WeakMap<FetchedPage, { parsed: ParsedPage; generation: number }>();
  const { turnOf } = generations;
  return {
    async fetch(cursor, limit) {
      const mine = generations.current();
      const page = await hub.pull(cursor, limit);
      const parsed = await parsePage(page, turnOf(mine));
      const fetched: FetchedPage = { cursor: page.cursor, hasMore: page.hasMore, head: page.head, scope: page.scope, count: page.changes.length };
      held.set(fetched, { parsed, generation: mine });
      return fetched;
    },
    async write(fetched, how) {
      const page = held.get(fetched);
      held.delete(fetched);
      if (!page || page.generation !== generations.current()) throw new PullCancelledError();
      return writePage(cache, page.parsed, how, turnOf(page.generation));
    },
    drop(fetched) {
      held.delete(fetched);
    },
    cancel: generations.cancel,
  };
}

export function createPuller(cache: Cache, pages: PageSource, pageSize = PULL_PAGE_SIZE, opts: PullOptions = {}): Puller {
  let running: Promise<PullResult> | null = null;
  let generation = 0;

  async function pullAll(afterOffline: boolean): Promise<PullResult> {
    const mine = generation;
    let start = Number(cache.meta.get('cursor') ?? 0);
    let cursor = start;
    let applied = 0;
    let othersChanged = false;
    let mentionsChanged = false;
    const caseIds = new Set<string>();
    let fetching = pages.fetch(cursor, pageSize);
    try {
      for (;;) {
        const page = await fetching;
        if (mine !== generation) {
          pages.drop(page);
          throw new PullCancelledError();
        }
        const held = cache.meta.get('scope');
        if (page.scope !== undefined && held !== null && page.scope !== held && cursor > 0) {
          // Marked, and the cursor back to the start, in one transaction: a crash resumes the full pull.
          cache.transaction(() => {
            cache.rescope.markAll();
            cache.meta.set('cursor', '0');
            cache.meta.set('scope', page.scope!);
          });
          start = cursor = 0;
          pages.drop(page);
          fetching = pages.fetch(0, pageSize);
          continue;
        }
        // Never move backwards: a hub answering an older cursor would replay history forever.
        const next = Math.max(cursor, page.cursor);
        // The next page is on its way while this one is written: the hub reads while the console applies.
        const prefetching = page.hasMore && page.count > 0;
        if (prefetching) fetching = pages.fetch(next, pageSize);
        const written = pages.write(page, { nextCursor: next, afterOffline, me: opts.me?.() ?? null });
        // The next page is awaited on the next turn; if this one fails first, that failure is the one reported (and the next page dropped).
        if (prefetching) fetching.then((ahead) => void written.catch(() => pages.drop(ahead)), () => undefined);
        const result = await written;
        applied += result.applied;
        othersChanged ||= result.othersChanged;
        mentionsChanged ||= result.mentionsChanged;
        for (const id of result.caseIds) caseIds.add(id);
        cursor = next;
        if (!page.hasMore) return { applied, caseIds: [...caseIds], othersChanged, mentionsChanged, cursor };
        if (page.count === 0) throw new Error('the hub said it has more changes but sent none');
        if (page.head !== undefined && page.head > start) opts.onProgress?.({ done: cursor - start, total: page.head - start });
      }
    } finally {
      opts.onProgress?.(null);
    }
  }

  /** Asked for while a run was under way: one more run after it, which every caller meanwhile shares. */
  let followUp: { promise: Promise<PullResult>; afterOffline: boolean } | null = null;

  function start(afterOffline: boolean): Promise<PullResult> {
    const run = pullAll(afterOffline).finally(() => {
      if (running === run) running = null;
    });
    running = run;
    return run;
  }

  return {
    pull(how = {}) {
      const afterOffline = how.afterOffline ?? false;
      if (!running) return start(afterOffline);
      // The run under way may have read the hub before what made this caller ask (its scope changed, a push
      // was just applied): waiting for it alone could leave that out until the next timed sync.
      if (followUp) {
        followUp.afterOffline ||= afterOffline;
        return followUp.promise;
      }
      const mine = generation;
      const queued: { promise: Promise<PullResult>; afterOffline: boolean } = { promise: running, afterOffline };
      queued.promise = running
        .then(
          () => undefined,
          () => undefined,
        )
        .then(() => {
          if (followUp === queued) followUp = null;
          if (mine !== generation) throw new PullCancelledError();
          return running ?? start(queued.afterOffline);
        });
      followUp = queued;
      return queued.promise;
    },
    cancel() {
      generation++;
      pages.cancel();
      running = null;
      followUp = null;
    },
  };
}
