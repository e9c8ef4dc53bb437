/**
 * Replies really leave, and mentions are synced rows: message.send queues a
 * delivery with its message, the worker sends it to the local provider
 * simulator (speaking X's API), and the delivery state reaches consoles live
 * and through the pull; 4xx fails for good with the provider's reason and
 * message.retry sends it again; 5xx retries; the consent rule refuses what it
 * must unless a supervisor overrides it; mentions convert and dismiss as
 * mutations in scope.
 */
import nodemailer from 'nodemailer';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Customer, Mention, Message } from '../../src/shared/domain';
import type { MutationResult, SyncPushResponse } from '../../src/shared/protocol';
import { demoOutboundOptions, type ProviderSimulator, startProviderSimulator } from '../../src/hub/demo/provider-simulator';
import { backends, startTestHub, type TestHub } from './backends';
import { liveSockets, nextEvent, pullAll, rowsOf, waitFor } from './helpers';
import { newXUser, postX, tweet, X_BRAND, xActivity } from './x-webhooks';

describe.each(backends)('replies and mentions on $name', (backend) => {
  let sim: ProviderSimulator;
  let hub: TestHub;
  let sam: string;
  let ana: string;
  let ivan: string;
  const sockets = liveSockets();

  beforeAll(async () => {
    sim = await startProviderSimulator({ port: 0, smtpPort: 0 });
    hub = await startTestHub(backend, { ...demoOutboundOptions(sim), mastodonUrl: undefined, delivery: { pollMs: 100, backoffMs: 50 } });
    [sam, ana, ivan] = await Promise.all([hub.login('sam'), hub.login('ana'), hub.login('ivan')]);
  });
  afterAll(async () => {
    sockets.closeAll();
    await hub?.close();
    await sim?.close();
  });

  const push = async (token: string, kind: string, entityId: string, payload: object, baseVersion = 1): Promise<MutationResult> => {
    const mutation = { id: uuidv7(), kind, entityId, baseVersion, payload, createdAt: new Date().toISOString() };
    const response = await hub.post('/api/sync/push', { mutations: [mutation] }, token);
    expect(response.status).toBe(200);
    return ((await response.json()) as SyncPushResponse).results[0]!;
  };
  const reply = (token: string, caseId: string, body: string, extra: object = {}) => push(token, 'message.send', caseId, { channel: 'x', body, ...extra });

  const pulled = async (token = sam) => {
    const { changes } = await pullAll(hub, token);
    return { messages: rowsOf<Message>(changes, 'message'), cases: rowsOf<Case>(changes, 'case'), customers: rowsOf<Customer>(changes, 'customer'), mentions: rowsOf<Mention>(changes, 'mention') };
  };
  const messageById = async (id: string) => (await pulled()).messages.find((m) => m.id === id);
  const deliveredAs = (id: string, status: string) => waitFor(async () => {
    const message = await messageById(id);
    return message?.delivery?.status === status ? message : undefined;
  }, 15_000);
  const tweetsInReplyTo = (tweetId: string) => sim.received().filter((c) => c.endpoint === 'POST /2/tweets' && (c.body as { reply?: { in_reply_to_tweet_id?: string } }).reply?.in_reply_to_tweet_id === tweetId);

  /** A customer's tweet to the brand: it opens a case in the Social queue (ana's). */
  async function openXCase(text = '@switchboard my router keeps dropping') {
    const post = tweet(newXUser('cora'), text, { inReplyToUser: X_BRAND, inReplyToStatus: '1' });
    expect((await postX(hub.url, xActivity({ tweets: [post] }))).status).toBe(200);
    const message = await waitFor(async () => (await pulled()).messages.find((m) => m.externalId === post.id_str));
    const caseRow = (await pulled()).cases.find((c) => c.id === message.caseId)!;
    return { tweetId: post.id_str, caseRow };
  }

  it('queues a reply with its message and delivers it once to X, in reply to the tweet, live and through the pull', async () => {
    const { tweetId, caseRow } = await openXCase();
    const socket = await sockets.connect(hub.url, ana);
    const updates: Message[] = [];
    socket.on('message:upsert', (m: Message) => updates.push(m));

    const result = await reply(ana, caseRow.id, 'Sorry to hear that! Could you DM us your router model?');
    expect(result).toMatchObject({ status: 'applied' });
    const sent = await deliveredAs(result.id, 'sent');
    const calls = tweetsInReplyTo(tweetId);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toMatchObject({ text: 'Sorry to hear that! Could you DM us your router model?' });
    expect(calls[0]!.headers.authorization).toBe('Bearer demo-x-user-token');
    expect(sent.delivery).toMatchObject({ status: 'sent', externalId: (calls[0]!.answer as { data: { id: string } }).data.id, reason: null, attempts: 1 });
    // Live: queued as stored, then sent.
    await waitFor(async () => (updates.some((m) => m.id === result.id && m.delivery?.status === 'sent') ? true : undefined));
    expect(updates.filter((m) => m.id === result.id).map((m) => m.delivery?.status)).toEqual(['queued', 'sent']);

    expect(sent.externalId).toBe(sent.delivery!.externalId);
    // The customer answers the brand's reply: it joins the same case.
    const answer = tweet(newXUser('cora'), '@switchboard it is a TP-200', { inReplyToUser: X_BRAND, inReplyToStatus: sent.delivery!.externalId! });
    expect((await postX(hub.url, xActivity({ tweets: [answer] }))).body.results).toEqual([{ externalId: answer.id_str, status: 'joined' }]);
    expect((await pulled()).messages.find((m) => m.externalId === answer.id_str)).toMatchObject({ caseId: caseRow.id });

    // Nothing sends it again: a second reply (the sentinel) goes out, and the first was still sent once.
    // It answers the customer's latest post in the case.
    const second = await reply(ana, caseRow.id, 'Thanks!');
    await deliveredAs(second.id, 'sent');
    expect(tweetsInReplyTo(answer.id_str).map((c) => (c.body as { text: string }).text)).toEqual(['Thanks!']);
    expect(tweetsInReplyTo(tweetId).map((c) => (c.body as { text: string }).text)).toEqual(['Sorry to hear that! Could you DM us your router model?']);
  });

  it('fails a reply for good on a 4xx with the provider’s reason, and message.retry sends it again', async () => {
    const { tweetId, caseRow } = await openXCase();
    sim.failNext('x', 403, { title: 'Forbidden', detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', status: 403 });
    const result = await reply(ana, caseRow.id, 'We are on it.');
    const failed = await deliveredAs(result.id, 'failed');
    expect(failed.delivery!.reason).toContain('You are not allowed to create a Tweet with duplicate content.');
    expect(failed.delivery!.attempts).toBe(1);
    expect(tweetsInReplyTo(tweetId)).toHaveLength(0);

    // Only a failed reply can be retried, and only by someone who can see it.
    expect(await push(ivan, 'message.retry', result.id, {})).toMatchObject({ status: 'rejected', reason: 'no such reply in your scope' });
    const retried = await push(ana, 'message.retry', result.id, {});
    expect(retried).toMatchObject({ status: 'applied' });
    const sent = await deliveredAs(result.id, 'sent');
    expect(sent.delivery).toMatchObject({ attempts: 1, reason: null });
    expect(tweetsInReplyTo(tweetId)).toHaveLength(1);
    expect(await push(ana, 'message.retry', result.id, {})).toMatchObject({ status: 'rejected', reason: expect.stringContaining('only a failed reply') });
  });

  it('retries a 5xx with backoff until the provider takes it', async () => {
    const { tweetId, caseRow } = await openXCase();
    sim.failNext('x', 503, undefined, 2);
    const result = await reply(ana, caseRow.id, 'Looking into it now.');
    const sent = await deliveredAs(result.id, 'sent');
    expect(sent.delivery!.attempts).toBe(3);
    expect(tweetsInReplyTo(tweetId)).toHaveLength(1);
  });

  it('opens a case again when the customer answers while it waits on them (pending), live', async () => {
    const { tweetId, caseRow } = await openXCase();
    const pending = await push(ana, 'case.update', caseRow.id, { fields: { status: 'pending' } }, caseRow.version);
    expect(pending).toMatchObject({ status: 'applied' });
    const socket = await sockets.connect(hub.url, ana);
    const moved = new Promise<Case>((resolve) => socket.on('case:upsert', (c: Case) => c.id === caseRow.id && resolve(c)));
    const answer = tweet(newXUser('cora'), '@switchboard still broken', { inReplyToUser: X_BRAND, inReplyToStatus: tweetId });
    expect((await postX(hub.url, xActivity({ tweets: [answer] }))).body.results).toEqual([{ externalId: answer.id_str, status: 'joined' }]);
    const live = await moved;
    expect(live).toMatchObject({ status: 'open', version: (pending as { version: number }).version + 1 });
    expect((await pulled(ana)).cases.find((c) => c.id === caseRow.id)).toMatchObject({ status: 'open', version: live.version });
    // A console that set another status on the old version meets the hub's change as a conflict, not a silent overwrite.
    expect(await push(ana, 'case.update', caseRow.id, { fields: { status: 'solved' } }, (pending as { version: number }).version)).toMatchObject({ status: 'conflict' });
  });

  it('refuses a reply past the channel’s limit or to nobody, before storing anything', async () => {
    const { caseRow } = await openXCase();
    expect(await reply(ana, caseRow.id, 'x'.repeat(281))).toMatchObject({ status: 'rejected', reason: 'length' });
    expect(await push(ana, 'message.send', caseRow.id, { channel: 'bluesky', body: 'hi' })).toMatchObject({ status: 'rejected', reason: 'channel' });
    expect(await push(ana, 'message.send', caseRow.id, { channel: 'device', body: 'hi' })).toMatchObject({ status: 'rejected', reason: 'channel' });
    const stored = (await pulled()).messages.filter((m) => m.caseId === caseRow.id && m.direction === 'out');
    expect(stored).toEqual([]);
  });

  it('keeps to consent: a do-not-engage customer gets a reply only with a supervisor’s override, whose reason is kept', async () => {
    const { tweetId, caseRow } = await openXCase();
    expect(await push(ana, 'customer.consent', caseRow.customerId!, { doNotEngage: true })).toMatchObject({ status: 'applied' });
    const customer = (await pulled()).customers.find((c) => c.id === caseRow.customerId);
    expect(customer).toMatchObject({ doNotEngage: true });

    const refused = await reply(ana, caseRow.id, 'Hello again');
    expect(refused).toMatchObject({ status: 'rejected', reason: 'consent', detail: 'the customer is marked do-not-engage', wording: { key: 'rejection.consentDoNotEngage', params: { override: 'no' } } });
    // An agent cannot override; a supervisor must give a reason.
    expect(await reply(ana, caseRow.id, 'Hello again', { override: { reason: 'they asked us to' } })).toMatchObject({ status: 'rejected', reason: 'consent' });
    expect(await reply(sam, caseRow.id, 'Hello again')).toMatchObject({ status: 'rejected', reason: 'consent' });
    const overridden = await reply(sam, caseRow.id, 'A safety recall notice for your router.', { override: { reason: 'safety recall: legal requires notice' } });
    expect(overridden).toMatchObject({ status: 'applied' });
    const sent = await deliveredAs(overridden.id, 'sent');
    expect(sent.delivery!.consentOverride).toBe('safety recall: legal requires notice');
    expect(tweetsInReplyTo(tweetId)).toHaveLength(1);
    expect((await pulled()).messages.filter((m) => m.caseId === caseRow.id && m.direction === 'out')).toHaveLength(1);
  });

  it('answers a mail through the relay, threaded to it: Message-ID, In-Reply-To, References and [#number]', async () => {
    const smtp = new URL(hub.smtpUrl!);
    const transport = nodemailer.createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true });
    const original = `<${uuidv7()}@customer.example>`;
    const earlier = `<${uuidv7()}@customer.example>`;
    await transport.sendMail({ from: 'Nora Customer <nora@customer.example>', to: 'support@switchboard.test', subject: 'Invoice is wrong', text: 'I was billed twice.', messageId: original, references: [earlier] });
    transport.close();
    const inbound = await waitFor(async () => (await pulled(ivan)).messages.find((m) => m.externalId === original));
    const caseRow = (await pulled(ivan)).cases.find((c) => c.id === inbound.caseId)!;

    const result = await push(ivan, 'message.send', caseRow.id, { channel: 'email', body: 'Sorry about that: the second charge is refunded.' });
    expect(result).toMatchObject({ status: 'applied' });
    const mail = await sim.waitFor((c) => c.endpoint === 'SMTP DATA' && c.mail?.inReplyTo === original, 15_000);
    expect(mail.envelope).toEqual({ from: 'support@switchboard.test', to: ['nora@customer.example'] });
    expect(mail.mail!.subject).toBe(`Re: Invoice is wrong [#${caseRow.number}]`);
    expect(mail.mail!.references).toEqual([earlier, original]);
    expect(mail.mail!.text?.trim()).toBe('Sorry about that: the second charge is refunded.');
    const sent = await deliveredAs(result.id, 'sent');
    expect(sent.delivery!.externalId).toBe(mail.mail!.messageId);

    // The customer answers the reply: threaded by In-Reply-To into the same case.
    const again = nodemailer.createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true });
    const answer = `<${uuidv7()}@customer.example>`;
    await again.sendMail({ from: 'nora@customer.example', to: 'support@switchboard.test', subject: `Re: Invoice is wrong [#${caseRow.number}]`, text: 'Thanks!', messageId: answer, inReplyTo: mail.mail!.messageId, references: [earlier, original, mail.mail!.messageId!] });
    again.close();
    expect(await waitFor(async () => (await pulled(ivan)).messages.find((m) => m.externalId === answer))).toMatchObject({ caseId: caseRow.id });
  });

  it('syncs mentions in scope, converts one into a case that can be answered, and dismisses another', async () => {
    const socket = await sockets.connect(hub.url, ana);
    const arrived = nextEvent<Mention>(socket, 'mention:new');
    const mentionTweet = tweet(newXUser('pia'), '@switchboard your new firmware is great');
    const other = tweet(newXUser('rex'), '@switchboard meh');
    expect((await postX(hub.url, xActivity({ tweets: [mentionTweet, other] }))).status).toBe(200);
    const live = await arrived;
    expect(live).toMatchObject({ externalId: mentionTweet.id_str, status: 'new', addressed: true });
    expect(live.rev).toBeGreaterThan(0);

    // Supervisors and the Social queue's agents pull mentions; an agent of other queues does not.
    const mention = (await pulled(ana)).mentions.find((m) => m.externalId === mentionTweet.id_str)!;
    expect(mention).toMatchObject({ status: 'new', channel: 'x' });
    expect((await pulled(sam)).mentions.some((m) => m.id === mention.id)).toBe(true);
    expect((await pulled(ivan)).mentions).toEqual([]);
    expect(await push(ivan, 'mention.convert', mention.id, {})).toMatchObject({ status: 'rejected', reason: 'no such mention in your scope' });

    const changed = nextEvent<Mention>(socket, 'mention:upsert');
    const converted = await push(ana, 'mention.convert', mention.id, {});
    expect(converted).toMatchObject({ status: 'applied' });
    expect(await changed).toMatchObject({ id: mention.id, status: 'converted', caseId: converted.id });
    const after = await pulled(ana);
    expect(after.mentions.find((m) => m.id === mention.id)).toMatchObject({ status: 'converted', caseId: converted.id, version: mention.version + 1 });
    const opened = after.cases.find((c) => c.id === converted.id)!;
    expect(opened).toMatchObject({ channel: 'x', status: 'new', subject: '@switchboard your new firmware is great' });
    expect(after.messages.filter((m) => m.caseId === opened.id)).toMatchObject([{ direction: 'in', externalId: mentionTweet.id_str }]);
    expect(after.customers.some((c) => c.id === opened.customerId)).toBe(true);
    expect(await push(ana, 'mention.convert', mention.id, {})).toMatchObject({ status: 'rejected', reason: expect.stringContaining('already converted') });

    // The converted post is answered on X like any other.
    const answer = await reply(ana, opened.id, 'Thank you!');
    await deliveredAs(answer.id, 'sent');
    expect(tweetsInReplyTo(mentionTweet.id_str)).toHaveLength(1);

    const otherMention = after.mentions.find((m) => m.externalId === other.id_str)!;
    expect(await push(ana, 'mention.dismiss', otherMention.id, {})).toMatchObject({ status: 'applied' });
    expect((await pulled(ana)).mentions.find((m) => m.id === otherMention.id)).toMatchObject({ status: 'dismissed' });
    expect(await push(ana, 'mention.dismiss', mention.id, {})).toMatchObject({ status: 'rejected' });
  });
});

describe('replies on a demo hub', () => {
  it('go to the local provider simulator when no provider is configured, and show as sent', async () => {
    const hub = await startTestHub(backends[0]!, { delivery: { pollMs: 100 } });
    try {
      const ana = await hub.login('ana');
      const post = tweet(newXUser('demo'), '@switchboard hello', { inReplyToUser: X_BRAND, inReplyToStatus: '1' });
      expect((await postX(hub.url, xActivity({ tweets: [post] }))).status).toBe(200);
      const messages = async () => rowsOf<Message>((await pullAll(hub, ana)).changes, 'message');
      const inbound = await waitFor(async () => (await messages()).find((m) => m.externalId === post.id_str));
      const mutation = { id: uuidv7(), kind: 'message.send', entityId: inbound.caseId, baseVersion: 1, payload: { channel: 'x', body: 'Hi!' }, createdAt: new Date().toISOString() };
      expect((await hub.post('/api/sync/push', { mutations: [mutation] }, ana)).status).toBe(200);
      const sent = await waitFor(async () => (await messages()).find((m) => m.id === mutation.id && m.delivery?.status === 'sent'), 15_000);
      expect(sent.delivery!.externalId).toMatch(/^\d+$/);
    } finally {
      await hub.close();
    }
  });
});
