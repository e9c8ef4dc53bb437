/**
 * A local Jetstream for tests, speaking its wire format: `GET /subscribe`
 * upgraded to a WebSocket, `wantedCollections` filtering commits, `cursor`
 * (time_us) replaying every stored event from that time on before the live
 * ones, and each event one JSON text frame (`{did, time_us, kind: "commit",
 * commit: {rev, operation, collection, rkey, cid, record}}`). It also answers
 * the two XRPC calls the hub makes of the brand's PDS
 * (`com.atproto.identity.resolveHandle`, `com.atproto.repo.describeRepo`).
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface FakeBlueskyAccount {
  did: string;
  handle: string;
}

interface StoredEvent {
  time_us: number;
  collection: string | null;
  json: string;
}

export interface PostOptions {
  langs?: string[];
  reply?: { root: { uri: string; cid: string }; parent: { uri: string; cid: string } };
  /** DIDs mentioned with a facet. */
  mentions?: string[];
  createdAt?: string;
  /** When Jetstream saw it, for history from before a test (default: now, after every earlier event). */
  timeUs?: number;
}

export interface FakePost {
  uri: string;
  cid: string;
  rkey: string;
  did: string;
  time_us: number;
}

const b32 = 'abcdefghijklmnopqrstuvwxyz234567';

export async function startFakeJetstream() {
  const events: StoredEvent[] = [];
  const accounts = new Map<string, FakeBlueskyAccount>();
  const connections = new Set<WebSocket>();
  const connectWaiters: (() => void)[] = [];
  /** The `cursor` each subscription asked for (null: none). */
  const cursors: (number | null)[] = [];
  let down = false;
  let subscriptions = 0;
  let lastTime = Date.now() * 1000;
  let rkeySeq = 0;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/xrpc/com.atproto.identity.resolveHandle') {
      const account = [...accounts.values()].find((a) => a.handle === url.searchParams.get('handle'));
      return account ? json(200, { did: account.did }) : json(400, { error: 'InvalidRequest', message: 'Unable to resolve handle' });
    }
    if (url.pathname === '/xrpc/com.atproto.repo.describeRepo') {
      const account = accounts.get(url.searchParams.get('repo') ?? '');
      return account
        ? json(200, { handle: account.handle, did: account.did, didDoc: {}, collections: ['app.bsky.feed.post'], handleIsCorrect: true })
        : json(400, { error: 'RepoNotFound', message: 'Could not find repo' });
    }
    json(404, { error: 'NotFound' });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/subscribe' || down) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const wanted = url.searchParams.getAll('wantedCollections');
      const cursor = url.searchParams.has('cursor') ? Number(url.searchParams.get('cursor')) : null;
      cursors.push(cursor);
      const wants = (e: StoredEvent) => wanted.length === 0 || e.collection === null || wanted.includes(e.collection);
      // Replay, then live: both in this same tick, so no event falls between them.
      if (cursor !== null) for (const e of events) if (e.time_us >= cursor && wants(e)) ws.send(e.json);
      (ws as WebSocket & { wants?: typeof wants }).wants = wants;
      connections.add(ws);
      ws.on('close', () => connections.delete(ws));
      subscriptions++;
      for (const wake of connectWaiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  function emit(event: Record<string, unknown>, collection: string | null, at?: number): number {
    const time_us = at ?? (lastTime = Math.max(lastTime + 1, Date.now() * 1000));
    const json = JSON.stringify({ ...event, time_us });
    const stored = { time_us, collection, json };
    events.push(stored);
    for (const ws of connections) if ((ws as WebSocket & { wants?: (e: StoredEvent) => boolean }).wants?.(stored)) ws.send(json);
    return time_us;
  }

  const account = (handle: string): FakeBlueskyAccount => {
    const did = `did:plc:${createHash('sha256').update(handle).digest('hex').slice(0, 24)}`;
    const created = { did, handle };
    accounts.set(did, created);
    return created;
  };

  return {
    /** The Jetstream URL (ws://) and the PDS URL (http://) of the same server. */
    url: `ws://127.0.0.1:${port}`,
    pdsUrl: `http://127.0.0.1:${port}`,
    cursors,
    account,
    /** Publishes a new post by `author`, as a commit event. */
    post(author: FakeBlueskyAccount, text: string, opts: PostOptions = {}): FakePost {
      const rkey = `3l${(Date.now() * 1000 + rkeySeq++).toString(32).padStart(11, '2')}`.slice(0, 13);
      const cid = `bafyrei${createHash('sha256').update(`${author.did}/${rkey}`).digest('hex').slice(0, 52).replace(/[0-9]/g, (d) => b32[Number(d)]!)}`;
      const facets = (opts.mentions ?? []).map((did) => ({
        $type: 'app.bsky.richtext.facet',
        index: { byteStart: 0, byteEnd: 1 },
        features: [{ $type: 'app.bsky.richtext.facet#mention', did }],
      }));
      const record = {
        $type: 'app.bsky.feed.post',
        text,
        createdAt: opts.createdAt ?? new Date().toISOString(),
        ...(opts.langs ? { langs: opts.langs } : {}),
        ...(opts.reply ? { reply: opts.reply } : {}),
        ...(facets.length > 0 ? { facets } : {}),
      };
      const time_us = emit({ did: author.did, kind: 'commit', commit: { rev: `3l${rkeySeq}rev`, operation: 'create', collection: 'app.bsky.feed.post', rkey, record, cid } }, 'app.bsky.feed.post', opts.timeUs);
      return { uri: `at://${author.did}/app.bsky.feed.post/${rkey}`, cid, rkey, did: author.did, time_us };
    },
    /** A like (another collection: not sent to a subscription that wants posts only). */
    like(author: FakeBlueskyAccount, subject: FakePost) {
      emit(
        { did: author.did, kind: 'commit', commit: { rev: 'r', operation: 'create', collection: 'app.bsky.feed.like', rkey: `like${rkeySeq++}`, record: { subject: { uri: subject.uri, cid: subject.cid }, createdAt: new Date().toISOString() }, cid: 'bafylike' } },
        'app.bsky.feed.like',
      );
    },
    /** An identity event (every subscription gets those). */
    identity(who: FakeBlueskyAccount) {
      emit({ did: who.did, kind: 'identity', identity: { did: who.did, handle: who.handle, seq: 1, time: new Date().toISOString() } }, null);
    },
    /** Sends a raw text frame to every open subscription (not stored: nothing to replay). */
    sendRaw(text: string) {
      for (const ws of connections) ws.send(text);
    },
    /** Stores and sends an event as given (with a time_us of its own). */
    emitRaw(event: Record<string, unknown>) {
      return emit(event, 'app.bsky.feed.post');
    },
    openConnections: () => connections.size,
    subscriptions: () => subscriptions,
    async subscribed(count: number, timeoutMs = 15_000): Promise<void> {
      const until = Date.now() + timeoutMs;
      while (subscriptions < count) {
        if (Date.now() > until) throw new Error(`only ${subscriptions} of ${count} subscriptions were made`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, until - Date.now()));
          connectWaiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    /** Drops every subscription, as a restarting Jetstream does. */
    drop() {
      for (const ws of connections) ws.terminate();
    },
    /** While down, a subscription is refused with 503. */
    setDown(value: boolean) {
      down = value;
    },
    async close() {
      for (const ws of connections) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeJetstream = Awaited<ReturnType<typeof startFakeJetstream>>;
