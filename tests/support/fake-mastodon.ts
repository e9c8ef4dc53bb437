/**
 * A local Mastodon instance for tests, speaking the real wire formats the hub
 * reads: `GET /api/v1/accounts/verify_credentials`, `GET /api/v1/notifications`
 * (newest first, `types[]`, `min_id`/`since_id`/`max_id`/`limit`, a `Link`
 * header with `rel="next"`/`rel="prev"`) and the user notification stream
 * `GET /api/v1/streaming/user/notification` as server-sent events (`:)` on
 * open, `:thump` heartbeats, `event: notification` + `data: <JSON>`), all
 * behind `Authorization: Bearer`. A post made while no stream is open is
 * only in the REST API, as on a real instance the hub was disconnected from.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAccount {
  id: string;
  username: string;
  /** `username` for local accounts, `username@domain` for remote ones. */
  acct: string;
  display_name: string;
}

export interface FakeStatus {
  id: string;
  account: FakeAccount;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  visibility: string;
  [field: string]: unknown;
}

export interface FakeNotification {
  id: string;
  type: string;
  [field: string]: unknown;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export async function startFakeMastodon(options: { token?: string; heartbeatMs?: number } = {}) {
  const token = options.token ?? 'fake-mastodon-token';
  let nextAccount = 1000;
  let nextStatus = 110_000_000_000_000_000n;
  let nextNotification = 5000;
  const notifications: FakeNotification[] = [];
  const streams = new Set<ServerResponse>();
  const streamWaiters: (() => void)[] = [];
  let streamsOpened = 0;
  let streamDown = false;
  /** Runs before a notifications page is computed, or once it was sent (a test posting "during" the catch-up). */
  let notificationsHook: { when: 'before' | 'after'; run: () => void } | null = null;
  const requests: string[] = [];

  let host = '';
  const account = (username: string, displayName: string, domain?: string): FakeAccount => ({
    id: String(nextAccount++),
    username,
    acct: domain ? `${username}@${domain}` : username,
    display_name: displayName,
  });
  const brand = account('switchboard', 'Switchboard');
  const fullAccount = (a: FakeAccount) => ({
    ...a,
    locked: false,
    bot: false,
    created_at: '2024-01-01T00:00:00.000Z',
    note: '<p></p>',
    url: `http://${host}/@${a.acct}`,
    avatar: `http://${host}/avatars/original/missing.png`,
    followers_count: 3,
    following_count: 1,
    statuses_count: 10,
    emojis: [],
    fields: [],
  });

  function status(author: FakeAccount, html: string, opts: { inReplyTo?: FakeStatus; visibility?: string; language?: string | null; spoiler?: string } = {}): FakeStatus {
    const id = String(nextStatus++);
    return {
      id,
      created_at: new Date().toISOString(),
      in_reply_to_id: opts.inReplyTo?.id ?? null,
      in_reply_to_account_id: opts.inReplyTo?.account.id ?? null,
      sensitive: false,
      spoiler_text: opts.spoiler ?? '',
      visibility: opts.visibility ?? 'public',
      language: opts.language === undefined ? 'en' : opts.language,
      uri: `http://${host}/users/${author.username}/statuses/${id}`,
      url: `http://${host}/@${author.acct}/${id}`,
      replies_count: 0,
      reblogs_count: 0,
      favourites_count: 0,
      content: html,
      reblog: null,
      application: null,
      account: fullAccount(author) as unknown as FakeAccount,
      media_attachments: [],
      mentions: [{ id: brand.id, username: brand.username, url: `http://${host}/@switchboard`, acct: brand.acct }],
      tags: [],
      emojis: [],
      card: null,
      poll: null,
    };
  }

  function writeEvent(res: ServerResponse, event: string, data: string): void {
    res.write(`event: ${event}\ndata: ${data}\n\n`);
  }

  /** Stores a notification and sends it to every open stream. */
  function notify(notification: FakeNotification): FakeNotification {
    notifications.push(notification);
    for (const res of streams) writeEvent(res, 'notification', JSON.stringify(notification));
    return notification;
  }

  function page(url: URL): { items: FakeNotification[]; link: string | null } {
    const types = url.searchParams.getAll('types[]');
    const num = (name: string) => (url.searchParams.has(name) ? BigInt(url.searchParams.get(name)!) : null);
    const [minId, sinceId, maxId] = [num('min_id'), num('since_id'), num('max_id')];
    const limit = Math.min(80, Number(url.searchParams.get('limit') ?? 40));
    let items = notifications
      .filter((n) => types.length === 0 || types.includes(n.type))
      .filter((n) => maxId === null || BigInt(n.id) < maxId)
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    if (minId !== null) {
      // min_id: the page right after it (the oldest newer ones).
      items = items.filter((n) => BigInt(n.id) > minId).slice(0, limit);
    } else {
      if (sinceId !== null) items = items.filter((n) => BigInt(n.id) > sinceId);
      items = items.slice(-limit);
    }
    items.reverse();
    if (items.length === 0) return { items, link: null };
    const typeQuery = types.map((t) => `&types[]=${t}`).join('');
    const base = `http://${host}/api/v1/notifications`;
    return { items, link: `<${base}?max_id=${items[items.length - 1]!.id}${typeQuery}>; rel="next", <${base}?min_id=${items[0]!.id}${typeQuery}>; rel="prev"` };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    requests.push(url.pathname);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return json(401, { error: 'The access token is invalid' });
    if (req.method === 'GET' && url.pathname === '/api/v1/accounts/verify_credentials') return json(200, { ...fullAccount(brand), source: { privacy: 'public', language: 'en' } });
    if (req.method === 'GET' && url.pathname === '/api/v1/notifications') {
      const hook = notificationsHook;
      if (hook?.when === 'before') hook.run();
      const { items, link } = page(url);
      if (hook?.when === 'after') res.on('finish', hook.run);
      return json(200, items, link ? { link } : {});
    }
    if (req.method === 'GET' && url.pathname === '/api/v1/streaming/user/notification') {
      if (streamDown) return json(503, { error: 'Service Unavailable' });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'private, no-store', 'transfer-encoding': 'chunked' });
      res.write(':)\n');
      streams.add(res);
      const heartbeat = setInterval(() => res.write(':thump\n'), options.heartbeatMs ?? 1000);
      res.on('close', () => {
        clearInterval(heartbeat);
        streams.delete(res);
      });
      streamsOpened++;
      for (const wake of streamWaiters.splice(0)) wake();
      return;
    }
    json(404, { error: 'Record not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `http://${host}`,
    token,
    host,
    brand,
    requests,
    account: (username: string, displayName: string, domain?: string) => account(username, displayName, domain),
    /** A status by the brand (nothing to notify). */
    brandStatus: (text: string) => status(brand, `<p>${escapeHtml(text)}</p>`),
    /**
     * A status by `author` naming the brand, and the mention notification the
     * instance makes of it: on every open stream, and in the REST API.
     */
    mention(author: FakeAccount, text: string, opts: { inReplyTo?: FakeStatus; visibility?: string; language?: string | null; spoiler?: string } = {}) {
      const html = `<p><span class="h-card" translate="no"><a href="http://${host}/@switchboard" class="u-url mention">@<span>switchboard</span></a></span> ${escapeHtml(text)}</p>`;
      const posted = status(author, html, opts);
      const notification = notify({ id: String(nextNotification++), type: 'mention', created_at: posted.created_at as string, account: fullAccount(author), status: posted });
      return { status: posted, notification };
    },
    /** Any notification, e.g. a favourite, or a malformed mention; `fields` replace the generated ones. */
    notify(type: string, fields: Record<string, unknown> = {}) {
      return notify({ id: String(nextNotification++), type, created_at: new Date().toISOString(), account: fullAccount(brand), ...fields });
    },
    /** Writes a raw server-sent event to every open stream. */
    sendRaw(event: string, data: string) {
      for (const res of streams) writeEvent(res, event, data);
    },
    /** How many streams are open, and how many were ever opened. */
    openStreams: () => streams.size,
    streamsOpened: () => streamsOpened,
    /** Resolves once `count` streams have been opened in all. */
    async streamOpened(count: number, timeoutMs = 15_000): Promise<void> {
      const until = Date.now() + timeoutMs;
      while (streamsOpened < count) {
        if (Date.now() > until) throw new Error(`only ${streamsOpened} of ${count} streams were opened`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(0, until - Date.now()));
          streamWaiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    /** Cuts every open stream, as a restarting streaming server does. */
    dropStreams() {
      // Out of the set at once: a post made right after is not written to a dying connection.
      for (const res of [...streams]) {
        streams.delete(res);
        res.destroy();
      }
    },
    /** While down, the streaming API answers 503 (the REST API stays up). */
    setStreamDown(down: boolean) {
      streamDown = down;
    },
    onNotificationsRequest(when: 'before' | 'after', run: () => void) {
      notificationsHook = { when, run };
    },
    clearNotificationsHook() {
      notificationsHook = null;
    },
    async close() {
      for (const res of streams) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeMastodon = Awaited<ReturnType<typeof startFakeMastodon>>;
