/**
 * Presence follows the sockets: the first console of a user that connects
 * makes an offline user available, the last one that leaves makes them
 * offline. What the user chose (busy, away) in between is kept.
 */
import type { Logger } from 'pino';
import type { Presence } from '../../shared/protocol';
import type { Db } from '../db/connect';
import { setPresence } from '../repos/users';
import type { LiveServer } from './io';
import type { Publisher } from './publish';

/** Returns `stop`: no presence writes after it (the hub is closing its sockets and then its database). */
export function trackPresence(io: LiveServer, db: Db, publish: Publisher, log: Logger): { stop(): Promise<void> } {
  let stopped = false;
  const pending = new Set<Promise<unknown>>();
  const set = async (userId: string, presence: Presence, onlyIf?: Presence) => {
    if (stopped) return;
    const write = setPresence(db, userId, presence, { onlyIf });
    pending.add(write);
    try {
      const state = await write;
      if (state) publish.presence(userId, state);
    } finally {
      pending.delete(write);
    }
  };
  // One user's changes apply in the order their sockets came and went: a console that reconnects must not
  // have its "available" overtaken by the "offline" of the socket it replaced.
  const queues = new Map<string, Promise<unknown>>();
  const inTurn = (userId: string, step: () => Promise<unknown>) => {
    const next = (queues.get(userId) ?? Promise.resolve()).then(step).catch((error: unknown) => log.warn({ err: error }, 'presence update failed'));
    queues.set(userId, next);
    void next.finally(() => queues.get(userId) === next && queues.delete(userId));
  };
  io.on('connection', (socket) => {
    const { actor } = socket.data;
    inTurn(actor.id, () => set(actor.id, 'available', 'offline'));
    socket.on('disconnect', () => {
      // Whether any socket is left is read in turn, after every earlier connect of the user was applied.
      inTurn(actor.id, async () => ((await io.in(`user:${actor.id}`).fetchSockets()).length === 0 ? set(actor.id, 'offline') : undefined));
    });
  });
  return {
    async stop() {
      stopped = true;
      await Promise.allSettled([...pending]);
    },
  };
}
