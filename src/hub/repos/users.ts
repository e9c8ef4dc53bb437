import { and, asc, eq } from 'drizzle-orm';
import type { User } from '../../shared/domain';
import type { Db } from '../db/connect';
import { toUser } from '../db/rows';
import { queueMembers, users } from '../db/schema';
import type { Actor } from './scope';

export async function findUserWithHash(db: Db, username: string): Promise<{ user: User; passwordHash: string } | null> {
  const [row] = await db.select().from(users).where(eq(users.username, username));
  return row ? { user: toUser(row), passwordHash: row.passwordHash } : null;
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
  const user = await findUser(db, userId);
  if (!user) return null;
  return { id: user.id, name: user.name, role: user.role, queueIds: await queueIdsOf(db, user.id) };
}

/** Sets a user's presence (only when it is currently `onlyIf`, if given); true when it changed. */
export async function setPresence(db: Db, userId: string, presence: string, onlyIf?: string): Promise<boolean> {
  const where = onlyIf ? and(eq(users.id, userId), eq(users.presence, onlyIf)) : eq(users.id, userId);
  const changed = await db.update(users).set({ presence }).where(where).returning({ id: users.id });
  return changed.length > 0;
}
