/**
 * Collision detection: who else has a case open, and who is writing a reply
 * to it. A console says which case it has open with `case:watch` (one per
 * socket; null when none); the hub checks the user may see the case (the
 * scope rule), puts the socket in the room `watch:<case id>`, keeps what it
 * is doing in its `data`, and sends everyone in the room who is there now
 * (`case:watchers`). The list is read with `fetchSockets`, so with several
 * hubs (the Redis adapter) it holds the sockets of every hub.
 *
 * A flapping console cannot flood anyone: each socket's watches are applied
 * at most every `minIntervalMs` (the latest wins), and each case's list is
 * sent at most every `settleMs`. A second send `confirmMs` later repairs a
 * race between two hubs that each sent a list read before the other's change.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { collapseWatchers, type WatchingSocket } from '../../shared/collision';
import { type CaseWatch, type CaseWatchAck, CaseWatchSchema, WatchModeSchema } from '../../shared/protocol';
import type { Sessions } from '../auth/sessions';
import type { Db } from '../db/connect';
import { maySeeCase } from '../repos/scope';
import type { LiveServer } from './io';

export const watchRoom = (caseId: string) => `watch:${caseId}`;

/** What a socket's data holds while it is on a case. Read back from other hubs' sockets too, so checked. */
const WatchStateSchema = z.object({ caseId: z.uuid(), mode: WatchModeSchema, since: z.iso.datetime({ offset: true }) });
type WatchState = z.infer<typeof WatchStateSchema>;
type WithWatch = { watch?: WatchState };

const stateOf = (data: unknown): WatchState | null => {
  const parsed = WatchStateSchema.safeParse((data as WithWatch | undefined)?.watch);
  return parsed.success ? parsed.data : null;
};

/** A socket that keeps sending malformed watches is logged once in this long. */
const MALFORMED_LOG_EVERY_MS = 10_000;

export interface WatcherOptions {
  /** A socket's watches are applied at most this often; in between, the latest waits. */
  minIntervalMs?: number;
  /** A case's changes within this long make one list. */
  settleMs?: number;
  /** The list is sent once more this long after a change (several hubs). */
  confirmMs?: number;
}

export function watchCases(io: LiveServer, db: Db, sessions: Pick<Sessions, 'resolve'>, log: Logger, opts: WatcherOptions = {}): { stop(): void } {
  const minIntervalMs = opts.minIntervalMs ?? 200;
  const settleMs = opts.settleMs ?? 100;
  const confirmMs = opts.confirmMs ?? 1000;
  let stopped = false;
  const soon = new Map<string, NodeJS.Timeout>();
  const confirm = new Map<string, NodeJS.Timeout>();

  async function send(caseId: string, thenConfirm: boolean): Promise<void> {
    const room = watchRoom(caseId);
    const sockets = await io.in(room).fetchSockets();
    if (stopped || sockets.length === 0) return;
    const entries: WatchingSocket[] = [];
    for (const s of sockets) {
      const watch = stateOf(s.data);
      if (watch?.caseId === caseId) entries.push({ userId: s.data.actor.id, name: s.data.actor.name, mode: watch.mode, since: watch.since });
    }
    io.to(room).emit('case:watchers', { caseId, watchers: collapseWatchers(entries) });
    if (thenConfirm && !confirm.has(caseId)) {
      const timer = setTimeout(() => {
        confirm.delete(caseId);
        send(caseId, false).catch((error: unknown) => log.warn({ err: error, caseId }, 'sending the watchers of a case failed'));
      }, confirmMs);
      timer.unref();
      confirm.set(caseId, timer);
    }
  }

  function changed(caseId: string): void {
    if (stopped || soon.has(caseId)) return;
    const timer = setTimeout(() => {
      soon.delete(caseId);
      send(caseId, true).catch((error: unknown) => log.warn({ err: error, caseId }, 'sending the watchers of a case failed'));
    }, settleMs);
    timer.unref();
    soon.set(caseId, timer);
  }

  io.on('connection', (socket) => {
    const data = socket.data as typeof socket.data & WithWatch;
    let queued: { watch: CaseWatch; acks: ((answer: CaseWatchAck) => void)[] } | null = null;
    let busy = false;
    let lastApplied = 0;
    let wait: NodeJS.Timeout | null = null;
    let lastMalformedLog = -Infinity;
    let leftCase: string | null = null;

    /** The user as they are now (role and queues may have changed since the handshake). */
    async function mayWatch(caseId: string): Promise<boolean> {
      const token: unknown = socket.handshake.auth?.token;
      const session = typeof token === 'string' ? await sessions.resolve(token) : null;
      return session !== null && (await maySeeCase(db, session.actor, caseId));
    }

    async function apply(watch: CaseWatch): Promise<CaseWatchAck> {
      const before = stateOf(data);
      if (before && before.caseId === watch.caseId && before.mode === watch.mode) return { ok: true };
      const moving = watch.caseId !== null && watch.caseId !== before?.caseId;
      const allowed = !moving || (await mayWatch(watch.caseId!));
      if (!socket.connected) return { ok: true };
      // Leaving the previous case, whether or not the next one may be watched: the console has moved on.
      const previous = stateOf(data);
      if (previous && (previous.caseId !== watch.caseId || !allowed)) {
        delete data.watch;
        await socket.leave(watchRoom(previous.caseId));
        changed(previous.caseId);
      }
      if (watch.caseId === null) return { ok: true };
      if (!allowed) return { ok: false, error: 'not_found' };
      const same = stateOf(data);
      data.watch = { caseId: watch.caseId, mode: watch.mode, since: same?.mode === watch.mode ? same.since : new Date().toISOString() };
      await socket.join(watchRoom(watch.caseId));
      changed(watch.caseId);
      return { ok: true };
    }

    function pump(): void {
      if (busy || !queued || stopped) return;
      const left = lastApplied + minIntervalMs - Date.now();
      if (left > 0) {
        wait ??= setTimeout(() => {
          wait = null;
          pump();
        }, left);
        return;
      }
      const { watch, acks } = queued;
      queued = null;
      busy = true;
      lastApplied = Date.now();
      apply(watch)
        .catch((error: unknown): CaseWatchAck => {
          log.warn({ err: error, socket: socket.id }, 'a case watch failed');
          return { ok: false, error: 'not_found' };
        })
        .then((answer) => acks.forEach((ack) => ack(answer)))
        .finally(() => {
          busy = false;
          pump();
        });
    }

    socket.on('case:watch', (payload: unknown, ack?: unknown) => {
      const answer = typeof ack === 'function' ? (ack as (answer: CaseWatchAck) => void) : () => undefined;
      const parsed = CaseWatchSchema.safeParse(payload);
      if (!parsed.success) {
        if (Date.now() - lastMalformedLog >= MALFORMED_LOG_EVERY_MS) {
          lastMalformedLog = Date.now();
          log.warn({ socket: socket.id, userId: data.actor.id, issues: parsed.error.issues.length }, 'ignored a malformed case:watch');
        }
        return answer({ ok: false, error: 'invalid_input' });
      }
      // Coalesced: only the latest watch is applied, every caller answered with its outcome.
      queued = { watch: parsed.data, acks: [...(queued?.acks ?? []), answer] };
      pump();
    });

    // Before socket.io keeps the socket's rooms and data for connection state recovery: a console
    // coming back says again what it has open, and a stale watch room must not cost it its missed events.
    socket.on('disconnecting', () => {
      const watch = stateOf(data);
      if (!watch) return;
      delete data.watch;
      leftCase = watch.caseId;
      void socket.leave(watchRoom(watch.caseId));
    });
    socket.on('disconnect', () => {
      if (wait) clearTimeout(wait);
      wait = null;
      queued = null;
      if (leftCase) changed(leftCase);
    });
  });

  return {
    stop() {
      stopped = true;
      for (const timer of [...soon.values(), ...confirm.values()]) clearTimeout(timer);
      soon.clear();
      confirm.clear();
    },
  };
}
