/**
 * Backoff of failed sign-ins per (account name, address): a few failures are
 * free, then each further attempt waits twice as long as the last (capped),
 * and a success starts over. Keyed by the pair, not the address alone, so one
 * attacker behind a shared proxy slows down the accounts it tries, not
 * everyone's; counted in the database, so every hub agrees.
 */
import type { Db } from '../db/connect';
import { clearLoginFailures, forgetLoginFailures, updateLoginFailures, type LoginFailures } from '../repos/login-failures';

export interface BackoffPolicy {
  /** Failures before the first wait. */
  freeFailures: number;
  firstDelayMs: number;
  maxDelayMs: number;
  /** A pair with no failure for this long starts over (and its row is deleted). */
  forgetAfterMs: number;
}

/** Sign-in attempts per minute from one address, whatever the accounts: generous, as everyone behind one proxy shares it. */
export const LOGIN_LIMIT_PER_ADDRESS = 300;

export const LOGIN_BACKOFF: BackoffPolicy = { freeFailures: 5, firstDelayMs: 1_000, maxDelayMs: 15 * 60_000, forgetAfterMs: 24 * 60 * 60_000 };

export type LoginAttempt = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface LoginBackoff {
  /** Asks to try a password for the pair; an allowed attempt counts as a failure until `succeeded`. */
  attempt(username: string, ip: string): Promise<LoginAttempt>;
  /** The pair signed in: its failures are forgotten. */
  succeeded(username: string, ip: string): Promise<void>;
}

/** When a pair with these failures may try again (the last failure's time while failures are free). */
export function retryAt({ failures, lastFailedAt }: LoginFailures, policy: BackoffPolicy = LOGIN_BACKOFF): Date {
  const over = failures - policy.freeFailures;
  if (over < 0) return lastFailedAt;
  const delay = Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** over);
  return new Date(lastFailedAt.getTime() + delay);
}

export function createLoginBackoff(db: Db, opts: { policy?: BackoffPolicy; now?: () => Date } = {}): LoginBackoff {
  const policy = opts.policy ?? LOGIN_BACKOFF;
  const now = opts.now ?? (() => new Date());
  return {
    async attempt(username, ip) {
      const at = now();
      const forgetBefore = new Date(at.getTime() - policy.forgetAfterMs);
      const live = (current: LoginFailures | null) => (current && current.lastFailedAt >= forgetBefore ? current : null);
      const waitUntil = (current: LoginFailures | null) => {
        const failures = live(current);
        const until = failures ? retryAt(failures, policy) : null;
        // From the later of now and the last failure: an attempt in flight on another hub, stamped a moment after this one, is no wait while failures are free.
        const from = failures && failures.lastFailedAt > at ? failures.lastFailedAt : at;
        return until && until > from ? until : null;
      };
      // Counted before the password is checked, so concurrent guesses cannot all slip in ahead of the count.
      const current = await updateLoginFailures(db, username, ip, at, (found) => (waitUntil(found) ? null : (live(found)?.failures ?? 0) + 1));
      await forgetLoginFailures(db, forgetBefore);
      const until = waitUntil(current);
      return until ? { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - at.getTime()) / 1000)) } : { allowed: true };
    },
    succeeded: (username, ip) => clearLoginFailures(db, username, ip),
  };
}
