/**
 * The Mastodon channel end to end: a hub streaming the brand's notifications
 * from a local fake instance (tests/support/fake-mastodon.ts: real SSE
 * framing, notification JSON and Link headers), through the inbound pipeline
 * into mentions and cases — and resuming after a dropped stream and after a
 * restart on the same database from the stored cursor, nothing missed and
 * nothing twice.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queue } from '../../src/shared/domain';
import { prevMinId } from '../../src/hub/channels/mastodon/api';
import { fullAcct, MentionNotificationSchema, normaliseMastodonMention, statusText } from '../../src/hub/channels/mastodon/payload';
import { channelConfigs } from '../../src/hub/channels/channels';
import { backends, hubOn, type TestHub, withDatabase } from './backends';
import { channelInbox, pullAll, queuesOf, waitFor } from './helpers';
import { type FakeAccount, type FakeMastodon, startFakeMastodon } from '../support/fake-mastodon';



describe('Mastodon payloads', () => {
  const brand = { accountId: '1000', host: 'social.example' };
  const notification = (status: Record<string, unknown>) =>
    MentionNotificationSchema.parse({
      id: '77',
      type: 'mention',
      status: {
        id: '109',
        created_at: '2026-11-29T10:00:00.000Z',
        in_reply_to_id: null,
        in_reply_to_account_id: null,
        visibility: 'public',
        language: 'en',
        url: 'https://social.example/@ana/109',
        content: '<p><span class="h-card"><a href="https://social.example/@switchboard" class="u-url mention">@<span>switchboard</span></a></span> hi &amp; thanks<br>see <a href="https://example.com/x"><span class="invisible">https://</span><span class="">example.com/x</span></a></p><p>second</p>',
        spoiler_text: '',
        account: { id: '2000', acct: 'ana', display_name: 'Ana A' },
        ...status,
      },
    });

  it('turns the HTML into plain text, and names every account user@domain', () => {
    expect(statusText('<p>a <b>b</b><br>c</p><p>d</p>')).toBe('a b\nc\n\nd');
    expect(fullAcct('ana', 'social.example')).toBe('ana@social.example');
    expect(fullAcct('bo@other.example', 'social.example')).toBe('bo@other.example');
  });

  it('normalises a mention, a reply to the brand and a direct message, with the reply context {acct, visibility}', () => {
    const mention = normaliseMastodonMention(notification({}), brand)!;
    expect(mention).toMatchObject({
      channel: 'mastodon',
      externalId: '109',
      author: { channel: 'mastodon', handle: 'ana@social.example', displayName: 'Ana A' },
      body: '@switchboard hi & thanks\nsee https://example.com/x\n\nsecond',
      thread: null,
      addressing: 'mention',
      language: 'en',
      url: 'https://social.example/@ana/109',
      at: '2026-11-29T10:00:00.000Z',
    });
    expect(mention.replyContext).toEqual({ acct: 'ana@social.example', visibility: 'public' });
    const reply = normaliseMastodonMention(notification({ in_reply_to_id: '100', in_reply_to_account_id: '1000' }), brand)!;
    expect(reply).toMatchObject({ addressing: 'addressed', thread: { kind: 'reply', inReplyTo: '100' } });
    // A reply to someone else's post only mentions the brand.
    expect(normaliseMastodonMention(notification({ in_reply_to_id: '100', in_reply_to_account_id: '3000' }), brand)!.addressing).toBe('mention');
    const direct = normaliseMastodonMention(notification({ visibility: 'direct', account: { id: '2000', acct: 'Ana', display_name: '' } }), brand)!;
    expect(direct).toMatchObject({ addressing: 'addressed', thread: { kind: 'conversation', id: 'dm:ana@social.example' }, url: null });
    expect(direct.replyContext).toEqual({ acct: 'Ana@social.example', visibility: 'direct' });
    // The brand's own post is no inbound message.
    expect(normaliseMastodonMention(notification({ account: { id: '1000', acct: 'switchboard', display_name: 'Switchboard' } }), brand)).toBeNull();
  });

  it('reads the next page from the Link header', () => {
    const link = '<https://social.example/api/v1/notifications?max_id=10&types[]=mention>; rel="next", <https://social.example/api/v1/notifications?min_id=25&types[]=mention>; rel="prev"';
    expect(prevMinId(link)).toBe('25');
    expect(prevMinId(null)).toBeNull();
    expect(prevMinId('<https://social.example/api/v1/notifications?max_id=10>; rel="next"')).toBeNull();
  });

  it('is on with an instance URL and a token, else off', () => {
    expect(channelConfigs({ mastodonUrl: 'https://social.example' }).mastodon).toBeNull();
    expect(channelConfigs({ mastodonUrl: 'https://social.example', mastodonToken: 't' }).mastodon).toEqual({ url: 'https://social.example', token: 't' });
  });
});

describe.each(backends)('the Mastodon channel on $name', (backend) => {
  let fake: FakeMastodon;
  let storage: Awaited<ReturnType<(typeof backends)[number]['storage']>>;
  let hub: TestHub;
  let sam: string;
  let social: Queue;
  let baseline: number;
  let history: string;
  /** Every status id the instance notified the brand of since the hub first started. */
  const posted: string[] = [];
  let accounts: Record<'bob' | 'carol' | 'dave' | 'erin' | 'frank' | 'gina', FakeAccount>;

  const options = () => ({ mastodonUrl: fake.url, mastodonToken: fake.token });

  beforeAll(async () => {
    fake = await startFakeMastodon();
    accounts = {
      bob: fake.account('bob', 'Bob Builder'),
      carol: fake.account('carol', 'Carol C', 'other.example'),
      dave: fake.account('dave', 'Dave D'),
      erin: fake.account('erin', 'Erin E'),
      frank: fake.account('frank', 'Frank F'),
      gina: fake.account('gina', 'Gina G'),
    };
    // Before the hub ever ran: not imported on its first start.
    history = fake.mention(accounts.bob, 'an old post from before the hub').status.id;
    storage = await backend.storage();
    hub = await hubOn(storage.options, options());
    await fake.streamOpened(1);
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
  const { pulled, copies, arrived, messageOf, mentionOf } = channelInbox(() => ({ hub, token: sam, since: baseline }), 'mastodon');
  const mention = (...args: Parameters<FakeMastodon['mention']>) => {
    const made = fake.mention(...args);
    posted.push(made.status.id);
    return made;
  };

  it('is on in /health, and takes mentions from its first start on: a mere mention goes to the mentions inbox', async () => {
    const health = (await (await hub.get('/health')).json()) as { channels: Record<string, string> };
    // Bluesky, not configured, listens to the demo's simulated Jetstream.
    expect(health.channels).toMatchObject({ mastodon: 'on', bluesky: 'on' });
    const { status } = mention(accounts.bob, 'loving my new thermostat', { language: 'en' });
    const inbox = await mentionOf(status.id);
    expect(inbox).toMatchObject({
      channel: 'mastodon',
      author: `@bob@${fake.host}`,
      body: '@switchboard loving my new thermostat',
      status: 'new',
      url: status.url,
      addressed: true,
      queueId: social.id,
    });
    expect(await copies(history)).toBe(0);
  });

  it('opens a case for a reply to the brand, and joins the thread’s next post to it', async () => {
    const brandPost = fake.brandStatus('How can we help?');
    const first = mention(accounts.carol, 'my router keeps dropping', { inReplyTo: brandPost });
    const opened = await messageOf(first.status.id);
    const kase = (await pulled()).cases.find((c) => c.id === opened.caseId)!;
    expect(kase).toMatchObject({ channel: 'mastodon', queueId: social.id, subject: '@switchboard my router keeps dropping' });
    expect(opened).toMatchObject({ direction: 'in', author: 'Carol C', addressed: true });
    // Carol answers her own post: it joins the case of the thread.
    const next = mention(accounts.carol, 'it happens every evening', { inReplyTo: first.status });
    expect((await messageOf(next.status.id)).caseId).toBe(opened.caseId);
    if (backend.name === 'postgres') {
      await withDatabase(storage.options, async (db) => {
        const rows = await db.execute(sql`SELECT reply_context FROM messages WHERE channel = 'mastodon' AND external_id = ${first.status.id}`);
        expect((rows as unknown as { rows: unknown[] }).rows).toEqual([{ reply_context: { acct: 'carol@other.example', visibility: 'public' } }]);
      });
    }
  });

  it('skips malformed events, other notification types and the brand’s own posts without wedging the stream', async () => {
    fake.sendRaw('notification', '{"id": "1", "type": "mention", ');
    fake.sendRaw('update', '{"id":"5"}');
    fake.notify('favourite', { status: fake.brandStatus('liked') });
    // A mention without its status: also returned by every catch-up from before it, so the cursor must move past it.
    const broken = fake.notify('mention', { status: { id: 'not-a-number' } });
    const own = fake.mention(fake.brand, 'our own post naming ourselves');
    const sentinel = mention(accounts.erin, 'after the bad ones');
    await arrived(sentinel.status.id);
    expect(await copies(own.status.id)).toBe(0);
    expect(await copies('not-a-number')).toBe(0);
    if (backend.name === 'postgres') {
      await withDatabase(storage.options, async (db) => {
        const rows = await db.execute(sql`SELECT cursor FROM channel_cursors WHERE channel = 'mastodon'`);
        expect(BigInt((rows as unknown as { rows: { cursor: string }[] }).rows[0]!.cursor)).toBeGreaterThan(BigInt(broken.id));
      });
    }
  });

  it('catches up over REST after the stream is cut: what was posted while it was down arrives once', async () => {
    const opened = fake.streamsOpened();
    fake.setStreamDown(true);
    fake.dropStreams();
    const whileDown = [mention(accounts.frank, 'posted while the stream was down'), mention(accounts.gina, 'me too', { language: 'de' })];
    fake.setStreamDown(false);
    await fake.streamOpened(opened + 1);
    for (const { status } of whileDown) await arrived(status.id);
    const sentinel = mention(accounts.erin, 'live again');
    await arrived(sentinel.status.id);
    for (const { status } of [...whileDown, sentinel]) expect(await copies(status.id)).toBe(1);
  });

  it.each(['before', 'after'] as const)('loses nothing and doubles nothing posted while it catches up (%s a page is answered)', async (when) => {
    // Before: the post is streamed and in the page. After: it is in no page, only on the stream — lost if the
    // stream were opened after the catch-up instead of before it.
    let during: string | null = null;
    fake.onNotificationsRequest(when, () => {
      if (during === null) during = mention(accounts.frank, `posted during the catch-up (${when})`).status.id;
    });
    const opened = fake.streamsOpened();
    fake.dropStreams();
    await fake.streamOpened(opened + 1);
    await waitFor(async () => (during ? true : undefined), 15_000);
    fake.clearNotificationsHook();
    await arrived(during!);
    const sentinel = mention(accounts.erin, `after the catch-up (${when})`);
    await arrived(sentinel.status.id);
    expect(await copies(during!)).toBe(1);
  });

  it('resumes from the stored cursor after a restart on the same database: nothing missed, nothing twice', async () => {
    await hub.close();
    // More than one page of the catch-up (Mastodon pages 40 at most).
    const whileStopped = Array.from({ length: 45 }, (_, i) => mention(i % 2 ? accounts.bob : accounts.carol, `posted while the hub was stopped, number ${i}`));
    const opened = fake.streamsOpened();
    hub = await hubOn(storage.options, options());
    sam = await hub.login('sam');
    await fake.streamOpened(opened + 1);
    for (const { status } of whileStopped) await arrived(status.id);
    const sentinel = mention(accounts.dave, 'after the restart');
    await arrived(sentinel.status.id);
    // Every post since the first start exactly once, nothing from before it.
    const { messages, mentions } = await pulled();
    const stored = [...messages, ...mentions].map((m) => m.externalId!).sort();
    expect(stored).toEqual([...posted].sort());
    expect(await copies(history)).toBe(0);
  });

  it('opens a case for a direct message, and the conversation’s next one joins it', async () => {
    const dm = mention(accounts.dave, 'my invoice is wrong', { visibility: 'direct' });
    const dmMessage = await messageOf(dm.status.id);
    expect(dmMessage).toMatchObject({ direction: 'in', author: 'Dave D', addressed: true });
    const again = mention(accounts.dave, 'it is invoice 42', { visibility: 'direct' });
    expect((await messageOf(again.status.id)).caseId).toBe(dmMessage.caseId);
    if (backend.name === 'postgres') {
      await withDatabase(storage.options, async (db) => {
        const rows = await db.execute(sql`SELECT reply_context FROM messages WHERE channel = 'mastodon' AND external_id = ${dm.status.id}`);
        expect((rows as unknown as { rows: unknown[] }).rows).toEqual([{ reply_context: { acct: `dave@${fake.host}`, visibility: 'direct' } }]);
      });
    }
  });
});

describe.each(backends)('the Mastodon channel with a bad token on $name', (backend) => {
  let fake: FakeMastodon;
  let storage: Awaited<ReturnType<(typeof backends)[number]['storage']>>;
  let hub: TestHub | undefined;
  const lines: string[] = [];
  beforeAll(async () => {
    fake = await startFakeMastodon();
    storage = await backend.storage();
  });
  afterAll(async () => {
    await hub?.close();
    await fake?.close();
    await storage?.dispose();
  });

  it('says clearly that the token was refused, and does not hammer the instance', async () => {
    hub = await hubOn(storage.options, { demo: false, logLevel: 'info', logStream: { write: (line) => lines.push(line) }, mastodonUrl: fake.url, mastodonToken: 'wrong-token' });
    const refused = await waitFor(async () => lines.find((l) => l.includes('refused the access token')), 15_000);
    expect(JSON.parse(refused)).toMatchObject({ level: 50, channel: 'mastodon' });
    expect(refused).not.toContain('wrong-token');
    // The sentinel: /health answers after the refusal, and the instance was asked once.
    expect(((await (await hub.get('/health')).json()) as { channels: Record<string, string> }).channels.mastodon).toBe('on');
    expect(fake.requests).toEqual(['/api/v1/accounts/verify_credentials']);
  });
});
