/**
 * Who is logged in, against which hub. The token and user are kept in the
 * cache's meta table so a restarted console is still logged in and can work
 * offline; the token goes through `secrets` (Electron: safeStorage) when given.
 */
import { z } from 'zod';
import { type User, UserSchema } from '../../shared/domain';
import type { Cache } from './cache';
import { CoreError } from './errors';
import type { HubClient, HubCredentials } from './hub-client';

import type { SecretBox } from './secret-box';

export interface StoredSession extends HubCredentials {
  user: User;
}

export interface Session {
  current(): StoredSession | null;
  credentials(): HubCredentials | null;
  /** Logs in; a different user or hub than the cached one starts the cache afresh. */
  login(input: { hubUrl?: string; username: string; password: string }): Promise<StoredSession>;
  /** Forgets the token; the cached rows stay for the same user's next login. */
  logout(): void;
  /** The hub knows newer facts about this user (name, role). */
  updateUser(user: User): void;
}

const SEALED_PREFIX = 'sealed:';

export function createSession(opts: { cache: Cache; hub: Pick<HubClient, 'login'>; defaultHubUrl: string; secrets?: SecretBox; log(message: string): void }): Session {
  const { meta } = opts.cache;

  function load(): StoredSession | null {
    const stored = meta.get('token');
    const hubUrl = meta.get('hubUrl');
    const user = UserSchema.safeParse(safeJson(meta.get('user')));
    if (!stored || !hubUrl || !user.success) return null;
    try {
      const token = stored.startsWith(SEALED_PREFIX) ? requireSecrets().open(stored.slice(SEALED_PREFIX.length)) : stored;
      return { hubUrl, token, user: user.data };
    } catch (error) {
      // E.g. the OS keychain changed: log in again rather than fail to start.
      opts.log(`stored session unreadable, logging out: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  }

  function requireSecrets(): SecretBox {
    if (!opts.secrets) throw new Error('the stored token is encrypted but no decryption is available');
    return opts.secrets;
  }

  function save(next: StoredSession): void {
    opts.cache.transaction(() => {
      meta.set('hubUrl', next.hubUrl);
      meta.set('user', JSON.stringify(next.user));
      meta.set('token', opts.secrets ? SEALED_PREFIX + opts.secrets.seal(next.token) : next.token);
    });
  }

  let current = load();

  return {
    current: () => current,
    credentials: () => (current ? { hubUrl: current.hubUrl, token: current.token } : null),

    async login(input) {
      const hubUrl = input.hubUrl ?? meta.get('hubUrl') ?? opts.defaultHubUrl;
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
      current = { hubUrl, token: answer.token, user };
      save(current);
      return current;
    },

    logout() {
      current = null;
      // The user and hub stay: they tell the next login whether the cached rows are still this scope.
      meta.delete('token');
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
