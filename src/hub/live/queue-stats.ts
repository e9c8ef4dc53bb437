/**
 * `queue:stats` for supervisors and admins: sent every few seconds, soon after
 * any change of a case or a presence (coalesced), and at once to a supervisor
 * who connects. Each hub sends to its own sockets only: with several hubs the
 * adapter would otherwise deliver every hub's copy to everyone.
 */
import type { Logger } from 'pino';
import type { Db } from '../db/connect';
import { queueStats } from '../repos/queue-stats';
import type { LiveServer } from './io';

const WATCHERS = ['role:supervisor', 'role:admin'];

export function broadcastQueueStats(io: LiveServer, db: Db, log: Logger, opts: { intervalMs?: number; settleMs?: number } = {}): { changed(): void; stop(): Promise<void> } {
  const intervalMs = opts.intervalMs ?? 5000;
  const settleMs = opts.settleMs ?? 500;
  let stopped = false;
  let soon: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const watched = () => WATCHERS.some((room) => (io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0);

  const send = () => {
    if (stopped || running || !watched()) return;
    running = queueStats(db)
      .then((stats) => {
        if (!stopped) io.local.to(WATCHERS).emit('queue:stats', stats);
      })
      .catch((error: unknown) => log.warn({ err: error }, 'queue stats failed'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(send, intervalMs);
  timer.unref();

  io.on('connection', (socket) => {
    if (socket.data.actor.role !== 'supervisor' && socket.data.actor.role !== 'admin') return;
    void queueStats(db)
      .then((stats) => socket.emit('queue:stats', stats))
      .catch((error: unknown) => log.warn({ err: error }, 'queue stats failed'));
  });

  return {
    changed() {
      if (stopped || soon) return;
      soon = setTimeout(() => {
        soon = null;
        send();
      }, settleMs);
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (soon) clearTimeout(soon);
      await running;
    },
  };
}
