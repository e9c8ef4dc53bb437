/**
 * Keeps a session's access token fresh with its refresh token: shortly before
 * the token expires (online or not: offline, it tries again, later and later,
 * until the hub answers), and at once when the hub refuses the token — a
 * console back after days offline, whose token expired meanwhile, gets a new
 * one without a password and syncs what it did offline. Only when the hub
 * refuses the refresh token too (signed out, or revoked as a stolen copy)
 * does the session end; the cache and its outbox stay for the next sign-in.
 */
import { CoreError } from './errors';
import { errorText } from './hub-client';
import type { Session, StoredSession } from './session';

/** Retries of an unreachable hub: 1 s doubling to a minute, with jitter. */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 60_000;
/** setTimeout's longest wait. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface TokenKeeper {
  /** Schedules the refresh of the current session's access token (again after a login). */
  start(): void;
  stop(): void;
  /** The hub refused the access token: refresh now; concurrent calls share one refresh. */
  recover(why: string): Promise<void>;
}

export function createTokenKeeper(opts: {
  session: Pick<Session, 'current' | 'refresh'>;
  /** A new access token: the live socket and requests must use it. */
  onRefreshed(next: StoredSession): void;
  /** The hub refused the refresh token: sign in again. */
  onRefused(why: string): void;
  log(message: string): void;
  retryBaseMs?: number;
}): TokenKeeper {
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  let failures = 0;
  // Bumped by stop(): a refresh answered after it changes nothing.
  let generation = 0;

  function clear(): void {
    if (timer) clearTimeout(timer);
    timer = null;
  }

  function at(delayMs: number, why: string): void {
    clear();
    timer = setTimeout(
      () => {
        timer = null;
        void refresh(why);
      },
      Math.min(MAX_TIMER_MS, Math.max(0, delayMs)),
    );
    timer.unref();
  }

  function schedule(): void {
    const current = opts.session.current();
    clear();
    if (!current?.refreshToken || current.refreshAt === null) return;
    at(current.refreshAt - Date.now(), 'the access token expires soon');
  }

  function refresh(why: string): Promise<void> {
    inFlight ??= (async () => {
      const started = generation;
      const before = opts.session.current();
      if (!before) return;
      try {
        const next = await opts.session.refresh();
        if (started !== generation) return;
        failures = 0;
        opts.log(`access token refreshed (${why})`);
        opts.onRefreshed(next);
        schedule();
      } catch (error) {
        // Signed out or stopped meanwhile: nothing to keep fresh.
        if (started !== generation || opts.session.current() !== before) return;
        if (error instanceof CoreError && error.code === 'unauthorized') return opts.onRefused(`${why}, and the hub refused the refresh token: ${errorText(error)}`);
        const delay = Math.min(RETRY_MAX_MS, (opts.retryBaseMs ?? RETRY_BASE_MS) * 2 ** failures) * (0.5 + Math.random());
        failures++;
        opts.log(`refreshing the access token failed, trying again in ${Math.round(delay / 1000)} s: ${errorText(error)}`);
        at(delay, why);
      }
    })().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    start() {
      failures = 0;
      schedule();
    },
    stop() {
      generation++;
      clear();
      failures = 0;
    },
    recover: (why) => refresh(why),
  };
}
