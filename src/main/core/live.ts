/**
 * The live socket to the hub: applies pushed rows to the cache (reconciled by
 * rev), reports the connection state, and asks for a pull on every (re)connect
 * because events missed while away are only recovered by the cursor.
 */
import { io, type Socket } from 'socket.io-client';
import type { ConnectionState } from '../../shared/api';
import { AlertSchema, CaseSchema, MessageSchema } from '../../shared/domain';
import type { ConsoleToHubEvents, HubToConsoleEvents } from '../../shared/protocol';
import type { EntityStore } from './cache/entities';
import type { CoreEvents } from './emitter';

export interface LiveConnection {
  state(): ConnectionState;
  close(): void;
}

export function connectLive(opts: {
  hubUrl: string;
  token: string;
  entities: EntityStore;
  events: CoreEvents;
  onConnected: () => void;
  onUnauthorized: () => void;
  log?: (message: string) => void;
}): LiveConnection {
  let state: ConnectionState = 'offline';
  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    opts.events.emit('connection:changed', { state });
  };
  const socket: Socket<HubToConsoleEvents, ConsoleToHubEvents> = io(opts.hubUrl, {
    auth: { token: opts.token },
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 10_000,
  });

  socket.on('connect', () => {
    setState('online');
    opts.onConnected();
  });
  socket.on('disconnect', () => setState(socket.active ? 'reconnecting' : 'offline'));
  socket.on('connect_error', (error) => {
    if (error.message === 'unauthorized') {
      setState('offline');
      opts.onUnauthorized();
    } else setState(socket.active ? 'reconnecting' : 'offline');
  });

  socket.on('case:upsert', (raw) => {
    const parsed = CaseSchema.safeParse(raw);
    if (!parsed.success) return opts.log?.(`ignored malformed case:upsert: ${parsed.error.message}`);
    if (opts.entities.upsert('case', parsed.data)) opts.events.emit('cases:changed', { ids: [parsed.data.id] });
  });
  socket.on('message:upsert', (raw) => {
    const parsed = MessageSchema.safeParse(raw);
    if (!parsed.success) return opts.log?.(`ignored malformed message:upsert: ${parsed.error.message}`);
    if (opts.entities.upsert('message', parsed.data)) opts.events.emit('cases:changed', { ids: [parsed.data.caseId] });
  });
  socket.on('device:alert', (raw) => {
    const parsed = AlertSchema.safeParse(raw);
    if (parsed.success) opts.events.emit('device:alert', parsed.data);
  });

  return {
    state: () => state,
    close() {
      socket.removeAllListeners();
      socket.disconnect();
      setState('offline');
    },
  };
}
