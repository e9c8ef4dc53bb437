/**
 * The Meta channel (Facebook page comments, Messenger, Instagram) end to end
 * over real HTTP: the subscription handshake, signed webhooks (signed here
 * with node:crypto, independently of the hub's helper) in the shapes of
 * Meta's documented examples, and the inbound pipeline behind them.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Queue } from '../../src/shared/domain';
import { verifyMetaSignature } from '../../src/hub/channels/meta/signature';
import { channelConfigs } from '../../src/hub/channels/channels';
import { hubOptionsFromCli } from '../../src/hub/config';
import { backends, startTestHub, type TestHub } from './backends';
import { liveSockets, postSignedJson, pullAll, pulledSince, queuesOf, statuses } from './helpers';

const SECRET = 'demo-meta-secret';
const VERIFY = 'demo-meta-verify';
const PAGE = '100000000000001';
const IG_ACCOUNT = '17841400000000001';

const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

let lastId = BigInt(Date.now()) * 1_000n;
const nextId = () => String(++lastId);
const seconds = () => Math.floor(Date.now() / 1000);

interface Person {
  id: string;
  name: string;
}
const newPerson = (name: string): Person => ({ id: nextId(), name: `${name} Tester` });

/** A page feed change adding a comment, as Webhooks for Pages documents it (`changes[].value` with `item: comment`). */
function comment(from: Person, text: string, opts: { postId?: string; parentId?: string; commentId?: string } = {}) {
  const postId = opts.postId ?? `${PAGE}_${nextId()}`;
  return {
    field: 'feed',
    value: {
      from: { id: from.id, name: from.name },
      post: { status_type: 'added_photos', is_published: true, updated_time: new Date().toISOString(), permalink_url: `https://www.facebook.com/${postId}`, promotion_status: 'inactive', id: postId },
      message: text,
      post_id: postId,
      comment_id: opts.commentId ?? `${postId.split('_')[1]}_${nextId()}`,
      created_time: seconds(),
      item: 'comment',
      parent_id: opts.parentId ?? postId,
      verb: 'add',
    },
  };
}

/** A Messenger (or Instagram) `messaging[]` event with a message, as the Messenger Platform's examples show it. */
function messaging(sender: string, recipient: string, text: string, opts: { echo?: boolean; mid?: string } = {}) {
  return {
    sender: { id: sender },
    recipient: { id: recipient },
    timestamp: Date.now(),
    message: { mid: opts.mid ?? `m_${nextId()}`, text, ...(opts.echo ? { is_echo: true, app_id: 1517776481860111 } : {}) },
  };
}

const pageWebhook = (events: { changes?: object[]; messaging?: object[] }, pageId = PAGE) => ({
  object: 'page',
  entry: [{ id: pageId, time: Date.now(), ...events }],
});
const instagramWebhook = (events: { changes?: object[]; messaging?: object[] }) => ({ object: 'instagram', entry: [{ id: IG_ACCOUNT, time: Date.now(), ...events }] });

const postMeta = (url: string, body: unknown, signature: string | null | 'sign' = 'sign') => postSignedJson(url, '/webhooks/meta', 'x-hub-signature-256', sign, body, signature);


describe('Meta webhook signatures', () => {
  it('checks sha256= + hex(HMAC-SHA256(app secret, raw body)), refusing a missing, wrong or tampered one', () => {
    const raw = Buffer.from('{"object":"page","entry":[]}');
    expect(verifyMetaSignature(SECRET, raw, sign(raw.toString()))).toBe(true);
    // Hex is hex in either case.
    expect(verifyMetaSignature(SECRET, raw, sign(raw.toString()).toUpperCase().replace('SHA256=', 'sha256='))).toBe(true);
    expect(verifyMetaSignature(SECRET, raw, undefined)).toBe(false);
    expect(verifyMetaSignature(SECRET, raw, sign(raw.toString(), 'other-secret'))).toBe(false);
    expect(verifyMetaSignature(SECRET, Buffer.from('{"object":"page","entry":[ ]}'), sign(raw.toString()))).toBe(false);
    expect(verifyMetaSignature(SECRET, raw, `sha1=${createHmac('sha1', SECRET).update(raw).digest('hex')}`)).toBe(false);
  });
});

describe('Meta channel configuration', () => {
  it('takes the app secret, verify token and page id from flags or variables (flags win), and validates them', () => {
    const env = { SWITCHBOARD_META_APP_SECRET: 'env-secret', SWITCHBOARD_META_VERIFY_TOKEN: 'env-verify', SWITCHBOARD_META_PAGE_ID: '42' };
    expect(hubOptionsFromCli([], env)).toMatchObject({ metaAppSecret: 'env-secret', metaVerifyToken: 'env-verify', metaPageId: '42' });
    expect(hubOptionsFromCli(['--meta-app-secret', 'flag-secret', '--meta-verify-token', 'flag-verify', '--meta-page-id', '7'], env)).toMatchObject({
      metaAppSecret: 'flag-secret',
      metaVerifyToken: 'flag-verify',
      metaPageId: '7',
    });
    expect(() => hubOptionsFromCli(['--meta-page-id', 'switchboard'], {})).toThrow('metaPageId');
  });

  it('is off without a secret, and uses the demo page with --demo unless configured', () => {
    expect(channelConfigs({}).meta).toBeNull();
    expect(channelConfigs({ metaVerifyToken: 'only-a-token' }).meta).toBeNull();
    expect(channelConfigs({ demo: true }).meta).toEqual({ appSecret: SECRET, verifyToken: VERIFY, pageId: PAGE });
    expect(channelConfigs({ demo: true, metaAppSecret: 'real' }).meta).toEqual({ appSecret: 'real', verifyToken: undefined, pageId: undefined });
    expect(channelConfigs({ metaAppSecret: 'real', metaVerifyToken: 'v', metaPageId: '9' }).meta).toEqual({ appSecret: 'real', verifyToken: 'v', pageId: '9' });
  });
});

describe.each(backends)('the Meta channel on $name', (backend) => {
  let hub: TestHub;
  let sam: string;
  let ana: string;
  let social: Queue;
  let cursor: number;
  const sockets = liveSockets();

  beforeAll(async () => {
    hub = await startTestHub(backend);
    [sam, ana] = await Promise.all([hub.login('sam'), hub.login('ana')]);
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
  const handshake = (query: string) => fetch(new URL(`/webhooks/meta?${query}`, hub.url));

  it('answers the verification handshake with the challenge as text/plain, and reports the channel on in /health', async () => {
    const ok = await handshake(`hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe('1158201444');
    const wrongToken = await handshake('hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444');
    expect(wrongToken.status).toBe(403);
    expect(await wrongToken.text()).not.toContain('1158201444');
    expect((await handshake(`hub.mode=unsubscribe&hub.verify_token=${VERIFY}&hub.challenge=1158201444`)).status).toBe(400);
    expect((await handshake(`hub.mode=subscribe&hub.verify_token=${VERIFY}`)).status).toBe(400);
    const health = (await (await hub.get('/health')).json()) as { channels: Record<string, string> };
    expect(health.channels).toMatchObject({ meta: 'on' });
  });

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const mallory = newPerson('Mallory');
    const forged = comment(mallory, 'forged comment');
    const body = JSON.stringify(pageWebhook({ changes: [forged] }));
    expect((await postMeta(hub.url, body, null)).status).toBe(401);
    expect((await postMeta(hub.url, body, sign(body, 'not-the-secret'))).status).toBe(401);
    expect((await postMeta(hub.url, body, 'sha256=')).status).toBe(401);
    // X's scheme (base64) is not Meta's (hex).
    expect((await postMeta(hub.url, body, `sha256=${createHmac('sha256', SECRET).update(body).digest('base64')}`)).status).toBe(401);
    expect((await postMeta(hub.url, body.replace('forged', 'forgeD'), sign(body))).status).toBe(401);
    // The sentinel: a good webhook after them is stored, and is the only one.
    const good = comment(newPerson('Trent'), 'a real comment');
    expect(statuses(await postMeta(hub.url, pageWebhook({ changes: [good] })))).toEqual(['opened']);
    const { messages, customers } = await pulled();
    expect(messages.filter((m) => m.externalId === good.value.comment_id)).toHaveLength(1);
    expect(messages.filter((m) => m.externalId === forged.value.comment_id)).toHaveLength(0);
    expect(customers.filter((c) => c.handles.facebook === mallory.id)).toHaveLength(0);
  });

  it('refuses malformed JSON and payloads with 400, an oversized body with 413, and stores nothing', async () => {
    const user = newPerson('Malformed');
    const bad = comment(user, 'hello');
    const answers = [
      await postMeta(hub.url, '{"object": "page", "entry": ['),
      await postMeta(hub.url, { object: 'whatsapp_business_account', entry: [] }),
      await postMeta(hub.url, { object: 'page' }),
      await postMeta(hub.url, pageWebhook({ changes: [{ ...bad, value: { ...bad.value, from: undefined } }] })),
      await postMeta(hub.url, pageWebhook({ changes: [{ ...bad, value: { ...bad.value, comment_id: 'not an id' } }] })),
      await postMeta(hub.url, pageWebhook({ changes: [{ ...bad, value: { ...bad.value, message: 'NUL \u0000 inside' } }] })),
      await postMeta(hub.url, pageWebhook({ messaging: [{ ...messaging(user.id, PAGE, 'no sender'), sender: undefined }] })),
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400, 400, 400]);
    expect(answers.every((a) => a.body.error === 'invalid_request')).toBe(true);
    const oversized = await postMeta(hub.url, pageWebhook({ changes: [comment(user, 'x'.repeat(1024 * 1024 + 10))] }));
    expect(oversized.status).toBe(413);
    const good = comment(newPerson('Sentinel'), 'after the bad ones');
    expect(statuses(await postMeta(hub.url, pageWebhook({ changes: [good] })))).toEqual(['opened']);
    const { messages } = await pulled();
    expect(messages.filter((m) => m.externalId === bad.value.comment_id)).toHaveLength(0);
    expect(messages.filter((m) => m.externalId === good.value.comment_id)).toHaveLength(1);
  });

  it('opens a case in Social for a page comment from an unknown user, with a new customer, live; a reply comment joins it; the page’s own is skipped', async () => {
    const anaSocket = await connect(ana);
    const user = newPerson('Newcomer');
    const first = comment(user, 'My thermostat lost its schedule\nsince the update');
    const upsert = new Promise<Case>((resolve) => anaSocket.on('case:upsert', (c: Case) => c.subject === 'My thermostat lost its schedule' && resolve(c)));
    expect(statuses(await postMeta(hub.url, pageWebhook({ changes: [first] })))).toEqual(['opened']);
    const live = await upsert;
    expect(live).toMatchObject({ queueId: social.id, channel: 'facebook', status: 'new' });
    const { customers } = await pulled();
    const customer = customers.findLast((c) => c.id === live.customerId)!;
    expect(customer).toMatchObject({ name: user.name, handles: { facebook: user.id }, preferredChannel: 'facebook' });

    // The page answers in the thread (skipped), and the user replies to their own comment: the reply joins the case.
    const pageReply = comment({ id: PAGE, name: 'Switchboard' }, 'Sorry to hear! Sending you a DM', { postId: first.value.post_id, parentId: first.value.comment_id });
    const reply = comment(user, 'it happens every night', { postId: first.value.post_id, parentId: first.value.comment_id });
    expect(statuses(await postMeta(hub.url, pageWebhook({ changes: [pageReply, reply] })))).toEqual(['joined']);
    expect((await messagesWith(reply.value.comment_id))[0]!.caseId).toBe(live.id);
    expect(await messagesWith(pageReply.value.comment_id)).toHaveLength(0);
    const { customers: after } = await pulled();
    expect(after.filter((c) => c.handles.facebook === user.id).map((c) => c.id)).toEqual([customer.id]);
  });

  it('ignores feed changes that are no added comments, and events for another page', async () => {
    const user = newPerson('Liker');
    const like = { field: 'feed', value: { from: { id: user.id, name: user.name }, post_id: `${PAGE}_${nextId()}`, created_time: seconds(), item: 'reaction', reaction_type: 'like', verb: 'add' } };
    const edited = comment(user, 'edited text');
    edited.value.verb = 'edited';
    const elsewhere = comment(user, 'on another page');
    expect(await postMeta(hub.url, pageWebhook({ changes: [like, edited] }))).toEqual({ status: 200, body: { results: [] } });
    expect(await postMeta(hub.url, pageWebhook({ changes: [elsewhere] }, '999999999999999'))).toEqual({ status: 200, body: { results: [] } });
    const { messages, customers } = await pulled();
    expect(messages.filter((m) => m.externalId === edited.value.comment_id || m.externalId === elsewhere.value.comment_id)).toHaveLength(0);
    expect(customers.filter((c) => c.handles.facebook === user.id)).toHaveLength(0);
  });

  it('opens a case for a Messenger message; the next message of the sender joins it; an echo is skipped', async () => {
    const psid = nextId();
    const first = messaging(psid, PAGE, 'Hi, my invoice is wrong');
    expect(statuses(await postMeta(hub.url, pageWebhook({ messaging: [first] })))).toEqual(['opened']);
    const opened = (await messagesWith(first.message.mid))[0]!;
    const echo = messaging(PAGE, psid, 'Sorry! Looking into it', { echo: true });
    const next = messaging(psid, PAGE, 'It is invoice 42');
    // A delivery receipt carries no message: nothing to store.
    const delivery = { sender: { id: psid }, recipient: { id: PAGE }, delivery: { mids: [first.message.mid], watermark: Date.now() }, timestamp: Date.now() };
    expect(statuses(await postMeta(hub.url, pageWebhook({ messaging: [echo, delivery, next] })))).toEqual(['joined']);
    expect((await messagesWith(next.message.mid))[0]!.caseId).toBe(opened.caseId);
    expect(await messagesWith(echo.message.mid)).toHaveLength(0);
    const dmCase = (await pulled()).cases.findLast((c) => c.id === opened.caseId)!;
    expect(dmCase).toMatchObject({ subject: 'Hi, my invoice is wrong', queueId: social.id, channel: 'facebook' });
    // Another person's message is another conversation: another case.
    const other = messaging(nextId(), PAGE, 'Hello from someone else');
    expect(statuses(await postMeta(hub.url, pageWebhook({ messaging: [other] })))).toEqual(['opened']);
    expect((await messagesWith(other.message.mid))[0]!.caseId).not.toBe(opened.caseId);
  });

  it('stores the same delivery once, delivered twice or twice at once', async () => {
    const once = pageWebhook({ changes: [comment(newPerson('Twice'), 'twice')] });
    expect(statuses(await postMeta(hub.url, once))).toEqual(['opened']);
    expect(statuses(await postMeta(hub.url, once))).toEqual(['duplicate']);
    const racer = messaging(nextId(), PAGE, 'at once');
    const answers = await Promise.all(Array.from({ length: 4 }, () => postMeta(hub.url, pageWebhook({ messaging: [racer] }))));
    expect(answers.flatMap(statuses).sort()).toEqual(['duplicate', 'duplicate', 'duplicate', 'opened']);
    const commentId = (once.entry[0]!.changes![0] as ReturnType<typeof comment>).value.comment_id;
    expect(await messagesWith(commentId)).toHaveLength(1);
    expect(await messagesWith(racer.message.mid)).toHaveLength(1);
  });

  it('opens a case on the instagram channel for an Instagram message, and one for an Instagram comment', async () => {
    const igsid = nextId();
    const dm = messaging(igsid, IG_ACCOUNT, 'Does the camera work with my plan?');
    const echo = messaging(IG_ACCOUNT, igsid, 'Yes it does', { echo: true });
    expect(statuses(await postMeta(hub.url, instagramWebhook({ messaging: [dm, echo] })))).toEqual(['opened']);
    const message = (await messagesWith(dm.message.mid))[0]!;
    expect(message.channel).toBe('instagram');
    const { cases, customers } = await pulled();
    const igCase = cases.findLast((c) => c.id === message.caseId)!;
    expect(igCase).toMatchObject({ channel: 'instagram', queueId: social.id, subject: 'Does the camera work with my plan?' });
    expect(customers.findLast((c) => c.id === igCase.customerId)).toMatchObject({ handles: { instagram: igsid }, preferredChannel: 'instagram' });

    // Instagram's comments payload (`field: comments`): the commenter's Instagram-scoped id is the same customer.
    const igComment = { field: 'comments', value: { id: nextId(), from: { id: igsid, username: 'camera.fan' }, text: 'see my DM please', media: { id: nextId(), media_product_type: 'FEED' } } };
    expect(statuses(await postMeta(hub.url, instagramWebhook({ changes: [igComment] })))).toEqual(['opened']);
    const commentCase = (await pulled()).cases.findLast((c) => c.subject === 'see my DM please')!;
    expect(commentCase).toMatchObject({ channel: 'instagram', customerId: igCase.customerId });
  });
});

describe.each(backends)('the Meta channel without its secret on $name', (backend) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backend, { demo: false });
  });
  afterAll(() => hub?.close());

  it('is off: its webhooks answer 404 and /health says so', async () => {
    const verify = await fetch(new URL(`/webhooks/meta?hub.mode=subscribe&hub.verify_token=${VERIFY}&hub.challenge=1`, hub.url));
    expect(verify.status).toBe(404);
    expect(((await verify.json()) as { error: string }).error).toBe('channel_off');
    expect((await postMeta(hub.url, pageWebhook({ changes: [] }))).status).toBe(404);
    const health = (await (await hub.get('/health')).json()) as { channels: Record<string, string> };
    expect(health.channels).toMatchObject({ meta: 'off' });
  });
});
