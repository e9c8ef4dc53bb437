/** The queries of the phone channel (channels/voice): who a call is offered to, and the calls the provider reported. */
import { and, asc, desc, eq, notInArray } from 'drizzle-orm';
import { type Case, DONE_STATUSES } from '../../shared/domain';
import type { Db } from '../db/connect';
import { toCase } from '../db/rows';
import { type Actor, caseScope } from './scope';
import { calls, cases, messages, phoneNumbers, queueMembers, users } from '../db/schema';


export type CallRow = typeof calls.$inferSelect;

/** The user whose extension this number is, if any. */
export async function userIdByExtension(db: Db, number: string): Promise<string | null> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.extension, number));
  return row?.id ?? null;
}

/** The queue that answers one of the brand's numbers, or null when none does. */
export async function phoneNumberQueueId(db: Db, number: string): Promise<string | null> {
  const [row] = await db.select({ queueId: phoneNumbers.queueId }).from(phoneNumbers).where(eq(phoneNumbers.number, number));
  return row?.queueId ?? null;
}

export async function setPhoneNumberQueue(db: Db, number: string, queueId: string): Promise<void> {
  await db.insert(phoneNumbers).values({ number, queueId }).onConflictDoUpdate({ target: phoneNumbers.number, set: { queueId } });
}

export async function queueMemberIds(db: Db, queueId: string): Promise<string[]> {
  const rows = await db.select({ userId: queueMembers.userId }).from(queueMembers).where(eq(queueMembers.queueId, queueId)).orderBy(asc(queueMembers.userId));
  return rows.map((r) => r.userId);
}

/** The customer's cases still being worked, the most recently updated first. */
/** The customer's open cases the actor may see (a call pops only what its agent could open anyway). */
export async function openCasesOfCustomer(db: Db, customerId: string, actor: Actor): Promise<Case[]> {
  const rows = await db
    .select()
    .from(cases)
    .where(and(eq(cases.customerId, customerId), notInArray(cases.status, [...DONE_STATUSES]), caseScope(actor)))
    .orderBy(desc(cases.updatedAt));
  return rows.map(toCase);
}

export async function findCall(db: Db, callSid: string): Promise<CallRow | null> {
  const [row] = await db.select().from(calls).where(eq(calls.callSid, callSid));
  return row ?? null;
}

export async function insertCall(db: Db, values: typeof calls.$inferInsert): Promise<void> {
  await db.insert(calls).values(values);
}

export async function updateCall(db: Db, callSid: string, fields: Partial<Pick<CallRow, 'status' | 'endedAt' | 'duration' | 'caseId'>>): Promise<void> {
  await db.update(calls).set(fields).where(eq(calls.callSid, callSid));
}

/** The case a message with this provider id was filed under. */
export async function caseIdOfMessage(db: Db, channel: string, externalId: string): Promise<string | null> {
  const [row] = await db.select({ caseId: messages.caseId }).from(messages).where(and(eq(messages.channel, channel), eq(messages.externalId, externalId)));
  return row?.caseId ?? null;
}
