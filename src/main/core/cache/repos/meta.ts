/** Small key/value facts about this console: session, cursor, last sync, the scope it was synced for. */
import type { CacheDb } from '../database';

/**
 * `channelSettings`: the hub's channel settings as last heard (src/main/core/channel-settings.ts); `queueIds`: the queues the user works, as
 * the last pull said (JSON); `plans`: what each plan includes, as the hub last said (repos/plans.ts).
 */
export type MetaKey = 'token' | 'user' | 'hubUrl' | 'cursor' | 'lastSyncAt' | 'scope' | 'channelSettings' | 'queueIds' | 'plans' | 'sla' | 'pendingSignOuts';

export function createMetaRepo(db: CacheDb) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const set = db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const del = db.prepare<[string]>('DELETE FROM meta WHERE key = ?');
  return {
    get: (key: MetaKey): string | null => get.get(key)?.value ?? null,
    set: (key: MetaKey, value: string): void => void set.run(key, value),
    delete: (key: MetaKey): void => void del.run(key),
  };
}
export type MetaRepo = ReturnType<typeof createMetaRepo>;
