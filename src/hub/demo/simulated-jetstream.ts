/**
 * The provider simulator's Jetstream: `GET /subscribe` upgraded to a
 * WebSocket, each post commit one JSON text frame (`{did, time_us, kind:
 * "commit", commit: {rev, operation, collection, rkey, cid, record}}`),
 * `wantedCollections` honoured, and `cursor` (time_us) replaying the kept
 * events from that time on before the live ones. It keeps the last `max`
 * events (a real Jetstream keeps days; an older cursor replays all it has).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';

interface KeptEvent {
  time_us: number;
  collection: string;
  json: string;
}

export interface StrongRef {
  uri: string;
  cid: string;
}

export function simulatedJetstream(opts: { max: number }) {
  const events: KeptEvent[] = [];
  const subscribers = new Map<WebSocket, (collection: string) => boolean>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  let lastTimeUs = 0;

  function onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== '/subscribe') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const cursorParam = url.searchParams.get('cursor');
    if (cursorParam !== null && !/^\d{1,17}$/.test(cursorParam)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const wanted = url.searchParams.getAll('wantedCollections');
      const wants = (collection: string) => wanted.length === 0 || wanted.includes(collection);
      // Replay, then live: both in this tick, so no event falls between them.
      if (cursorParam !== null) {
        const cursor = Number(cursorParam);
        for (const event of events) if (event.time_us >= cursor && wants(event.collection)) ws.send(event.json);
      }
      subscribers.set(ws, wants);
      ws.on('close', () => subscribers.delete(ws));
      ws.on('error', () => ws.terminate());
    });
  }

  return {
    /** Serves `/subscribe` on the simulator's HTTP server. */
    attach(server: Server) {
      server.on('upgrade', onUpgrade);
    },

    /** Publishes a commit creating `record` in `collection` of `did`'s repo; returns its time_us. */
    commit(did: string, collection: string, rkey: string, cid: string, rev: string, record: object): number {
      // time_us is the cursor: strictly increasing.
      const time_us = (lastTimeUs = Math.max(lastTimeUs + 1, Date.now() * 1000));
      const json = JSON.stringify({ did, time_us, kind: 'commit', commit: { rev, operation: 'create', collection, rkey, record, cid } });
      events.push({ time_us, collection, json });
      if (events.length > opts.max) events.splice(0, events.length - opts.max);
      for (const [ws, wants] of subscribers) if (wants(collection)) ws.send(json);
      return time_us;
    },

    subscribers: () => subscribers.size,

    close() {
      for (const ws of subscribers.keys()) ws.terminate();
      subscribers.clear();
      wss.close();
    },
  };
}

export type SimulatedJetstream = ReturnType<typeof simulatedJetstream>;
