/**
 * socket.io on the hub's HTTP server: the handshake needs a valid token;
 * each socket joins its user, role and queue rooms; `publish` sends an event
 * to exactly the consoles whose scope includes the case.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Case } from '../../shared/domain';
import type { ConsoleToHubEvents, HubToConsoleEvents } from '../../shared/protocol';
import type { Db } from '../db/connect';
import type { TokenService } from '../auth/tokens';
import { loadActor } from '../repos/users';
import type { Actor } from '../repos/scope';

interface SocketData {
  actor: Actor;
  jti: string;
}

export type LiveServer = Server<ConsoleToHubEvents, HubToConsoleEvents, Record<string, never>, SocketData>;

export function createLiveServer(http: HttpServer, db: Db, tokens: TokenService): LiveServer {
  const io: LiveServer = new Server(http, {
    serveClient: false,
    cors: { origin: false },
    // A console back within two minutes gets the events it missed; beyond that, its sync cursor does the work.
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000 },
  });
  io.use(async (socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    const claims = typeof token === 'string' ? await tokens.verify(token) : null;
    const actor = claims ? await loadActor(db, claims.userId) : null;
    if (!actor) return next(new Error('unauthorized'));
    socket.data.actor = actor;
    socket.data.jti = claims!.jti;
    next();
  });
  io.on('connection', (socket) => {
    const { actor } = socket.data;
    // Technicians see only their own assignments, so only agents follow queue rooms.
    const queueRooms = actor.role === 'agent' ? actor.queueIds.map((q) => `queue:${q}`) : [];
    void socket.join([`user:${actor.id}`, `role:${actor.role}`, ...queueRooms]);
  });
  return io;
}

/** The rooms whose members may see this case (mirrors caseScope). */
export function roomsForCase(c: Pick<Case, 'queueId' | 'assigneeId'>): string[] {
  const rooms = ['role:supervisor', 'role:admin', `queue:${c.queueId}`];
  if (c.assigneeId) rooms.push(`user:${c.assigneeId}`);
  return rooms;
}

export async function disconnectToken(io: LiveServer, jti: string): Promise<void> {
  for (const socket of await io.fetchSockets()) if (socket.data.jti === jti) socket.disconnect(true);
}

/** After a membership change, agents' open sockets (on any hub) follow the queue's room without reconnecting. */
export async function syncQueueRoom(io: LiveServer, queueId: string, memberIds: string[]): Promise<void> {
  const room = `queue:${queueId}`;
  for (const socket of await io.fetchSockets()) {
    if (socket.data.actor.role !== 'agent') continue;
    if (memberIds.includes(socket.data.actor.id)) socket.join(room);
    else socket.leave(room);
  }
}
