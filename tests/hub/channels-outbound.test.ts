/**
 * Each channel's outbound sender against the provider simulator, over real
 * HTTP and SMTP: the request carries the provider's documented fields and
 * credentials (read back from what the simulator received, mail parsed by
 * mailparser at the sink), a refusal is permanent with the provider's own
 * reason, a 5xx, 429 or lost connection is transient, and the idempotency of
 * Mastodon (Idempotency-Key) and Bluesky (a derived record key) holds. Also
 * the replyContext the inbound adapters write for these senders.
 */
import { createServer } from 'node:net';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryError, type ChannelSender, type OutboundReply, type ReplyContext } from '../../src/hub/channels/outbound';
import { createSenders, type SendersLog } from '../../src/hub/channels/senders';
import { tidFromKey } from '../../src/hub/channels/bluesky/send';
import { createBlueskySender } from '../../src/hub/channels/bluesky/send';
import { createEmailSender, replySubject } from '../../src/hub/channels/email/send';
import { parseMail } from '../../src/hub/channels/email/parse';
import { mastodonApi } from '../../src/hub/channels/mastodon/api';
import { mentions } from '../../src/hub/channels/mastodon/send';
import { normaliseMetaWebhook } from '../../src/hub/channels/meta/payload';
import { normaliseXActivity } from '../../src/hub/channels/x/payload';
import type { ReplyChannel } from '../../src/shared/replies';
import { DEMO_OUTBOUND, demoOutboundOptions, startProviderSimulator, type ProviderSimulator, type ReceivedCall } from '../../src/hub/demo/provider-simulator';

const FROM = 'support@switchboard.test';
const silent: SendersLog = { info: () => {}, warn: () => {} };
let serial = BigInt(Date.now()) * 1000n;
const nextId = () => String(++serial);

function outbound(channel: ReplyChannel, opts: Partial<OutboundReply> & { answersId?: string | null; context?: ReplyContext | null } = {}): OutboundReply {
  const messageId = uuidv7();
  const { answersId, context, ...rest } = opts;
  return {
    messageId,
    channel,
    body: `Thanks, we are on it (${messageId.slice(-6)})`,
    idempotencyKey: messageId,
    attempt: 1,
    case: { id: uuidv7(), number: 4242, subject: 'Router keeps rebooting' },
    recipient: null,
    answers: answersId === null ? null : { externalId: answersId ?? nextId(), author: 'customer', context: context ?? null },
    ...rest,
  };
}

const signal = () => AbortSignal.timeout(15_000);

/** The DeliveryError a send fails with (the test fails if it succeeds or throws anything else). */
async function refusal(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

const bodyOf = (call: ReceivedCall) => call.body as Record<string, unknown>;
const mailTo = (address: string) => sim.waitFor((c) => c.provider === 'email' && c.envelope!.to.includes(address));

let sim: ProviderSimulator;
let senders: Partial<Record<ReplyChannel, ChannelSender>>;
const sender = (channel: ReplyChannel) => senders[channel]!;

beforeAll(async () => {
  sim = await startProviderSimulator();
  senders = createSenders({ ...demoOutboundOptions(sim), mailAddresses: [FROM] }, silent);
});
afterAll(async () => {
  await Promise.all(Object.values(senders).map((s) => s.close?.()));
  await sim?.close();
});

describe('createSenders', () => {
  it('makes a sender only for a channel whose outbound configuration is complete', () => {
    expect(Object.keys(senders).sort()).toEqual(['bluesky', 'email', 'facebook', 'instagram', 'mastodon', 'x']);
    expect(createSenders({}, silent)).toEqual({});
    const warnings: string[] = [];
    const partial = createSenders({ xApiUrl: sim.url, mastodonToken: 't', blueskyAppPassword: 'p', metaApiUrl: sim.url }, { info: () => {}, warn: (_o, m) => warnings.push(m) });
    expect(partial).toEqual({});
    expect(warnings).toEqual(expect.arrayContaining([expect.stringContaining('xToken'), expect.stringContaining('mastodonUrl'), expect.stringContaining('blueskyHandle'), expect.stringContaining('metaPageToken')]));
    const onlyMail = createSenders({ smtpRelayUrl: sim.smtpUrl }, silent);
    expect(Object.keys(onlyMail)).toEqual(['email']);
    void onlyMail.email!.close?.();
  });
});

describe('X sender', () => {
  it('replies to a tweet with POST /2/tweets, the bearer token and reply.in_reply_to_tweet_id', async () => {
    const reply = outbound('x', { context: { kind: 'post' } });
    const result = await sender('x').send(reply, signal());
    const call = await sim.waitFor((c) => c.endpoint === 'POST /2/tweets' && bodyOf(c).text === reply.body);
    expect(call.body).toEqual({ text: reply.body, reply: { in_reply_to_tweet_id: reply.answers!.externalId } });
    expect(call.headers.authorization).toBe(`Bearer ${DEMO_OUTBOUND.xToken}`);
    expect(result.externalId).toBe((call.answer as { data: { id: string } }).data.id);
  });

  it('answers a direct message with a DM to its sender', async () => {
    const senderId = nextId();
    const reply = outbound('x', { context: { kind: 'dm', senderId } });
    const result = await sender('x').send(reply, signal());
    const call = await sim.waitFor((c) => c.path === `/2/dm_conversations/with/${senderId}/messages`);
    expect(call.body).toEqual({ text: reply.body });
    expect(call.headers.authorization).toBe(`Bearer ${DEMO_OUTBOUND.xToken}`);
    expect(result.externalId).toBe((call.answer as { data: { dm_event_id: string } }).data.dm_event_id);
    expect(sim.received().filter((c) => c.endpoint === 'POST /2/tweets' && bodyOf(c).text === reply.body)).toEqual([]);
  });

  it('fails for good on a 4xx with X’s detail, and transiently on a 5xx, a 429 or a timeout', async () => {
    const detail = 'You are not allowed to create a Tweet with duplicate content.';
    sim.failNext('x', 403, { title: 'Forbidden', detail, type: 'about:blank', status: 403 });
    expect(await refusal(sender('x').send(outbound('x'), signal()))).toMatchObject({ permanent: true, message: detail });
    sim.failNext('x', 400, { errors: [{ message: 'The `reply.in_reply_to_tweet_id` field is invalid' }], title: 'Invalid Request' });
    expect(await refusal(sender('x').send(outbound('x'), signal()))).toMatchObject({ permanent: true, message: 'The `reply.in_reply_to_tweet_id` field is invalid' });
    sim.failNext('x', 503);
    expect(await refusal(sender('x').send(outbound('x'), signal()))).toMatchObject({ permanent: false });
    sim.failNext('x', 429);
    expect(await refusal(sender('x').send(outbound('x'), signal()))).toMatchObject({ permanent: false, message: 'Too Many Requests' });
    expect(await refusal(sender('x').send(outbound('x'), AbortSignal.abort()))).toMatchObject({ permanent: false });
    const wrongToken = createSenders({ xApiUrl: sim.url, xToken: 'not-the-token' }, silent).x!;
    expect(await refusal(wrongToken.send(outbound('x'), signal()))).toMatchObject({ permanent: true, message: 'Unauthorized' });
  });
});

describe('Graph API senders (Facebook, Instagram)', () => {
  it('answers a Facebook comment under it, with the page token in the body', async () => {
    const commentId = `${nextId()}_${nextId()}`;
    const result = await sender('facebook').send(outbound('facebook', { answersId: commentId, context: { kind: 'comment' } }), signal());
    const call = await sim.waitFor((c) => c.path === `/v21.0/${commentId}/comments`);
    expect(call.body).toEqual({ message: expect.any(String), access_token: DEMO_OUTBOUND.metaPageToken });
    expect(result.externalId).toBe((call.answer as { id: string }).id);
  });

  it('answers an Instagram comment with a reply to it', async () => {
    const commentId = nextId();
    const reply = outbound('instagram', { answersId: commentId, context: { kind: 'comment' } });
    const result = await sender('instagram').send(reply, signal());
    const call = await sim.waitFor((c) => c.path === `/v21.0/${commentId}/replies`);
    expect(call.body).toEqual({ message: reply.body, access_token: DEMO_OUTBOUND.metaPageToken });
    expect(result.externalId).toBe((call.answer as { id: string }).id);
  });

  it.each(['facebook', 'instagram'] as const)('answers a %s message through the Send API to the sender’s page-scoped id', async (channel) => {
    const psid = nextId();
    const reply = outbound(channel, { answersId: `m_${nextId()}`, context: { kind: 'message', psid } });
    const result = await sender(channel).send(reply, signal());
    const call = await sim.waitFor((c) => c.endpoint === 'POST /v21.0/me/messages' && (bodyOf(c).recipient as { id: string }).id === psid);
    expect(call.body).toEqual({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: reply.body }, access_token: DEMO_OUTBOUND.metaPageToken });
    expect(result.externalId).toBe((call.answer as { message_id: string }).message_id);
  });

  it('fails for good with Graph’s error.message, and transiently on rate limits (codes 4/17/32/613) and 5xx', async () => {
    const message = '(#10) This message is sent outside of allowed window.';
    sim.failNext('meta', 400, { error: { message, type: 'OAuthException', code: 10 } });
    expect(await refusal(sender('facebook').send(outbound('facebook', { context: { kind: 'message', psid: nextId() } }), signal()))).toMatchObject({ permanent: true, message });
    for (const code of [4, 17, 32, 613]) {
      sim.failNext('meta', 400, { error: { message: '(#4) Application request limit reached', type: 'OAuthException', code } });
      expect(await refusal(sender('instagram').send(outbound('instagram', { context: { kind: 'comment' } }), signal()))).toMatchObject({ permanent: false });
    }
    sim.failNext('meta', 500);
    expect(await refusal(sender('facebook').send(outbound('facebook', { context: { kind: 'comment' } }), signal()))).toMatchObject({ permanent: false });
    const wrongToken = createSenders({ metaApiUrl: sim.url, metaPageToken: 'wrong' }, silent).facebook!;
    expect(await refusal(wrongToken.send(outbound('facebook', { context: { kind: 'comment' } }), signal()))).toMatchObject({ permanent: true, message: expect.stringContaining('Invalid OAuth access token') });
  });
});

describe('Mastodon sender', () => {
  it('posts a reply status with in_reply_to_id, the Idempotency-Key and a mention of the author', async () => {
    const reply = outbound('mastodon', { context: { acct: 'jane@fosstodon.example', visibility: 'public' } });
    const result = await sender('mastodon').send(reply, signal());
    const call = await sim.waitFor((c) => c.headers['idempotency-key'] === reply.idempotencyKey);
    expect(call.body).toEqual({ status: `@jane@fosstodon.example ${reply.body}`, in_reply_to_id: reply.answers!.externalId, visibility: 'public' });
    expect(call.headers.authorization).toBe(`Bearer ${DEMO_OUTBOUND.mastodonToken}`);
    expect(result.externalId).toBe((call.answer as { id: string }).id);
  });

  it('keeps a direct conversation direct, answers anything else in public, and mentions no one twice', async () => {
    const direct = outbound('mastodon', { body: 'Hello @Jane@fosstodon.example, sent you the steps', context: { acct: 'jane@fosstodon.example', visibility: 'direct' } });
    await sender('mastodon').send(direct, signal());
    expect((await sim.waitFor((c) => c.headers['idempotency-key'] === direct.idempotencyKey)).body).toMatchObject({ status: direct.body, visibility: 'direct' });
    const unlisted = outbound('mastodon', { context: { acct: 'bob', visibility: 'unlisted' } });
    await sender('mastodon').send(unlisted, signal());
    expect((await sim.waitFor((c) => c.headers['idempotency-key'] === unlisted.idempotencyKey)).body).toMatchObject({ status: `@bob ${unlisted.body}`, visibility: 'public' });
    expect(mentions('hi @bob!', 'bob')).toBe(true);
    expect(mentions('hi @bobby', 'bob')).toBe(false);
    expect(mentions('hi @bob@other.example', 'bob')).toBe(false);
  });

  it('sends the same key twice and gets one status', async () => {
    const reply = outbound('mastodon', { context: { acct: 'carol', visibility: 'public' } });
    const first = await sender('mastodon').send(reply, signal());
    const second = await sender('mastodon').send({ ...reply, attempt: 2 }, signal());
    expect(second.externalId).toBe(first.externalId);
    const calls = sim.received().filter((c) => c.headers['idempotency-key'] === reply.idempotencyKey);
    expect(calls.map((c) => Boolean(c.replayed))).toEqual([false, true]);
  });

  it('fails for good with Mastodon’s error on a 4xx, transiently on a 5xx or 429', async () => {
    sim.failNext('mastodon', 422, { error: 'Validation failed: Text character limit of 500 exceeded' });
    expect(await refusal(sender('mastodon').send(outbound('mastodon', { context: { acct: 'dan' } }), signal()))).toMatchObject({ permanent: true, message: 'Validation failed: Text character limit of 500 exceeded' });
    sim.failNext('mastodon', 502);
    expect(await refusal(sender('mastodon').send(outbound('mastodon', { context: { acct: 'dan' } }), signal()))).toMatchObject({ permanent: false });
    sim.failNext('mastodon', 429);
    expect(await refusal(sender('mastodon').send(outbound('mastodon', { context: { acct: 'dan' } }), signal()))).toMatchObject({ permanent: false });
  });
});

describe('the simulator as the demo’s Mastodon instance', () => {
  it('serves the read side the inbound stream uses, and closes with a stream still open', async () => {
    const own = await startProviderSimulator();
    try {
      const api = mastodonApi({ url: own.url, token: DEMO_OUTBOUND.mastodonToken });
      expect(await api.verifyCredentials(signal())).toMatchObject({ id: '1', acct: DEMO_OUTBOUND.mastodonAcct });
      expect(await api.mentions(null, 40, signal())).toEqual({ notifications: [], newerMinId: null });
      const stream = await api.openNotificationStream(signal());
      const { value } = await stream.getReader().read();
      expect(new TextDecoder().decode(value)).toMatch(/^:/);
      await expect(mastodonApi({ url: own.url, token: 'wrong' }).verifyCredentials(signal())).rejects.toThrow('401');
    } finally {
      await own.close();
    }
  });
});

describe('Bluesky sender', () => {
  const context = () => {
    const author = `did:plc:${nextId()}`;
    return { uri: `at://${author}/app.bsky.feed.post/3l${nextId().slice(-11)}`, cid: `bafyreiparent${nextId()}`, rootUri: `at://${author}/app.bsky.feed.post/3k${nextId().slice(-11)}`, rootCid: `bafyreiroot${nextId()}` };
  };
  const creates = (rkey: string) => sim.received().filter((c) => c.endpoint === 'POST /xrpc/com.atproto.repo.createRecord' && bodyOf(c).rkey === rkey);

  it('derives a valid, stable TID from the idempotency key', () => {
    const key = uuidv7();
    const tid = tidFromKey(key);
    expect(tid).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
    expect(tidFromKey(key)).toBe(tid);
    expect(tidFromKey(uuidv7())).not.toBe(tid);
    expect(tidFromKey('not-a-uuid')).toMatch(/^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/);
    // A UUIDv7 key keeps its time: the TID's 53 leading bits are microseconds near now.
    let value = 0n;
    for (const char of tid) value = value * 32n + BigInt('234567abcdefghijklmnopqrstuvwxyz'.indexOf(char));
    expect(Math.abs(Number(value >> 10n) / 1000 - Date.now())).toBeLessThan(60_000);
  });

  it('signs in and creates a reply post with reply.root and reply.parent under the derived record key', async () => {
    const ctx = context();
    const reply = outbound('bluesky', { answersId: ctx.uri, context: ctx });
    const result = await sender('bluesky').send(reply, signal());
    const rkey = tidFromKey(reply.idempotencyKey);
    const [call] = creates(rkey);
    expect(call).toBeDefined();
    expect(call!.body).toEqual({
      repo: DEMO_OUTBOUND.blueskyDid,
      collection: 'app.bsky.feed.post',
      rkey,
      record: { $type: 'app.bsky.feed.post', text: reply.body, createdAt: expect.any(String), reply: { root: { uri: ctx.rootUri, cid: ctx.rootCid }, parent: { uri: ctx.uri, cid: ctx.cid } } },
    });
    const session = sim.received().find((c) => c.endpoint === 'POST /xrpc/com.atproto.server.createSession');
    expect(session?.body).toEqual({ identifier: DEMO_OUTBOUND.blueskyHandle });
    expect(call!.headers.authorization).toMatch(/^Bearer access\./);
    expect(result.externalId).toBe(`at://${DEMO_OUTBOUND.blueskyDid}/app.bsky.feed.post/${rkey}`);
  });

  it('answers a post that starts a thread with it as both root and parent', async () => {
    const { uri, cid } = context();
    const reply = outbound('bluesky', { answersId: uri, context: { uri, cid } });
    await sender('bluesky').send(reply, signal());
    expect(bodyOf(creates(tidFromKey(reply.idempotencyKey))[0]!).record).toMatchObject({ reply: { root: { uri, cid }, parent: { uri, cid } } });
  });

  it('on attempt 2 after a successful attempt 1 answers the same URI without a second record', async () => {
    const ctx = context();
    const reply = outbound('bluesky', { answersId: ctx.uri, context: ctx });
    const first = await sender('bluesky').send(reply, signal());
    const second = await sender('bluesky').send({ ...reply, attempt: 2 }, signal());
    expect(second.externalId).toBe(first.externalId);
    const rkey = tidFromKey(reply.idempotencyKey);
    expect(creates(rkey)).toHaveLength(1);
    // It looked first rather than trying to create it again.
    expect(sim.received().some((c) => c.endpoint === 'GET /xrpc/com.atproto.repo.getRecord' && c.query.rkey === rkey)).toBe(true);
    expect(sim.refused().filter((c) => c.endpoint === 'POST /xrpc/com.atproto.repo.createRecord' && (c.body as { rkey?: string }).rkey === rkey)).toEqual([]);
  });

  it('answers a create refused because the record exists (another hub sent it) with that record', async () => {
    const ctx = context();
    const reply = outbound('bluesky', { answersId: ctx.uri, context: ctx });
    const first = await sender('bluesky').send(reply, signal());
    const again = await sender('bluesky').send(reply, signal());
    expect(again.externalId).toBe(first.externalId);
    const rkey = tidFromKey(reply.idempotencyKey);
    expect(creates(rkey)).toHaveLength(1);
    expect(sim.refused().filter((c) => (c.body as { rkey?: string } | null)?.rkey === rkey).map((c) => c.answer)).toEqual([{ error: 'InvalidRequest', message: expect.stringContaining('Record already exists') }]);
  });

  it('renews an expired session with refreshSession, not a new sign-in', async () => {
    await sender('bluesky').send(outbound('bluesky', { context: context() }), signal());
    const signIns = sim.received().filter((c) => c.endpoint === 'POST /xrpc/com.atproto.server.createSession').length;
    sim.expireBlueskySessions();
    const reply = outbound('bluesky', { context: context() });
    await sender('bluesky').send(reply, signal());
    expect(creates(tidFromKey(reply.idempotencyKey))).toHaveLength(1);
    expect(sim.received().filter((c) => c.endpoint === 'POST /xrpc/com.atproto.server.refreshSession')).toHaveLength(1);
    expect(sim.received().filter((c) => c.endpoint === 'POST /xrpc/com.atproto.server.createSession')).toHaveLength(signIns);
  });

  it('writes a first contact as a post that mentions the customer with a facet', async () => {
    const reply = outbound('bluesky', { answersId: null, recipient: '@maria.bsky.social', body: 'Your replacement ships today' });
    await sender('bluesky').send(reply, signal());
    const record = bodyOf(creates(tidFromKey(reply.idempotencyKey))[0]!).record as Record<string, unknown>;
    const did = (await sim.waitFor((c) => c.endpoint === 'GET /xrpc/com.atproto.identity.resolveHandle' && c.query.handle === 'maria.bsky.social')).answer as { did: string };
    expect(record).toMatchObject({ text: '@maria.bsky.social Your replacement ships today', facets: [{ index: { byteStart: 0, byteEnd: 18 }, features: [{ $type: 'app.bsky.richtext.facet#mention', did: did.did }] }] });
    expect(record.reply).toBeUndefined();

    // A body that already names them keeps its words; the facet counts UTF-8 bytes.
    const named = outbound('bluesky', { answersId: null, recipient: 'maria.bsky.social', body: 'Hæ @maria.bsky.social, it ships today' });
    await sender('bluesky').send(named, signal());
    expect(bodyOf(creates(tidFromKey(named.idempotencyKey))[0]!).record).toMatchObject({ text: named.body, facets: [{ index: { byteStart: 4, byteEnd: 22 } }] });
  });

  it('mentions a customer stored by DID (the adapter’s identity) by their current handle', async () => {
    const did = `did:plc:${nextId()}`;
    const reply = outbound('bluesky', { answersId: null, recipient: did, body: 'Følgjum upp' });
    await sender('bluesky').send(reply, signal());
    const profile = (await sim.waitFor((c) => c.endpoint === 'GET /xrpc/app.bsky.actor.getProfile' && c.query.actor === did)).answer as { handle: string };
    const record = bodyOf(creates(tidFromKey(reply.idempotencyKey))[0]!).record as Record<string, unknown>;
    const mention = `@${profile.handle}`;
    expect(record).toMatchObject({ text: `${mention} Følgjum upp`, facets: [{ index: { byteStart: 0, byteEnd: Buffer.byteLength(mention) }, features: [{ $type: 'app.bsky.richtext.facet#mention', did }] }] });
  });

  it('fails for good on a 4xx with the PDS’s message, transiently on a 5xx, and for good on a wrong app password', async () => {
    sim.failNext('bluesky', 400, { error: 'InvalidRequest', message: 'Record/text must not be longer than 300 graphemes' });
    expect(await refusal(sender('bluesky').send(outbound('bluesky', { context: context() }), signal()))).toMatchObject({ permanent: true, message: 'Record/text must not be longer than 300 graphemes' });
    sim.failNext('bluesky', 502);
    expect(await refusal(sender('bluesky').send(outbound('bluesky', { context: context() }), signal()))).toMatchObject({ permanent: false });
    expect(await refusal(sender('bluesky').send(outbound('bluesky', { answersId: 'at://did:plc:x/app.bsky.feed.post/3k', context: null }), signal()))).toMatchObject({ permanent: true });
    const wrong = createBlueskySender({ pdsUrl: sim.url, handle: DEMO_OUTBOUND.blueskyHandle, appPassword: 'wrong' });
    expect(await refusal(wrong.send(outbound('bluesky', { context: context() }), signal()))).toMatchObject({ permanent: true, message: 'Invalid identifier or password' });
  });
});

describe('email sender', () => {

  it('sends From the first support address with the case token, a stable Message-ID, In-Reply-To and References', async () => {
    const answered = `<${nextId()}@customer.example>`;
    const earlier = [`<${nextId()}@customer.example>`, `<${nextId()}@switchboard.test>`];
    const recipient = `jane-${nextId()}@customer.example`;
    const reply = outbound('email', { recipient, answersId: answered, context: { references: earlier, subject: 'Re: the router again' } });
    const result = await sender('email').send(reply, signal());
    const { mail, envelope } = await mailTo(recipient);
    expect(envelope).toEqual({ from: FROM, to: [recipient] });
    expect(mail!.from?.value[0]?.address).toBe(FROM);
    expect(mail!.subject).toBe('Re: Router keeps rebooting [#4242]');
    expect(mail!.messageId).toBe(`<${reply.idempotencyKey}@switchboard.test>`);
    expect(mail!.inReplyTo).toBe(answered);
    expect(mail!.references).toEqual([...earlier, answered]);
    expect(mail!.text?.trim()).toBe(reply.body);
    expect(result.externalId).toBe(`<${reply.idempotencyKey}@switchboard.test>`);
  });

  it('keeps the Message-ID across attempts, and a first mail has no In-Reply-To', async () => {
    const recipient = `first-${nextId()}@customer.example`;
    const reply = outbound('email', { recipient, answersId: null });
    const first = await sender('email').send(reply, signal());
    const second = await sender('email').send({ ...reply, attempt: 2 }, signal());
    expect(second.externalId).toBe(first.externalId);
    const mails = sim.received().filter((c) => c.envelope?.to.includes(recipient));
    expect(mails.map((c) => c.mail!.messageId)).toEqual([first.externalId, first.externalId]);
    expect(mails[0]!.mail!.inReplyTo).toBeUndefined();
    expect(mails[0]!.mail!.references).toBeUndefined();
  });

  it('takes the answered mail’s subject when the case has none', async () => {
    const recipient = `nosubject-${nextId()}@customer.example`;
    const reply = outbound('email', { recipient, case: { id: uuidv7(), number: 77, subject: '' }, context: { subject: 'RE: Invoice' } });
    await sender('email').send(reply, signal());
    expect((await mailTo(recipient)).mail!.subject).toBe('Re: Invoice [#77]');
  });

  it('never doubles Re: or the case token', () => {
    expect(replySubject('Router keeps rebooting', 7)).toBe('Re: Router keeps rebooting [#7]');
    expect(replySubject('RE: Re: Router keeps rebooting [#7]', 7)).toBe('Re: Router keeps rebooting [#7]');
    expect(replySubject('[#7] Router', 7)).toBe('Re: Router [#7]');
  });

  it('fails for good on an SMTP 5xx, transiently on a 4xx or when the relay cannot be reached', async () => {
    sim.failNext('email', 550, '5.1.1 <gone@customer.example>: mailbox unavailable');
    const refused = await refusal(sender('email').send(outbound('email', { recipient: 'gone@customer.example' }), signal()));
    expect(refused.permanent).toBe(true);
    expect(refused.message).toContain('mailbox unavailable');
    sim.failNext('email', 451, '4.3.0 try again later');
    expect(await refusal(sender('email').send(outbound('email', { recipient: 'later@customer.example' }), signal()))).toMatchObject({ permanent: false });
    expect(await refusal(sender('email').send(outbound('email', { recipient: null }), signal()))).toMatchObject({ permanent: true });
    expect(sim.received().some((c) => c.envelope?.to.includes('gone@customer.example') || c.envelope?.to.includes('later@customer.example'))).toBe(false);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = createEmailSender({ relayUrl: `smtp://127.0.0.1:${port}`, from: FROM });
    try {
      expect(await refusal(unreachable.send(outbound('email', { recipient: 'x@customer.example' }), signal()))).toMatchObject({ permanent: false });
    } finally {
      await unreachable.close?.();
    }
  });
});

describe('the replyContext inbound adapters write for the senders', () => {
  it('X: a DM names its sender, a tweet is a post', () => {
    const [dm, tweet] = normaliseXActivity({
      for_user_id: '2244994945',
      direct_message_events: [{ type: 'message_create', id: '11', created_timestamp: String(Date.now()), message_create: { target: { recipient_id: '2244994945' }, sender_id: '77', message_data: { text: 'hi' } } }],
      tweet_create_events: [{ id_str: '12', created_at: new Date().toUTCString(), text: '@switchboard hi', user: { id_str: '77', screen_name: 'jane', name: 'Jane' }, in_reply_to_user_id_str: '2244994945' }],
      users: { '77': { id: '77', name: 'Jane', screen_name: 'jane' } },
    }).sort((a) => (a.thread?.kind === 'conversation' ? -1 : 1));
    expect(dm!.replyContext).toEqual({ kind: 'dm', senderId: '77' });
    expect(tweet!.replyContext).toEqual({ kind: 'post' });
  });

  it('Meta: a comment is a comment, a message names its sender’s page-scoped id', () => {
    const [comment, message] = normaliseMetaWebhook({
      object: 'page',
      entry: [
        {
          id: '100000000000001',
          time: Date.now(),
          changes: [{ field: 'feed', value: { item: 'comment', verb: 'add', from: { id: '55' }, comment_id: '1_2', post_id: '100000000000001_1', message: 'hi' } }],
          messaging: [{ sender: { id: '66' }, recipient: { id: '100000000000001' }, timestamp: Date.now(), message: { mid: 'm_1', text: 'hello' } }],
        },
      ],
    });
    expect(comment!.replyContext).toEqual({ kind: 'comment' });
    expect(message!.replyContext).toEqual({ kind: 'message', psid: '66' });
  });

  it('email: the References as written (else the one In-Reply-To) and the subject, which a reply extends', async () => {
    const raw = (headers: string) => Buffer.from(`From: Jane <jane@customer.example>\r\nTo: ${FROM}\r\nMessage-ID: <m3@customer.example>\r\n${headers}\r\n\r\nStill broken\r\n`);
    const threaded = await parseMail(raw('Subject: Re: Router [#9]\r\nIn-Reply-To: <m2@switchboard.test>\r\nReferences: <m1@customer.example> <m2@switchboard.test>'));
    expect(threaded.replyContext).toEqual({ references: ['<m1@customer.example>', '<m2@switchboard.test>'], subject: 'Re: Router [#9]' });
    const noReferences = await parseMail(raw('Subject: Re: Router\r\nIn-Reply-To: <m2@switchboard.test>'));
    expect(noReferences.replyContext).toEqual({ references: ['<m2@switchboard.test>'], subject: 'Re: Router' });
    const fresh = await parseMail(raw('Subject: Router'));
    expect(fresh.replyContext).toEqual({ subject: 'Router' });

    // Round trip: the reply to the threaded mail carries its References plus its Message-ID.
    const recipient = `round-${nextId()}@customer.example`;
    const reply = outbound('email', { recipient, answersId: threaded.externalId, context: threaded.replyContext! });
    await sender('email').send(reply, signal());
    const { mail } = await mailTo(recipient);
    expect(mail!.references).toEqual(['<m1@customer.example>', '<m2@switchboard.test>', '<m3@customer.example>']);
    expect(mail!.inReplyTo).toBe('<m3@customer.example>');
  });
});
