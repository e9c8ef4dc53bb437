/**
 * socket.io on the hub's HTTP server: the handshake needs a valid token;
 * each socket joins its user, role and queue rooms; `publish` sends an event
 * to exactly the consoles whose scope includes the case.
 *
 * Connection state recovery gives a console that was away under two minutes
 * its socket back (same id, its `data` and its rooms) and what it missed.
 * socket.io would do that before and without the token check, so here a
 * restored socket passes the handshake like a new one, is moved to the rooms
 * of the user as they are now, and what it missed is held back until then.
 */
import type { Server as HttpServer } from 'node:http';
import { type Namespace, Server, type ServerOptions, type Socket } from 'socket.io';
import { type Case, ROLES } from '../../shared/domain';
import { OVERSEER_ROLES } from '../../shared/policy';
import type { ConsoleToHubEvents, HubToConsoleEvents } from '../../shared/protocol';
import { SessionChangeSchema, type SessionChange, type Sessions } from '../auth/sessions';
import type { Actor } from '../repos/scope';
import { writesSharedPerTurn } from './shared-writes';

interface SocketData {
  actor: Actor;
  jti: string;
  /** When the token the socket was opened with expires (never past its session's end). */
  expiresAt: Date;
}

/** setTimeout's longest delay; a token living longer is checked again then. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Between hubs (through the adapter): a revoked token or changed user, so no hub keeps trusting what it remembered. */
interface HubToHubEvents {
  'sessions:changed': (change: unknown, ack: (done: boolean) => void) => void;
}

export type LiveServer = Server<ConsoleToHubEvents, HubToConsoleEvents, HubToHubEvents, SocketData>;
type LiveSocket = Socket<ConsoleToHubEvents, HubToConsoleEvents, HubToHubEvents, SocketData>;
type AdapterConstructor = NonNullable<Partial<ServerOptions>['adapter']>;
type NamespaceAdapter = Namespace['adapter'];

/** socket.io-parser's PacketType.EVENT. */
const EVENT_PACKET = 2;

/**
 * What a restored socket missed, until it has passed the handshake. Keyed by
 * the restored `data` object, which socket.io gives the new socket as it is.
 */
const missedWhileAway = new WeakMap<object, unknown[][]>();

export function createLiveServer(http: HttpServer, sessions: Pick<Sessions, 'resolve'>): LiveServer {
  const io: LiveServer = new Server(http, {
    serveClient: false,
    cors: { origin: false },
    // A console back within two minutes gets the events it missed; beyond that, its sync cursor does the work.
    // The token check runs on a restored socket too (socket.io skips it by default).
    connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: false },
  });
  useAdapter(io, io.adapter()!);
  io.use(async (socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    const session = typeof token === 'string' ? await sessions.resolve(token) : null;
    if (!session) return next(new Error('unauthorized'));
    // A restored socket carries the data of the one that dropped: only a live token of the same user takes it over.
    if (socket.recovered && socket.data.actor?.id !== session.actor.id) return next(new Error('unauthorized'));
    socket.data.actor = session.actor;
    socket.data.jti = session.claims.jti;
    socket.data.expiresAt = session.claims.expiresAt;
    next();
  });
  io.on('connection', (socket) => {
    enterRooms(socket);
    closeWhenExpired(socket);
  });
  return io;
}

/**
 * A socket lives no longer than its token: an HTTP request with it would be
 * refused from then on, so the live feed stops too. The console reconnects
 * with the token it has now, or learns its session has ended.
 */
function closeWhenExpired(socket: LiveSocket): void {
  const check = () => {
    const left = socket.data.expiresAt.getTime() - Date.now();
    if (left <= 0) return void socket.disconnect(true);
    timer = setTimeout(check, Math.min(left, LONGEST_TIMER_MS));
  };
  let timer: NodeJS.Timeout | undefined;
  check();
  socket.once('disconnect', () => clearTimeout(timer));
}

/**
 * Sets the adapter (in-memory or Redis) with recovery held back: socket.io
 * writes a restored socket's missed packets while creating it, before any
 * middleware, so they are taken out here and sent by `enterRooms`.
 */
export function useAdapter(io: LiveServer, Base: AdapterConstructor): void {
  io.adapter(function recoveringAfterHandshake(nsp: Namespace): NamespaceAdapter {
    const adapter = new (Base as new (nsp: Namespace) => NamespaceAdapter)(nsp);
    shareWrites(adapter, writesSharedPerTurn(nsp));
    const restore = adapter.restoreSession.bind(adapter);
    adapter.restoreSession = async (pid, offset) => {
      const session = await restore(pid, offset);
      // A rejection makes socket.io start a new socket instead, as for an expired session.
      if (!session || typeof session.data !== 'object' || session.data === null) throw new Error('no session to restore');
      missedWhileAway.set(session.data, session.missedPackets);
      return { ...session, missedPackets: [] };
    };
    return adapter;
  });
}

/** Every broadcast, this hub's or one another hub sent through the adapter (`onMessage`), first holds the turn's writes. */
function shareWrites(adapter: NamespaceAdapter, hold: () => void): void {
  const hooks = adapter as unknown as Record<'broadcast' | 'onMessage', ((...args: unknown[]) => unknown) | undefined>;
  for (const method of ['broadcast', 'onMessage'] as const) {
    const original = hooks[method];
    if (typeof original !== 'function') continue;
    hooks[method] = (...args: unknown[]) => {
      hold();
      return original.apply(adapter, args);
    };
  }
}

/**
 * Joins the rooms of the user as they are now. A restored socket is back in
 * the rooms it had when it dropped: it leaves those no longer its own, and
 * gets what it missed only if it left none — those events were picked by the
 * old rooms. (A console pulls on every connect, so nothing is lost for good.)
 */
function enterRooms(socket: LiveSocket): void {
  const rooms = roomsOf(socket.data.actor);
  const stale = [...socket.rooms].filter((room) => room !== socket.id && !rooms.includes(room));
  for (const room of stale) void socket.leave(room);
  void socket.join(rooms);
  const missed = missedWhileAway.get(socket.data);
  missedWhileAway.delete(socket.data);
  if (!missed || stale.length > 0) return;
  for (const data of missed) socket.client._packet({ type: EVENT_PACKET, nsp: socket.nsp.name, data });
}

/** The rooms a user's sockets are in. Technicians see only their own assignments, so only agents follow queue rooms. */
function roomsOf(actor: Pick<Actor, 'id' | 'role' | 'queueIds'>): string[] {
  return [`user:${actor.id}`, `role:${actor.role}`, ...(actor.role === 'agent' ? actor.queueIds.map((q) => `queue:${q}`) : [])];
}

/** The rooms of those who oversee (src/shared/policy.ts): they see every case, mention and presence, the boards and the surges. */
export const overseerRooms = (): string[] => OVERSEER_ROLES.map((role) => `role:${role}`);

/** The rooms whose members may see this case (mirrors caseScope). */
export function roomsForCase(c: Pick<Case, 'queueId' | 'assigneeId'>): string[] {
  const rooms = [...overseerRooms(), `queue:${c.queueId}`];
  if (c.assigneeId) rooms.push(`user:${c.assigneeId}`);
  return rooms;
}

/**
 * Session changes travel to the other hubs over the adapter; the change is
 * announced with acknowledgements so a logout answers only once every hub has
 * dropped the token (a hub that does not answer in time still drops it within
 * the session lifetime). The adapter gives up waiting after 5 s.
 */
export function shareSessionChanges(io: LiveServer, sessions: Pick<Sessions, 'forget'>, warn: (message: string) => void) {
  io.on('sessions:changed', (change, ack) => {
    const parsed = SessionChangeSchema.safeParse(change);
    // One that cannot be read still says something changed: forgetting everything is the safe answer.
    if (!parsed.success) warn(`a malformed session change from another hub, forgetting every session: ${parsed.error.message}`);
    sessions.forget(parsed.success ? parsed.data : { all: true });
    ack(parsed.success);
  });
  return async (change: SessionChange): Promise<void> => {
    try {
      await io.serverSideEmitWithAck('sessions:changed', change);
    } catch (error) {
      warn(`not every hub confirmed a session change in time: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

export async function disconnectToken(io: LiveServer, jti: string): Promise<void> {
  for (const socket of await io.fetchSockets()) if (socket.data.jti === jti) socket.disconnect(true);
}

export function disconnectUser(io: LiveServer, userId: string): void {
  io.in(`user:${userId}`).disconnectSockets(true);
}

/** After a membership change, agents' open sockets (on any hub) follow the queue's room without reconnecting. */
export async function syncQueueRoom(io: LiveServer, queueId: string, memberIds: string[]): Promise<void> {
  const room = `queue:${queueId}`;
  // Who is an agent now is told by the role room, which follows role changes; a socket's handshake data does not.
  for (const socket of await io.in('role:agent').fetchSockets()) {
    if (memberIds.includes(socket.data.actor.id)) socket.join(room);
    else socket.leave(room);
  }
}

/**
 * After a role change, the user's open sockets (on any hub) move to the rooms
 * of the new role at once: a supervisor made an agent must stop receiving
 * every case live, not at their next reconnect.
 */
export function syncUserRooms(io: LiveServer, user: Pick<Actor, 'id' | 'role' | 'queueIds'>, allQueueIds: string[]): void {
  const sockets = io.in(`user:${user.id}`);
  const rooms = roomsOf(user);
  const possible = [...ROLES.map((r) => `role:${r}`), ...allQueueIds.map((q) => `queue:${q}`)];
  sockets.socketsLeave(possible.filter((room) => !rooms.includes(room)));
  sockets.socketsJoin(rooms);
}
