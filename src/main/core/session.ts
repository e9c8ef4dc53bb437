/**
 * Who is logged in, against which hub. The tokens and user are kept in the
 * cache's meta table so a restarted console is still logged in and can work
 * offline; the tokens go through `secrets` (Electron: safeStorage) when given,
 * as the cache key does. The access token lives hours; the refresh token
 * (rotated by the hub on every use) lets a console back after days get a new
 * one without a password, so its offline work syncs.
 */
import { z } from 'zod';
import { type User, UserSchema } from '../../shared/domain';
import { RefreshTokenSchema } from '../../shared/session-tokens';
import type { Cache } from './cache';
import { CoreError } from './errors';
import { hubLockedError, sameHub } from './hub-lock';
import { errorText, type HubClient, type HubCredentials } from './hub-client';

import type { SecretBox } from './secret-box';

export interface StoredSession extends HubCredentials {
  user: User;
  /** Null when the hub gave none (an older hub): the session then ends with its access token. */
  refreshToken: string | null;
  /** When the access token expires and when to refresh it, by this machine's clock (ms); null when unknown. */
  expiresAt: number | null;
  refreshAt: number | null;
}

export interface Session {
  current(): StoredSession | null;
  credentials(): HubCredentials | null;
  /** Logs in; a different user or hub than the cached one starts the cache afresh. */
  login(input: { hubUrl?: string; username: string; password: string }): Promise<StoredSession>;
  /**
   * A new access token (and refresh token) for the refresh token; one at a time, callers meanwhile share it.
   * Rejects with the hub client's CoreError: `unauthorized` when the hub refuses the refresh token.
   */
  refresh(): Promise<StoredSession>;
  /** Forgets the tokens; the cached rows and the outbox stay for the same user's next login. */
  logout(): void;
  /** Forgets the tokens at once (as logout) and tells the hub, which revokes them — later, when it cannot be reached now; settles after the first attempt. */
  signOut(): Promise<void>;
  /** The hub knows newer facts about this user (name, role). */
  updateUser(user: User): void;
}

const SEALED_PREFIX = 'sealed:';
/** Refreshed this long before the access token expires (a fifth of its life when that is shorter). */
export const REFRESH_LEAD_MS = 5 * 60_000;

/** What is kept under `token` (sealed as one): the tokens and when the access token expires. A bare JWT is an older console's. */
const StoredTokensSchema = z.object({
  token: z.string().min(1),
  refreshToken: RefreshTokenSchema.nullable(),
  expiresAt: z.number().nullable(),
  refreshAt: z.number().nullable(),
});
type StoredTokens = z.infer<typeof StoredTokensSchema>;

/** The times to keep for an access token the hub says lives `expiresIn` seconds from now. */
export function tokenTimes(expiresIn: number | undefined, now = Date.now()): Pick<StoredSession, 'expiresAt' | 'refreshAt'> {
  if (expiresIn === undefined) return { expiresAt: null, refreshAt: null };
  const lifeMs = expiresIn * 1000;
  return { expiresAt: now + lifeMs, refreshAt: now + lifeMs - Math.min(REFRESH_LEAD_MS, lifeMs / 5) };
}

export function createSession(opts: {
  cache: Cache;
  hub: Pick<HubClient, 'login' | 'refresh' | 'logout'>;
  defaultHubUrl: string;
  secrets?: SecretBox;
  log(message: string): void;
  /** Fixed by the administrator's policy: every sign-in goes there, one naming another hub is refused. */
  lockedHubUrl?: string;
  /** Tells the hub of a sign-out, keeping it until the hub is reachable (revocations.ts); without it, one attempt. */
  revoke?: (ending: { hubUrl: string; token: string; refreshToken: string | null }) => Promise<void>;
}): Session {
  const { meta } = opts.cache;

  function load(): StoredSession | null {
    const stored = meta.get('token');
    const hubUrl = meta.get('hubUrl');
    const user = UserSchema.safeParse(safeJson(meta.get('user')));
    if (!stored || !hubUrl || !user.success) return null;
    try {
      const opened = stored.startsWith(SEALED_PREFIX) ? requireSecrets().open(stored.slice(SEALED_PREFIX.length)) : stored;
      const tokens = opened.startsWith('{') ? StoredTokensSchema.parse(JSON.parse(opened)) : { token: opened, refreshToken: null, expiresAt: null, refreshAt: null };
      return { hubUrl, user: user.data, ...tokens };
    } catch (error) {
      // E.g. the OS keychain changed: log in again rather than fail to start.
      opts.log(`stored session unreadable, logging out: ${errorText(error)}`);
      return null;
    }
  }

  function requireSecrets(): SecretBox {
    if (!opts.secrets) throw new Error('the stored token is encrypted but no decryption is available');
    return opts.secrets;
  }

  function save(next: StoredSession): void {
    const tokens: StoredTokens = { token: next.token, refreshToken: next.refreshToken, expiresAt: next.expiresAt, refreshAt: next.refreshAt };
    const plain = JSON.stringify(tokens);
    opts.cache.transaction(() => {
      meta.set('hubUrl', next.hubUrl);
      meta.set('user', JSON.stringify(next.user));
      meta.set('token', opts.secrets ? SEALED_PREFIX + opts.secrets.seal(plain) : plain);
    });
  }

  let current = load();
  let refreshing: Promise<StoredSession> | null = null;

  function logout(): void {
    current = null;
    refreshing = null;
    // The user and hub stay: they tell the next login whether the cached rows are still this scope.
    meta.delete('token');
  }

  async function refreshOnce(from: StoredSession): Promise<StoredSession> {
    if (!from.refreshToken) throw new CoreError('unauthorized', 'the hub gave this session no refresh token: sign in again');
    const answer = await opts.hub.refresh(from.hubUrl, from.refreshToken);
    // Signed out, or someone else signed in, while the hub answered: that answer is no one's now.
    if (current !== from) throw new CoreError('unauthorized', 'the session ended while it was being refreshed');
    current = { ...from, token: answer.token, refreshToken: answer.refreshToken, ...tokenTimes(answer.expiresIn) };
    save(current);
    return current;
  }

  return {
    current: () => current,
    credentials: () => (current ? { hubUrl: current.hubUrl, token: current.token } : null),

    async login(input) {
      const locked = opts.lockedHubUrl;
      if (locked && input.hubUrl !== undefined && !sameHub(input.hubUrl, locked)) throw hubLockedError(locked);
      const hubUrl = locked ?? input.hubUrl ?? meta.get('hubUrl') ?? opts.defaultHubUrl;
      const answer = await opts.hub.login(hubUrl, input.username, input.password);
      const user = UserSchema.parse(answer.user);
      const previousUser = z.object({ id: z.string(), name: z.string() }).safeParse(safeJson(meta.get('user')));
      const sameScope = previousUser.success && previousUser.data.id === user.id && meta.get('hubUrl') === hubUrl;
      if (!sameScope) {
        // Starting afresh would drop what the previous user has not synced or decided yet.
        const pending = opts.cache.outbox.countPending();
        const conflicts = opts.cache.conflicts.count();
        if (pending + conflicts > 0) {
          const who = previousUser.success ? previousUser.data.name : 'the previous user';
          throw new CoreError(
            'invalid_input',
            `${who} has ${pending} unsynced change${pending === 1 ? '' : 's'} and ${conflicts} undecided conflict${conflicts === 1 ? '' : 's'} on this console; ${who} must sign in and sync first`,
          );
        }
        opts.cache.resetSynced();
      }
      current = { hubUrl, token: answer.token, user, refreshToken: answer.refreshToken ?? null, ...tokenTimes(answer.expiresIn) };
      refreshing = null;
      save(current);
      return current;
    },

    refresh() {
      if (!current) return Promise.reject(new CoreError('unauthorized', 'not logged in'));
      refreshing ??= refreshOnce(current).finally(() => {
        refreshing = null;
      });
      return refreshing;
    },

    logout,

    async signOut() {
      const ending = current;
      if (!ending) return;
      // Gone from here before the hub answers: signing out never waits for the network, and offline it still signs out here.
      logout();
      if (opts.revoke) return opts.revoke({ hubUrl: ending.hubUrl, token: ending.token, refreshToken: ending.refreshToken });
      await opts.hub.logout({ hubUrl: ending.hubUrl, token: ending.token }, ending.refreshToken).catch((error: unknown) => opts.log(`sign-out on the hub failed: ${errorText(error)}`));
    },

    updateUser(user) {
      if (!current || current.user.id !== user.id) return;
      current = { ...current, user };
      meta.set('user', JSON.stringify(user));
    },
  };
}

function safeJson(raw: string | null): unknown {
  if (raw === null) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
