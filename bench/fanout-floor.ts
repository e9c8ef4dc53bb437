/**
 * The machine's own ceiling for live fan-out: a bare socket.io server (same
 * version and options as the hub, no database, no HTTP pushes) emitting the
 * same events at the same rate to the same sockets and load generator as
 * bench/live-fanout.ts. Whatever the hub adds is above this line; if this
 * line misses the target, the machine cannot show it (its cores are shared
 * by the server and the 500 simulated consoles).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { uuidv7 } from 'uuidv7';
import { RATE, SECONDS, WARMUP_EVENTS, connectConsoles, reportDelivery } from './fanout-harness';

export async function benchFanoutFloor(): Promise<void> {
  const http = createServer();
  const io = new Server(http, { serveClient: false, connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 } });
  io.use((socket, next) => next(typeof socket.handshake.auth?.token === 'string' ? undefined : new Error('unauthorized')));
  io.on('connection', (socket) => void socket.join('role:supervisor'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const consoles = await connectConsoles(url, 'bench');
  try {
    const total = RATE * SECONDS;
    const sentAt = new Map<string, number>();
    const start = Date.now() + 100;
    // Each event is due at its time on the schedule; a late timer counts against the delivery.
    await new Promise<void>((resolve) => {
      let emitted = 0;
      for (let n = 0; n < WARMUP_EVENTS + total; n++) {
        const due = start + (n * 1000) / RATE;
        setTimeout(() => {
          const id = uuidv7();
          if (n >= WARMUP_EVENTS) sentAt.set(id, due);
          io.to('role:supervisor').emit('message:upsert', { id, caseId: id, direction: 'note', author: 'Bench', body: `fan-out ${n}`, createdAt: new Date().toISOString() } as never);
          if (++emitted === WARMUP_EVENTS + total) resolve();
        }, due - Date.now());
      }
    });
    await new Promise((r) => setTimeout(r, 1000));
    reportDelivery(`live floor: bare socket.io, same load`, await consoles.collect(), sentAt, total);
  } finally {
    for (const p of consoles.processes) p.kill();
    await new Promise<void>((resolve) => io.close(() => resolve()));
  }
}
