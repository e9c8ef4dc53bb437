/** Worker thread for the fan-out bench: the consoles' sockets, off the hub's thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { io, type Socket } from 'socket.io-client';
import type { Message } from '../src/shared/domain';

const { url, token, count } = workerData as { url: string; token: string; count: number };
const arrivals: [string, number][] = [];
const sockets: Socket[] = [];
for (let i = 0; i < count; i++) {
  const socket = io(url, { auth: { token }, transports: ['websocket'], forceNew: true });
  socket.on('message:upsert', (message: Message) => arrivals.push([message.id, Date.now()]));
  sockets.push(socket);
}
await Promise.all(sockets.map((s) => (s.connected ? undefined : new Promise<void>((resolve) => s.once('connect', () => resolve())))));
parentPort!.postMessage({ type: 'ready' });
parentPort!.on('message', (command: string) => {
  if (command !== 'collect') return;
  for (const socket of sockets) socket.close();
  parentPort!.postMessage({ type: 'arrivals', arrivals });
});
