/**
 * A console's live socket without socket.io-client, for the benches' load generators: a real WebSocket
 * doing the Engine.IO v4 / Socket.IO v5 handshake with the user's token (the hub puts it in its rooms),
 * answering pings, and handing each frame of one event to `onEvent` with the time it arrived. A full
 * socket.io-client costs ~18 µs of CPU per message here: hundreds of them would measure the generator.
 */
import WebSocket from 'ws';

/** Resolves once the hub accepted the socket; `event` is the one event read (`onEvent` gets its payload). */
export function connectBareSocket(url: string, token: string, event: string, onEvent: (payload: unknown, at: number) => void): Promise<WebSocket> {
  const endpoint = new URL('/socket.io/?EIO=4&transport=websocket', url.replace(/^http/, 'ws')).href;
  const prefix = `42[${JSON.stringify(event)},`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(endpoint);
    socket.on('error', reject);
    socket.on('message', (data: Buffer) => {
      const frame = data.toString();
      if (frame.startsWith(prefix)) {
        const at = Date.now();
        onEvent((JSON.parse(frame.slice(2)) as [string, unknown])[1], at);
      } else if (frame === '2') socket.send('3'); // Engine.IO ping → pong
      else if (frame.startsWith('0')) socket.send(`40${JSON.stringify({ token })}`); // open → Socket.IO connect with auth
      else if (frame.startsWith('40')) resolve(socket);
      else if (frame.startsWith('44')) reject(new Error(`refused: ${frame}`));
    });
  });
}
