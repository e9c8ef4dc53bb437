/**
 * The channel settings (handles, keywords, consent policy): until an admin
 * saves them they are what the hub's options say; any signed-in user reads
 * them; only an admin replaces them — validated, audited before/after and
 * announced live as `settings:changed`; the push validation follows a
 * relaxed consent policy, and the Bluesky keyword filter (on a local fake
 * Jetstream) and the surge detector follow keywords added a moment ago,
 * without a restart.
 */
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/shared/audit';
import { type ChannelSettings, type ChannelSettingsAnswer, ChannelSettingsAnswerSchema } from '../../src/shared/channel-settings';
import type { Case, Message } from '../../src/shared/domain';
import type { MutationResult, SyncPushResponse } from '../../src/shared/protocol';
import { backends, startTestHub, type TestHub } from './backends';
import { channelInbox, liveSockets, nextEvent, pullAll, queueNamed, rowsOf, waitFor } from './helpers';
import { type FakeJetstream, startFakeJetstream } from '../support/fake-jetstream';
import { newXUser, postX, tweet, X_BRAND, xActivity } from './x-webhooks';

const NEVER = 3_600_000;
const BRAND_HANDLE = 'switchboard.bsky.social';

describe.each(backends)('channel settings on $name', (backend) => {
  let hub: TestHub;
  let admin: string;
  let sam: string;
  let ana: string;
  let fake: FakeJetstream;
  let baseline: number;
  const sockets = liveSockets();

  beforeAll(async () => {
    fake = await startFakeJetstream();
    // The brand's account on the fake PDS: the hub resolves its handle before it subscribes.
    fake.account(BRAND_HANDLE);
    hub = await startTestHub(backend, {
      blueskyJetstreamUrl: fake.url,
      blueskyPdsUrl: fake.pdsUrl,
      blueskyHandle: BRAND_HANDLE,
      blueskyKeywords: ['fiberbox', 'thermostat'],
      surgeKeywords: ['zephyr'],
      surgeIntervalMs: NEVER,
      surgeMinimum: 3,
      surgeFactor: 3,
    });
    await fake.subscribed(1);
    [admin, sam, ana] = await Promise.all([hub.login('admin'), hub.login('sam'), hub.login('ana')]);
    baseline = (await pullAll(hub, sam)).cursor;
  });
  afterAll(async () => {
    sockets.closeAll();
    await hub?.close();
    await fake?.close();
  });

  const put = (body: unknown, token: string) =>
    fetch(new URL('/api/admin/settings/channels', hub.url), { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const read = async (token: string): Promise<ChannelSettings> => {
    const response = await hub.get('/api/settings/channels', token);
    expect(response.status).toBe(200);
    return ChannelSettingsAnswerSchema.parse(await response.json()).channels;
  };
  const push = async (token: string, kind: string, entityId: string, payload: object, baseVersion = 1): Promise<MutationResult> => {
    const mutation = { id: uuidv7(), kind, entityId, baseVersion, payload, createdAt: new Date().toISOString() };
    const response = await hub.post('/api/sync/push', { mutations: [mutation] }, token);
    expect(response.status).toBe(200);
    return ((await response.json()) as SyncPushResponse).results[0]!;
  };

  it('are the options until an admin saves them, for every signed-in user', async () => {
    for (const token of [ana, sam, admin]) {
      expect(await read(token)).toEqual({
        // The demo's X account, the configured Bluesky account and keywords.
        handles: { x: '@switchboard', mastodon: null, bluesky: BRAND_HANDLE, facebook: null, instagram: null },
        listeningKeywords: ['fiberbox', 'thermostat'],
        surgeKeywords: ['zephyr'],
        consent: { unaddressed: 'opt-in', firstContact: 'opt-in' },
      });
    }
    expect((await hub.get('/api/settings/channels')).status).toBe(401);
  });

  it('lets only admins replace them: validated with a clear message, audited before and after, announced live to everyone', async () => {
    const before = await read(admin);
    const next = { ...before, handles: { ...before.handles, instagram: 'switchboard.hq', facebook: 'Switchboard Support' }, listeningKeywords: ['Router', 'router', 'mesh wifi'] };
    for (const token of [ana, sam]) expect((await put(next, token)).status).toBe(403);

    const bad = await put({ ...next, handles: { ...next.handles, x: 'not a handle!' }, consent: { unaddressed: 'sometimes', firstContact: 'opt-in' } }, admin);
    expect(bad.status).toBe(400);
    const { message } = (await bad.json()) as { message: string };
    expect(message).toContain('must be an X handle such as @brand');
    expect(message).toContain('must be "opt-in" or "allowed"');
    expect((await put({ ...next, token: 'secret' }, admin)).status).toBe(400);
    expect(await read(ana)).toEqual(before);

    const agentSocket = await sockets.connect(hub.url, ana);
    const heard = nextEvent<ChannelSettingsAnswer>(agentSocket, 'settings:changed');
    const saved = await put(next, admin);
    expect(saved.status).toBe(200);
    const expected = { ...next, handles: { ...next.handles, instagram: '@switchboard.hq' }, listeningKeywords: ['router', 'mesh wifi'] };
    expect(ChannelSettingsAnswerSchema.parse(await saved.json()).channels).toEqual(expected);
    expect(ChannelSettingsAnswerSchema.parse(await heard).channels).toEqual(expected);
    expect(await read(ana)).toEqual(expected);

    const audit = await hub.get('/api/audit?action=settings.channels', admin);
    const { entries } = (await audit.json()) as { entries: AuditEntry[] };
    expect(entries).toHaveLength(1);
    // The fields that changed, before and after.
    expect(entries[0]).toMatchObject({
      action: 'settings.channels',
      entity: 'settings',
      entityId: 'channels',
      before: { 'handles.instagram': null, 'handles.facebook': null, listeningKeywords: ['fiberbox', 'thermostat'] },
      after: { 'handles.instagram': '@switchboard.hq', 'handles.facebook': 'Switchboard Support', listeningKeywords: ['router', 'mesh wifi'] },
    });
    expect(Object.keys(entries[0]!.after as object).sort()).toEqual(['handles.facebook', 'handles.instagram', 'listeningKeywords']);
  });

  it('relaxes the push validation: writing first on X is refused under the default rule and allowed once the admin allows first contact', async () => {
    // A customer tweets at the brand (a case in Social, ana's queue): they now have an X handle and no opt-in.
    const post = tweet(newXUser('first'), '@switchboard where is my order?', { inReplyToUser: X_BRAND, inReplyToStatus: '1' });
    expect((await postX(hub.url, xActivity({ tweets: [post] }))).status).toBe(200);
    const message = await waitFor(async () => rowsOf<Message>((await pullAll(hub, ana)).changes, 'message').find((m) => m.externalId === post.id_str));
    const opened = rowsOf<Case>((await pullAll(hub, ana)).changes, 'case').find((c) => c.id === message.caseId)!;
    // A new case for the same customer, with nothing from them on X in it: a reply there is a first contact.
    const social = await queueNamed(hub, ana, 'Social');
    const caseId = uuidv7();
    const draft = { id: caseId, subject: 'Follow-up', status: 'new', priority: 'normal', channel: 'x', customerId: opened.customerId, deviceId: null, queueId: social.id, language: 'en', tags: [], assigneeId: null };
    expect(await push(ana, 'case.create', caseId, { case: draft }, 0)).toMatchObject({ status: 'applied' });
    const reply = () => push(ana, 'message.send', caseId, { channel: 'x', body: 'Hi, following up on your order.' });
    expect(await reply()).toMatchObject({ status: 'rejected', reason: 'consent', detail: 'the customer has not opted in to being contacted first on this network' });

    const current = await read(admin);
    expect((await put({ ...current, consent: { ...current.consent, firstContact: 'allowed' } }, admin)).status).toBe(200);
    expect(await reply()).toMatchObject({ status: 'applied' });
    // Do-not-engage is honoured whatever the policy.
    expect(await push(ana, 'customer.consent', opened.customerId!, { doNotEngage: true })).toMatchObject({ status: 'applied' });
    expect(await reply()).toMatchObject({ status: 'rejected', reason: 'consent', detail: 'the customer is marked do-not-engage' });
    expect((await put({ ...current, consent: { ...current.consent, firstContact: 'opt-in' } }, admin)).status).toBe(200);
  });

  it('has the Bluesky keyword filter follow a keyword added a moment ago, without a restart', async () => {
    const { copies, mentionOf } = channelInbox(() => ({ hub, token: sam, since: baseline }), 'bluesky');
    const dan = fake.account('dan.test');
    const early = fake.post(dan, 'my quokkaphone will not pair');
    // Posts are handled in order: once the one after it is stored, the early one was dropped.
    const sentinel = fake.post(dan, `@${BRAND_HANDLE} are you there?`);
    expect(await mentionOf(sentinel.uri)).toMatchObject({ addressed: true });
    expect(await copies(early.uri)).toBe(0);

    const current = await read(admin);
    expect((await put({ ...current, listeningKeywords: [...current.listeningKeywords, 'quokkaphone'] }, admin)).status).toBe(200);
    const later = fake.post(dan, 'my quokkaphone still will not pair');
    expect(await mentionOf(later.uri)).toMatchObject({ body: 'my quokkaphone still will not pair', addressed: false });
  });

  it('has the surge detector count a keyword added a moment ago, without a restart', async () => {
    const storm = async (n: number) => {
      const tweets = Array.from({ length: n }, (_, i) => tweet(newXUser(`blorp${i}`), `@switchboard the blorpatron ate my router ${i}`, { inReplyToUser: X_BRAND }));
      expect((await postX(hub.url, xActivity({ tweets }))).status).toBe(200);
    };
    await storm(4);
    const keywordAlerts = async () => (await hub.surges.check()).filter((alert) => alert.kind === 'keyword');
    expect(await keywordAlerts()).toEqual([]);

    const current = await read(admin);
    expect((await put({ ...current, surgeKeywords: [...current.surgeKeywords, 'blorpatron'] }, admin)).status).toBe(200);
    expect(await keywordAlerts()).toMatchObject([{ kind: 'keyword', key: 'blorpatron', count: 4 }]);
  });
});
