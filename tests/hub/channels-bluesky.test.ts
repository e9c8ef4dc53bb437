/**
 * The Bluesky channel end to end: a hub on a local fake Jetstream
 * (tests/support/fake-jetstream.ts: JSON commit events over a WebSocket,
 * honouring `cursor`; it is the brand's PDS too) filtering the firehose down
 * to the brand's replies, mentions and keywords — and resuming after a cut
 * connection and after a restart on the same database from the stored
 * cursor, nothing missed and nothing twice.
 */
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queue } from '../../src/shared/domain';
import { normaliseBlueskyPost, type PostCreate, PostCreateSchema, postMatcher } from '../../src/hub/channels/bluesky/payload';
import { REPLAY_US, startBlueskyStream, subscribeUrl } from '../../src/hub/channels/bluesky/jetstream';
import type { InboundPipeline } from '../../src/hub/channels/pipeline';
import type { Db } from '../../src/hub/db/connect';
import { channelConfigs } from '../../src/hub/channels/channels';
import { backends, hubOn, type TestHub, withDatabase } from './backends';
import { channelInbox, pullAll, queuesOf } from './helpers';
import { type FakeBlueskyAccount, type FakeJetstream, type FakePost, startFakeJetstream } from '../support/fake-jetstream';

const BRAND_HANDLE = 'switchboard.bsky.social';


describe('Bluesky payloads', () => {
  const brandDid = 'did:plc:brand0000000000000000000';
  const match = postMatcher({ did: brandDid, handle: BRAND_HANDLE, keywords: ['thermostat', 'fiber box'] });
  let seq = 0;
  const post = (text: string, record: Record<string, unknown> = {}, did = 'did:plc:alice000000000000000000'): PostCreate =>
    PostCreateSchema.parse({
      did,
      time_us: 1_790_000_000_000_000 + seq,
      kind: 'commit',
      commit: { rev: 'r', operation: 'create', collection: 'app.bsky.feed.post', rkey: `3lrkey${seq++}`, cid: 'bafyreicid', record: { text, createdAt: '2026-11-29T10:00:00.000Z', ...record } },
    });
  const ref = (uri: string) => ({ uri, cid: 'bafyparent' });

  it('finds replies to the brand, its handle as a whole word, mention facets and keywords as words', () => {
    expect(match(post('hi', { reply: { root: ref(`at://${brandDid}/app.bsky.feed.post/1`), parent: ref(`at://${brandDid}/app.bsky.feed.post/1`) } }))).toEqual({ addressing: 'addressed', keywordOnly: false });
    expect(match(post(`thanks @${BRAND_HANDLE}.`))).toEqual({ addressing: 'mention', keywordOnly: false });
    expect(match(post('thanks @Switchboard.BSKY.social!'))).toEqual({ addressing: 'mention', keywordOnly: false });
    expect(match(post(`@${BRAND_HANDLE}.evil.com is not the brand`))).toBeNull();
    expect(match(post(`mail me at x@${BRAND_HANDLE}`))).toBeNull();
    expect(match(post('hey you', { facets: [{ index: { byteStart: 0, byteEnd: 3 }, features: [{ $type: 'app.bsky.richtext.facet#mention', did: brandDid }] }] }))).toEqual({ addressing: 'mention', keywordOnly: false });
    expect(match(post('my Thermostat broke'))).toEqual({ addressing: 'mention', keywordOnly: true });
    expect(match(post('the fiber box again'))).toEqual({ addressing: 'mention', keywordOnly: true });
    expect(match(post('thermostats are boring'))).toBeNull();
    expect(match(post('nothing to see'))).toBeNull();
    // The brand's own posts, even naming itself.
    expect(match(post(`@${BRAND_HANDLE} thermostat`, {}, brandDid))).toBeNull();
  });

  it('normalises a post with the reply context {uri, cid, rootUri, rootCid}', () => {
    const root = `at://${brandDid}/app.bsky.feed.post/root`;
    const reply = post('my router', { langs: ['pt-BR'], reply: { root: { uri: root, cid: 'bafyroot' }, parent: ref(`at://${brandDid}/app.bsky.feed.post/parent`) } });
    const message = normaliseBlueskyPost(reply, { addressing: 'addressed', keywordOnly: false }, 'alice.test');
    expect(message).toMatchObject({
      channel: 'bluesky',
      externalId: `at://${reply.did}/app.bsky.feed.post/${reply.commit.rkey}`,
      author: { channel: 'bluesky', handle: reply.did, displayName: 'alice.test' },
      body: 'my router',
      thread: { kind: 'reply', inReplyTo: `at://${brandDid}/app.bsky.feed.post/parent`, references: [root] },
      addressing: 'addressed',
      language: 'pt-BR',
      url: `https://bsky.app/profile/${reply.did}/post/${reply.commit.rkey}`,
      at: '2026-11-29T10:00:00.000Z',
    });
    expect(message.keywordOnly).toBeUndefined();
    expect(message.replyContext).toEqual({ uri: message.externalId, cid: 'bafyreicid', rootUri: root, rootCid: 'bafyroot' });
    // A post that is no reply is its own root.
    const own = normaliseBlueskyPost(post('my thermostat'), { addressing: 'mention', keywordOnly: true }, 'did:plc:alice000000000000000000');
    expect(own).toMatchObject({ thread: null, keywordOnly: true, language: null });
    expect(own.replyContext).toEqual({ uri: own.externalId, cid: 'bafyreicid', rootUri: own.externalId, rootCid: 'bafyreicid' });
  });

  it('subscribes to posts, from a cursor when there is one', () => {
    expect(subscribeUrl('wss://jetstream.example', null)).toBe('wss://jetstream.example/subscribe?wantedCollections=app.bsky.feed.post');
    expect(subscribeUrl('wss://jetstream.example/subscribe', 42)).toBe('wss://jetstream.example/subscribe?wantedCollections=app.bsky.feed.post&cursor=42');
  });

  it('is on with a Jetstream URL and something to look for, else off', () => {
    expect(channelConfigs({ blueskyJetstreamUrl: 'wss://j.example' }).bluesky).toBeNull();
    expect(channelConfigs({ blueskyJetstreamUrl: 'wss://j.example', blueskyKeywords: ['fiber'] }).bluesky).toEqual({ jetstreamUrl: 'wss://j.example', handle: null, pdsUrl: null, keywords: ['fiber'] });
    expect(channelConfigs({ blueskyJetstreamUrl: 'wss://j.example', blueskyHandle: BRAND_HANDLE, blueskyPdsUrl: 'https://pds.example' }).bluesky).toMatchObject({ handle: BRAND_HANDLE, pdsUrl: 'https://pds.example' });
  });
});

describe.each(backends)('the Bluesky channel on $name', (backend) => {
  let fake: FakeJetstream;
  let storage: Awaited<ReturnType<(typeof backends)[number]['storage']>>;
  let hub: TestHub;
  let sam: string;
  let social: Queue;
  let baseline: number;
  let brand: FakeBlueskyAccount;
  let people: Record<'alice' | 'bob' | 'carol' | 'dan', FakeBlueskyAccount>;
  let before: FakePost;
  /** Every post for the brand since the hub first started. */
  const posted: string[] = [];

  const options = () => ({ blueskyJetstreamUrl: fake.url, blueskyPdsUrl: fake.pdsUrl, blueskyHandle: BRAND_HANDLE, blueskyKeywords: ['thermostat', 'fiberbox'] });

  beforeAll(async () => {
    fake = await startFakeJetstream();
    brand = fake.account(BRAND_HANDLE);
    people = { alice: fake.account('alice.test'), bob: fake.account('bob.test'), carol: fake.account('carol.test'), dan: fake.account('dan.test') };
    // A minute before the hub ever ran: a first start is live, so it is not imported (nor replayed by a later resume).
    before = fake.post(people.alice, `@${BRAND_HANDLE} from before the hub`, { timeUs: (Date.now() - 60_000) * 1000 });
    storage = await backend.storage();
    hub = await hubOn(storage.options, options());
    await fake.subscribed(1);
    sam = await hub.login('sam');
    const queues = await queuesOf(hub, sam);
    social = queues.find((q) => q.name === 'Social')!;
    baseline = (await pullAll(hub, sam)).cursor;
  });
  afterAll(async () => {
    await hub?.close();
    await fake?.close();
    await storage?.dispose();
  });

  /** What sam (a supervisor: everything) can pull of the channel since the hub first started. */
  const { pulled, copies, arrived, messageOf, mentionOf } = channelInbox(() => ({ hub, token: sam, since: baseline }), 'bluesky');
  /** A post the hub must store. */
  const forBrand = (...args: Parameters<FakeJetstream['post']>) => {
    const made = fake.post(...args);
    posted.push(made.uri);
    return made;
  };

  it('is on in /health, starts live, and puts mentions in the inbox — keyword-only ones as not addressed', async () => {
    const health = (await (await hub.get('/health')).json()) as { channels: Record<string, string> };
    // Bluesky on the fake Jetstream; Mastodon, not configured, on the demo's simulated instance.
    expect(health.channels).toMatchObject({ bluesky: 'on', mastodon: 'on' });
    expect(fake.cursors).toEqual([null]);
    const named = forBrand(people.bob, `loving my router, @${BRAND_HANDLE}`, { langs: ['en'] });
    const faceted = forBrand(people.carol, 'hey you, help', { mentions: [brand.did] });
    const dropped = fake.post(people.dan, 'nothing about the brand');
    const keyword = forBrand(people.dan, 'my Thermostat is on fire', { langs: ['en'] });
    const namedMention = await mentionOf(named.uri);
    expect(namedMention).toMatchObject({
      channel: 'bluesky',
      author: people.bob.did,
      body: `loving my router, @${BRAND_HANDLE}`,
      status: 'new',
      url: `https://bsky.app/profile/${people.bob.did}/post/${named.rkey}`,
      addressed: true,
      queueId: social.id,
    });
    expect((await mentionOf(faceted.uri)).addressed).toBe(true);
    expect((await mentionOf(keyword.uri)).addressed).toBe(false);
    expect(await copies(dropped.uri)).toBe(0);
    expect(await copies(before.uri)).toBe(0);
  });

  it('opens a case for a reply to the brand, and the author’s next post in the thread joins it; the brand’s own posts are ignored', async () => {
    const brandPost = fake.post(brand, `our new thermostat is out, ask @${BRAND_HANDLE} anything`);
    const root = { uri: brandPost.uri, cid: brandPost.cid };
    const reply = forBrand(people.alice, 'mine keeps rebooting', { reply: { root, parent: root } });
    const opened = await messageOf(reply.uri);
    expect(opened).toMatchObject({ direction: 'in', author: 'alice.test', addressed: true });
    const kase = (await pulled()).cases.find((c) => c.id === opened.caseId)!;
    expect(kase).toMatchObject({ channel: 'bluesky', queueId: social.id, subject: 'mine keeps rebooting' });
    const next = forBrand(people.alice, `@${BRAND_HANDLE} and now it is cold`, { reply: { root, parent: { uri: reply.uri, cid: reply.cid } } });
    expect((await messageOf(next.uri)).caseId).toBe(opened.caseId);
    expect(await copies(brandPost.uri)).toBe(0);
    if (backend.name === 'postgres') {
      await withDatabase(storage.options, async (db) => {
        const rows = await db.execute(sql`SELECT reply_context FROM messages WHERE channel = 'bluesky' AND external_id = ${reply.uri}`);
        expect((rows as unknown as { rows: unknown[] }).rows).toEqual([{ reply_context: { uri: reply.uri, cid: reply.cid, rootUri: brandPost.uri, rootCid: brandPost.cid } }]);
      });
    }
  });

  it('skips malformed events and other kinds without wedging the stream', async () => {
    fake.sendRaw('not json at all');
    fake.sendRaw('{"kind":"commit"}');
    fake.emitRaw({ did: people.bob.did, kind: 'commit', commit: { rev: 'r', operation: 'create', collection: 'app.bsky.feed.post', rkey: 'bad1', cid: 'bafy', record: { text: 42 } } });
    fake.emitRaw({ did: 'not-a-did', kind: 'commit', commit: { rev: 'r', operation: 'create', collection: 'app.bsky.feed.post', rkey: 'bad2', cid: 'bafy', record: { text: `@${BRAND_HANDLE}`, createdAt: new Date().toISOString() } } });
    fake.identity(people.carol);
    fake.emitRaw({ did: people.bob.did, kind: 'commit', commit: { rev: 'r', operation: 'delete', collection: 'app.bsky.feed.post', rkey: 'gone' } });
    const sentinel = forBrand(people.carol, `@${BRAND_HANDLE} still there?`);
    await arrived(sentinel.uri);
    expect(await copies('at://not-a-did/app.bsky.feed.post/bad2')).toBe(0);
  });

  /**
   * The cursors of the subscriptions made since `mark`, once the posts made while the hub was not
   * listening have arrived (only a resumed subscription can bring them). Every one must carry a
   * cursor: a reconnection without one starts live and loses what was posted meanwhile.
   */
  async function resumedSince(mark: number, missed: FakePost[]): Promise<number[]> {
    await fake.subscribed(mark + 1);
    for (const post of missed) await arrived(post.uri);
    const cursors = fake.cursors.slice(mark);
    expect(cursors, `the cursors of the subscriptions since the hub stopped listening: ${JSON.stringify(cursors)}`).not.toContain(null);
    return cursors as number[];
  }

  it('resumes from its cursor after the connection is cut: what was posted meanwhile arrives once', async () => {
    const subscribed = fake.subscriptions();
    fake.setDown(true);
    fake.drop();
    const meanwhile = [forBrand(people.bob, `@${BRAND_HANDLE} posted while cut off`), forBrand(people.dan, 'another fiberbox question')];
    fake.setDown(false);
    const [cursor] = await resumedSince(subscribed, meanwhile);
    // The first reconnection: from a few seconds before the last event it handled (the gapless replay), not from now.
    expect(cursor).toBeLessThanOrEqual(meanwhile[0]!.time_us - REPLAY_US);
    const sentinel = forBrand(people.alice, `@${BRAND_HANDLE} live again`);
    await arrived(sentinel.uri);
    // The replayed overlap is stored once.
    for (const uri of posted) expect(await copies(uri)).toBe(1);
  });

  it('resumes from the stored cursor after a restart on the same database: nothing missed, nothing twice', async () => {
    await hub.close();
    const whileStopped = [forBrand(people.carol, `@${BRAND_HANDLE} posted while the hub was stopped`), forBrand(people.alice, 'thermostat down again')];
    const subscribed = fake.subscriptions();
    hub = await hubOn(storage.options, options());
    sam = await hub.login('sam');
    const [cursor] = await resumedSince(subscribed, whileStopped);
    expect(cursor).toBeLessThanOrEqual(whileStopped[0]!.time_us - REPLAY_US);
    const sentinel = forBrand(people.bob, `@${BRAND_HANDLE} after the restart`);
    await arrived(sentinel.uri);
    const { messages, mentions } = await pulled();
    expect([...messages, ...mentions].map((m) => m.externalId!).sort()).toEqual([...posted].sort());
    expect(await copies(before.uri)).toBe(0);
  });
});

describe.each(backends)('closing the Bluesky stream on $name', (backend) => {
  it('ends while its first session is still reading the stored cursor, and opens no connection after', async () => {
    const fake = await startFakeJetstream();
    const storage = await backend.storage();
    try {
      await withDatabase(storage.options, async (db) => {
        // The cursor table held by a transaction: the session's read waits until the test lets it go.
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let locked!: () => void;
        const lockHeld = new Promise<void>((resolve) => (locked = resolve));
        const holder = db.transaction(async (tx) => {
          await tx.execute(sql`LOCK TABLE channel_cursors IN ACCESS EXCLUSIVE MODE`);
          locked();
          await gate;
        });
        await lockHeld;
        let reading!: () => void;
        const readStarted = new Promise<void>((resolve) => (reading = resolve));
        // Says when the stream starts a query (its cursor read: nothing else queries before it connects).
        const watched = new Proxy(db, { get: (target, prop, receiver) => (prop === 'select' && reading(), Reflect.get(target, prop, receiver)) }) as Db;
        const pipeline: InboundPipeline = { receive: () => Promise.reject(new Error('no post expected')) };
        const stream = startBlueskyStream({ jetstreamUrl: fake.url, handle: null, pdsUrl: null, keywords: ['thermostat'] }, pipeline, { db: watched, log: pino({ level: 'silent' }) });
        await readStarted;
        const closed = stream.close();
        release();
        await holder;
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([closed.then(() => 'closed'), new Promise((resolve) => (timer = setTimeout(() => resolve('still open'), 10_000)))]);
        clearTimeout(timer);
        expect(outcome).toBe('closed');
        expect(fake.subscriptions()).toBe(0);
      });
    } finally {
      await fake.close();
      await storage.dispose();
    }
  });
});
