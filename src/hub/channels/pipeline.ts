/**
 * The inbound pipeline every channel shares: a normalised message (inbound.ts)
 * is resolved and routed in ONE write transaction — dedupe by (channel,
 * external id), the customer by identity (created with the identity when
 * unknown), language and sentiment (analysis.ts), then the thread's open case,
 * a new case in the queue that owns the channel, or the mentions inbox — and
 * published only after commit, so a console never hears of what it cannot pull.
 * The write lock (db/write.ts) serialises hubs sharing a Postgres, so the same
 * event delivered twice at once is stored once.
 */
import { uuidv7 } from 'uuidv7';
import type { Case, Channel, Customer, Mention, Message } from '../../shared/domain';
import { TEXT_LIMITS } from '../../shared/domain';
import type { Db } from '../db/connect';
import { writeTransaction } from '../db/write';
import { slaDueAt } from '../devices/sla';
import { insertCase, insertMessage } from '../repos/cases';
import {
  claimIdentity,
  hasIdentityLike,
  insertCustomer,
  insertIdentity,
  insertInboxMention,
  insertMessageThread,
  openCaseOfCustomer,
  openCaseByNumber,
  openCaseOfMessage,
  openCaseOfThread,
  reopenOnCustomerReply,
} from '../repos/inbound';
import { insertAttachments } from '../repos/attachments';
import { analyseInbound } from './analysis';
import { displayHandle, normaliseIdentity, userIdIdentity } from './identity';
import type { InboundMessage } from './inbound';
import { batchLookups, directLookups, type Lookups } from './lookups';

export type InboundOutcome =
  | { status: 'duplicate' }
  | { status: 'joined' | 'opened'; case: Case; message: Message; customer: Customer; customerCreated: boolean }
  | { status: 'mention'; mention: Mention; queueId: string | null; customerCreated: boolean };

export class InboundError extends Error {
  constructor(
    /** `no_queue`: the channel has no owning queue, so an addressed message has nowhere to open a case. */
    readonly code: 'no_queue',
    message: string,
  ) {
    super(message);
    this.name = 'InboundError';
  }
}

export interface InboundPublisher {
  case(row: Case): void;
  message(message: Message, caseRow: Pick<Case, 'queueId' | 'assigneeId'>): void;
  mention(mention: Mention): void;
}

/** Runs in the pipeline's transaction once the message is routed: an adapter's own record commits with it, or neither does. */
export type InboundAfter = (tx: Db, outcome: InboundOutcome) => Promise<void>;

export interface InboundPipeline {
  receive(message: InboundMessage, after?: InboundAfter): Promise<InboundOutcome>;
}

/** At most this many messages share a write transaction: a bigger batch would hold the others' answers back. */
const MAX_BATCH = 64;

interface Waiting {
  inbound: InboundMessage;
  after?: InboundAfter;
  resolve(outcome: InboundOutcome): void;
  reject(error: unknown): void;
}

/**
 * Messages that arrive while a write transaction runs (concurrent webhooks,
 * SMTP sessions) are routed together in the next one: one commit, and the
 * look-ups of the whole batch read at once (lookups.ts). Each message is
 * still routed on its own, in arrival order, seeing what the earlier ones
 * wrote. If one fails, the batch is rolled back and each message runs alone,
 * so only that one fails.
 */
export function createInboundPipeline(db: Db, publish: InboundPublisher, onCaseOpened?: (opened: Case) => void): InboundPipeline {
  const waiting: Waiting[] = [];
  let draining = false;

  const routeAll = (batch: Waiting[]) =>
    writeTransaction(db, async (tx) => {
      const lookups = await batchLookups(tx, batch.map((item) => item.inbound));
      const outcomes: InboundOutcome[] = [];
      for (const item of batch) {
        const routed = await route(tx, item.inbound, lookups);
        await item.after?.(tx, routed);
        outcomes.push(routed);
      }
      return outcomes;
    });

  function announce(outcome: InboundOutcome): void {
    if (outcome.status === 'opened' || outcome.status === 'joined') publish.case(outcome.case);
    if (outcome.status === 'opened') onCaseOpened?.(outcome.case);
    if (outcome.status === 'opened' || outcome.status === 'joined') publish.message(outcome.message, outcome.case);
    if (outcome.status === 'mention') publish.mention(outcome.mention);
  }

  async function drain(): Promise<void> {
    try {
      while (waiting.length > 0) {
        const batch = waiting.splice(0, MAX_BATCH);
        try {
          const outcomes = await routeAll(batch);
          batch.forEach((item, i) => {
            announce(outcomes[i]!);
            item.resolve(outcomes[i]!);
          });
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          // One of them failed: each alone, so only that one fails.
          for (const item of batch) {
            await routeAll([item]).then(
              ([outcome]) => {
                announce(outcome!);
                item.resolve(outcome!);
              },
              (alone: unknown) => item.reject(alone),
            );
          }
        }
      }
    } finally {
      draining = false;
    }
  }

  return {
    receive(inbound, after) {
      return new Promise((resolve, reject) => {
        waiting.push({ inbound, after, resolve, reject });
        // After the I/O callbacks now running: the requests read in the same turn of the event loop join this batch;
        // those that arrive while it is written wait for the next one.
        if (!draining) {
          draining = true;
          setImmediate(() => void drain());
        }
      });
    },
  };
}

async function route(tx: Db, inbound: InboundMessage, lookups: Lookups): Promise<InboundOutcome> {
  const { channel } = inbound;
  if (await lookups.claim(channel, inbound.externalId)) return { status: 'duplicate' };
  // Someone who merely mentions the brand is not made a customer for it (the seeds' privacy concern): only a
  // customer already known by that identity is linked. Writing to the brand, or in a thread it has, makes one.
  const known = inbound.addressing === 'mention' ? await knownAuthor(tx, inbound.author, lookups) : null;
  const resolved = inbound.addressing === 'mention' ? (known ? { customer: known, created: false } : null) : await resolveCustomer(tx, inbound, lookups);
  const analysis = analyseInbound(inbound, resolved?.customer.language ?? 'en');

  const thread = inbound.thread;
  const joined =
    thread?.kind === 'reply'
      ? await openCaseOfReply(tx, channel, [thread.inReplyTo, ...(thread.references ?? [])])
      : thread?.kind === 'conversation'
        ? await openCaseOfThread(tx, channel, thread.id)
        : thread?.kind === 'customer' && resolved
          ? await openCaseOfCustomer(tx, resolved.customer.id)
          : null;
  const threadRef = thread?.kind === 'conversation' ? thread.id : null;
  const author = inbound.author.displayName || displayHandle(channel, inbound.author.handle);

  // No thread matched: the case the message names by number, if it is still open and the author's own
  // (anyone can type a number: a stranger's mail about case N opens a case of its own).
  const named = joined ?? (inbound.caseNumber !== undefined && resolved ? await openCaseByNumber(tx, inbound.caseNumber, resolved.customer.id) : null);
  if (named) {
    const { customer, created } = resolved ?? (await resolveCustomer(tx, inbound, lookups));
    const message = await storeMessage(tx, named.id, inbound, author, threadRef);
    // The customer wrote again: a case waiting on them is open again, and every console sees it move.
    const touched = await reopenOnCustomerReply(tx, named);
    return { status: 'joined', case: touched, message, customer, customerCreated: created };
  }

  const queueId = inbound.queueId ?? (await lookups.channelQueue(channel));
  if (inbound.addressing === 'mention') {
    const now = new Date().toISOString();
    const mention: Mention = {
      id: uuidv7(),
      channel,
      author: displayHandle(channel, inbound.author.handle),
      body: inbound.body,
      externalId: inbound.externalId,
      language: analysis.language,
      at: inbound.at,
      status: 'new',
      customerId: resolved?.customer.id ?? null,
      url: inbound.url,
      inReplyTo: thread?.kind === 'reply' ? thread.inReplyTo : null,
      addressed: !inbound.keywordOnly,
      sentiment: analysis.sentiment,
      queueId,
      caseId: null,
      version: 1,
      rev: 0,
      createdAt: now,
      updatedAt: now,
    };
    mention.rev = await insertInboxMention(tx, mention, inbound.replyContext ?? null);
    return { status: 'mention', mention, queueId, customerCreated: false };
  }
  // Not a mention: resolveCustomer above found or made one.
  const { customer, created } = resolved!;

  if (!queueId) throw new InboundError('no_queue', `no queue owns the ${channel} channel: an admin must set one`);
  const now = new Date();
  const opened = await insertCase(tx, {
    id: uuidv7(),
    subject: subjectOf(inbound, author),
    status: 'new',
    priority: 'normal',
    channel,
    customerId: customer.id,
    deviceId: null,
    queueId,
    assigneeId: null,
    slaDueAt: slaDueAt('normal', now),
    language: analysis.language,
    sentiment: analysis.sentiment,
    tags: [],
  });
  const message = await storeMessage(tx, opened.id, inbound, author, threadRef);
  return { status: 'opened', case: opened, message, customer, customerCreated: created };
}

async function storeMessage(tx: Db, caseId: string, inbound: InboundMessage, author: string, threadRef: string | null): Promise<Message> {
  const { channel } = inbound;
  const files = (inbound.attachments ?? []).map((file) => ({ ...file, id: uuidv7() }));
  const attachments = files.map(({ id, fileName, contentType, content }) => ({ id, fileName, contentType, size: content.length }));
  const message = await insertMessage(tx, {
    id: uuidv7(),
    caseId,
    direction: 'in',
    channel,
    author,
    body: inbound.body,
    externalId: inbound.externalId,
    attachments,
    addressed: !inbound.keywordOnly,
    replyContext: inbound.replyContext ?? null,
  });
  if (files.length > 0) await insertAttachments(tx, message.id, files);
  if (threadRef) await insertMessageThread(tx, message.id, channel, threadRef);
  return message;
}

/** The customer the author's identity belongs to; an unknown author becomes a customer with that identity. */
async function resolveCustomer(tx: Db, inbound: InboundMessage, lookups: Lookups): Promise<{ customer: Customer; created: boolean }> {
  return customerOfAuthor(tx, inbound.author, () => analyseInbound(inbound, 'en').language, lookups);
}

/** The customer an author's identity belongs to, created with the identity when unknown (also for a mention converted into a case). */
export async function customerOfAuthor(
  tx: Db,
  author: { channel: Channel; handle: string; displayName: string; userId?: string },
  language: () => string,
  lookups: Lookups = directLookups(tx),
): Promise<{ customer: Customer; created: boolean }> {
  const { channel, handle, displayName } = author;
  const key = normaliseIdentity(channel, handle);
  const known = await knownAuthor(tx, author, lookups);
  if (known) return { customer: known, created: false };
  const customer = await insertCustomer(tx, {
    id: uuidv7(),
    name: displayName || displayHandle(channel, handle),
    email: channel === 'email' ? key : null,
    phone: channel === 'phone' ? key : null,
    handles: channel === 'email' || channel === 'phone' ? {} : { [channel]: displayHandle(channel, handle) },
    // As the demo's least plan: nothing is known of them yet.
    plan: 'basic',
    lifetimeValue: 0,
    influence: 0,
    language: language(),
    preferredChannel: channel,
    // Engaging with what they addressed to the brand needs no opt-in; anything more does.
    consent: false,
  });
  // The handle may still name a customer known by another user id (knownAuthor passed them over): it is this author's now.
  await claimIdentity(tx, channel, key, customer.id);
  lookups.identityAdded(channel, key, customer);
  if (author.userId) {
    await insertIdentity(tx, channel, userIdIdentity(author.userId), customer.id);
    lookups.identityAdded(channel, userIdIdentity(author.userId), customer);
  }
  return { customer, created: true };
}

/**
 * The customer an author already is: by the provider's stable user id first
 * (a handle can change hands), then by handle — for customers recorded by
 * handle only, whose user id is then remembered.
 */
async function knownAuthor(tx: Db, author: { channel: Channel; handle: string; userId?: string }, lookups: Lookups): Promise<Customer | null> {
  const byId = author.userId ? await lookups.customerByIdentity(author.channel, userIdIdentity(author.userId)) : null;
  if (byId) return byId;
  const byHandle = await lookups.customerByIdentity(author.channel, normaliseIdentity(author.channel, author.handle));
  if (!byHandle || !author.userId) return byHandle;
  // The handle's customer is known by another user id: someone else holds that handle now.
  if (await hasIdentityLike(tx, author.channel, byHandle.id, userIdIdentity(''))) return null;
  await insertIdentity(tx, author.channel, userIdIdentity(author.userId), byHandle.id);
  lookups.identityAdded(author.channel, userIdIdentity(author.userId), byHandle);
  return byHandle;
}

/** The case of the first of these posts that has an open one (an email's In-Reply-To, then its References). */
async function openCaseOfReply(tx: Db, channel: InboundMessage['channel'], externalIds: string[]): Promise<Case | null> {
  for (const externalId of new Set(externalIds)) {
    const found = await openCaseOfMessage(tx, channel, externalId);
    if (found) return found;
  }
  return null;
}

/** The message's own subject, else its first line, else who wrote on which channel when it has no text. */
export function subjectOf(inbound: Pick<InboundMessage, 'subject' | 'body' | 'thread'>, author: string): string {
  const line = inbound.subject?.trim() || inbound.body.split('\n').find((l) => l.trim() !== '')?.trim();
  const subject = line || `${inbound.thread?.kind === 'conversation' ? 'Direct message' : 'Post'} from ${author}`;
  return subject.length > TEXT_LIMITS.subject ? `${subject.slice(0, TEXT_LIMITS.subject - 1)}…` : subject;
}
