/**
 * The console core's side of the real channels: mentions as synced rows
 * (pulled, live, listed, counted), convert / dismiss / retry queued with their
 * local effect and kept over the hub's row until it catches up, the reply
 * rules (consent, override), delivery fields stored and returned, and the
 * cache migration that brings older files up to them.
 */
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache } from '../../src/main/core/cache';
import { openCacheDb } from '../../src/main/core/cache/database';
import { cacheMigrations } from '../../src/main/core/cache/migrations';
import { createChanges } from '../../src/main/core/changes';
import { CoreError } from '../../src/main/core/errors';
import { createPusher } from '../../src/main/core/push';
import { createPuller, pagesInThisThread } from '../../src/main/core/sync';
import { type Mention, MentionSchema, type Message } from '../../src/shared/domain';
import type { Mutation, MutationResult, SyncPullResponse } from '../../src/shared/protocol';
import { aCase, aCustomer, aMessage, aQueue, at, aUser, tempDir } from './fixtures';

function aMention(overrides: Partial<Mention> = {}): Mention {
  return MentionSchema.parse({
    id: uuidv7(),
    channel: 'x',
    author: '@fan',
    body: 'my thermostat from @switchboard is great',
    externalId: String(Date.now()),
    language: 'en',
    at: at(5),
    status: 'new',
    customerId: null,
    url: null,
    inReplyTo: null,
    addressed: true,
    sentiment: 0.6,
    queueId: null,
    caseId: null,
    version: 1,
    rev: 1,
    createdAt: at(5),
    updatedAt: at(5),
    ...overrides,
  });
}

const failed = (reason: string): NonNullable<Message['delivery']> => ({ status: 'failed', externalId: null, reason, attempts: 3, consentOverride: null, at: at(9) });

let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir('switchboard-channels-');
});
afterAll(async () => {
  await dir?.remove();
});

const fresh = (name: string) => openCache(join(dir.path, name));

describe('mentions in the cache', () => {
  it('stores them by rev, lists them newest first with filters, and counts the new ones', () => {
    const cache = fresh('mentions-list');
    try {
      const customer = aCustomer({ name: 'Lucía Gómez' });
      cache.apply('customer', customer, customer.rev);
      const older = aMention({ at: at(1), rev: 2, language: 'es', customerId: customer.id, channel: 'mastodon' });
      const newer = aMention({ at: at(7), rev: 3, addressed: false });
      const done = aMention({ at: at(3), rev: 4, status: 'dismissed' });
      for (const m of [older, newer, done]) expect(cache.apply('mention', m, m.rev)).toBe(true);

      expect(cache.mentions.list({ limit: 10 }).items.map((m) => m.id)).toEqual([newer.id, done.id, older.id]);
      expect(cache.mentions.list({ status: 'new', limit: 1 }).total).toBe(2);
      expect(cache.mentions.list({ channel: 'mastodon', limit: 10 }).items).toMatchObject([{ id: older.id, customerName: 'Lucía Gómez' }]);
      expect(cache.mentions.list({ language: 'es', limit: 10 }).items.map((m) => m.id)).toEqual([older.id]);
      expect(cache.mentions.item(newer.id)).toMatchObject({ addressed: false, sentiment: 0.6, pendingChanges: 0 });

      // An older copy (a repeated live event) changes nothing.
      expect(cache.apply('mention', { ...newer, status: 'dismissed', rev: 1 }, 1)).toBe(false);
      expect(cache.mentions.item(newer.id)?.status).toBe('new');
    } finally {
      cache.close();
    }
  });

  it('comes in through the pull and is reported apart from cases', async () => {
    const cache = fresh('mentions-pull');
    try {
      const mention = aMention({ rev: 7 });
      const page: SyncPullResponse = { changes: [{ op: 'upsert', entity: 'mention', id: mention.id, rev: 7, row: mention }], cursor: 7, hasMore: false };
      const result = await createPuller(cache, pagesInThisThread(cache, { pull: async () => page })).pull();
      expect(result).toMatchObject({ applied: 1, caseIds: [], othersChanged: false, mentionsChanged: true });
      expect(cache.mentions.item(mention.id)?.body).toBe(mention.body);
      // A mention removed from the user's scope goes.
      const gone: SyncPullResponse = { changes: [{ op: 'delete', entity: 'mention', id: mention.id, rev: 8, row: null }], cursor: 8, hasMore: false };
      await createPuller(cache, pagesInThisThread(cache, { pull: async () => gone })).pull();
      expect(cache.mentions.item(mention.id)).toBeNull();
    } finally {
      cache.close();
    }
  });
});

describe('convert, dismiss and retry', () => {
  function setup(name: string, role: 'agent' | 'supervisor' = 'agent') {
    const cache = fresh(name);
    const me = aUser({ role });
    const written: string[][] = [];
    const mentionsTold: string[][] = [];
    const changes = createChanges({ cache, me: () => me, onWritten: (ids) => written.push(ids), onMentions: (ids) => mentionsTold.push(ids) });
    return { cache, me, changes, written, mentionsTold };
  }

  /** A hub that answers each pushed mutation as `answer` says, and remembers what it got. */
  function fakeHub(answer: (m: Mutation) => MutationResult) {
    const got: Mutation[] = [];
    return {
      got,
      push: async (mutations: Mutation[]) => {
        got.push(...mutations);
        return { results: mutations.map(answer) };
      },
    };
  }

  it('shows a convert at once, queues it, and keeps it over the hub row until the hub row holds it', async () => {
    const { cache, changes, mentionsTold } = setup('convert');
    try {
      const mention = aMention({ version: 3, rev: 10 });
      cache.apply('mention', mention, mention.rev);
      const { mention: shown, caseId } = changes.convertMention({ id: mention.id });
      // Without a case named, the hub opens one whose id is the mutation's id.
      const [queued] = cache.outbox.pending(10).ready;
      expect(queued?.mutation).toMatchObject({ kind: 'mention.convert', entityId: mention.id, baseVersion: 3, payload: {} });
      expect(caseId).toBe(queued?.mutation.id);
      expect(shown).toMatchObject({ status: 'converted', caseId, pendingChanges: 1 });
      expect(mentionsTold).toEqual([[mention.id]]);
      expect(cache.mentions.list({ status: 'new', limit: 1 }).total).toBe(0);

      // The hub's row, still new (a pull page from before the push), does not undo what the user did.
      cache.apply('mention', { ...mention, rev: 11, body: 'edited' }, 11);
      expect(cache.mentions.item(mention.id)).toMatchObject({ status: 'converted', body: 'edited' });

      const hub = fakeHub((m) => ({ id: m.id, status: 'applied', version: 4, rev: 12 }));
      const pushed = await createPusher(cache, hub).push();
      expect(pushed.mentionIds).toEqual([mention.id]);
      expect(hub.got.map((m) => m.kind)).toEqual(['mention.convert']);
      // Applied, but the hub's row of version 4 is not here yet: still shown converted, nothing pending.
      expect(cache.mentions.item(mention.id)).toMatchObject({ status: 'converted', caseId, pendingChanges: 0 });
      expect(cache.outbox.mentionOverlayFor(mention.id, 3)).toEqual({ status: 'converted', caseId });

      cache.apply('mention', { ...mention, status: 'converted', caseId, version: 4, rev: 12 }, 12);
      // The acknowledged change is done: nothing is laid over the post any more.
      expect(cache.outbox.mentionOverlayFor(mention.id, 0)).toBeNull();
      expect(cache.mentions.item(mention.id)).toMatchObject({ status: 'converted', caseId, version: 4 });
    } finally {
      cache.close();
    }
  });

  it('converts into an existing case and dismisses, each shown at once; a refusal brings the post back with a notice', async () => {
    const { cache, changes } = setup('dismiss');
    try {
      const queue = aQueue();
      const target = aCase({ queueId: queue.id });
      cache.apply('queue', queue, queue.rev);
      cache.apply('case', target, target.rev);
      const one = aMention({ rev: 2 });
      const two = aMention({ rev: 3 });
      for (const m of [one, two]) cache.apply('mention', m, m.rev);

      expect(changes.convertMention({ id: one.id, caseId: target.id })).toMatchObject({ caseId: target.id, mention: { status: 'converted', caseId: target.id } });
      expect(changes.dismissMention({ id: two.id })).toMatchObject({ status: 'dismissed' });
      expect(() => changes.dismissMention({ id: two.id })).toThrow(/already dismissed/);
      expect(cache.outbox.pending(10).ready.map((p) => [p.mutation.kind, p.mutation.payload])).toEqual([
        ['mention.convert', { caseId: target.id }],
        ['mention.dismiss', {}],
      ]);

      const hub = fakeHub((m) =>
        m.kind === 'mention.dismiss' ? { id: m.id, status: 'rejected', reason: 'the mention was already converted into a case' } : { id: m.id, status: 'applied', version: 2, rev: 9 },
      );
      const pushed = await createPusher(cache, hub).push();
      // Joining a case changes that case's conversation.
      expect(pushed.caseIds).toEqual([target.id]);
      expect(cache.mentions.item(two.id)).toMatchObject({ status: 'new', pendingChanges: 0 });
      const [notice] = cache.notices.all();
      expect(notice).toMatchObject({ kind: 'rejected', caseId: null });
      expect(notice?.text).toContain('already converted');
      expect(notice?.text).toContain(two.author);
    } finally {
      cache.close();
    }
  });

  it('retries a failed reply: queued at once, failed again with the reason when the hub refuses', async () => {
    const { cache, changes, written } = setup('retry');
    try {
      const queue = aQueue();
      const c = aCase({ queueId: queue.id, channel: 'x' });
      cache.apply('case', c, c.rev);
      const reply = aMessage({ caseId: c.id, direction: 'out', channel: 'x', rev: 4, delivery: failed('403 You are not allowed to reply') });
      const inbound = aMessage({ caseId: c.id, rev: 3 });
      cache.apply('message', reply, reply.rev);
      cache.apply('message', inbound, inbound.rev);

      expect(() => changes.retryReply({ id: inbound.id })).toThrow(CoreError);
      const queued = changes.retryReply({ id: reply.id });
      expect(queued.delivery).toMatchObject({ status: 'queued', reason: null, attempts: 3 });
      expect(cache.messages.byId(reply.id)?.delivery?.status).toBe('queued');
      expect(written).toEqual([[c.id]]);
      expect(cache.outbox.pending(10).ready.map((p) => p.mutation)).toMatchObject([{ kind: 'message.retry', entityId: reply.id, payload: {} }]);

      const hub = fakeHub((m) => ({ id: m.id, status: 'rejected', reason: 'consent', detail: 'the customer is marked do-not-engage' }));
      const pushed = await createPusher(cache, hub).push();
      expect(pushed.caseIds).toEqual([c.id]);
      const after = cache.messages.byId(reply.id)!;
      expect(after.delivery?.status).toBe('failed');
      expect(after.delivery?.reason).toContain('do-not-engage');
      expect(cache.notices.all()[0]).toMatchObject({ caseId: c.id });
      expect(cache.notices.all()[0]?.text).toContain('the consent rule refused it (the customer is marked do-not-engage)');

      // The hub's next row of it (sent, a higher rev) replaces whatever is shown.
      const sent: Message = { ...reply, rev: 6, delivery: { ...reply.delivery!, status: 'sent', externalId: '1790000000000000001', reason: null } };
      expect(cache.apply('message', sent, sent.rev)).toBe(true);
      expect(cache.messages.ofCase(c.id).find((m) => m.id === reply.id)?.delivery).toEqual(sent.delivery);
    } finally {
      cache.close();
    }
  });
});

describe('replies under the consent rule', () => {
  function caseWith(name: string, role: 'agent' | 'supervisor', opts: { consent: boolean; addressed: boolean }) {
    const cache = fresh(name);
    const me = aUser({ role, name: role === 'agent' ? 'Ana' : 'Sam' });
    const changes = createChanges({ cache, me: () => me, onWritten: () => undefined, onMentions: () => undefined });
    const queue = aQueue();
    const customer = aCustomer({ consent: opts.consent, handles: { x: '@fan', mastodon: '@fan@mastodon.social' } });
    const c = aCase({ queueId: queue.id, channel: 'x', customerId: customer.id });
    cache.apply('queue', queue, queue.rev);
    cache.apply('customer', customer, customer.rev);
    cache.apply('case', c, c.rev);
    const post = aMessage({ caseId: c.id, channel: 'x', addressed: opts.addressed, rev: 2 });
    cache.apply('message', post, post.rev);
    return { cache, changes, c };
  }

  it('refuses a reply to a post not addressed to the brand, saying why, unless a supervisor overrides it with a reason', () => {
    const agent = caseWith('consent-agent', 'agent', { consent: false, addressed: false });
    try {
      const refused = (() => {
        try {
          agent.changes.reply({ id: agent.c.id, body: 'Hi!', channel: 'x' });
        } catch (error) {
          return error as CoreError;
        }
        return null;
      })();
      expect(refused?.code).toBe('invalid_input');
      expect(refused?.message).toContain('not addressed to the brand');
      // An agent's override counts for nothing.
      expect(() => agent.changes.reply({ id: agent.c.id, body: 'Hi!', channel: 'x', override: { reason: 'asked by phone' } })).toThrow(/only a supervisor/);
      expect(agent.cache.outbox.countPending()).toBe(0);
      // Too long for X: refused for its length whoever sends it.
      expect(() => agent.changes.reply({ id: agent.c.id, body: 'x'.repeat(281), channel: 'x' })).toThrow(/at most 280/);
    } finally {
      agent.cache.close();
    }

    const supervisor = caseWith('consent-supervisor', 'supervisor', { consent: false, addressed: false });
    try {
      const row = supervisor.changes.reply({ id: supervisor.c.id, body: 'We are on it', channel: 'x', override: { reason: 'customer asked us on the phone' } });
      expect(row.delivery).toMatchObject({ status: 'queued', consentOverride: 'customer asked us on the phone' });
      expect(row).toMatchObject({ direction: 'out', addressed: true });
      expect(supervisor.cache.outbox.pending(10).ready[0]?.mutation).toMatchObject({
        kind: 'message.send',
        payload: { channel: 'x', body: 'We are on it', override: { reason: 'customer asked us on the phone' } },
      });
    } finally {
      supervisor.cache.close();
    }
  });

  it('lets an agent answer a post addressed to the brand, or a customer who opted in', () => {
    const addressed = caseWith('consent-addressed', 'agent', { consent: false, addressed: true });
    const optedIn = caseWith('consent-opted-in', 'agent', { consent: true, addressed: false });
    try {
      expect(addressed.changes.reply({ id: addressed.c.id, body: 'Hi', channel: 'x' }).delivery?.status).toBe('queued');
      expect(optedIn.changes.reply({ id: optedIn.c.id, body: 'Hi', channel: 'mastodon' }).channel).toBe('mastodon');
    } finally {
      addressed.cache.close();
      optedIn.cache.close();
    }
  });
});

describe('cache migration 5', () => {
  it('reads rows stored before the channels with their defaults, finds customers by phone, and pulls again', () => {
    const path = join(dir.path, 'upgrade');
    const queue = aQueue();
    const c = aCase({ queueId: queue.id });
    const older = openCacheDb(path, { migrations: cacheMigrations.filter((m) => m.version <= 4) });
    // Rows as a console before this version stored them: no addressed, delivery or doNotEngage.
    const { addressed: _a, delivery: _d, ...oldMessage } = aMessage({ caseId: c.id });
    const { doNotEngage: _n, ...oldCustomer } = aCustomer({ name: 'Þóra Jónsdóttir', phone: '+354 555 1234' });
    older.prepare('INSERT INTO messages (id, rev, case_id, created_ms, data) VALUES (?, 1, ?, 0, ?)').run(oldMessage.id, c.id, JSON.stringify(oldMessage));
    older.prepare('INSERT INTO customers (id, rev, name, name_folded, data) VALUES (?, 1, ?, ?, ?)').run(oldCustomer.id, oldCustomer.name, oldCustomer.name.toLowerCase(), JSON.stringify(oldCustomer));
    older.prepare("INSERT INTO meta (key, value) VALUES ('cursor', '812')").run();
    older.close();

    const cache = openCache(path);
    try {
      expect(cache.messages.byId(oldMessage.id)).toMatchObject({ addressed: true, delivery: null });
      expect(cache.customers.byId(oldCustomer.id)).toMatchObject({ doNotEngage: false });
      // Found by the digits of the number as a caller shows it, and by a name Unicode-folded.
      expect(cache.customers.search('3545551234', 5).map((x) => x.id)).toEqual([oldCustomer.id]);
      expect(cache.customers.search('+354 555-1234', 5).map((x) => x.id)).toEqual([oldCustomer.id]);
      expect(cache.customers.search('þóra', 5).map((x) => x.id)).toEqual([oldCustomer.id]);
      expect(cache.meta.get('cursor')).toBeNull();
    } finally {
      cache.close();
    }
  });

  it('finds customers by email and handle, and lists their devices (offline: all from the cache)', () => {
    const cache = fresh('customer-search');
    try {
      const ana = aCustomer({ name: 'Ana Lima', email: 'ana@lima.br', handles: { bluesky: '@analima.bsky.social' } });
      const other = aCustomer({ name: 'Bob', email: 'bob@example.com' });
      for (const x of [ana, other]) cache.apply('customer', x, x.rev);
      cache.apply('device', { id: 'THERM-1', model: 'T-100', serial: 'S1', ownerId: ana.id, health: 'ok', lastTelemetryAt: null, version: 1, rev: 1, createdAt: at(0), updatedAt: at(0) }, 1);
      expect(cache.customers.search('LIMA.br', 5).map((x) => x.id)).toEqual([ana.id]);
      expect(cache.customers.search('analima.bsky', 5).map((x) => x.id)).toEqual([ana.id]);
      expect(cache.customers.search('', 5)).toEqual([]);
      expect(cache.devices.ofOwner(ana.id).map((d) => d.id)).toEqual(['THERM-1']);
      expect(cache.devices.ofOwner(other.id)).toEqual([]);
    } finally {
      cache.close();
    }
  });
});
