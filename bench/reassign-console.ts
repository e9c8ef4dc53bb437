/**
 * Child process for the reassign bench: ONE real console core (its encrypted
 * cache, its live socket, its sync) signed in as one user, on its own — as a
 * console is on its own machine. On `watch` it notes when its `cases:changed`
 * events have named every moved case (its cache then holds the change), and
 * on `check` says how many of them its cache holds as the user's and queue's.
 */
import { createConsoleCore } from '../src/main/core';
import type { QueueItem, SyncStatus } from '../src/shared/api';
import { coreCaller } from './console-hub';

const { url, username, dataDir } = JSON.parse(process.argv[2]!) as { url: string; username: string; dataDir: string };

const core = await createConsoleCore({ dataDir, hubUrl: url, resyncIntervalMs: 3_600_000 });
const call = coreCaller(core);
await call('session.login', { username, password: 'demo' });
for (;;) {
  const status = await call<SyncStatus>('sync.status', {});
  if (status.connection === 'online' && !status.syncing) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}

type Message = { type: 'watch'; ids: string[] } | { type: 'check'; ids: string[]; queueId: string; assigneeId: string } | { type: 'close' };

process.on('message', (m: Message) => {
  if (m.type === 'watch') {
    const moved = new Set(m.ids);
    const seen = new Set<string>();
    const off = core.events.on('cases:changed', ({ ids }) => {
      // No ids: "reload everything" (a burst too big to list).
      for (const id of ids.length === 0 ? moved : ids) if (moved.has(id)) seen.add(id);
      if (seen.size < moved.size) return;
      off();
      process.send!({ type: 'done', at: Date.now() });
    });
    process.send!({ type: 'watching' });
  } else if (m.type === 'check') {
    const moved = new Set(m.ids);
    void call<{ items: QueueItem[] }>('cases.list', { queueId: m.queueId, limit: 10_000 }).then(({ items }) => {
      process.send!({ type: 'checked', holds: items.filter((c) => moved.has(c.id) && c.assigneeId === m.assigneeId).length });
    });
  } else {
    void core.close().then(() => process.disconnect());
  }
});
process.send!({ type: 'ready' });
