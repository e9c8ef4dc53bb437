/** X Account Activity webhooks as X sends them, signed with node:crypto independently of the hub's helper. */
import { createHmac } from 'node:crypto';
import { postSignedJson } from './helpers';

export const X_SECRET = 'demo-x-secret';
export const X_BRAND = '2244994945';

export const signX = (body: string, secret = X_SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('base64')}`;

let lastId = BigInt(Date.now()) * 1_000_000n;
export const nextXId = () => String(++lastId);

export interface XUser {
  id: string;
  screen_name: string;
  name: string;
}
export const newXUser = (name: string): XUser => {
  const id = nextXId();
  return { id, screen_name: `${name}_${id.slice(-6)}`, name: `${name[0]!.toUpperCase()}${name.slice(1)} Tester` };
};

/** A tweet as Account Activity delivers it (the fields of X's examples; the hub must let the rest through). */
export function tweet(user: XUser, text: string, opts: { inReplyToStatus?: string; inReplyToUser?: string; lang?: string; id?: string } = {}) {
  return {
    created_at: new Date().toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 +0000 $4'),
    id: Number(opts.id ?? 0),
    id_str: opts.id ?? nextXId(),
    text,
    source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
    truncated: false,
    in_reply_to_status_id: opts.inReplyToStatus ? Number(opts.inReplyToStatus) : null,
    in_reply_to_status_id_str: opts.inReplyToStatus ?? null,
    in_reply_to_user_id: opts.inReplyToUser ? Number(opts.inReplyToUser) : null,
    in_reply_to_user_id_str: opts.inReplyToUser ?? null,
    in_reply_to_screen_name: opts.inReplyToUser === X_BRAND ? 'switchboard' : null,
    user: { id: Number(user.id), id_str: user.id, name: user.name, screen_name: user.screen_name, followers_count: 12, verified: false },
    entities: { hashtags: [], urls: [], user_mentions: [{ screen_name: 'switchboard', name: 'Switchboard', id: Number(X_BRAND), id_str: X_BRAND, indices: [0, 12] }], symbols: [] },
    favorited: false,
    retweeted: false,
    filter_level: 'low',
    lang: opts.lang ?? 'en',
    timestamp_ms: String(Date.now()),
  };
}

export function xDm(from: XUser, to: string, text: string) {
  return {
    type: 'message_create',
    id: nextXId(),
    created_timestamp: String(Date.now()),
    message_create: { target: { recipient_id: to }, sender_id: from.id, message_data: { text, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } } },
  };
}

export const xActivity = (events: { tweets?: object[]; dms?: object[]; users?: XUser[] }) => ({
  for_user_id: X_BRAND,
  ...(events.tweets ? { tweet_create_events: events.tweets } : {}),
  ...(events.dms
    ? {
        direct_message_events: events.dms,
        users: Object.fromEntries((events.users ?? []).map((u) => [u.id, { id: u.id, created_timestamp: '1422556069340', name: u.name, screen_name: u.screen_name, protected: false }])),
      }
    : {}),
});

export const postX = (url: string, body: unknown, signature: string | null | 'sign' = 'sign') =>
  postSignedJson(url, '/webhooks/x', 'x-twitter-webhooks-signature', signX, body, signature, 'application/json; charset=utf-8');
