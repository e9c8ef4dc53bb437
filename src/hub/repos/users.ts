import { and, asc, eq, sql } from 'drizzle-orm';
import type { User } from '../../shared/domain';
import type { Presence, PresenceState } from '../../shared/protocol';
import type { Db } from '../db/connect';
import { toUser } from '../db/rows';
import { queueMembers, users } from '../db/schema';
import type { Actor } from './scope';
import { writeTransaction } from '../db/write';
import { recordAudit } from './audit';

export async function findUserWithHash(db: Db, username: string): Promise<{ user: User; passwordHash: string; sessionEpoch: number } | null> {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  return row ? { user: toUser(row), passwordHash: row.passwordHash, sessionEpoch: row.sessionEpoch } : null;
}

export async function findUser(db: Db, id: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ? toUser(row) : null;
}

export async function listUsers(db: Db): Promise<User[]> {
  return (await db.select().from(users).orderBy(asc(users.name))).map(toUser);
}

export async function queueIdsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db.select({ queueId: queueMembers.queueId }).from(queueMembers).where(eq(queueMembers.userId, userId));
  return rows.map((r) => r.queueId);
}

/** Re-reads role and memberships so a changed role takes effect without a new token. */
export async function loadActor(db: Db, userId: string): Promise<Actor | null> {
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  if (!row) return null;
  const { id, name, role } = toUser(row);
  return { id, name, role, queueIds: await queueIdsOf(db, id), sessionEpoch: row.sessionEpoch };
}

/** Ends every session the user has: tokens signed before this are refused. False for an unknown user. */
export async function endSessions(db: Db, userId: string): Promise<boolean> {
  const changed = await db
    .update(users)
    .set({ sessionEpoch: sql`${users.sessionEpoch} + 1` })
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  return changed.length > 0;
}

/**
 * Sets a user's presence and its reason (only when it is currently `onlyIf`,
 * if given); the time in state starts again. Null when nothing changed.
 */
export async function setPresence(db: Db, userId: string, presence: Presence, opts: { onlyIf?: Presence; reason?: string } = {}): Promise<PresenceState | null> {
  const where = opts.onlyIf ? and(eq(users.id, userId), eq(users.presence, opts.onlyIf)) : eq(users.id, userId);
  const [row] = await db
    .update(users)
    .set({ presence, presenceReason: opts.reason ?? null, presenceSince: new Date() })
    .where(where)
    .returning({ presence: users.presence, reason: users.presenceReason, since: users.presenceSince });
  return row ? { presence: row.presence as Presence, reason: row.reason, since: row.since.toISOString() } : null;
}

/** A supervisor sets someone's presence (e.g. away, with the reason), on the record; null for an unknown user. */
export async function overridePresence(db: Db, actorId: string, userId: string, presence: Presence, reason: string | undefined): Promise<PresenceState | null> {
  return writeTransaction(db, async (tx) => {
    const before = await presenceOf(tx, userId);
    if (!before) return null;
    const after = await setPresence(tx, userId, presence, { reason });
    await recordAudit(tx, [{ actorId, action: 'presence.override', entity: 'user', entityId: userId, before: { presence: before.presence, reason: before.reason }, after: { presence, reason: reason ?? null }, reason: reason ?? null }]);
    return after;
  });
}

export async function presenceOf(db: Db, userId: string): Promise<PresenceState | null> {
  const [row] = await db.select({ presence: users.presence, reason: users.presenceReason, since: users.presenceSince }).from(users).where(eq(users.id, userId));
  return row ? { presence: row.presence as Presence, reason: row.reason, since: row.since.toISOString() } : null;
}
