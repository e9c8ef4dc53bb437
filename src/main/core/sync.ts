/**
 * Pull by cursor until caught up. Each page is applied in one SQLite
 * transaction together with the new cursor, so a crash mid-pull resumes
 * where the last whole page ended.
 */
import { parseSyncRow } from '../../shared/protocol';
import type { CacheDb } from './cache/database';
import type { EntityRows, EntityStore } from './cache/entities';
import type { MetaStore } from './cache/meta';
import type { HubClient } from './hub-client';

export const PULL_PAGE = 1000;

export interface PullResult {
  applied: number;
  caseIds: string[];
  cursor: number;
}

export function createPuller(db: CacheDb, meta: MetaStore, entities: EntityStore, hub: HubClient) {
  let running: Promise<PullResult> | null = null;

  const applyPage = db.transaction((changes: Awaited<ReturnType<HubClient['pull']>>['changes'], cursor: number) => {
    const caseIds: string[] = [];
    let applied = 0;
    for (const change of changes) {
      if (change.op === 'delete') {
        if (entities.remove(change.entity, change.id)) applied++;
      } else {
        const row = parseSyncRow(change.entity, change.row) as EntityRows[typeof change.entity];
        if (entities.upsert(change.entity, row, change.rev)) applied++;
      }
      if (change.entity === 'case') caseIds.push(change.id);
    }
    meta.set('cursor', String(cursor));
    meta.set('lastSyncAt', new Date().toISOString());
    return { applied, caseIds };
  });

  async function pullAll(): Promise<PullResult> {
    let cursor = Number(meta.get('cursor') ?? 0);
    const result: PullResult = { applied: 0, caseIds: [], cursor };
    for (;;) {
      const page = await hub.pull(cursor, PULL_PAGE);
      const { applied, caseIds } = applyPage(page.changes, page.cursor);
      result.applied += applied;
      result.caseIds.push(...caseIds);
      cursor = result.cursor = page.cursor;
      if (!page.hasMore) return result;
    }
  }

  return {
    /** Concurrent callers share one pull. */
    pull(): Promise<PullResult> {
      running ??= pullAll().finally(() => (running = null));
      return running;
    },
  };
}
export type Puller = ReturnType<typeof createPuller>;
