/**
 * Child process for the reassign bench: ONE real console core (its encrypted
 * cache, its live socket, its sync) signed in as one user, on its own — as a
 * console is on its own machine. On `watch` it notes when its `cases:changed`
 * events have named every moved case (its cache then holds the change), and
 * on `check` says how many of them its cache holds as the user's and queue's.
 */
import { createConsoleCore } from '../src/main/core';
import type { QueueItem } from '../src/shared/api';
import { casesChangedAll, coreCaller, signInAndSync } from './console-hub';

const { url, username, dataDir } = JSON.parse(process.argv[2]!) as { url: string; username: string; dataDir: string };

const core = await createConsoleCore({ dataDir, hubUrl: url, resyncIntervalMs: 3_600_000 });
const call = coreCaller(core);
await signInAndSync(core, username);

type Message = { type: 'watch'; ids: string[] } | { type: 'check'; ids: string[]; queueId: string; assigneeId: string } | { type: 'close' };

process.on('message', (m: Message) => {
  if (m.type === 'watch') {
    void casesChangedAll(core, m.ids).then(() => process.send!({ type: 'done', at: Date.now() }));
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
