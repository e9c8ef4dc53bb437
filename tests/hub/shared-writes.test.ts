/**
 * Live events that leave in the same turn share one write per socket
 * (src/hub/live/shared-writes.ts): counted on the hub's side of each TCP
 * connection, with every event still arriving as its own message, in order.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket as TcpSocket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { createLiveServer, type LiveServer } from '../../src/hub/live/io';
import type { Session } from '../../src/hub/auth/sessions';
import { connectSocket, waitFor } from './helpers';

const SOCKETS = 3;

/** The live server's handshake needs a session; this test is about writes, so every token is the same supervisor's. */
const session: Session = {
  actor: { id: 'sup-1', name: 'Sam', role: 'supervisor', queueIds: [], sessionEpoch: 0 },
  claims: { userId: 'sup-1', role: 'supervisor', jti: 'jti-1', expiresAt: new Date(Date.now() + 3_600_000), epoch: 0, sessionStartedAt: new Date(), familyId: null },
};

describe('live writes shared per turn', () => {
  let http: HttpServer;
  let io: LiveServer;
  const sockets: Socket[] = [];
  const heard: unknown[][] = [];
  /** Writes handed to each TCP connection on the hub's side (one kernel write each). */
  let writes: number[] = [];

  beforeAll(async () => {
    http = createServer();
    io = createLiveServer(http, { resolve: async () => session });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    for (let i = 0; i < SOCKETS; i++) {
      const socket = connectSocket(url, 'token');
      heard.push([]);
      socket.on('rule:notify', (notice: unknown) => heard[i]!.push(notice));
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      sockets.push(socket);
    }
    await waitFor(async () => (io.of('/').sockets.size === SOCKETS ? true : undefined));
    writes = [...io.of('/').sockets.values()].map(() => 0);
    [...io.of('/').sockets.values()].forEach((socket, i) => {
      const tcp = (socket.conn.transport as unknown as { socket: { _socket: TcpSocket & Record<'_write' | '_writev', (...args: unknown[]) => unknown> } }).socket._socket;
      for (const method of ['_write', '_writev'] as const) {
        const original = tcp[method].bind(tcp);
        tcp[method] = (...args: unknown[]) => {
          writes[i]!++;
          return original(...args);
        };
      }
    });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await new Promise<void>((resolve) => io.close(() => resolve()));
  });

  const notice = (n: number) => ({ text: `notice ${n}`, n }) as never;

  it('sends the events of one turn to each socket in one write, each its own event, in order', async () => {
    writes.fill(0);
    for (const list of heard) list.length = 0;
    for (let n = 1; n <= 3; n++) io.to('role:supervisor').emit('rule:notify', notice(n));
    await waitFor(async () => (heard.every((list) => list.length === 3) ? true : undefined));
    for (const list of heard) expect(list.map((m) => (m as { n: number }).n)).toEqual([1, 2, 3]);
    expect(writes).toEqual(Array(SOCKETS).fill(1));
  });

  it('sends an event of a later turn on its own, and a socket’s own emit in a broadcast’s turn after it', async () => {
    writes.fill(0);
    for (const list of heard) list.length = 0;
    io.to('role:supervisor').emit('rule:notify', notice(4));
    [...io.of('/').sockets.values()][0]!.emit('rule:notify', notice(5));
    await waitFor(async () => (heard[0]!.length === 2 && heard[1]!.length === 1 ? true : undefined));
    setImmediate(() => io.to('role:supervisor').emit('rule:notify', notice(6)));
    await waitFor(async () => (heard.every((list) => list.at(-1) && (list.at(-1) as { n: number }).n === 6) ? true : undefined));
    expect(heard.map((list) => list.map((m) => (m as { n: number }).n))).toEqual([[4, 5, 6], [4, 6], [4, 6]]);
    expect(writes).toEqual([2, 2, 2]);
  });
});
