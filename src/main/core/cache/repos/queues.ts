import type { QueueView } from '../../../../shared/api';
import type { Queue } from '../../../../shared/domain';
import type { CacheDb } from '../database';
import { createDocumentRepo } from './documents';

export function createQueuesRepo(db: CacheDb) {
  const all = db.prepare<[], { data: string }>('SELECT data FROM queues ORDER BY name, id');
  // The user's queues sit in meta (the pull page says them), beside the cursor they were pulled with.
  const memberOf = db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'queueIds'");
  const setMemberOf = db.prepare<[string]>("INSERT INTO meta (key, value) VALUES ('queueIds', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  const mine = (): string[] => JSON.parse(memberOf.get()?.value ?? '[]') as string[];
  return {
    ...createDocumentRepo<Queue>(db, 'queues', { name: (q) => q.name }),
    all: (): Queue[] => all.all().map((r) => JSON.parse(r.data) as Queue),
    /** Every queue, each saying whether the user works it. */
    views(): QueueView[] {
      const member = new Set(mine());
      return all.all().map((r) => {
        const q = JSON.parse(r.data) as Queue;
        return { ...q, member: member.has(q.id) };
      });
    },
    /** Keeps the queues the user works; whether that changed. */
    setMemberOf(ids: readonly string[]): boolean {
      const next = JSON.stringify([...ids].sort());
      if (JSON.stringify(mine()) === next) return false;
      setMemberOf.run(next);
      return true;
    },
  };
}
export type QueuesRepo = ReturnType<typeof createQueuesRepo>;
