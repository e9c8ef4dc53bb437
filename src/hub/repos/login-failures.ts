/** Failed sign-ins per (account name, address), in the database so that every hub counts the same ones. */
import { and, eq, lt } from 'drizzle-orm';
import type { Db } from '../db/connect';
import { loginFailures } from '../db/schema';

export interface LoginFailures {
  failures: number;
  lastFailedAt: Date;
}

/**
 * Reads the pair's failures with its row locked and, when `decide` answers a new count, stores it
 * with `now` — in one transaction, so concurrent attempts on any hub see each other's counts.
 * Returns what was read (null for a pair with none).
 */
export async function updateLoginFailures(
  db: Db,
  username: string,
  ip: string,
  now: Date,
  decide: (current: LoginFailures | null) => number | null,
): Promise<LoginFailures | null> {
  return db.transaction(async (tx) => {
    // A row to lock even for a first attempt; two first attempts meet on its key.
    await tx.insert(loginFailures).values({ username, ip, failures: 0, lastFailedAt: now }).onConflictDoNothing();
    const pair = and(eq(loginFailures.username, username), eq(loginFailures.ip, ip));
    const [row] = await tx.select({ failures: loginFailures.failures, lastFailedAt: loginFailures.lastFailedAt }).from(loginFailures).where(pair).for('update');
    const current = row && row.failures > 0 ? row : null;
    const next = decide(current);
    if (next !== null) await tx.update(loginFailures).set({ failures: next, lastFailedAt: now }).where(pair);
    return current;
  });
}

export async function clearLoginFailures(db: Db, username: string, ip: string): Promise<void> {
  await db.delete(loginFailures).where(and(eq(loginFailures.username, username), eq(loginFailures.ip, ip)));
}

/** Drops the pairs whose last failure is older than `before`. */
export async function forgetLoginFailures(db: Db, before: Date): Promise<void> {
  await db.delete(loginFailures).where(lt(loginFailures.lastFailedAt, before));
}
