/**
 * Child process for the fan-out benches: consoles' sockets as a load
 * generator (bench/bare-socket.ts: real WebSockets in the user's rooms,
 * reading the frames themselves), noting when each `message:upsert` arrives.
 */
import type WebSocket from 'ws';
import { connectBareSocket } from './bare-socket';

const { url, token, count } = JSON.parse(process.argv[2]!) as { url: string; token: string; count: number };
const arrivals: [string, number][] = [];
const sockets: WebSocket[] = [];

const connect = () => connectBareSocket(url, token, 'message:upsert', (message, at) => void arrivals.push([(message as { id: string }).id, at]));

for (let i = 0; i < count; i++) sockets.push(await connect());
process.send!({ type: 'ready' });
process.on('message', (command: string) => {
  // drain: what arrived since the last drain, the sockets kept; collect: the same, then closed.
  if (command === 'drain') process.send!({ type: 'arrivals', arrivals: arrivals.splice(0) });
  if (command !== 'collect') return;
  for (const socket of sockets) socket.close();
  process.send!({ type: 'arrivals', arrivals: arrivals.splice(0) }, () => process.disconnect());
});
