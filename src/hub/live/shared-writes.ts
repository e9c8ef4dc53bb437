/**
 * Live events that leave close together share one write per socket. A
 * broadcast to 500 consoles is 500 kernel writes, and on a busy hub that —
 * not the events — is the cost: a second event would be 500 more. So while
 * events are being broadcast, each WebSocket transport is held (engine.io
 * queues its packets, as it does while a write is in flight), and then every
 * held transport sends what it queued in one corked write. Nothing changes on
 * the wire but the segmenting: each event stays its own frame, in order.
 *
 * When the hold ends adapts to the load, as Nagle's algorithm does for one
 * socket: an idle hub's event leaves at the end of its turn (setImmediate);
 * once flushing every socket takes a while (FLUSH_WORTH_SPACING_MS), the next
 * flush waits as long as the last one took. Writing can then take at most
 * half of the hub's thread — requests and database answers get the other
 * half — and under a burst each write carries several events instead of
 * each event costing a write per socket. An event waits at most one flush's
 * time for that.
 */
import { performance } from 'node:perf_hooks';
import type { Namespace } from 'socket.io';

/** A flush quicker than this never delays the next one: a few sockets, or an idle hub. */
export const FLUSH_WORTH_SPACING_MS = 1;
/** The longest the hub's thread writes before it lets other work in (a database answer, a request) and goes on. */
export const FLUSH_SLICE_MS = 2;

/** The parts of engine.io's WebSocket transport used here: its own writable flag and `ready` signal (what it does after each write). */
interface Transport {
  name: string;
  writable: boolean;
  emit(event: 'ready'): boolean;
  /** ws's WebSocket; its `_socket` is the TCP socket, corked so the frames go out in one write. */
  socket?: { _socket?: { cork(): void; uncork(): void } };
}

/**
 * Holds the namespace's writable WebSocket transports until the end of this turn, or
 * later while the last flush was long (see above); call before each broadcast.
 */
export function writesSharedPerTurn(nsp: Namespace, now: () => number = () => performance.now()): () => void {
  let held: Transport[] | null = null;
  /** No flush before this: the last one ended then plus its own length. */
  let nextFlushAt = 0;

  /** Flushes the held transports a slice at a time, the hub's thread free for other work between slices. */
  const release = () => {
    const transports = held ?? [];
    held = null;
    let next = 0;
    let spent = 0;
    const slice = () => {
      const started = now();
      let at = started;
      while (next < transports.length && at - started < FLUSH_SLICE_MS) {
        const transport = transports[next++]!;
        const tcp = transport.socket?._socket;
        tcp?.cork();
        transport.writable = true;
        transport.emit('ready');
        tcp?.uncork();
        at = now();
      }
      spent += at - started;
      if (next < transports.length) return void setImmediate(slice);
      nextFlushAt = spent >= FLUSH_WORTH_SPACING_MS ? at + spent : 0;
    };
    slice();
  };

  return () => {
    if (held) return;
    held = [];
    for (const socket of nsp.sockets.values()) {
      const transport = socket.conn.transport as unknown as Transport;
      // Polling, or a write still in flight: engine.io already queues, and flushes on its own.
      if (transport.name !== 'websocket' || !transport.writable) continue;
      transport.writable = false;
      held.push(transport);
    }
    const wait = nextFlushAt - now();
    if (wait >= 1) setTimeout(release, wait);
    else setImmediate(release);
  };
}
