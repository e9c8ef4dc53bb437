import type { CacheDb } from './database';

/** Small key/value facts about this console: session, cursor, last sync. */
export function createMetaStore(db: CacheDb) {
  const get = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const set = db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  const del = db.prepare<[string]>('DELETE FROM meta WHERE key = ?');
  return {
    get: (key: string): string | null => get.get(key)?.value ?? null,
    set: (key: string, value: string): void => void set.run(key, value),
    delete: (key: string): void => void del.run(key),
    getJson<T>(key: string): T | null {
      const raw = get.get(key)?.value;
      return raw === undefined ? null : (JSON.parse(raw) as T);
    },
    setJson: (key: string, value: unknown): void => void set.run(key, JSON.stringify(value)),
  };
}
export type MetaStore = ReturnType<typeof createMetaStore>;
