/**
 * Live events that leave in the same turn of the event loop share one write
 * per socket. A broadcast to 500 consoles is 500 kernel writes, and on a
 * busy hub that — not the events — is the cost: a second event in the same
 * turn would be 500 more. So while a turn broadcasts, each WebSocket
 * transport is held (engine.io queues its packets, as it does while a write
 * is in flight), and at the end of the turn every held transport sends what
 * it queued in one corked write. Nothing changes on the wire but the
 * segmenting: each event stays its own frame, in order; an idle hub's single
 * event leaves a turn's end later (setImmediate), not a timer later.
 */
import type { Namespace } from 'socket.io';

/** The parts of engine.io's WebSocket transport used here: its own writable flag and `ready` signal (what it does after each write). */
interface Transport {
  name: string;
  writable: boolean;
  emit(event: 'ready'): boolean;
  /** ws's WebSocket; its `_socket` is the TCP socket, corked so the frames go out in one write. */
  socket?: { _socket?: { cork(): void; uncork(): void } };
}

/** Holds the namespace's writable WebSocket transports until the end of this turn; call before each broadcast. */
export function writesSharedPerTurn(nsp: Namespace): () => void {
  let held: Transport[] | null = null;

  const release = () => {
    const transports = held ?? [];
    held = null;
    for (const transport of transports) {
      const tcp = transport.socket?._socket;
      tcp?.cork();
      transport.writable = true;
      transport.emit('ready');
      tcp?.uncork();
    }
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
    setImmediate(release);
  };
}
