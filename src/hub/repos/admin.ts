/** Users, queues and memberships as an admin manages them. Writes bump version and rev: users and queues sync. */
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { AdminUser, NewUser, UserPatch } from '../../shared/admin';
import type { Queue } from '../../shared/domain';
import type { Db } from '../db/connect';
import { toQueue } from '../db/rows';
import { queueMembers, queues, users } from '../db/schema';
import { writeTransaction } from '../db/write';
import { recordAudit } from './audit';
import { endSessions } from './users';

/** A name already taken; answered as 409 by the HTTP error handler. */
export class AdminConflict extends Error {
  readonly statusCode = 409;
}

const bumpUser = { version: sql`${users.version} + 1`, rev: sql`nextval('rev_seq')`, updatedAt: sql`now()` };
const bumpQueue = { version: sql`${queues.version} + 1`, rev: sql`nextval('rev_seq')`, updatedAt: sql`now()` };

export async function listAdminUsers(db: Db, ids?: string[]): Promise<AdminUser[]> {
  const rows = await db.select().from(users).where(ids ? inArray(users.id, ids) : undefined).orderBy(asc(users.username));
  const members = await db.select().from(queueMembers);
  return rows.map((u) => ({
    id: u.id,
    username: u.username,
    name: u.name,
    role: u.role as AdminUser['role'],
    skills: u.skills,
    capacity: u.capacity,
    presence: u.presence,
    queueIds: members.filter((m) => m.userId === u.id).map((m) => m.queueId),
  }));
}

export async function createUser(db: Db, input: Omit<NewUser, 'password'>, passwordHash: string, actorId: string | null): Promise<AdminUser> {
  const id = uuidv7();
  await writeTransaction(db, async (tx) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
    if (taken) throw new AdminConflict(`the username "${input.username}" is taken`);
    await tx.insert(users).values({ id, ...input, passwordHash });
    await recordAudit(tx, [{ actorId, action: 'user.create', entity: 'user', entityId: id, after: input }]);
  });
  return (await listAdminUsers(db, [id]))[0]!;
}

/** A new password also ends every session the user has (a password is reset when it may be known to someone else). */
export async function updateUser(db: Db, id: string, patch: Omit<UserPatch, 'password'> & { passwordHash?: string }, actorId: string | null): Promise<AdminUser | null> {
  const endSessions = patch.passwordHash ? { sessionEpoch: sql`${users.sessionEpoch} + 1` } : {};
  const changed = await writeTransaction(db, async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!before) return false;
    await tx
      .update(users)
      .set({ ...patch, ...endSessions, ...bumpUser })
      .where(eq(users.id, id));
    // The fields it changed, from what to what; a password only as "reset", never its hash.
    const { passwordHash, ...fields } = patch;
    const keys = Object.keys(fields) as (keyof typeof fields)[];
    await recordAudit(tx, [
      {
        actorId,
        action: 'user.update',
        entity: 'user',
        entityId: id,
        before: Object.fromEntries(keys.map((k) => [k, before[k as keyof typeof before]])),
        after: { ...fields, ...(passwordHash ? { password: 'reset' } : {}) },
      },
    ]);
    return true;
  });
  return changed ? (await listAdminUsers(db, [id]))[0]! : null;
}

/** Signs a user out everywhere (their tokens stop working), on the record; false for an unknown user. */
export async function signOutEverywhere(db: Db, userId: string, actorId: string | null): Promise<boolean> {
  return writeTransaction(db, async (tx) => {
    if (!(await endSessions(tx, userId))) return false;
    await recordAudit(tx, [{ actorId, action: 'user.sign_out', entity: 'user', entityId: userId }]);
    return true;
  });
}

export async function createQueue(db: Db, input: { name: string; description: string }, actorId: string | null): Promise<Queue> {
  return writeTransaction(db, async (tx) => {
    const [taken] = await tx.select({ id: queues.id }).from(queues).where(eq(queues.name, input.name));
    if (taken) throw new AdminConflict(`a queue named "${input.name}" exists`);
    const [row] = await tx.insert(queues).values({ id: uuidv7(), ...input }).returning();
    await recordAudit(tx, [{ actorId, action: 'queue.create', entity: 'queue', entityId: row!.id, after: input }]);
    return toQueue(row!);
  });
}

export async function updateQueue(db: Db, id: string, patch: { name?: string; description?: string }, actorId: string | null): Promise<Queue | null> {
  const row = await writeTransaction(db, async (tx) => {
    if (patch.name) {
      const [taken] = await tx.select({ id: queues.id }).from(queues).where(and(eq(queues.name, patch.name), ne(queues.id, id)));
      if (taken) throw new AdminConflict(`a queue named "${patch.name}" exists`);
    }
    const [before] = await tx.select().from(queues).where(eq(queues.id, id)).for('update');
    const [updated] = await tx.update(queues).set({ ...patch, ...bumpQueue }).where(eq(queues.id, id)).returning();
    if (before && updated) {
      const keys = Object.keys(patch) as (keyof typeof patch)[];
      await recordAudit(tx, [{ actorId, action: 'queue.update', entity: 'queue', entityId: id, before: Object.fromEntries(keys.map((k) => [k, before[k]])), after: patch }]);
    }
    return updated;
  });
  return row ? toQueue(row) : null;
}

/**
 * Replaces who works a queue; null when the queue or one of the users does not
 * exist. Answers who joined and who left: their scope changed.
 */
export async function setMembers(db: Db, queueId: string, userIds: string[], actorId: string | null): Promise<{ joined: string[]; left: string[] } | null> {
  return writeTransaction(db, async (tx) => {
    const [queue] = await tx.select({ id: queues.id }).from(queues).where(eq(queues.id, queueId));
    const found = userIds.length ? await tx.select({ id: users.id }).from(users).where(inArray(users.id, userIds)) : [];
    if (!queue || found.length !== new Set(userIds).size) return null;
    const before = (await tx.select({ userId: queueMembers.userId }).from(queueMembers).where(eq(queueMembers.queueId, queueId)).orderBy(asc(queueMembers.userId))).map((m) => m.userId);
    const after = [...new Set(userIds)].sort();
    await recordAudit(tx, [{ actorId, action: 'queue.members', entity: 'queue', entityId: queueId, before: { userIds: before }, after: { userIds: after } }]);
    await tx.delete(queueMembers).where(eq(queueMembers.queueId, queueId));
    if (after.length) await tx.insert(queueMembers).values(after.map((userId) => ({ queueId, userId })));
    return { joined: after.filter((id) => !before.includes(id)), left: before.filter((id) => !after.includes(id)) };
  });
}
