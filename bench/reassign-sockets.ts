/**
 * Child process for the reassign bench: 50 consoles' live sockets, each a
 * real WebSocket doing the socket.io handshake with its user's token (rooms
 * by the hub, as a console's), reading the frames itself like
 * bench/fanout-clients.ts. Each notes when its `cases:batch` events have
 * named every moved case — as a row (the case arrived) or as removed (it
 * left the user's scope): what that console would apply.
 */
import WebSocket from 'ws';

const { url, tokens } = JSON.parse(process.argv[2]!) as { url: string; tokens: string[] };
const endpoint = new URL('/socket.io/?EIO=4&transport=websocket', url.replace(/^http/, 'ws')).href;
const EVENT = '42["cases:batch",';
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
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(endpoint);
    socket.on('error', reject);
    socket.on('message', (data: Buffer) => {
      const frame = data.toString();
      if (frame.startsWith(EVENT)) {
        const at = Date.now();
        if (!watched || done[index] !== null) return;
        const batch = (JSON.parse(frame.slice(2)) as [string, Batch])[1];
        for (const c of [...batch.cases, ...batch.removed]) if (watched.has(c.id)) seen[index]!.add(c.id);
        if (seen[index]!.size === watched.size) {
          done[index] = at;
          finishIfAll();
        }
      } else if (frame === '2') socket.send('3'); // Engine.IO ping → pong
      else if (frame.startsWith('0')) socket.send(`40${JSON.stringify({ token })}`); // open → Socket.IO connect with auth
      else if (frame.startsWith('40')) resolve(socket);
      else if (frame.startsWith('44')) reject(new Error(`refused: ${frame}`));
    });
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
