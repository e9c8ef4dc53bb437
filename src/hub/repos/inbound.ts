/** The queries of the inbound pipeline (channels/pipeline.ts); run inside its write transaction. */
import { dueColumns, dueTimesAfterChange } from '../sla';
import { and, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { type Case, type Channel, type Customer, DONE_STATUSES } from '../../shared/domain';
import type { Db } from '../db/connect';
import { toCase, toCustomer } from '../db/rows';
import { caseChanges, cases, channelQueues, customerIdentities, customers, mentions, messages, messageThreads } from '../db/schema';


/** Whether a message or a mention with this provider id was already stored. */
export async function externalIdTaken(db: Db, channel: Channel, externalId: string): Promise<boolean> {
  const [message] = await db.select({ id: messages.id }).from(messages).where(and(eq(messages.channel, channel), eq(messages.externalId, externalId))).limit(1);
  if (message) return true;
  const [mention] = await db.select({ id: mentions.id }).from(mentions).where(and(eq(mentions.channel, channel), eq(mentions.externalId, externalId))).limit(1);
  return mention !== undefined;
}

const pairKey = (channel: string, value: string) => `${channel}\u0000${value}`;

/** Of these (channel, provider id) pairs, the ones already stored as a message or a mention: one look-up for a batch. */
export async function takenExternalIds(db: Db, pairs: { channel: Channel; externalId: string }[]): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const ids = [...new Set(pairs.map((p) => p.externalId))];
  // The channel too, so the (channel, external id) indexes answer: by external id alone it is a scan of every message.
  const channels = [...new Set(pairs.map((p) => p.channel))];
  // One statement for both tables: each statement is a round trip.
  const rows = await db
    .select({ channel: messages.channel, externalId: messages.externalId })
    .from(messages)
    .where(and(inArray(messages.channel, channels), inArray(messages.externalId, ids)))
    .unionAll(
      db
        .select({ channel: mentions.channel, externalId: mentions.externalId })
        .from(mentions)
        .where(and(inArray(mentions.channel, channels), inArray(mentions.externalId, ids))),
    );
  return new Set(rows.map((r) => pairKey(r.channel, r.externalId!)));
}
export const takenKey = (channel: Channel, externalId: string) => pairKey(channel, externalId);

/** The customers these identities belong to, keyed by `identityKey(channel, value)`: one look-up for a batch. */
export async function customersByIdentities(db: Db, pairs: { channel: Channel; value: string }[]): Promise<Map<string, Customer>> {
  if (pairs.length === 0) return new Map();
  const values = [...new Set(pairs.map((p) => p.value))];
  // The channel leads the identities' key: without it every identity is read.
  const channels = [...new Set(pairs.map((p) => p.channel))];
  const rows = await db
    .select({ channel: customerIdentities.channel, value: customerIdentities.value, customer: customers })
    .from(customerIdentities)
    .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
    .where(and(inArray(customerIdentities.channel, channels), inArray(customerIdentities.value, values)));
  return new Map(rows.map((r) => [pairKey(r.channel, r.value), toCustomer(r.customer)]));
}
export const identityKey = (channel: Channel, value: string) => pairKey(channel, value);

export async function findCustomerByIdentity(db: Db, channel: Channel, value: string): Promise<Customer | null> {
  const [row] = await db
    .select({ customer: customers })
    .from(customerIdentities)
    .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
    .where(and(eq(customerIdentities.channel, channel), eq(customerIdentities.value, value)));
  return row ? toCustomer(row.customer) : null;
}

export type NewCustomer = Omit<typeof customers.$inferInsert, 'version' | 'rev' | 'createdAt' | 'updatedAt'>;

/** Whether the customer's identities on a channel include one starting with `prefix` (a provider user id: `id:`). */
export async function hasIdentityLike(db: Db, channel: Channel, customerId: string, prefix: string): Promise<boolean> {
  const [row] = await db
    .select({ value: customerIdentities.value })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.channel, channel), eq(customerIdentities.customerId, customerId), sql`starts_with(${customerIdentities.value}, ${prefix})`))
    .limit(1);
  return row !== undefined;
}

/** The case of the message with this provider id, if that case is still being worked. */
export async function openCaseOfMessage(db: Db, channel: Channel, externalId: string): Promise<Case | null> {
  const [row] = await db
    .select({ c: cases })
    .from(messages)
    .innerJoin(cases, eq(cases.id, messages.caseId))
    .where(and(eq(messages.channel, channel), eq(messages.externalId, externalId), notInArray(cases.status, [...DONE_STATUSES])));
  return row ? toCase(row.c) : null;
}

/** The case with this number, if it is still being worked. */
/** The open case with this number, if it is this customer's: case numbers are easy to guess. */
export async function openCaseByNumber(db: Db, number: number, customerId: string): Promise<Case | null> {
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.number, number), eq(cases.customerId, customerId), notInArray(cases.status, [...DONE_STATUSES])));
  return row ? toCase(row) : null;
}

/** The open case the latest message of this conversation belongs to. */
export async function openCaseOfThread(db: Db, channel: Channel, threadRef: string): Promise<Case | null> {
  const [row] = await db
    .select({ c: cases })
    .from(messageThreads)
    .innerJoin(messages, eq(messages.id, messageThreads.messageId))
    .innerJoin(cases, eq(cases.id, messages.caseId))
    .where(and(eq(messageThreads.channel, channel), eq(messageThreads.threadRef, threadRef), notInArray(cases.status, [...DONE_STATUSES])))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  return row ? toCase(row.c) : null;
}

/** The customer's open case that was worked on last. */
export async function openCaseOfCustomer(db: Db, customerId: string): Promise<Case | null> {
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.customerId, customerId), notInArray(cases.status, [...DONE_STATUSES])))
    .orderBy(desc(cases.updatedAt))
    .limit(1);
  return row ? toCase(row) : null;
}

/** The queue that opens the cases of a channel, or null when none is set. */
export async function channelQueueId(db: Db, channel: Channel): Promise<string | null> {
  const [row] = await db.select({ queueId: channelQueues.queueId }).from(channelQueues).where(eq(channelQueues.channel, channel));
  return row?.queueId ?? null;
}

export async function setChannelQueue(db: Db, channel: Channel, queueId: string): Promise<void> {
  await db.insert(channelQueues).values({ channel, queueId }).onConflictDoUpdate({ target: channelQueues.channel, set: { queueId } });
}

/**
 * A customer wrote again on a case that was waiting on them (pending) or on
 * hold: it is open again, as help desks do it. A case that changes gets a new
 * version (recorded as the hub's change, so a console's edit of the status
 * meets it as a conflict) and a rev; either way it counts as updated now.
 */
export async function reopenOnCustomerReply(db: Db, caseRow: Case): Promise<Case> {
  const reopen = caseRow.status === 'pending' || caseRow.status === 'on_hold';
  // Open again: the clock runs on from where the wait on the customer stopped it.
  const due = reopen ? await dueTimesAfterChange(db, { ...caseRow, createdAt: new Date(caseRow.createdAt) }, { status: 'open', priority: caseRow.priority }, new Date()) : null;
  const [row] = await db
    .update(cases)
    .set({
      ...(reopen ? { status: 'open', version: caseRow.version + 1, ...(due ? dueColumns(due) : {}) } : {}),
      rev: sql`nextval('rev_seq')`,
      updatedAt: new Date(),
    })
    .where(eq(cases.id, caseRow.id))
    .returning();
  if (reopen) await db.insert(caseChanges).values({ caseId: caseRow.id, version: caseRow.version + 1, fields: { status: 'open' }, userId: null });
  return toCase(row!);
}
