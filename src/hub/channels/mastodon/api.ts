/**
 * The Mastodon REST and streaming calls the inbound stream makes, with the
 * brand's access token. A 401 is a StreamAuthError (a bad token: retried slowly).
 */
import { z } from 'zod';
import { StreamAuthError } from '../reconnect';
import { MastodonIdSchema } from './payload';

export interface MastodonChannelConfig {
  /** The instance, e.g. `https://social.example`. */
  url: string;
  token: string;
}

const REQUEST_TIMEOUT_MS = 15_000;
/** Mastodon's largest page of notifications. */
export const PAGE_LIMIT = 40;

const CredentialsSchema = z.object({ id: MastodonIdSchema, acct: z.string().min(1) });
const PageSchema = z.array(z.unknown()).max(1000);

export interface MentionsPage {
  /** As the server sent them (newest first); each is validated by the stream. */
  notifications: unknown[];
  /** The `min_id` of the next newer page from the `Link` header's `rel="prev"`, if it has one. */
  newerMinId: string | null;
}

export function mastodonApi(config: MastodonChannelConfig) {
  const base = config.url.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${config.token}`, accept: 'application/json' };

  async function getJson(path: string, signal: AbortSignal): Promise<{ body: unknown; link: string | null }> {
    const response = await fetch(`${base}${path}`, { headers, signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) });
    if (response.status === 401) throw new StreamAuthError(`the instance refused the access token (401 on ${path.split('?')[0]}): check SWITCHBOARD_MASTODON_TOKEN`);
    if (!response.ok) throw new Error(`GET ${path.split('?')[0]} answered ${response.status}`);
    return { body: await response.json(), link: response.headers.get('link') };
  }

  return {
    /** The brand's own account. */
    async verifyCredentials(signal: AbortSignal): Promise<{ id: string; acct: string }> {
      return CredentialsSchema.parse((await getJson('/api/v1/accounts/verify_credentials', signal)).body);
    },

    /** The mentions right after `minId` (the oldest page newer than it), or the newest ones without it. */
    async mentions(minId: string | null, limit: number, signal: AbortSignal): Promise<MentionsPage> {
      const query = new URLSearchParams([['types[]', 'mention'], ['limit', String(limit)]]);
      if (minId !== null) query.set('min_id', minId);
      const { body, link } = await getJson(`/api/v1/notifications?${query}`, signal);
      return { notifications: PageSchema.parse(body), newerMinId: prevMinId(link) };
    },

    /**
     * Opens the user's notification stream (server-sent events). A redirect (an
     * instance whose streaming server has its own host) is followed with the
     * token, which fetch itself would drop on the way to another origin.
     */
    async openNotificationStream(signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
      let url = `${base}/api/v1/streaming/user/notification`;
      for (let hops = 0; ; hops++) {
        const response = await fetch(url, { headers: { ...headers, accept: 'text/event-stream' }, signal, redirect: 'manual' });
        const location = response.headers.get('location');
        if (response.status >= 300 && response.status < 400 && location && hops < 3) {
          const next = new URL(location, url);
          if (next.protocol !== new URL(base).protocol) throw new Error(`the streaming API redirected to ${next.protocol}, not ${new URL(base).protocol}`);
          url = next.href;
          continue;
        }
        if (response.status === 401) throw new StreamAuthError('the streaming API refused the access token (401): check SWITCHBOARD_MASTODON_TOKEN');
        if (!response.ok || !response.body) throw new Error(`the streaming API answered ${response.status}`);
        return response.body;
      }
    },
  };
}

export type MastodonApi = ReturnType<typeof mastodonApi>;

/** The `min_id` of the `rel="prev"` (newer) link in a Link header. */
export function prevMinId(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?prev"?/.exec(part.trim());
    if (!match) continue;
    try {
      const minId = new URL(match[1]!).searchParams.get('min_id');
      return minId && MastodonIdSchema.safeParse(minId).success ? minId : null;
    } catch {
      return null;
    }
  }
  return null;
}
