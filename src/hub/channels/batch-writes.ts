/**
 * The rows a batch of inbound messages writes, held until the batch needs
 * them in the database and then inserted a table at a time: a batch of many
 * new authors costs a handful of statements, not five per message (each
 * statement is a round trip to the database thread, the most of what an
 * inbound message costs). What reads the database goes through `db()`,
 * which writes what is held first, so every read still sees what the earlier
 * messages of the batch wrote.
 */
import type { Case, Channel, Customer, Mention, Message } from '../../shared/domain';
import type { Db } from '../db/connect';
import { insertTogether } from '../db/json-rows';
import { toCase, toCustomer, toMessage } from '../db/rows';
import { cases, customerIdentities, customers, mentions, messages, messageThreads } from '../db/schema';
import { insertAttachments, type NewAttachment } from '../repos/attachments';
import type { NewCase, NewMessage } from '../repos/cases';
import type { NewCustomer } from '../repos/inbound';

export interface HeldMessage {
  values: NewMessage;
  files: NewAttachment[];
  thread: { channel: Channel; threadRef: string } | null;
}

export interface BatchWrites {
  customer(values: NewCustomer): void;
  /** Gives the identity to the customer, taking it from whoever held it (as an upsert would, in order). */
  identity(channel: Channel, value: string, customerId: string): void;
  case(values: NewCase): void;
  message(held: HeldMessage): void;
  mention(mention: Mention, replyContext: Record<string, string | string[]> | null): void;
  /** The case this batch opened for a customer this batch created, if any: no other case of theirs can be open. */
  caseOpenedFor(customerId: string): string | undefined;
  createdCustomer(customerId: string): boolean;
  /** The transaction, once what is held is written. */
  db(): Promise<Db>;
  /** The transaction as it is, for reads that nothing the batch holds can change (policies, settings). */
  readonly tx: Db;
  flush(): Promise<void>;
  /** What the database made of a row written by this batch (its number, rev, times); after flush. */
  customerRow(id: string): Customer;
  /** The customer as stored: one this batch created, as its insert returned it. */
  stored(customer: Customer): Customer;
  caseRow(id: string): Case;
  messageRow(id: string): Message;
  mentionRev(id: string): number;
}

export function createBatchWrites(tx: Db): BatchWrites {
  let held = emptyHeld();
  const created = new Set<string>();
  const openedFor = new Map<string, string>();
  const written = { customers: new Map<string, Customer>(), cases: new Map<string, Case>(), messages: new Map<string, Message>(), mentions: new Map<string, number>() };

  async function flush(): Promise<void> {
    const now = held;
    if (isEmpty(now)) return;
    held = emptyHeld();
    // Every table's rows in one statement (json-rows.ts): one round trip and one statement for the database
    // to run, however many tables and rows. Attachments (bytes) go beside it.
    const threads = now.messages.flatMap((m) => (m.thread ? [{ messageId: m.values.id!, ...m.thread }] : []));
    const mentionRows = now.mentions.map(({ mention, replyContext }) => ({ ...mention, rev: undefined, at: new Date(mention.at), createdAt: new Date(mention.createdAt), updatedAt: new Date(mention.updatedAt), replyContext }));
    const sent: Promise<unknown>[] = [];
    sent.push(
      insertTogether(tx, [
        { table: customers, rows: now.customers, returning: true },
        { table: customerIdentities, rows: [...now.identities.values()], onConflict: 'ON CONFLICT (channel, value) DO UPDATE SET customer_id = excluded.customer_id' },
        { table: cases, rows: now.cases, returning: true },
        { table: messages, rows: now.messages.map((m) => m.values), returning: true },
        { table: messageThreads, rows: threads },
        { table: mentions, rows: mentionRows, returning: ['id', 'rev'] },
      ]).then(([customerRows, , caseRows, messageRows, , mentionRevs]) => {
        for (const row of customerRows as (typeof customers.$inferSelect)[]) written.customers.set(row.id, toCustomer(row));
        for (const row of caseRows as (typeof cases.$inferSelect)[]) written.cases.set(row.id, toCase(row));
        for (const row of messageRows as (typeof messages.$inferSelect)[]) written.messages.set(row.id, toMessage(row));
        for (const row of mentionRevs as { id: string; rev: number }[]) written.mentions.set(row.id, Number(row.rev));
      }),
    );
    // After the statement that writes their messages: the database runs them in turn.
    for (const m of now.messages) if (m.files.length > 0) sent.push(insertAttachments(tx, m.values.id!, m.files));
    await settledAll(sent);
  }

  const found = <T>(map: Map<string, T>, id: string, what: string): T => {
    const row = map.get(id);
    if (row === undefined) throw new Error(`the batch wrote no ${what} ${id}`);
    return row;
  };

  return {
    customer(values) {
      held.customers.push(values);
      created.add(values.id!);
    },
    identity(channel, value, customerId) {
      // A later claim of the same identity in the batch wins, as the second of two upserts would.
      held.identities.set(`${channel}\u0000${value}`, { channel, value, customerId });
    },
    case(values) {
      held.cases.push(values);
      if (values.customerId && created.has(values.customerId) && !openedFor.has(values.customerId)) openedFor.set(values.customerId, values.id!);
    },
    message(message) {
      held.messages.push(message);
    },
    mention(mention, replyContext) {
      held.mentions.push({ mention, replyContext });
    },
    caseOpenedFor: (customerId) => openedFor.get(customerId),
    createdCustomer: (customerId) => created.has(customerId),
    async db() {
      await flush();
      return tx;
    },
    tx,
    flush,
    customerRow: (id) => found(written.customers, id, 'customer'),
    stored: (customer) => (created.has(customer.id) ? found(written.customers, customer.id, 'customer') : customer),
    caseRow: (id) => found(written.cases, id, 'case'),
    messageRow: (id) => found(written.messages, id, 'message'),
    mentionRev: (id) => found(written.mentions, id, 'mention'),
  };
}

/** Promise.all that waits for every one to settle before it rejects: none is left running after the batch moves on. */
async function settledAll(sent: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(sent);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

interface Held {
  customers: NewCustomer[];
  identities: Map<string, { channel: Channel; value: string; customerId: string }>;
  cases: NewCase[];
  messages: HeldMessage[];
  mentions: { mention: Mention; replyContext: Record<string, string | string[]> | null }[];
}

const emptyHeld = (): Held => ({ customers: [], identities: new Map(), cases: [], messages: [], mentions: [] });
const isEmpty = (h: Held) => h.customers.length + h.identities.size + h.cases.length + h.messages.length + h.mentions.length === 0;
