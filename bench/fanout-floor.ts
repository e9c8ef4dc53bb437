/**
 * The machine's own ceiling for live fan-out: a bare socket.io server (same
 * version and options as the hub, no database, no HTTP pushes) emitting the
 * same events to the same sockets and load generator as bench/live-fanout.ts,
 * at each rate in turn: the highest it sustains is what this machine can do at
 * all, and each hub's figure is set against it (fanout-harness.ts
 * reportRatio), in the same run.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { uuidv7 } from 'uuidv7';
import { connectConsoles, deliveryOf, floorOnce, highestSustainedRate, STEP_SECONDS } from './fanout-harness';

export const FLOOR_NAME = 'live floor: bare socket.io';

/** The floor's highest sustained rate, measured once per run however many hub lines ask for it. */
export const fanoutFloorRate = () => floorOnce(measureFloor);

export async function benchFanoutFloor(): Promise<void> {
  await fanoutFloorRate();
}

async function measureFloor(): Promise<number> {
  const http = createServer();
  const io = new Server(http, { serveClient: false, connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 } });
  io.use((socket, next) => next(typeof socket.handshake.auth?.token === 'string' ? undefined : new Error('unauthorized')));
  io.on('connection', (socket) => void socket.join('role:supervisor'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const consoles = await connectConsoles(url, 'bench');
  try {
    return await highestSustainedRate(FLOOR_NAME, async (rate) => {
      const sentAt = new Map<string, number>();
      const events = rate * (1 + STEP_SECONDS);
      const start = Date.now() + 100;
      // Each event is due at its time on the schedule; a late timer counts against the delivery. The first second warms up.
      await new Promise<void>((resolve) => {
        let emitted = 0;
        for (let n = 0; n < events; n++) {
          const due = start + (n * 1000) / rate;
          setTimeout(() => {
            const id = uuidv7();
            if (n >= rate) sentAt.set(id, due);
            io.to('role:supervisor').emit('message:upsert', { id, caseId: id, direction: 'note', author: 'Bench', body: `fan-out ${n}`, createdAt: new Date().toISOString() } as never);
            if (++emitted === events) resolve();
          }, due - Date.now());
        }
      });
      await new Promise((r) => setTimeout(r, 1000));
      return deliveryOf(await consoles.drain(), sentAt);
    });
  } finally {
    for (const p of consoles.processes) p.kill();
    await new Promise<void>((resolve) => io.close(() => resolve()));
  }
}
