/**
 * The demo's open networks, through the real paths: with `--demo` the hub's
 * Mastodon and Bluesky streams listen to the local provider simulator's
 * instance (notification SSE + REST catch-up) and Jetstream, and
 * `--demo-feed` posts there — mentions, replies to the brand, keyword-only
 * posts. Replies to those cases leave through the real senders to the same
 * simulator (sent, with the network's id), join its timelines, and the
 * customer answers them in the same case.
 */
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Case, CaseSchema, type Mention, MentionSchema, type Message } from '../../src/shared/domain';
import type { MutationResult, SyncPushResponse } from '../../src/shared/protocol';
import { DEMO_OUTBOUND } from '../../src/hub/demo/provider-simulator';
import { backends, startTestHub, type TestHub } from './backends';
import { liveSockets, pullAll, rowsOf, waitFor } from './helpers';

describe.each(backends)('the demo networks on $name', (backend) => {
  let hub: TestHub;
  let sam: string;
  let ana: string;
  const sockets = liveSockets();
  const mentions: Mention[] = [];
  const cases: Case[] = [];

  beforeAll(async () => {
    hub = await startTestHub(backend, { demoFeed: true, demoFeedIntervalMs: 50, delivery: { pollMs: 100, backoffMs: 50 } });
    [sam, ana] = await Promise.all([hub.login('sam'), hub.login('ana')]);
    const socket = await sockets.connect(hub.url, sam);
    socket.on('mention:new', (m: Mention) => mentions.push(m));
    socket.on('case:upsert', (c: Case) => cases.push(c));
  });
  afterAll(async () => {
    sockets.closeAll();
    await hub?.close();
  });

  const push = async (token: string, kind: string, entityId: string, payload: object): Promise<MutationResult> => {
    const mutation = { id: uuidv7(), kind, entityId, baseVersion: 1, payload, createdAt: new Date().toISOString() };
    const response = await hub.post('/api/sync/push', { mutations: [mutation] }, token);
    expect(response.status).toBe(200);
    return ((await response.json()) as SyncPushResponse).results[0]!;
  };
  const messages = async () => rowsOf<Message>((await pullAll(hub, sam)).changes, 'message');

  it('has Mastodon and Bluesky on in /health, on the simulator', async () => {
    const health = (await (await hub.get('/health')).json()) as { channels: Record<string, string> };
    expect(health.channels).toMatchObject({ mastodon: 'on', bluesky: 'on' });
  });

  it('brings the feed’s Mastodon and Bluesky posts in over the streams: mentions, cases, keyword-only mentions not addressed', async () => {
    const seen = () => ({
      mastodonMention: mentions.find((m) => m.channel === 'mastodon'),
      blueskyMention: mentions.find((m) => m.channel === 'bluesky' && m.addressed),
      keywordOnly: mentions.find((m) => m.channel === 'bluesky' && !m.addressed),
      mastodonCase: cases.find((c) => c.channel === 'mastodon'),
      blueskyCase: cases.find((c) => c.channel === 'bluesky'),
    });
    const found = await waitFor(async () => {
      const now = seen();
      return Object.values(now).every(Boolean) ? now : undefined;
    }, 45_000);
    for (const mention of [found.mastodonMention!, found.blueskyMention!, found.keywordOnly!]) expect(MentionSchema.parse(mention)).toEqual(mention);
    for (const kase of [found.mastodonCase!, found.blueskyCase!]) expect(CaseSchema.parse(kase)).toMatchObject({ status: 'new' });
    // As the networks name them: a Mastodon status id and a remote account; an AT URI and the author's DID.
    expect(found.mastodonMention).toMatchObject({ externalId: expect.stringMatching(/^\d+$/), author: expect.stringMatching(/^@[a-z]+\d+@[a-z.]+\.example$/), body: expect.stringContaining('@switchboard') });
    expect(found.blueskyMention).toMatchObject({ externalId: expect.stringMatching(/^at:\/\/did:plc:[a-z2-7]+\/app\.bsky\.feed\.post\//), body: expect.stringContaining(`@${DEMO_OUTBOUND.blueskyHandle}`) });
    // Found by a keyword (the demo texts' X handle), not naming the brand's Bluesky account.
    expect(found.keywordOnly!.body).not.toContain(`@${DEMO_OUTBOUND.blueskyHandle}`);
  });

  it('sends replies to a Mastodon case and a Bluesky case to the simulator, and the customer answers in the same case', async () => {
    const caseOf = (channel: 'mastodon' | 'bluesky') => waitFor(async () => cases.find((c) => c.channel === channel && c.queueId !== null), 45_000);
    const [mastodonCase, blueskyCase] = await Promise.all([caseOf('mastodon'), caseOf('bluesky')]);
    // What each case held before the brand answered: only the brand's reply opens a thread a customer continues.
    const before = new Set((await messages()).map((m) => m.id));
    const sent: Record<string, MutationResult> = {};
    for (const kase of [mastodonCase, blueskyCase]) {
      sent[kase.channel] = await push(ana, 'message.send', kase.id, { channel: kase.channel, body: 'Thanks for writing. Could you tell us the model?' });
      expect(sent[kase.channel]).toMatchObject({ status: 'applied' });
    }
    const delivered = (id: string) => waitFor(async () => (await messages()).find((m) => m.id === id && m.delivery?.status === 'sent'), 20_000);
    const [toMastodon, toBluesky] = await Promise.all([delivered(sent.mastodon!.id), delivered(sent.bluesky!.id)]);
    // The ids the simulated networks gave the brand's posts.
    expect(toMastodon.delivery!.externalId).toMatch(/^\d+$/);
    expect(toBluesky.delivery!.externalId).toMatch(new RegExp(`^at://${DEMO_OUTBOUND.blueskyDid}/app\\.bsky\\.feed\\.post/[a-z2-7]{13}$`));
    // The replies are in the networks' timelines: the feed's customer answers each, and the answer joins its case.
    for (const kase of [mastodonCase, blueskyCase]) {
      const answer = await waitFor(async () => (await messages()).find((m) => m.direction === 'in' && m.caseId === kase.id && !before.has(m.id)), 45_000);
      expect(answer.channel).toBe(kase.channel);
    }
  });
});
