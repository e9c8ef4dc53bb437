/** The queries of the inbound pipeline (channels/pipeline.ts); run inside its write transaction. */
import { and, desc, eq, notInArray } from 'drizzle-orm';
import type { Case, Channel, Customer, Mention } from '../../shared/domain';
import type { Db } from '../db/connect';
import { toCase, toCustomer } from '../db/rows';
import { cases, channelQueues, customerIdentities, customers, mentions, messages, messageThreads } from '../db/schema';

const CLOSED: Case['status'][] = ['solved', 'closed'];

/** Whether a message or a mention with this provider id was already stored. */
export async function externalIdTaken(db: Db, channel: Channel, externalId: string): Promise<boolean> {
  const [message] = await db.select({ id: messages.id }).from(messages).where(and(eq(messages.channel, channel), eq(messages.externalId, externalId))).limit(1);
  if (message) return true;
  const [mention] = await db.select({ id: mentions.id }).from(mentions).where(and(eq(mentions.channel, channel), eq(mentions.externalId, externalId))).limit(1);
  return mention !== undefined;
}

export async function findCustomerByIdentity(db: Db, channel: Channel, value: string): Promise<Customer | null> {
  const [row] = await db
    .select({ customer: customers })
    .from(customerIdentities)
    .innerJoin(customers, eq(customers.id, customerIdentities.customerId))
    .where(and(eq(customerIdentities.channel, channel), eq(customerIdentities.value, value)));
  return row ? toCustomer(row.customer) : null;
}

export type NewCustomer = Omit<typeof customers.$inferInsert, 'version' | 'rev' | 'createdAt' | 'updatedAt'>;

export async function insertCustomer(db: Db, values: NewCustomer): Promise<Customer> {
  const [row] = await db.insert(customers).values(values).returning();
  if (!row) throw new Error('customer insert returned nothing');
  return toCustomer(row);
}

export async function insertIdentity(db: Db, channel: Channel, value: string, customerId: string): Promise<void> {
  await db.insert(customerIdentities).values({ channel, value, customerId });
}

/** The case of the message with this provider id, if that case is still being worked. */
export async function openCaseOfMessage(db: Db, channel: Channel, externalId: string): Promise<Case | null> {
  const [row] = await db
    .select({ c: cases })
    .from(messages)
    .innerJoin(cases, eq(cases.id, messages.caseId))
    .where(and(eq(messages.channel, channel), eq(messages.externalId, externalId), notInArray(cases.status, CLOSED)));
  return row ? toCase(row.c) : null;
}

/** The case with this number, if it is still being worked. */
/** The open case with this number, if it is this customer's: case numbers are easy to guess. */
export async function openCaseByNumber(db: Db, number: number, customerId: string): Promise<Case | null> {
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.number, number), eq(cases.customerId, customerId), notInArray(cases.status, CLOSED)));
  return row ? toCase(row) : null;
}

/** The open case the latest message of this conversation belongs to. */
export async function openCaseOfThread(db: Db, channel: Channel, threadRef: string): Promise<Case | null> {
  const [row] = await db
    .select({ c: cases })
    .from(messageThreads)
    .innerJoin(messages, eq(messages.id, messageThreads.messageId))
    .innerJoin(cases, eq(cases.id, messages.caseId))
    .where(and(eq(messageThreads.channel, channel), eq(messageThreads.threadRef, threadRef), notInArray(cases.status, CLOSED)))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  return row ? toCase(row.c) : null;
}

/** The customer's open case that was worked on last. */
export async function openCaseOfCustomer(db: Db, customerId: string): Promise<Case | null> {
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.customerId, customerId), notInArray(cases.status, CLOSED)))
    .orderBy(desc(cases.updatedAt))
    .limit(1);
  return row ? toCase(row) : null;
}

/** Files an inbound message under its provider's conversation. */
export async function insertMessageThread(db: Db, messageId: string, channel: Channel, threadRef: string): Promise<void> {
  await db.insert(messageThreads).values({ messageId, channel, threadRef });
}

/** The queue that opens the cases of a channel, or null when none is set. */
export async function channelQueueId(db: Db, channel: Channel): Promise<string | null> {
  const [row] = await db.select({ queueId: channelQueues.queueId }).from(channelQueues).where(eq(channelQueues.channel, channel));
  return row?.queueId ?? null;
}

export async function setChannelQueue(db: Db, channel: Channel, queueId: string): Promise<void> {
  await db.insert(channelQueues).values({ channel, queueId }).onConflictDoUpdate({ target: channelQueues.channel, set: { queueId } });
}

export async function insertInboxMention(db: Db, mention: Mention): Promise<void> {
  await db.insert(mentions).values({ ...mention, at: new Date(mention.at) });
}
