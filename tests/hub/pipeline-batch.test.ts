/**
 * The inbound pipeline routes messages that arrive together in one write
 * transaction: each still sees what the earlier ones wrote (the same author
 * twice is one customer, the same post twice is one message), and one that
 * fails is retried alone, so only it fails and the others are stored. The
 * next batch starts while the one before commits, and still sees its rows.
 */
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Mention, Message } from '../../src/shared/domain';
import { createInboundPipeline, InboundError, type InboundOutcome } from '../../src/hub/channels/pipeline';
import type { InboundMessage } from '../../src/hub/channels/inbound';
import { openDatabase } from '../../src/hub/db/connect';
import { queues } from '../../src/hub/db/schema';
import { setChannelQueue } from '../../src/hub/repos/inbound';
import { backends } from './backends';

// Unique within the run (a random suffix let two posts made in one millisecond share an id: one then read as a duplicate).
let posted = 0;
const post = (handle: string, text: string, addressing: InboundMessage['addressing'] = 'addressed', channel: InboundMessage['channel'] = 'x'): InboundMessage => ({
  channel,
  externalId: String(BigInt(Date.now()) * 1000n + BigInt(posted++ % 1000)),
  author: { channel, handle, displayName: handle },
  body: text,
  thread: null,
  addressing,
  language: 'en',
  url: null,
  at: new Date().toISOString(),
});

describe.each(backends)('the inbound pipeline’s batches on $name', (backend) => {
  let storage: Awaited<ReturnType<typeof backend.storage>>;
  let database: Awaited<ReturnType<typeof openDatabase>>;
  const published: string[] = [];
  const publisher = {
    case: (row: Case) => published.push(`case:${row.id}`),
    message: (row: Message) => published.push(`message:${row.externalId}`),
    mention: (row: Mention) => published.push(`mention:${row.externalId}`),
  };

  beforeAll(async () => {
    storage = await backend.storage();
    database = await openDatabase(storage.options);
    const queueId = uuidv7();
    await database.db.insert(queues).values({ id: queueId, name: 'Social', description: '' });
    // X has a queue, email has none: an addressed mail cannot open a case.
    await setChannelQueue(database.db, 'x', queueId);
  });
  afterAll(async () => {
    await database?.close();
    await storage?.dispose();
  });

  it('routes messages arriving together in order, each seeing what the earlier ones wrote', async () => {
    const pipeline = createInboundPipeline(database.db, publisher);
    const lead = post('lena', '@switchboard hello');
    const first = post('nina', '@switchboard my router');
    const twice = { ...first };
    const again = post('nina', '@switchboard still broken');
    const mention = post('pete', 'switchboard is great', 'mention');
    // Sent without waiting, in one turn of the event loop: they share one transaction.
    const [, a, b, c, e] = await Promise.allSettled([lead, first, twice, again, mention].map((m) => pipeline.receive(m)));
    expect(a).toMatchObject({ status: 'fulfilled', value: { status: 'opened', customerCreated: true } });
    expect(b).toMatchObject({ status: 'fulfilled', value: { status: 'duplicate' } });
    // The same author in the same batch: the customer the first message made, not a second one.
    expect(c).toMatchObject({ status: 'fulfilled', value: { status: 'opened', customerCreated: false } });
    const customerOf = (r: PromiseSettledResult<InboundOutcome>) => (r.status === 'fulfilled' && r.value.status === 'opened' ? r.value.customer.id : null);
    expect(customerOf(c!)).toBe(customerOf(a!));
    expect(e).toMatchObject({ status: 'fulfilled', value: { status: 'mention' } });
    // Announced once each, after commit.
    expect(published.filter((p) => p.startsWith('message:') || p.startsWith('mention:'))).toEqual([
      `message:${lead.externalId}`,
      `message:${first.externalId}`,
      `message:${again.externalId}`,
      `mention:${mention.externalId}`,
    ]);
  });

  it('writes a batch’s rows together, yet a later message of the batch finds the case, thread and customer an earlier one made', async () => {
    const pipeline = createInboundPipeline(database.db, publisher);
    const opener = post('ivan', '@switchboard the box is dead');
    // Their next message is of the customer’s thread: it joins the case the batch opened for them, not yet written.
    const follow = { ...post('ivan', '@switchboard any news?'), thread: { kind: 'customer' as const } };
    // Someone else answering the opener’s post: the case is found by the post the batch holds.
    const reply = { ...post('vera', '@switchboard same here'), thread: { kind: 'reply' as const, inReplyTo: opener.externalId } };
    const mention = post('paul', 'switchboard boxes are fine', 'mention');
    const [a, b, c, d] = await Promise.all([opener, follow, reply, mention].map((m) => pipeline.receive(m)));
    if (a!.status !== 'opened' || b!.status !== 'joined' || c!.status !== 'joined' || d!.status !== 'mention') throw new Error(`routed as ${[a, b, c, d].map((o) => o!.status)}`);
    expect(b!.case.id).toBe(a!.case.id);
    expect(c!.case.id).toBe(a!.case.id);
    expect(b!.customer.id).toBe(a!.customer.id);
    // What the database made of the rows: a case number, revs and times, not placeholders.
    expect(a!.case.number).toBeGreaterThan(0);
    expect(a!.customer.rev).toBeGreaterThan(0);
    expect([a!.message.rev, b!.message.rev, c!.message.rev, d!.mention.rev].every((rev) => rev > 0)).toBe(true);
    expect(new Set([a!.message.rev, b!.message.rev, c!.message.rev]).size).toBe(3);
  });

  it('starts the next batch while one commits, and that batch sees every row the one before wrote', async () => {
    const pipeline = createInboundPipeline(database.db, publisher);
    published.length = 0;
    // Waves a turn of the event loop apart: each its own batch, the next routed while the one before commits.
    // Every wave repeats the posts of the one before and the same new authors.
    const authors = Array.from({ length: 6 }, (_, i) => `wave-author-${i}-${uuidv7().slice(-6)}`);
    const waves: InboundMessage[][] = [];
    for (let w = 0; w < 5; w++) waves.push([...(waves[w - 1]?.slice(-6) ?? []).map((m) => ({ ...m })), ...authors.map((a) => post(a, `@switchboard wave ${w}`))]);
    const sent: Promise<InboundOutcome>[] = [];
    for (const wave of waves) {
      sent.push(...wave.map((m) => pipeline.receive(m)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const outcomes = await Promise.all(sent);
    const ids = waves.flat().map((m) => m.externalId);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(ids.length - new Set(ids).size);
    // One customer per author, whichever batch met them first.
    const customers = new Map<string, Set<string>>();
    outcomes.forEach((o, i) => {
      if (o.status !== 'opened' && o.status !== 'joined') return;
      const handle = waves.flat()[i]!.author.handle;
      customers.set(handle, (customers.get(handle) ?? new Set()).add(o.customer.id));
    });
    expect([...customers.values()].map((set) => set.size)).toEqual(authors.map(() => 1));
    expect(published.filter((p) => p.startsWith('message:'))).toHaveLength(new Set(ids).size);
  });

  it('fails only the message that cannot be stored; the others of its batch are stored', async () => {
    const pipeline = createInboundPipeline(database.db, publisher);
    published.length = 0;
    const lead = post('lars', '@switchboard hi');
    const orphan = post('olaf@example.com', 'a mail nobody can take', 'addressed', 'email');
    const after = post('mia', '@switchboard after the mail');
    const [, d, f] = await Promise.allSettled([lead, orphan, after].map((m) => pipeline.receive(m)));
    expect(d!.status).toBe('rejected');
    expect((d as PromiseRejectedResult).reason).toBeInstanceOf(InboundError);
    expect(f).toMatchObject({ status: 'fulfilled', value: { status: 'opened' } });
    expect(published.filter((p) => p.startsWith('message:'))).toEqual([`message:${lead.externalId}`, `message:${after.externalId}`]);
  });
});
