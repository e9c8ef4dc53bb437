/**
 * The provider simulator's Mastodon instance, the read side: the brand's
 * account, the statuses posted on it (customers' and the brand's own), and
 * the mention notifications it makes of them — in the REST API
 * (`GET /api/v1/notifications`, newest first, `types[]`, `min_id`/`since_id`/
 * `max_id`/`limit`, a `Link` header) and on the user notification stream
 * (`GET /api/v1/streaming/user/notification`, server-sent events). A
 * status posted while no stream is open is only in the REST API, as on a real
 * instance. Everything is kept to the last `max` items.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export type MastodonVisibility = 'public' | 'unlisted' | 'private' | 'direct';

/** A status by someone other than the brand; it mentions the brand (so it notifies it). */
export interface MastodonPost {
  /** `user@domain` (a remote account) or `user`. */
  acct: string;
  displayName: string;
  /** Plain text; `@switchboard` in it becomes the mention, else the mention goes first. */
  text: string;
  /** The status it answers (the brand's, for a reply to the brand). */
  inReplyToId?: string;
  visibility?: MastodonVisibility;
  language?: string;
}

interface Account {
  id: string;
  username: string;
  acct: string;
  display_name: string;
}

export interface SimulatedStatus {
  id: string;
  created_at: string;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  visibility: MastodonVisibility;
  language: string | null;
  uri: string;
  url: string;
  content: string;
  spoiler_text: string;
  sensitive: boolean;
  account: Account & { url: string };
  mentions: { id: string; username: string; acct: string; url: string }[];
}

interface Notification {
  id: string;
  type: 'mention';
  created_at: string;
  account: Account;
  status: SimulatedStatus;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Drops the oldest entries of a Map kept in insertion order. */
export function keepLast<K, V>(map: Map<K, V>, max: number): void {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
}

export function simulatedMastodon(opts: { token: string; brandAcct: string; nextId: () => string; max: number }) {
  const brand: Account = { id: '1', username: opts.brandAcct, acct: opts.brandAcct, display_name: 'Switchboard' };
  const accounts = new Map<string, Account>([[brand.acct, brand]]);
  const statuses = new Map<string, SimulatedStatus>();
  const notifications: Notification[] = [];
  const streams = new Set<ServerResponse>();
  // Notification ids grow with the clock: a hub's stored cursor from an earlier run stays below them.
  let notificationSerial = BigInt(Date.now()) << 12n;
  let accountSerial = 1000;
  let base = 'http://127.0.0.1';
  /** The brand's pinned status: kept whatever else goes. */
  let pinned: SimulatedStatus | null = null;
  const statusOf = (id: string | undefined) => (id === undefined ? undefined : (statuses.get(id) ?? (pinned?.id === id ? pinned : undefined)));

  const accountOf = (acct: string, displayName: string): Account => {
    const known = accounts.get(acct);
    if (known) {
      known.display_name = displayName;
      return known;
    }
    const made = { id: String(++accountSerial), username: acct.split('@')[0]!, acct, display_name: displayName };
    accounts.set(acct, made);
    keepLast(accounts, opts.max);
    return made;
  };
  const withUrl = (account: Account) => ({ ...account, url: `${base}/@${account.acct}` });
  const mentionOf = (account: Account) => ({ id: account.id, username: account.username, acct: account.acct, url: `${base}/@${account.acct}` });

  function store(author: Account, html: string, post: { inReplyToId?: string; visibility?: MastodonVisibility; language?: string | null; mentions: Account[] }): SimulatedStatus {
    const id = opts.nextId();
    const parent = statusOf(post.inReplyToId);
    const status: SimulatedStatus = {
      id,
      created_at: new Date().toISOString(),
      in_reply_to_id: post.inReplyToId ?? null,
      in_reply_to_account_id: parent?.account.id ?? null,
      visibility: post.visibility ?? 'public',
      language: post.language ?? null,
      uri: `${base}/users/${author.username}/statuses/${id}`,
      url: `${base}/@${author.acct}/${id}`,
      content: html,
      spoiler_text: '',
      sensitive: false,
      account: withUrl(author),
      mentions: post.mentions.map(mentionOf),
    };
    statuses.set(id, status);
    keepLast(statuses, opts.max);
    return status;
  }

  function notify(status: SimulatedStatus): Notification {
    const notification: Notification = { id: String(++notificationSerial), type: 'mention', created_at: status.created_at, account: status.account, status };
    notifications.push(notification);
    if (notifications.length > opts.max) notifications.splice(0, notifications.length - opts.max);
    for (const res of streams) res.write(`event: notification\ndata: ${JSON.stringify(notification)}\n\n`);
    return notification;
  }

  /** Mastodon's notifications page: `min_id` the oldest newer ones, else the newest (after `since_id`); newest first. */
  function page(query: URLSearchParams): { items: Notification[]; link: string | null } {
    const types = query.getAll('types[]');
    const id = (name: string) => (/^\d{1,30}$/.test(query.get(name) ?? '') ? BigInt(query.get(name)!) : null);
    const [minId, sinceId, maxId] = [id('min_id'), id('since_id'), id('max_id')];
    const limit = Math.max(1, Math.min(80, Number(query.get('limit')) || 40));
    let items = notifications.filter((n) => (types.length === 0 || types.includes(n.type)) && (maxId === null || BigInt(n.id) < maxId));
    if (minId !== null) items = items.filter((n) => BigInt(n.id) > minId).slice(0, limit);
    else items = items.filter((n) => sinceId === null || BigInt(n.id) > sinceId).slice(-limit);
    items.reverse();
    if (items.length === 0) return { items, link: null };
    const typeQuery = types.map((t) => `&types[]=${encodeURIComponent(t)}`).join('');
    const url = `${base}/api/v1/notifications`;
    return { items, link: `<${url}?max_id=${items.at(-1)!.id}${typeQuery}>; rel="next", <${url}?min_id=${items[0]!.id}${typeQuery}>; rel="prev"` };
  }

  const authorised = (request: FastifyRequest) => /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')?.[1] === opts.token;
  const unauthorised = { error: 'The access token is invalid' };

  return {
    /** The URL statuses link to (the simulator's, once it listens). */
    setBase(url: string) {
      base = url;
    },

    register(app: FastifyInstance) {
      app.get('/api/v1/accounts/verify_credentials', async (request, reply) => (authorised(request) ? withUrl(brand) : reply.code(401).send(unauthorised)));
      app.get('/api/v1/notifications', async (request, reply) => {
        if (!authorised(request)) return reply.code(401).send(unauthorised);
        const { items, link } = page(new URL(request.url, base).searchParams);
        if (link) void reply.header('link', link);
        return items;
      });
      app.get('/api/v1/streaming/user/notification', (request, reply) => {
        if (!authorised(request)) return reply.code(401).send(unauthorised);
        reply.hijack();
        reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'private, no-store' });
        reply.raw.write(':)\n\n');
        streams.add(reply.raw);
        // Mastodon's streaming server sends a comment line as a heartbeat.
        const heartbeat = setInterval(() => reply.raw.write(':thump\n\n'), 15_000);
        reply.raw.on('close', () => {
          clearInterval(heartbeat);
          streams.delete(reply.raw);
        });
      });
    },

    /** A customer's status mentioning the brand, and the notification it makes. */
    post(post: MastodonPost): { status: SimulatedStatus; notificationId: string } {
      const author = accountOf(post.acct, post.displayName);
      const mention = `<span class="h-card" translate="no"><a href="${base}/@${brand.acct}" class="u-url mention">@<span>${brand.acct}</span></a></span>`;
      const named = new RegExp(`(^|\\s)@${brand.acct}(?![\\w@.])`);
      const text = escapeHtml(post.text);
      const html = named.test(text) ? text.replace(named, (_, before: string) => `${before}${mention}`) : `${mention} ${text}`;
      const status = store(author, `<p>${html}</p>`, { inReplyToId: post.inReplyToId, visibility: post.visibility, language: post.language, mentions: [brand] });
      return { status, notificationId: notify(status).id };
    },

    /** The brand's own status (a reply the hub sent): in the timeline, no notification. */
    brandStatus(text: string, inReplyToId: string | undefined, visibility: MastodonVisibility): SimulatedStatus {
      const answered = statusOf(inReplyToId);
      return store(brand, `<p>${escapeHtml(text)}</p>`, { inReplyToId, visibility, language: null, mentions: answered ? [answered.account] : [] });
    },

    /** Posts the brand's pinned status (a customer answers it to start a conversation). */
    pin(text: string): SimulatedStatus {
      pinned = store(brand, `<p>${escapeHtml(text)}</p>`, { visibility: 'public', language: 'en', mentions: [] });
      return pinned;
    },

    announcementId: () => pinned?.id ?? '0',

    /** The brand's latest replies to customers, newest first, with whom each answered. */
    brandReplies(limit = 20): { statusId: string; acct: string; displayName: string; visibility: MastodonVisibility }[] {
      const out: { statusId: string; acct: string; displayName: string; visibility: MastodonVisibility }[] = [];
      for (const status of [...statuses.values()].reverse()) {
        if (out.length >= limit) break;
        const answered = status.account.id === brand.id && status.in_reply_to_id ? statusOf(status.in_reply_to_id) : undefined;
        if (answered && answered.account.id !== brand.id) out.push({ statusId: status.id, acct: answered.account.acct, displayName: answered.account.display_name, visibility: status.visibility });
      }
      return out;
    },

    close() {
      for (const res of streams) res.destroy();
      streams.clear();
    },
  };
}

export type SimulatedMastodon = ReturnType<typeof simulatedMastodon>;
