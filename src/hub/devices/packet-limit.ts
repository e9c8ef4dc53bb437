/**
 * The embedded broker's limit on MQTT packet size. aedes 1.x buffers each
 * packet whole before parsing it, whatever length it declares (a 200 MB
 * publish grew the hub by 600 MB); this reads each packet's declared length
 * from the bytes as aedes reads them, so a client announcing more than the
 * limit is cut off before the rest of its packet is buffered.
 */
import type { Socket } from 'node:net';

/** Telemetry is a reading or a batch of at most 1,000: it fits with room to spare. */
export const MAX_PACKET_BYTES = 64 * 1024;

// MQTT's remaining length is a variable byte integer of at most four bytes (MQTT 3.1.1 §2.2.3).
const MAX_LENGTH_BYTES = 4;

/**
 * Follows the fixed headers of the packets in a byte stream; returns, for a chunk, the size a packet in it
 * declares when that is over `max` (Infinity for a malformed length), else undefined.
 */
export function packetSizeMeter(max: number): (chunk: Buffer) => number | undefined {
  let state: 'header' | 'length' | 'body' = 'header';
  let length = 0;
  let lengthBytes = 0;
  let remaining = 0;
  return (chunk) => {
    let i = 0;
    while (i < chunk.length) {
      if (state === 'body') {
        const take = Math.min(remaining, chunk.length - i);
        i += take;
        remaining -= take;
        if (remaining === 0) state = 'header';
      } else if (state === 'header') {
        i++;
        state = 'length';
        length = 0;
        lengthBytes = 0;
      } else {
        const byte = chunk[i++]!;
        length += (byte & 0x7f) * 128 ** lengthBytes++;
        if (byte & 0x80) {
          if (lengthBytes === MAX_LENGTH_BYTES) return Infinity;
          continue;
        }
        const size = 1 + lengthBytes + length;
        if (size > max) return size;
        remaining = length;
        state = remaining === 0 ? 'header' : 'body';
      }
    }
    return undefined;
  };
}

/**
 * Watches what aedes reads from `socket` and destroys it at the first packet over `max` bytes. Call it after
 * aedes has taken the socket: with aedes's 'readable' listener in place, a 'data' listener only sees the
 * chunks aedes reads and does not change how the socket flows.
 */
export function limitPacketSize(socket: Socket, max: number, onOversize: (size: number) => void): void {
  const meter = packetSizeMeter(max);
  const watch = (chunk: Buffer) => {
    const size = meter(chunk);
    if (size === undefined) return;
    socket.off('data', watch);
    socket.destroy();
    onOversize(size);
  };
  socket.on('data', watch);
}
