/**
 * Sign-outs the hub has not heard yet. Signing out ends the session here at
 * once; telling the hub (which revokes the refresh token's sign-in and the
 * access token) needs the network. A sign-out made offline is kept here —
 * sealed as the session's tokens are — and sent when the hub is next
 * reachable: retried with backoff, at the next start, after the next sign-in
 * and whenever the live connection comes back. Then it is forgotten.
 *
 * Kept before the first attempt, so a console closed (or killed) while the
 * request is in flight still sends it next time.
 */
import { z } from 'zod';
import { RefreshTokenSchema } from '../../shared/session-tokens';
import type { Cache } from './cache';
import { CoreError } from './errors';
import { errorText, type HubClient } from './hub-client';
import type { SecretBox } from './secret-box';

const META_KEY = 'pendingSignOuts';
const SEALED_PREFIX = 'sealed:';
/** Retries of an unreachable hub: 1 s doubling to 5 min. */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 5 * 60_000;

const PendingSchema = z.array(
  z.object({
    hubUrl: z.string().min(1),
    token: z.string().min(1),
    refreshToken: RefreshTokenSchema.nullable(),
    /** When the user signed out (ISO), for the log. */
    at: z.string(),
  }),
);
export type PendingSignOut = z.infer<typeof PendingSchema>[number];

export interface Revocations {
  /** Keeps the sign-out and tries to send it now; settles after the first attempt (the retries go on in the background). */
  revoke(signOut: Omit<PendingSignOut, 'at'>): Promise<void>;
  /** Sends every kept sign-out now (the hub looks reachable again). */
  flush(): Promise<void>;
  /** How many the hub has not heard yet. */
  count(): number;
  stop(): void;
}

export function createRevocations(opts: {
  cache: Cache;
  hub: Pick<HubClient, 'logout'>;
  secrets?: SecretBox;
  log(message: string): void;
  retryBaseMs?: number;
}): Revocations {
  const { meta } = opts.cache;
  const base = opts.retryBaseMs ?? RETRY_BASE_MS;
  let timer: NodeJS.Timeout | null = null;
  let failures = 0;
  let flushing: Promise<void> | null = null;
  let stopped = false;

  function read(): PendingSignOut[] {
    const stored = meta.get(META_KEY);
    if (!stored) return [];
    try {
      let plain = stored;
      if (stored.startsWith(SEALED_PREFIX)) {
        if (!opts.secrets) throw new Error('they are sealed but no decryption is available');
        plain = opts.secrets.open(stored.slice(SEALED_PREFIX.length));
      }
      return PendingSchema.parse(JSON.parse(plain));
    } catch (error) {
      // E.g. the OS keychain changed: nothing can be sent, and nothing is gained by keeping them.
      opts.log(`pending sign-outs unreadable, dropped: ${errorText(error)}`);
      meta.delete(META_KEY);
      return [];
    }
  }

  function write(list: PendingSignOut[]): void {
    if (list.length === 0) return void meta.delete(META_KEY);
    const plain = JSON.stringify(list);
    meta.set(META_KEY, opts.secrets ? SEALED_PREFIX + opts.secrets.seal(plain) : plain);
  }

  const same = (a: PendingSignOut, b: PendingSignOut) => a.hubUrl === b.hubUrl && a.token === b.token && a.refreshToken === b.refreshToken;

  function forget(done: PendingSignOut): void {
    write(read().filter((p) => !same(p, done)));
  }

  function retryLater(): void {
    if (stopped || timer) return;
    failures += 1;
    const delay = Math.min(RETRY_MAX_MS, base * 2 ** (failures - 1));
    timer = setTimeout(
      () => {
        timer = null;
        void flush();
      },
      delay * (0.75 + Math.random() / 2),
    );
    timer.unref();
  }

  async function sendAll(): Promise<void> {
    let unreachable = false;
    for (const pending of read()) {
      try {
        await opts.hub.logout({ hubUrl: pending.hubUrl, token: pending.token }, pending.refreshToken);
        // Closed meanwhile (the cache with it): the next start sends it again, and the hub's 401 then forgets it.
        if (stopped) return;
        opts.log(`sign-out of ${pending.at} sent to the hub`);
        forget(pending);
      } catch (error) {
        if (stopped) return;
        if (error instanceof CoreError && error.code === 'unavailable') {
          unreachable = true;
          continue;
        }
        // 401: the hub no longer takes these tokens (expired, revoked, signed out everywhere): nothing left to revoke.
        // Any other refusal would repeat forever: logged and dropped.
        opts.log(`sign-out of ${pending.at} not taken by the hub (${errorText(error)}); forgotten`);
        forget(pending);
      }
    }
    if (stopped) return;
    if (unreachable) retryLater();
    else failures = 0;
  }

  function flush(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    flushing ??= sendAll().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  return {
    async revoke(signOut) {
      const pending = { ...signOut, at: new Date().toISOString() };
      write([...read().filter((p) => !same(p, pending)), pending]);
      // A flush already under way may have read the list before this one: a second pass picks it up.
      await flushing;
      await flush();
    },
    flush,
    count: () => read().length,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
