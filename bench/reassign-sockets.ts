/**
 * Child process for the reassign bench: 50 consoles' live sockets, each a
 * real WebSocket doing the socket.io handshake with its user's token (rooms
 * by the hub, as a console's), reading the frames itself
 * (bench/bare-socket.ts). Each notes when its `cases:batch` events have
 * named every moved case — as a row (the case arrived) or as removed (it
 * left the user's scope): what that console would apply.
 */
import type WebSocket from 'ws';
import { connectBareSocket } from './bare-socket';

const { url, tokens } = JSON.parse(process.argv[2]!) as { url: string; tokens: string[] };
interface Batch {
  cases: { id: string }[];
  removed: { id: string }[];
}

let watched: Set<string> | null = null;
const done: (number | null)[] = tokens.map(() => null);
const seen = tokens.map(() => new Set<string>());
const sockets: WebSocket[] = [];

function finishIfAll(): void {
  if (done.every((at) => at !== null)) process.send!({ type: 'done', at: done });
}

function connect(token: string, index: number): Promise<WebSocket> {
  return connectBareSocket(url, token, 'cases:batch', (payload, at) => {
    if (!watched || done[index] !== null) return;
    const batch = payload as Batch;
    for (const c of [...batch.cases, ...batch.removed]) if (watched.has(c.id)) seen[index]!.add(c.id);
    if (seen[index]!.size === watched.size) {
      done[index] = at;
      finishIfAll();
    }
  });
}

for (const [i, token] of tokens.entries()) sockets.push(await connect(token, i));
process.on('message', (m: { type: 'watch'; ids: string[] } | { type: 'close' }) => {
  if (m.type === 'watch') {
    watched = new Set(m.ids);
    process.send!({ type: 'watching' });
  } else {
    for (const socket of sockets) socket.close();
    process.disconnect();
  }
});
process.send!({ type: 'ready' });
