/**
 * Child process for the fan-out benches: consoles' sockets as a load
 * generator. Each is a real WebSocket that does the socket.io handshake with
 * the user's token and is put in its rooms by the hub; it reads the frames
 * itself (Engine.IO v4 / Socket.IO v5 wire format) because a full
 * socket.io-client costs ~18 µs of CPU per message here, and 500 of them on
 * the hub's own two cores would measure the load generator, not the hub.
 */
import WebSocket from 'ws';

const { url, token, count } = JSON.parse(process.argv[2]!) as { url: string; token: string; count: number };
const arrivals: [string, number][] = [];
const sockets: WebSocket[] = [];
const endpoint = new URL('/socket.io/?EIO=4&transport=websocket', url.replace(/^http/, 'ws')).href;
const EVENT = '42["message:upsert",';
type EventFrame = [name: string, message: { id: string }, offset?: string];

function connect(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(endpoint);
    socket.on('error', reject);
    socket.on('message', (data: Buffer) => {
      const frame = data.toString();
      if (frame.startsWith(EVENT)) {
        const at = Date.now();
        arrivals.push([(JSON.parse(frame.slice(2)) as EventFrame)[1].id, at]);
      } else if (frame === '2') socket.send('3'); // Engine.IO ping → pong
      else if (frame.startsWith('0')) socket.send(`40${JSON.stringify({ token })}`); // open → Socket.IO connect with auth
      else if (frame.startsWith('40')) resolve(socket);
      else if (frame.startsWith('44')) reject(new Error(`refused: ${frame}`));
    });
  });
}

for (let i = 0; i < count; i++) sockets.push(await connect());
process.send!({ type: 'ready' });
process.on('message', (command: string) => {
  if (command !== 'collect') return;
  for (const socket of sockets) socket.close();
  process.send!({ type: 'arrivals', arrivals }, () => process.disconnect());
});
