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
import { openCaseSla, routingNote } from '../sla';
import { toCustomer } from '../db/rows';
import {
  hasIdentityLike,
  openCaseOfCustomer,
  openCaseByNumber,
  openCaseOfMessage,
  openCaseOfThread,
  reopenOnCustomerReply,
} from '../repos/inbound';
import { type Analysis, analyseInbound } from './analysis';
import { analyseText, type TextAnalysis } from './text/analyse';
import { type MessageFired, runMessageRules } from './message-rules';
import type { Notice } from '../automation/act';
import type { CurrentRules } from '../automation/current-rules';
import type { RuleSet } from '../rules';
import { type BatchWrites, createBatchWrites } from './batch-writes';
import { displayHandle, normaliseIdentity, userIdIdentity } from './identity';
import type { InboundMessage } from './inbound';
import { batchLookups, directLookups, type Lookups } from './lookups';

export type InboundOutcome =
  | { status: 'duplicate' }
  | { status: 'joined' | 'opened'; case: Case; message: Message; customer: Customer; customerCreated: boolean; analysis: Analysis; fired?: MessageFired }
  | { status: 'mention'; mention: Mention; queueId: string | null; customerCreated: boolean; customer: Customer | null; analysis: Analysis; fired?: MessageFired };

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
  ruleNotice?(notice: Notice): void;
}

export interface InboundOptions {
  onCaseOpened?: (opened: Case) => void;
  /** The message rules; without them none run. */
  rules?: CurrentRules;
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
  /** Read as the message arrived: while the previous batch's transaction ran, not inside this one. */
  text: TextAnalysis;
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
export function createInboundPipeline(db: Db, publish: InboundPublisher, opts: InboundOptions = {}): InboundPipeline {
  const { onCaseOpened, rules } = opts;
  const waiting: Waiting[] = [];

  /** Routes a batch in one write transaction; `routed` is told once its rows are written and only the commit is left. */
  const routeAll = async (batch: Waiting[], routed: () => void = () => undefined) => {
    // Read before the transaction: embedded PGlite has one connection, which the transaction holds.
    const current = rules ? await rules.get() : null;
    return writeTransaction(db, async (tx) => {
      const lookups = await batchLookups(tx, batch.map((item) => item.inbound));
      const writes = createBatchWrites(tx);
      const drafts: Draft[] = [];
      for (const item of batch) {
        const draft = await route(item.inbound, item.text, lookups, writes);
        if (item.after) {
          // An adapter's own record may refer to the rows: they are written first.
          await writes.flush();
          await item.after(tx, draft());
        }
        drafts.push(draft);
      }
      await writes.flush();
      const outcomes = drafts.map((draft) => draft());
      if (current) for (const outcome of outcomes) await applyMessageRules(tx, current, outcome);
      routed();
      return outcomes;
    });
  };

  function announce(outcome: InboundOutcome): void {
    if (outcome.status === 'duplicate') return;
    const fired = outcome.fired;
    if (outcome.status === 'mention') {
      publish.mention(outcome.mention);
      // A rule made the mention a case.
      if (fired?.case) {
        publish.case(fired.case);
        onCaseOpened?.(fired.case);
      }
    } else {
      publish.case(outcome.case);
      if (outcome.status === 'opened') onCaseOpened?.(outcome.case);
      publish.message(outcome.message, outcome.case);
    }
    const caseRow = outcome.status === 'mention' ? fired?.case : outcome.case;
    if (caseRow) for (const message of fired?.messages ?? []) publish.message(message, caseRow);
    for (const notice of fired?.notices ?? []) publish.ruleNotice?.(notice);
  }

  /** A batch is being routed: the next one starts once this one's rows are written (see `pump`). */
  let routing = false;

  /**
   * Starts the next batch once the one being routed has only its commit left: its transaction then queues
   * behind that commit in the database (embedded PGlite's one connection; the write lock on Postgres), so it
   * sees every row the earlier batch wrote, and its look-ups are on their way while the hub announces the
   * earlier one, instead of waiting for a round trip each.
   */
  function pump(): void {
    if (routing || waiting.length === 0) return;
    routing = true;
    const batch = waiting.splice(0, MAX_BATCH);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      routing = false;
      pump();
    };
    void runBatch(batch, release).finally(release);
  }

  async function runBatch(batch: Waiting[], routed: () => void): Promise<void> {
    try {
      const outcomes = await routeAll(batch, routed);
      batch.forEach((item, i) => {
        announce(outcomes[i]!);
        item.resolve(outcomes[i]!);
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]!.reject(error);
        return;
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

  let scheduled = false;
  return {
    receive(inbound, after) {
      return new Promise((resolve, reject) => {
        waiting.push({ inbound, text: analyseText(inbound.body), after, resolve, reject });
        // After the I/O callbacks now running: the requests read in the same turn of the event loop join this batch;
        // those that arrive while one is routed wait for the next.
        if (!scheduled) {
          scheduled = true;
          setImmediate(() => {
            scheduled = false;
            pump();
          });
        }
      });
    },
  };
}

/** The message rules on a routed message: what they change is laid onto its outcome (published with it). */
async function applyMessageRules(tx: Db, rules: RuleSet, outcome: InboundOutcome): Promise<void> {
  if (outcome.status === 'duplicate') return;
  const onCase = outcome.status !== 'mention';
  const message = onCase ? outcome.message : outcome.mention;
  const fired = await runMessageRules(tx, rules, {
    message: { id: message.id, channel: message.channel, author: message.author, body: message.body, language: outcome.analysis.language, sentiment: outcome.analysis.sentiment },
    customer: outcome.customer,
    case: onCase ? outcome.case : null,
    openedIt: outcome.status === 'opened',
    mention: onCase ? null : outcome.mention,
  });
  if (!fired) return;
  outcome.fired = fired;
  if (onCase && fired.case) outcome.case = fired.case;
  if (!onCase && fired.mention) outcome.mention = fired.mention;
}

/** An outcome whose rows the batch has yet to write: read once they are (BatchWrites.flush). */
type Draft = () => InboundOutcome;

async function route(inbound: InboundMessage, text: TextAnalysis, lookups: Lookups, writes: BatchWrites): Promise<Draft> {
  const { channel } = inbound;
  if (await lookups.claim(channel, inbound.externalId)) return () => ({ status: 'duplicate' });
  // Someone who merely mentions the brand is not made a customer for it (the seeds' privacy concern): only a
  // customer already known by that identity is linked. Writing to the brand, or in a thread it has, makes one.
  const known = inbound.addressing === 'mention' ? await knownAuthor(inbound.author, lookups, writes) : null;
  const resolved = inbound.addressing === 'mention' ? (known ? { customer: known, created: false } : null) : await resolveCustomer(inbound, text, lookups, writes);
  const analysis = analyseInbound(inbound, text, resolved?.customer.language ?? 'en');

  const thread = inbound.thread;
  const joined =
    thread?.kind === 'reply'
      ? await openCaseOfReply(await writes.db(), channel, [thread.inReplyTo, ...(thread.references ?? [])])
      : thread?.kind === 'conversation'
        ? await openCaseOfThread(await writes.db(), channel, thread.id)
        : thread?.kind === 'customer' && resolved
          ? await openCaseOfAuthor(resolved.customer.id, writes)
          : null;
  const threadRef = thread?.kind === 'conversation' ? thread.id : null;
  const author = inbound.author.displayName || displayHandle(channel, inbound.author.handle);

  // No thread matched: the case the message names by number, if it is still open and the author's own
  // (anyone can type a number: a stranger's mail about case N opens a case of its own).
  const named = joined ?? (inbound.caseNumber !== undefined && resolved ? await openCaseByNumber(await writes.db(), inbound.caseNumber, resolved.customer.id) : null);
  if (named) {
    const { customer, created } = resolved ?? (await resolveCustomer(inbound, text, lookups, writes));
    const messageId = holdMessage(writes, named.id, inbound, author, threadRef);
    // The customer wrote again: a case waiting on them is open again, and every console sees it move.
    const touched = await reopenOnCustomerReply(await writes.db(), named);
    return () => ({ status: 'joined', case: touched, message: writes.messageRow(messageId), customer: writes.stored(customer), customerCreated: created, analysis });
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
    writes.mention(mention, inbound.replyContext ?? null);
    return () => ({ status: 'mention', mention: { ...mention, rev: writes.mentionRev(mention.id) }, queueId, customerCreated: false, customer: resolved?.customer ?? null, analysis });
  }
  // Not a mention: resolveCustomer above found or made one.
  const { customer, created } = resolved!;

  if (!queueId) throw new InboundError('no_queue', `no queue owns the ${channel} channel: an admin must set one`);
  const caseId = uuidv7();
  // Entitlement routing (a customer without support goes to Sales) and the due times of the plan's policy.
  // It reads the policies and, for a customer on record, their row: only one the batch holds must be written first.
  const slaDb = !created && writes.createdCustomer(customer.id) ? await writes.db() : writes.tx;
  const sla = await openCaseSla(slaDb, { caseId, customerId: customer.id, newCustomer: created, plan: customer.plan, priority: 'normal', queueId }, lookups.sla);
  writes.case({
    id: caseId,
    subject: subjectOf(inbound, author),
    status: 'new',
    priority: 'normal',
    channel,
    customerId: customer.id,
    deviceId: null,
    queueId: sla.queueId,
    assigneeId: null,
    slaDueAt: sla.slaDueAt,
    resolutionDueAt: sla.resolutionDueAt,
    language: analysis.language,
    sentiment: analysis.sentiment,
    tags: [],
  });
  const messageId = holdMessage(writes, caseId, inbound, author, threadRef);
  if (sla.note) writes.message({ values: routingNote(caseId, channel, sla.note), files: [], thread: null });
  return () => ({ status: 'opened', case: writes.caseRow(caseId), message: writes.messageRow(messageId), customer: writes.stored(customer), customerCreated: created, analysis });
}

function holdMessage(writes: BatchWrites, caseId: string, inbound: InboundMessage, author: string, threadRef: string | null): string {
  const { channel } = inbound;
  const files = (inbound.attachments ?? []).map((file) => ({ ...file, id: uuidv7() }));
  const attachments = files.map(({ id, fileName, contentType, content }) => ({ id, fileName, contentType, size: content.length }));
  const id = uuidv7();
  writes.message({
    values: { id, caseId, direction: 'in', channel, author, body: inbound.body, externalId: inbound.externalId, attachments, addressed: !inbound.keywordOnly, replyContext: inbound.replyContext ?? null },
    files,
    thread: threadRef ? { channel, threadRef } : null,
  });
  return id;
}

/** The customer's open case: for a customer this batch created, only the case it opened for them can be. */
async function openCaseOfAuthor(customerId: string, writes: BatchWrites): Promise<Case | null> {
  if (!writes.createdCustomer(customerId)) return openCaseOfCustomer(await writes.db(), customerId);
  const opened = writes.caseOpenedFor(customerId);
  if (opened === undefined) return null;
  await writes.flush();
  return writes.caseRow(opened);
}

/** The customer the author's identity belongs to; an unknown author becomes a customer with that identity. */
async function resolveCustomer(inbound: InboundMessage, text: TextAnalysis, lookups: Lookups, writes: BatchWrites): Promise<{ customer: Customer; created: boolean }> {
  return customerOfAuthor(writes, inbound.author, () => analyseInbound(inbound, text, 'en').language, lookups);
}

/**
 * The customer an author's identity belongs to, created with the identity when
 * unknown (also for a mention converted into a case: `writes` then flushed by
 * the caller). A customer created here is held by `writes`: what is returned
 * is as it will be stored, but for its rev and times.
 */
export async function customerOfAuthor(
  writes: BatchWrites,
  author: { channel: Channel; handle: string; displayName: string; userId?: string },
  language: () => string,
  lookups?: Lookups,
): Promise<{ customer: Customer; created: boolean }> {
  const look = lookups ?? directLookups(await writes.db());
  const { channel, handle, displayName } = author;
  const key = normaliseIdentity(channel, handle);
  const known = await knownAuthor(author, look, writes);
  if (known) return { customer: known, created: false };
  const values = {
    id: uuidv7(),
    name: displayName || displayHandle(channel, handle),
    email: channel === 'email' ? key : null,
    phone: channel === 'phone' ? key : null,
    handles: channel === 'email' || channel === 'phone' ? {} : { [channel]: displayHandle(channel, handle) },
    // As the demo's least plan: nothing is known of them yet.
    plan: 'basic',
    planOnRecord: false,
    lifetimeValue: 0,
    influence: 0,
    language: language(),
    preferredChannel: channel,
    // Engaging with what they addressed to the brand needs no opt-in; anything more does.
    consent: false,
  };
  writes.customer(values);
  const now = new Date();
  const customer = toCustomer({ ...values, doNotEngage: false, version: 1, rev: 0, createdAt: now, updatedAt: now });
  // The handle may still name a customer known by another user id (knownAuthor passed them over): it is this author's now.
  writes.identity(channel, key, customer.id);
  look.identityAdded(channel, key, customer);
  if (author.userId) {
    writes.identity(channel, userIdIdentity(author.userId), customer.id);
    look.identityAdded(channel, userIdIdentity(author.userId), customer);
  }
  return { customer, created: true };
}

/**
 * The customer an author already is: by the provider's stable user id first
 * (a handle can change hands), then by handle — for customers recorded by
 * handle only, whose user id is then remembered.
 */
async function knownAuthor(author: { channel: Channel; handle: string; userId?: string }, lookups: Lookups, writes: BatchWrites): Promise<Customer | null> {
  const byId = author.userId ? await lookups.customerByIdentity(author.channel, userIdIdentity(author.userId)) : null;
  if (byId) return byId;
  const byHandle = await lookups.customerByIdentity(author.channel, normaliseIdentity(author.channel, author.handle));
  if (!byHandle || !author.userId) return byHandle;
  // The handle's customer is known by another user id: someone else holds that handle now.
  if (await hasIdentityLike(await writes.db(), author.channel, byHandle.id, userIdIdentity(''))) return null;
  writes.identity(author.channel, userIdIdentity(author.userId), byHandle.id);
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
