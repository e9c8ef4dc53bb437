/**
 * Collision detection, the console's side of the live socket: tells the hub
 * which case is open here (`case:watch`) and says it again after every
 * reconnect (a new socket starts on no case; a recovered one was taken off
 * its case when it dropped); passes on who else is on that case
 * (`case:watchers`, validated, this user left out, lists of another case
 * dropped) and an empty list while the hub is out of reach, since who is
 * there is not known then.
 */
import type { Socket } from 'socket.io-client';
import { z } from 'zod';
import { type CaseWatch, type CaseWatchers, CaseWatchersSchema, type ConsoleToHubEvents, type HubToConsoleEvents } from '../../shared/protocol';

export interface WatchingOptions {
  me(): string | null;
  onWatchers(watchers: CaseWatchers): void;
  log(message: string): void;
}

export interface Watching {
  watch(next: CaseWatch): void;
}

export function followWatching(socket: Socket<HubToConsoleEvents, ConsoleToHubEvents>, opts: WatchingOptions): Watching {
  let current: CaseWatch | null = null;
  // Sent only while connected: socket.io-client would otherwise replay every buffered watch on reconnect.
  const tell = () => {
    if (current && socket.connected) socket.emit('case:watch', current);
  };
  socket.on('connect', () => {
    if (current?.caseId) tell();
  });
  socket.on('disconnect', () => {
    if (current?.caseId) opts.onWatchers({ caseId: current.caseId, watchers: [] });
  });
  socket.on('case:watchers', (raw: unknown) => {
    const parsed = CaseWatchersSchema.safeParse(raw);
    if (!parsed.success) return opts.log(`ignored malformed case:watchers: ${z.prettifyError(parsed.error)}`);
    // A list sent just before the console moved to another case is old news.
    if (parsed.data.caseId !== current?.caseId) return;
    const me = opts.me();
    opts.onWatchers({ caseId: parsed.data.caseId, watchers: parsed.data.watchers.filter((w) => w.userId !== me) });
  });
  return {
    watch(next) {
      if (current?.caseId === next.caseId && current.mode === next.mode) return;
      current = next;
      tell();
    },
  };
}
