/** The queries of the inbound pipeline (channels/pipeline.ts); run inside its write transaction. */
import { dueColumns, dueTimesAfterChange, type OpeningContext, openingContextColumns, openingContextOf } from '../sla';
import { and, desc, eq, notInArray, sql } from 'drizzle-orm';
import { type Case, type Channel, type Customer, DONE_STATUSES } from '../../shared/domain';
import type { Db } from '../db/connect';
import { jsonColumn, rowFromJson } from '../db/json-rows';
import { toCase, toCustomer } from '../db/rows';
import { caseChanges, cases, channelQueues, customerIdentities, customers, mentions, messages, messageThreads } from '../db/schema';
import { executeRows } from '../db/execute-rows';


/** Whether a message or a mention with this provider id was already stored. */
export async function externalIdTaken(db: Db, channel: Channel, externalId: string): Promise<boolean> {
  const [message] = await db.select({ id: messages.id }).from(messages).where(and(eq(messages.channel, channel), eq(messages.externalId, externalId))).limit(1);
  if (message) return true;
  const [mention] = await db.select({ id: mentions.id }).from(mentions).where(and(eq(mentions.channel, channel), eq(mentions.externalId, externalId))).limit(1);
  return mention !== undefined;
}

const pairKey = (channel: string, value: string) => `${channel}\u0000${value}`;

/** What a batch of inbound messages needs to know before it is routed, read by `readBatchLookups`. */
export interface BatchLookupRows {
  /** Of the (channel, provider id) pairs asked, the ones already stored as a message or a mention (`takenKey`). */
  taken: Set<string>;
  /** The customers of the identities asked that have one (`identityKey`). */
  known: Map<string, Customer>;
  /** Which queue owns each channel asked (null: none). */
  queues: Map<Channel, string | null>;
  /** What opening a case reads (sla: the clock, the policies, the plan table), when asked for. */
  context: OpeningContext | null;
}

/**
 * Everything a batch looks up, in ONE statement: a statement is a round trip to the database (and, embedded,
 * most of a small query's cost in its thread). By channel too, so the (channel, …) indexes answer.
 */
export async function readBatchLookups(
  db: Db,
  ask: { ids: { channel: Channel; externalId: string }[]; identities: { channel: Channel; value: string }[]; openingContext?: boolean },
): Promise<BatchLookupRows> {
  const channels = [...new Set(ask.ids.map((p) => p.channel))];
  const ids = [...new Set(ask.ids.map((p) => p.externalId))];
  const identityChannels = [...new Set(ask.identities.map((p) => p.channel))];
  const values = [...new Set(ask.identities.map((p) => p.value))];
  const result = await executeRows<{ taken: unknown; known: unknown; queues: unknown } & Record<string, unknown>>(db, sql`
    SELECT
      (SELECT coalesce(json_agg(json_build_array(t.channel, t.external_id)), '[]'::json) FROM (
        SELECT channel, external_id FROM messages WHERE channel = ANY(${sql.param(channels)}::text[]) AND external_id = ANY(${sql.param(ids)}::text[])
        UNION ALL
        SELECT channel, external_id FROM mentions WHERE channel = ANY(${sql.param(channels)}::text[]) AND external_id = ANY(${sql.param(ids)}::text[])
      ) t) AS taken,
      (SELECT coalesce(json_agg(json_build_array(i.channel, i.value, to_jsonb(c))), '[]'::json)
        FROM customer_identities i JOIN customers c ON c.id = i.customer_id
        WHERE i.channel = ANY(${sql.param(identityChannels)}::text[]) AND i.value = ANY(${sql.param(values)}::text[])) AS known,
      (SELECT coalesce(json_agg(json_build_array(q.channel, q.queue_id)), '[]'::json)
        FROM channel_queues q WHERE q.channel = ANY(${sql.param(channels)}::text[])) AS queues
      ${ask.openingContext ? sql`, ${openingContextColumns()}` : sql``}
  `);
  const row = result[0]!;
  const queues = new Map<Channel, string | null>(channels.map((channel) => [channel, null]));
  for (const [channel, queueId] of jsonColumn<[Channel, string][]>(row.queues)) queues.set(channel, queueId);
  return {
    taken: new Set(jsonColumn<[string, string][]>(row.taken).map(([channel, externalId]) => pairKey(channel, externalId))),
    known: new Map(jsonColumn<[string, string, Record<string, unknown>][]>(row.known).map(([channel, value, customer]) => [pairKey(channel, value), toCustomer(rowFromJson(customers, customer))])),
    queues,
    context: ask.openingContext ? openingContextOf(row) : null,
  };
}
export const takenKey = (channel: Channel, externalId: string) => pairKey(channel, externalId);

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
