/**
 * `queue:stats` and `agent:stats` for supervisors and admins, always together:
 * sent every few seconds, soon after any change of a case or a presence
 * (coalesced), and at once to a supervisor who connects (those who connect
 * together share one read). Each hub sends to its
 * own sockets only: with several hubs the adapter would otherwise deliver every
 * hub's copy to everyone.
 */
import type { Logger } from 'pino';
import { mayOversee } from '../../shared/policy';
import type { AgentStats, QueueStats } from '../../shared/protocol';
import type { Db } from '../db/connect';
import { sharedRead } from '../ops/cached-read';
import { agentStats } from '../repos/agent-stats';
import { queueStats } from '../repos/queue-stats';
import { type LiveServer, overseerRooms } from './io';

const WATCHERS = overseerRooms();

/** Both boards' figures from the same moment. */
async function boardStats(db: Db): Promise<{ queues: QueueStats[]; agents: AgentStats[] }> {
  const now = new Date();
  const [queues, agents] = await Promise.all([queueStats(db, now), agentStats(db, now)]);
  return { queues, agents };
}

export function broadcastQueueStats(io: LiveServer, db: Db, log: Logger, opts: { intervalMs?: number; settleMs?: number } = {}): { changed(): void; stop(): Promise<void> } {
  const intervalMs = opts.intervalMs ?? 5000;
  const settleMs = opts.settleMs ?? 500;
  let stopped = false;
  let soon: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const watched = () => WATCHERS.some((room) => (io.sockets.adapter.rooms.get(room)?.size ?? 0) > 0);

  /** A change came while figures were being read: they may predate it, so read again once done. */
  let again = false;
  const send = () => {
    if (stopped || !watched()) return;
    if (running) {
      again = true;
      return;
    }
    running = boardStats(db)
      .then(({ queues, agents }) => {
        if (stopped) return;
        io.local.to(WATCHERS).emit('queue:stats', queues);
        io.local.to(WATCHERS).emit('agent:stats', agents);
      })
      .catch((error: unknown) => log.warn({ err: error }, 'queue stats failed'))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          send();
        }
      });
  };
  const timer = setInterval(send, intervalMs);
  timer.unref();

  // Supervisors who connect at once (a hub restarted: every console reconnects) share one read, not one each.
  const forNewcomers = sharedRead(() => boardStats(db));
  io.on('connection', (socket) => {
    if (!mayOversee(socket.data.actor.role)) return;
    void forNewcomers()
      .then(({ queues, agents }) => {
        socket.emit('queue:stats', queues);
        socket.emit('agent:stats', agents);
      })
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
