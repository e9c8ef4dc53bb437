/**
 * The X channel end to end over real HTTP: CRC, signed Account Activity
 * webhooks (signed here with node:crypto, independently of the hub's helper),
 * and the inbound pipeline behind them — dedupe, customers by identity,
 * threads, the Social queue, the mentions inbox and the live events.
 */
import { createHmac } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Case, Customer, Mention, Message, Queue } from '../../src/shared/domain';
import { crcResponse, verifyXSignature } from '../../src/hub/channels/x/signature';
import { channelConfigs } from '../../src/hub/channels/channels';
import { hubOptionsFromCli } from '../../src/hub/config';
import { startHub } from '../../src/hub/hub';
import { backends, startTestHub, type TestHub, withDatabase } from './backends';
import { liveSockets, nextEvent, pullAll, pulledSince, queuesOf, rowsOf, statuses } from './helpers';
import { newXUser, postX, signX, tweet, X_BRAND, X_SECRET, xActivity, xDm } from './x-webhooks';

describe('X webhook signatures', () => {
  it('answers the CRC challenge as X documents it', () => {
    // X's documented algorithm, computed here by hand for a fixed token: sha256= + base64(HMAC-SHA256(secret, token)).
    const expected = `sha256=${createHmac('sha256', 'consumer-secret').update('crc-token-123').digest('base64')}`;
    expect(crcResponse('consumer-secret', 'crc-token-123')).toEqual({ response_token: expected });
  });

  it('checks the signature over the raw bytes, refusing a missing, wrong or tampered one', () => {
    const raw = Buffer.from('{"for_user_id":"2244994945"}');
    expect(verifyXSignature(X_SECRET, raw, signX(raw.toString()))).toBe(true);
    expect(verifyXSignature(X_SECRET, raw, undefined)).toBe(false);
    expect(verifyXSignature(X_SECRET, raw, signX(raw.toString(), 'other-secret'))).toBe(false);
    expect(verifyXSignature(X_SECRET, Buffer.from('{"for_user_id": "2244994945"}'), signX(raw.toString()))).toBe(false);
    expect(verifyXSignature(X_SECRET, raw, 'sha256=')).toBe(false);
  });
});

describe('X channel configuration', () => {
  it('takes the consumer secret and user id from flags or variables (flags win), and validates them', () => {
    const env = { SWITCHBOARD_X_CONSUMER_SECRET: 'from-env', SWITCHBOARD_X_USER_ID: '42' };
    expect(hubOptionsFromCli([], env)).toMatchObject({ xConsumerSecret: 'from-env', xUserId: '42' });
    expect(hubOptionsFromCli(['--x-consumer-secret', 'from-flag', '--x-user-id', '7'], env)).toMatchObject({ xConsumerSecret: 'from-flag', xUserId: '7' });
    expect(() => hubOptionsFromCli(['--x-user-id', '@switchboard'], {})).toThrow('xUserId');
  });

  it('is off without a secret, and uses the demo account with --demo unless configured', () => {
    expect(channelConfigs({}).x).toBeNull();
    expect(channelConfigs({ demo: true }).x).toEqual({ consumerSecret: 'demo-x-secret', userId: '2244994945' });
    expect(channelConfigs({ demo: true, xConsumerSecret: 'real' }).x).toEqual({ consumerSecret: 'real', userId: undefined });
    expect(channelConfigs({ xConsumerSecret: 'real', xUserId: '9' }).x).toEqual({ consumerSecret: 'real', userId: '9' });
  });
});

describe.each(backends)('the X channel on $name', (backend) => {
  let hub: TestHub;
  let sam: string;
  let ana: string;
  let ivan: string;
  let social: Queue;
  let cursor: number;
  const sockets = liveSockets();

  beforeAll(async () => {
    hub = await startTestHub(backend);
    [sam, ana, ivan] = await Promise.all([hub.login('sam'), hub.login('ana'), hub.login('ivan')]);
    const queues = await queuesOf(hub, sam);
    social = queues.find((q) => q.name === 'Social')!;
    cursor = (await pullAll(hub, sam)).cursor;
  });
  afterAll(async () => {
    sockets.closeAll();
    await hub?.close();
  });

  const connect = (token: string) => sockets.connect(hub.url, token);

  /** What sam (a supervisor: every case) can pull since the hub started. */
  const pulled = () => pulledSince(hub, sam, cursor);
  const messagesWith = async (externalId: string) => (await pulled()).messages.filter((m) => m.externalId === externalId);

  it('answers the CRC challenge with the consumer secret, and reports the channel on in /health', async () => {
    const response = await fetch(new URL('/webhooks/x?crc_token=challenge-abc', hub.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ response_token: `sha256=${createHmac('sha256', X_SECRET).update('challenge-abc').digest('base64')}` });
    expect((await fetch(new URL('/webhooks/x', hub.url))).status).toBe(400);
    const health = (await (await hub.get('/health')).json()) as { channels: Record<string, string> };
    expect(health.channels).toMatchObject({ x: 'on' });
  });

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const user = newXUser('mallory');
    const forged = tweet(user, '@switchboard forged', { inReplyToUser: X_BRAND });
    const body = JSON.stringify(xActivity({ tweets: [forged] }));
    expect((await postX(hub.url, body, null)).status).toBe(401);
    expect((await postX(hub.url, body, signX(body, 'not-the-secret'))).status).toBe(401);
    expect((await postX(hub.url, body, 'sha256=AAAA')).status).toBe(401);
    // Signed, then changed on the way: the signature covers the exact bytes.
    expect((await postX(hub.url, body.replace('forged', 'forgeD'), signX(body))).status).toBe(401);
    // The sentinel: a good webhook after them is stored, and is the only one of the five.
    const good = tweet(newXUser('trent'), '@switchboard a real one', { inReplyToUser: X_BRAND });
    expect(statuses(await postX(hub.url, xActivity({ tweets: [good] })))).toEqual(['opened']);
    const { messages, customers } = await pulled();
    expect(messages.filter((m) => m.externalId === good.id_str)).toHaveLength(1);
    expect(messages.filter((m) => m.externalId === forged.id_str)).toHaveLength(0);
    expect(customers.filter((c) => c.handles.x === `@${user.screen_name}`)).toHaveLength(0);
  });

  it('refuses malformed JSON and payloads with 400, an oversized body with 413, and stores nothing', async () => {
    const user = newXUser('malformed');
    const bad = tweet(user, '@switchboard hello', { inReplyToUser: X_BRAND });
    const answers = [
      await postX(hub.url, '{"for_user_id": "2244994945", "tweet_create_events": ['),
      await postX(hub.url, { tweet_create_events: [bad] }),
      await postX(hub.url, xActivity({ tweets: [{ ...bad, user: undefined }] })),
      await postX(hub.url, xActivity({ tweets: [{ ...bad, id_str: 'not-a-number' }] })),
      await postX(hub.url, xActivity({ tweets: [{ ...bad, text: 'NUL \u0000 inside' }] })),
      await postX(hub.url, xActivity({ dms: [xDm(user, X_BRAND, 'no users map')], users: [] })),
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400, 400]);
    expect(answers.every((a) => a.body.error === 'invalid_request')).toBe(true);
    const huge = xActivity({ tweets: [{ ...bad, text: 'x'.repeat(1024 * 1024 + 10) }] });
    const oversized = await postX(hub.url, huge);
    expect(oversized.status).toBe(413);
    const good = tweet(newXUser('sentinel'), '@switchboard after the bad ones', { inReplyToUser: X_BRAND });
    expect(statuses(await postX(hub.url, xActivity({ tweets: [good] })))).toEqual(['opened']);
    const { messages } = await pulled();
    expect(messages.filter((m) => m.externalId === bad.id_str)).toHaveLength(0);
    expect(messages.filter((m) => m.externalId === good.id_str)).toHaveLength(1);
  });

  it('opens a case in the Social queue for a tweet to the brand from an unknown user, with a new customer, live', async () => {
    const anaSocket = await connect(ana);
    const user = newXUser('newcomer');
    const first = tweet(user, '@switchboard my router keeps dropping\nsecond line', { inReplyToUser: X_BRAND, lang: 'in' });
    const upsert = new Promise<Case>((resolve) => anaSocket.on('case:upsert', (c: Case) => c.subject === '@switchboard my router keeps dropping' && resolve(c)));
    const message = new Promise<Message>((resolve) => anaSocket.on('message:upsert', (m: Message) => m.externalId === first.id_str && resolve(m)));
    expect(statuses(await postX(hub.url, xActivity({ tweets: [first] })))).toEqual(['opened']);
    const live = await upsert;
    expect(live).toMatchObject({ queueId: social.id, channel: 'x', status: 'new', language: 'id' });
    expect((await message).caseId).toBe(live.id);
    const { customers } = await pulled();
    const customer = customers.findLast((c) => c.id === live.customerId)!;
    expect(customer).toMatchObject({ name: user.name, handles: { x: `@${user.screen_name}` }, preferredChannel: 'x', plan: 'basic' });

    // The reply in the thread (to the customer's own tweet, so not addressed to the brand) joins the case.
    const reply = tweet(user, 'it happens every evening', { inReplyToStatus: first.id_str, inReplyToUser: user.id });
    expect(statuses(await postX(hub.url, xActivity({ tweets: [reply] })))).toEqual(['joined']);
    expect((await messagesWith(reply.id_str))[0]!.caseId).toBe(live.id);

    // A new tweet to the brand from the same user (handle in another case) opens another case for the same customer.
    const again = tweet({ ...user, screen_name: user.screen_name.toUpperCase() }, '@switchboard another question', { inReplyToUser: X_BRAND });
    expect(statuses(await postX(hub.url, xActivity({ tweets: [again] })))).toEqual(['opened']);
    const { cases, customers: after } = await pulled();
    const second = cases.findLast((c) => c.subject === '@switchboard another question')!;
    expect(second.id).not.toBe(live.id);
    expect(second.customerId).toBe(customer.id);
    expect(after.filter((c) => c.handles.x?.toLowerCase() === `@${user.screen_name}`.toLowerCase()).map((c) => c.id)).toEqual([customer.id]);
    if (backend.name === 'postgres') {
      await withDatabase(hub.storage, async (db) => {
        const rows = await db.execute(sql`SELECT customer_id FROM customer_identities WHERE channel = 'x' AND value = ${user.screen_name.toLowerCase()}`);
        expect((rows as unknown as { rows: { customer_id: string }[] }).rows).toEqual([{ customer_id: customer.id }]);
      });
    }
  });

  it('matches a known customer by their X handle', async () => {
    const { changes } = await pullAll(hub, sam);
    const all = rowsOf<Customer>(changes, 'customer');
    // A handle two demo customers share belongs to the first: take one only one has.
    const known = all.find((c) => c.handles.x && all.filter((o) => o.handles.x === c.handles.x).length === 1)!;
    const user = { ...newXUser('known'), screen_name: known.handles.x!.slice(1).toUpperCase() };
    expect(statuses(await postX(hub.url, xActivity({ tweets: [tweet(user, '@switchboard hi, it is me again', { inReplyToUser: X_BRAND })] })))).toEqual(['opened']);
    const opened = (await pulled()).cases.findLast((c) => c.subject === '@switchboard hi, it is me again')!;
    expect(opened.customerId).toBe(known.id);

    // Matched by handle, the user id is remembered: after a change of handle (and with their old one
    // taken by someone else) they are still the same customer, and the new owner of the old handle is not.
    const renamed = { ...user, screen_name: `renamed_${user.id.slice(-6)}` };
    expect(statuses(await postX(hub.url, xActivity({ tweets: [tweet(renamed, '@switchboard new handle, same me', { inReplyToUser: X_BRAND })] })))).toEqual(['opened']);
    const squatter = { ...newXUser('squatter'), screen_name: user.screen_name };
    expect(statuses(await postX(hub.url, xActivity({ tweets: [tweet(squatter, '@switchboard I took the old handle', { inReplyToUser: X_BRAND })] })))).toEqual(['opened']);
    const cases = (await pulled()).cases;
    expect(cases.findLast((c) => c.subject === '@switchboard new handle, same me')!.customerId).toBe(known.id);
    expect(cases.findLast((c) => c.subject === '@switchboard I took the old handle')!.customerId).not.toBe(known.id);
  });

  it('detects the language X could not tell, and scores the sentiment, offline', async () => {
    const angry = tweet(newXUser('angry'), '@switchboard ужасный сервис, роутер снова не работает, я очень зол и разочарован', { inReplyToUser: X_BRAND, lang: 'und' });
    const happy = tweet(newXUser('happy'), '@switchboard thank you so much, the technician was wonderful and fixed everything', { inReplyToUser: X_BRAND, lang: 'en' });
    expect(statuses(await postX(hub.url, xActivity({ tweets: [angry, happy] })))).toEqual(['opened', 'opened']);
    const { cases } = await pulled();
    const caseOf = (t: { text: string }) => cases.findLast((c) => c.subject === t.text)!;
    expect(caseOf(angry).language).toBe('ru');
    expect(caseOf(angry).sentiment).toBeLessThan(0);
    expect(caseOf(happy).language).toBe('en');
    expect(caseOf(happy).sentiment).toBeGreaterThan(0);
  });

  it('stores the same webhook once, delivered twice or twice at once', async () => {
    const once = xActivity({ tweets: [tweet(newXUser('twice'), '@switchboard twice', { inReplyToUser: X_BRAND })] });
    expect(statuses(await postX(hub.url, once))).toEqual(['opened']);
    expect(statuses(await postX(hub.url, once))).toEqual(['duplicate']);
    const concurrent = tweet(newXUser('racer'), '@switchboard at once', { inReplyToUser: X_BRAND });
    const answers = await Promise.all(Array.from({ length: 4 }, () => postX(hub.url, xActivity({ tweets: [concurrent] }))));
    expect(answers.flatMap(statuses).sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'opened']);
    const { messages, cases } = await pulled();
    expect(messages.filter((m) => m.externalId === (once.tweet_create_events![0] as { id_str: string }).id_str)).toHaveLength(1);
    expect(messages.filter((m) => m.externalId === concurrent.id_str)).toHaveLength(1);
    expect(cases.filter((c) => c.subject === '@switchboard at once')).toHaveLength(1);
  });

  it('puts a mere mention in the mentions inbox, live to the Social agents and supervisors only', async () => {
    const [anaSocket, samSocket, ivanSocket] = await Promise.all([connect(ana), connect(sam), connect(ivan)]);
    const ivanMentions: Mention[] = [];
    ivanSocket.on('mention:new', (m: Mention) => ivanMentions.push(m));
    const user = newXUser('fan');
    const post = tweet(user, 'loving my new thermostat from @switchboard', { lang: 'en' });
    const toAna = nextEvent<Mention>(anaSocket, 'mention:new');
    const toSam = nextEvent<Mention>(samSocket, 'mention:new');
    expect(statuses(await postX(hub.url, xActivity({ tweets: [post] })))).toEqual(['mention']);
    const [seenByAna, seenBySam] = await Promise.all([toAna, toSam]);
    expect(seenByAna).toEqual(seenBySam);
    expect(seenByAna).toMatchObject({
      channel: 'x',
      externalId: post.id_str,
      author: `@${user.screen_name}`,
      body: post.text,
      status: 'new',
      language: 'en',
      url: `https://x.com/${user.screen_name}/status/${post.id_str}`,
      inReplyTo: null,
    });
    // A stranger who only mentions the brand is not made a customer.
    expect(seenByAna.customerId).toBeNull();
    expect((await pulled()).customers.filter((c) => c.handles.x?.toLowerCase() === `@${user.screen_name}`.toLowerCase())).toEqual([]);
    // The sentinel: ivan (Support and Billing) gets his own presence change, sent after the mention; the mention never came.
    const busy = new Promise<void>((resolve) => ivanSocket.on('presence:update', (p: { presence: string }) => p.presence === 'busy' && resolve()));
    const me = ((await (await hub.get('/api/me', ivan)).json()) as { user: { id: string } }).user.id;
    await hub.post('/api/sync/push', { mutations: [{ id: uuidv7(), kind: 'presence.set', entityId: me, baseVersion: 0, createdAt: new Date().toISOString(), payload: { presence: 'busy' } }] }, ivan);
    await busy;
    expect(ivanMentions).toEqual([]);
    // Stored once: the same post again is a duplicate, and no case was opened for it.
    expect(statuses(await postX(hub.url, xActivity({ tweets: [post] })))).toEqual(['duplicate']);
    expect(await messagesWith(post.id_str)).toHaveLength(0);
    if (backend.name === 'postgres') {
      await withDatabase(hub.storage, async (db) => {
        const rows = await db.execute(sql`SELECT status, customer_id, url FROM mentions WHERE channel = 'x' AND external_id = ${post.id_str}`);
        expect((rows as unknown as { rows: unknown[] }).rows).toEqual([{ status: 'new', customer_id: seenByAna.customerId, url: seenByAna.url }]);
      });
    }
  });

  it('opens a case for a direct message, and the next one of the conversation joins it; the brand’s own are ignored', async () => {
    const user = newXUser('dmer');
    const first = xDm(user, X_BRAND, 'Hi, my invoice is wrong');
    expect(statuses(await postX(hub.url, xActivity({ dms: [first], users: [user] })))).toEqual(['opened']);
    const opened = (await messagesWith(first.id))[0]!;
    const brandReply = { ...xDm({ id: X_BRAND, name: 'Switchboard', screen_name: 'switchboard' }, user.id, 'Sorry! Looking into it') };
    const next = xDm(user, X_BRAND, 'Thanks, it is invoice 42');
    const answer = await postX(hub.url, xActivity({ dms: [brandReply, next], users: [user, { id: X_BRAND, name: 'Switchboard', screen_name: 'switchboard' }] }));
    expect(statuses(answer)).toEqual(['joined']);
    expect((await messagesWith(next.id))[0]!.caseId).toBe(opened.caseId);
    expect(await messagesWith(brandReply.id)).toHaveLength(0);
    const dmCase = (await pulled()).cases.findLast((c) => c.id === opened.caseId)!;
    expect(dmCase).toMatchObject({ subject: 'Hi, my invoice is wrong', queueId: social.id, channel: 'x' });

    // Once the case is solved, the conversation's next DM opens a new case instead.
    const solve = await hub.post(
      '/api/sync/push',
      { mutations: [{ id: uuidv7(), kind: 'case.update', entityId: dmCase.id, baseVersion: dmCase.version, createdAt: new Date().toISOString(), payload: { fields: { status: 'solved' } } }] },
      sam,
    );
    expect(((await solve.json()) as { results: { status: string }[] }).results[0]!.status).toBe('applied');
    const later = xDm(user, X_BRAND, 'A new problem: my login fails');
    expect(statuses(await postX(hub.url, xActivity({ dms: [later], users: [user] })))).toEqual(['opened']);
    expect((await messagesWith(later.id))[0]!.caseId).not.toBe(dmCase.id);
  });

  it('accepts a signed webhook whatever its content type says, parsing the verified bytes as JSON', async () => {
    const post = tweet(newXUser('plain'), '@switchboard sent as text/plain', { inReplyToUser: X_BRAND });
    const raw = JSON.stringify(xActivity({ tweets: [post] }));
    const response = await fetch(new URL('/webhooks/x', hub.url), { method: 'POST', headers: { 'content-type': 'text/plain', 'x-twitter-webhooks-signature': signX(raw) }, body: raw });
    expect(response.status).toBe(200);
    expect(await messagesWith(post.id_str)).toHaveLength(1);
  });

  it('ignores events for an account other than the brand’s', async () => {
    const post = tweet(newXUser('elsewhere'), '@someoneelse hello', { inReplyToUser: '12345' });
    expect(await postX(hub.url, { ...xActivity({ tweets: [post] }), for_user_id: '12345' })).toEqual({ status: 200, body: { results: [] } });
    expect(await messagesWith(post.id_str)).toHaveLength(0);
  });

  it.runIf(backend.name === 'postgres')('stores one message when two hubs on one Postgres get the same webhook at once', async () => {
    const second = await startHub({ port: 0, mqttPort: 0, smtpPort: 0, demo: true, logLevel: 'silent', ...hub.storage });
    try {
      const post = tweet(newXUser('twohubs'), '@switchboard two hubs', { inReplyToUser: X_BRAND });
      const body = xActivity({ tweets: [post] });
      const answers = await Promise.all([hub.url, second.url, hub.url, second.url].map((url) => postX(url, body)));
      expect(answers.flatMap(statuses).sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'opened']);
      expect(await messagesWith(post.id_str)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});

describe.each(backends)('the X channel without its secret on $name', (backend) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backend, { demo: false });
  });
  afterAll(() => hub?.close());

  it('is off: its webhooks answer 404 and /health says so', async () => {
    const crc = await fetch(new URL('/webhooks/x?crc_token=abc', hub.url));
    expect(crc.status).toBe(404);
    expect(((await crc.json()) as { error: string }).error).toBe('channel_off');
    expect((await postX(hub.url, xActivity({ tweets: [] }))).status).toBe(404);
    const health = (await (await hub.get('/health')).json()) as { channels: Record<string, string> };
    expect(health.channels).toMatchObject({ x: 'off' });
  });
});
