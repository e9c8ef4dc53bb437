/**
 * Every change a user makes: written to the cache and to the outbox in one
 * SQLite transaction, so what the screen shows at once is exactly what will be
 * pushed, and a crash at any moment keeps both or neither. Mutation ids are
 * UUIDv7, minted here: a retry after a timeout or a crash is harmless.
 */
import { isDeepStrictEqual } from 'node:util';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { ApiParsedInput, MentionItem, QueueItem } from '../../shared/api';
import { newCaseAssignee, type RefusalName, refuseAssignment, refuseNewCase } from '../../shared/policy';
import type { Case, Customer, Message, User } from '../../shared/domain';
import { refuseReply } from '../../shared/replies';
import { refusalOf } from '../../shared/rejections';
import { CASE_FIELDS, type CaseFields, type Mutation, MutationSchema, type PresenceState } from '../../shared/protocol';
import type { Cache } from './cache';
import { consentPolicyOf } from './channel-settings';
import { CoreError } from './errors';

type Draft = Omit<Mutation, 'id' | 'createdAt' | 'baseVersion'>;

/** The domain policy's refusal, checked before queueing: its English and its key, as the hub would refuse it. */
function policyRefusal(name: RefusalName): CoreError {
  const { text, wording } = refusalOf(name);
  return new CoreError('invalid_input', text, undefined, wording);
}

export interface Changes {
  updateCase(input: ApiParsedInput<'cases.update'>): QueueItem;
  addNote(input: ApiParsedInput<'cases.addNote'>): Message;
  reply(input: ApiParsedInput<'cases.reply'>): Message;
  assign(input: ApiParsedInput<'cases.assign'>): QueueItem;
  createCase(input: ApiParsedInput<'cases.create'>): QueueItem;
  /** Sends a failed reply again: shown as queued at once. */
  retryReply(input: ApiParsedInput<'messages.retry'>): Message;
  convertMention(input: ApiParsedInput<'mentions.convert'>): { mention: MentionItem; caseId: string };
  dismissMention(input: ApiParsedInput<'mentions.dismiss'>): MentionItem;
  /** The user's presence: queued for the hub like every change. */
  setPresence(input: ApiParsedInput<'presence.set'>): PresenceState;
  /** Records what the customer agreed to; shown at once, the hub's row follows. */
  setConsent(input: ApiParsedInput<'customers.setConsent'>): Customer;
  /** Keeps the user's value of a conflicting field: a new change on the hub's current version. */
  keepMine(conflictId: string): void;
  takeTheirs(conflictId: string): void;
}

export function createChanges(opts: { cache: Cache; me(): User | null; onWritten(caseIds: string[]): void; onMentions(ids: string[]): void }): Changes {
  const { cache } = opts;

  function me(): User {
    const user = opts.me();
    if (!user) throw new CoreError('unauthorized', 'not logged in');
    return user;
  }

  function existingMention(id: string): MentionItem {
    const item = cache.mentions.item(id);
    if (!item) throw new CoreError('not_found', `no mention ${id} in this console`);
    return item;
  }

  function existing(id: string): QueueItem {
    const item = cache.cases.item(id);
    if (!item) throw new CoreError('not_found', `no case ${id} in this console`);
    return item;
  }

  /** The hub version the user's change starts from; a case born here has none yet. */
  const baseVersionOf = (id: string) => cache.cases.baseById(id)?.version ?? 0;

  /** Validates like the hub will, then stores the mutation with its local effect in one transaction. */
  function record(draft: Draft, effect: (m: Mutation) => void, baseVersion = baseVersionOf(draft.entityId)): Mutation {
    // Every change needs someone logged in: it is pushed with their token and in their name.
    me();
    const parsed = MutationSchema.safeParse({ ...draft, id: uuidv7(), createdAt: new Date().toISOString(), baseVersion });
    // Told now rather than rejected by the hub later (e.g. a conflict's value kept after the rules tightened).
    if (!parsed.success) throw new CoreError('invalid_input', z.prettifyError(parsed.error));
    const mutation = parsed.data;
    cache.transaction(() => {
      cache.outbox.add(mutation);
      effect(mutation);
    });
    return mutation;
  }

  const relayCase = (id: string) => cache.cases.refresh(id);

  function message(caseItem: QueueItem, m: Mutation, direction: Message['direction'], channel: Message['channel'], body: string, override: string | null = null): Message {
    const now = new Date().toISOString();
    // A reply is queued for its channel from the start; the hub's row then says where it is.
    const delivery: Message['delivery'] = direction === 'out' ? { status: 'queued', externalId: null, reason: null, attempts: 0, consentOverride: override, at: now } : null;
    // The mutation id is the message id on the hub too, so the hub's row replaces this one.
    const row: Message = {
      id: m.id,
      caseId: caseItem.id,
      direction,
      channel,
      author: me().name,
      body,
      externalId: null,
      attachments: [],
      addressed: true,
      delivery,
      version: 0,
      rev: 0,
      createdAt: now,
      updatedAt: now,
    };
    cache.messages.upsert(row, 0);
    return row;
  }

  function updateCase({ id, fields }: ApiParsedInput<'cases.update'>): QueueItem {
    const current = existing(id);
    // Only what really changes travels: a field set to its current value is no change.
    const changed: CaseFields = {};
    for (const field of CASE_FIELDS) {
      if (field in fields && !isDeepStrictEqual(fields[field], current[field])) Object.assign(changed, { [field]: fields[field] });
    }
    if (Object.keys(changed).length === 0) return current;
    record({ kind: 'case.update', entityId: id, payload: { fields: changed } }, () => relayCase(id));
    opts.onWritten([id]);
    return existing(id);
  }

  return {
    updateCase,

    addNote({ id, body }) {
      const item = existing(id);
      let row!: Message;
      record({ kind: 'case.note', entityId: id, payload: { body } }, (m) => {
        row = message(item, m, 'note', item.channel, body);
        cache.drafts.remove(id, 'note');
      });
      opts.onWritten([id]);
      return row;
    },

    reply({ id, body, channel, override }) {
      const user = me();
      const item = existing(id);
      const on = channel ?? item.channel;
      // The hub's rules (src/shared/replies.ts), told now: the channel, its length, and consent.
      const customer = item.customerId ? cache.customers.byId(item.customerId) : null;
      const answered = cache.messages.ofCase(id).filter((m) => m.direction === 'in' && m.channel === on).at(-1);
      const refused = refuseReply(
        { channel: on, body, customer, answers: answered ? { addressed: answered.addressed } : null, policy: consentPolicyOf(cache) },
        override ? { role: user.role, reason: override.reason } : undefined,
      );
      if (refused) throw new CoreError('invalid_input', `The reply cannot be sent: ${refused.text}`, undefined, refused.wording);
      let row!: Message;
      record({ kind: 'message.send', entityId: id, payload: { channel: on, body, ...(override ? { override } : {}) } }, (m) => {
        row = message(item, m, 'out', on, body, override?.reason ?? null);
        // The draft became the reply in the same transaction: never both, never neither.
        cache.drafts.remove(id, 'reply');
      });
      opts.onWritten([id]);
      return row;
    },

    assign({ id, assigneeId, queueId }) {
      const user = me();
      const current = existing(id);
      const to = assigneeId === 'me' ? user.id : assigneeId;
      // The hub's rule; this console holds only cases of its user's scope, so it needs no queue list.
      const refused = refuseAssignment(user, current, { assigneeId: to, queueId });
      if (refused) throw policyRefusal(refused);
      record({ kind: 'case.assign', entityId: id, payload: { assigneeId: to, ...(queueId ? { queueId } : {}) } }, () => relayCase(id));
      opts.onWritten([id]);
      return existing(id);
    },

    createCase(input) {
      const user = me();
      if (!cache.queues.byId(input.queueId)) throw new CoreError('invalid_input', 'no such queue in this console');
      const id = uuidv7();
      const now = new Date().toISOString();
      // The hub's rule (src/shared/policy.ts): a technician's own case stays in their briefcase.
      const assigneeId = newCaseAssignee(user, null);
      const refused = refuseNewCase(user, { queueId: input.queueId, assigneeId });
      if (refused) throw policyRefusal(refused);
      const draft = { id, subject: input.subject, status: 'new' as const, priority: input.priority, channel: input.channel, customerId: input.customerId, deviceId: input.deviceId, queueId: input.queueId, language: input.language, tags: input.tags, assigneeId };
      const row: Case = { ...draft, number: 0, slaDueAt: null, resolutionDueAt: null, sentiment: null, resolution: null, parts: [], version: 0, rev: 0, createdAt: now, updatedAt: now };
      cache.transaction(() => {
        record({ kind: 'case.create', entityId: id, payload: { case: draft } }, () => cache.cases.upsert(row, 0));
        if (input.note) {
          const item = existing(id);
          record({ kind: 'case.note', entityId: id, payload: { body: input.note } }, (m) => message(item, m, 'note', item.channel, input.note!));
        }
      });
      opts.onWritten([id]);
      return existing(id);
    },

    retryReply({ id }) {
      const current = cache.messages.byId(id);
      if (!current) throw new CoreError('not_found', `no message ${id} in this console`);
      if (current.direction !== 'out' || current.delivery?.status !== 'failed') throw new CoreError('invalid_input', 'only a reply whose delivery failed can be sent again');
      const queued: Message = { ...current, delivery: { ...current.delivery, status: 'queued', reason: null, at: new Date().toISOString() } };
      // The hub's next row of it (a higher rev) replaces this one whatever it says.
      record({ kind: 'message.retry', entityId: id, payload: {} }, () => cache.messages.upsert(queued, current.rev), current.version);
      opts.onWritten([current.caseId]);
      return queued;
    },

    convertMention({ id, caseId }) {
      const mention = existingMention(id);
      if (mention.status !== 'new') throw new CoreError('invalid_input', `this mention was already ${mention.status}`);
      if (caseId) existing(caseId);
      let target = caseId ?? '';
      record({ kind: 'mention.convert', entityId: id, payload: caseId ? { caseId } : {} }, (m) => {
        target ||= m.id;
        cache.mentions.refresh(id);
      }, mention.version);
      opts.onMentions([id]);
      return { mention: existingMention(id), caseId: target };
    },

    dismissMention({ id }) {
      const mention = existingMention(id);
      if (mention.status !== 'new') throw new CoreError('invalid_input', `this mention was already ${mention.status}`);
      record({ kind: 'mention.dismiss', entityId: id, payload: {} }, () => cache.mentions.refresh(id), mention.version);
      opts.onMentions([id]);
      return existingMention(id);
    },

    setPresence({ presence, reason }) {
      const user = me();
      record({ kind: 'presence.set', entityId: user.id, payload: { presence, ...(reason ? { reason } : {}) } }, () => undefined, 0);
      return { presence, reason: reason ?? null, since: new Date().toISOString() };
    },

    setConsent({ id, ...fields }) {
      const customer = cache.customers.byId(id);
      if (!customer) throw new CoreError('not_found', `no customer ${id} in this console`);
      const payload = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as { consent?: boolean; doNotEngage?: boolean };
      const updated: Customer = { ...customer, ...payload };
      // The hub's next row of the customer (a higher rev) replaces this one whatever it says.
      record({ kind: 'customer.consent', entityId: id, payload }, () => cache.customers.upsert(updated, customer.rev), customer.version);
      // Its cases show the customer: their views change too.
      opts.onWritten(cache.cases.ofCustomer(id, '', 1000).map((c) => c.id));
      return updated;
    },

    keepMine(conflictId) {
      const conflict = cache.conflicts.byId(conflictId);
      if (!conflict) throw new CoreError('not_found', 'no such conflict');
      existing(conflict.caseId);
      // On the hub's current version, so the hub applies it as the user's deliberate answer.
      cache.transaction(() => {
        cache.conflicts.remove(conflictId);
        record(
          { kind: 'case.update', entityId: conflict.caseId, payload: { fields: { [conflict.field]: conflict.yours } as CaseFields } },
          () => relayCase(conflict.caseId),
          Math.max(baseVersionOf(conflict.caseId), conflict.hubVersion),
        );
      });
      opts.onWritten([conflict.caseId]);
    },

    takeTheirs(conflictId) {
      const conflict = cache.conflicts.byId(conflictId);
      if (!conflict) throw new CoreError('not_found', 'no such conflict');
      cache.conflicts.remove(conflictId);
      opts.onWritten([conflict.caseId]);
    },
  };
}
