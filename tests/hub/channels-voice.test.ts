/**
 * The phone channel end to end over real HTTP: Twilio's request validation
 * against its published example, signed status callbacks (signed here with
 * node:crypto, independently of the hub's helper, over the public URL the hub
 * is told it has), the ringing call offered live to the right agents, and the
 * ended call logged on the caller's case through the inbound pipeline.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { Case, Customer, Message, Queue } from '../../src/shared/domain';
import type { CallOffered } from '../../src/shared/protocol';
import { channelConfigs } from '../../src/hub/channels/channels';
import { durationInWords } from '../../src/hub/channels/voice/payload';
import { twilioSignature, verifyTwilioSignature } from '../../src/hub/channels/voice/signature';
import { hubOptionsFromCli } from '../../src/hub/config';
import { backends, startTestHub, type TestHub } from './backends';
import { casesFor, liveSockets, me, nextEvent, pullAll, pulledSince, queueNamed, rowsOf } from './helpers';

const TOKEN = 'demo-voice-token';
/** What the hub is told its public URL is (a proxy's): Twilio signs this, not the address the test connects to. */
const PUBLIC_URL = 'https://switchboard.example/hub';
const SUPPORT_NUMBER = '+3545550100';
const IVAN_EXTENSION = '+3545550101';

type Fields = Record<string, string>;

/** Twilio's algorithm, written out here: the URL, then each field's name and value in order of name; HMAC-SHA1; base64. */
const sign = (url: string, fields: Fields, token = TOKEN) =>
  createHmac('sha1', token)
    .update(url + Object.keys(fields).sort().map((k) => k + fields[k]).join(''))
    .digest('base64');

const newCallSid = () => `CA${randomBytes(16).toString('hex')}`;
let lastNumber = Math.floor(Math.random() * 1e6);
const newNumber = () => `+1555${String(++lastNumber % 1e7).padStart(7, '0')}`;

/** A status callback as Twilio posts it (its usual fields, most of which the hub ignores). */
const callback = (sid: string, from: string, to: string, status: string, extra: Fields = {}): Fields => ({
  AccountSid: 'ACba8bc05eacf94afdae398e642c9cc32d',
  ApiVersion: '2010-04-01',
  CallSid: sid,
  CallStatus: status,
  Called: to,
  Caller: from,
  Direction: 'inbound',
  From: from,
  FromCountry: 'IS',
  To: to,
  ToCity: '',
  Timestamp: new Date().toUTCString(),
  ...extra,
});

async function postVoice(baseUrl: string, fields: Fields, opts: { signature?: string | null; query?: string; body?: string } = {}) {
  const path = `/webhooks/voice${opts.query ?? ''}`;
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  const signature = opts.signature === undefined ? sign(PUBLIC_URL + path, fields) : opts.signature;
  if (signature !== null) headers['x-twilio-signature'] = signature;
  const response = await fetch(new URL(path, baseUrl), { method: 'POST', headers, body: opts.body ?? new URLSearchParams(fields).toString() });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

describe('Twilio request validation', () => {
  // twilio-ruby, spec/util/request_validator_spec.rb: "should properly validate a Twilio Voice request".
  const url = 'http://twiliotests.heroku.com/validate/voice';
  const token = '2bd9e9638872de601313dc77410d3b23';
  const params: Fields = {
    ToState: 'California', CalledState: 'California', Direction: 'inbound', FromState: 'CA', AccountSid: 'ACba8bc05eacf94afdae398e642c9cc32d',
    Caller: '+14153595711', CallerZip: '94108', CallerCountry: 'US', From: '+14153595711', FromCity: 'SAN FRANCISCO', CallerCity: 'SAN FRANCISCO',
    To: '+14157669926', FromZip: '94108', FromCountry: 'US', ToCity: '', CallStatus: 'ringing', CalledCity: '', CallerState: 'CA', CalledZip: '',
    ToZip: '', ToCountry: 'US', CallSid: 'CA136d09cd59a3c0ec8dbff44da5c03f31', CalledCountry: 'US', Called: '+14157669926', ApiVersion: '2010-04-01',
    ApplicationSid: 'AP44efecad51364e80b133bb7c07eb8204',
  };

  it('computes and accepts the signature of Twilio’s published example', () => {
    expect(twilioSignature(token, url, Object.entries(params))).toBe('oVb2kXoVy8GEfwBDjR8bk/ZZ6eA=');
    expect(verifyTwilioSignature(token, url, Object.entries(params), 'oVb2kXoVy8GEfwBDjR8bk/ZZ6eA=')).toBe(true);
  });

  it('refuses a missing signature, another token, URL or query, and a changed field', () => {
    const fields = Object.entries(params);
    expect(verifyTwilioSignature(token, url, fields, undefined)).toBe(false);
    expect(verifyTwilioSignature('another-token', url, fields, 'oVb2kXoVy8GEfwBDjR8bk/ZZ6eA=')).toBe(false);
    expect(verifyTwilioSignature(token, `${url}?x=1`, fields, 'oVb2kXoVy8GEfwBDjR8bk/ZZ6eA=')).toBe(false);
    const changed = fields.map(([k, v]): [string, string] => [k, k === 'From' ? '+14153595712' : v]);
    expect(verifyTwilioSignature(token, url, changed, 'oVb2kXoVy8GEfwBDjR8bk/ZZ6eA=')).toBe(false);
    expect(verifyTwilioSignature(token, url, fields, 'oVb2kXoVy8GEfwBDjR8bk/ZZ6eA')).toBe(false);
  });

  it('says a duration in words', () => {
    expect([0, 45, 192, 3605].map(durationInWords)).toEqual(['0 s', '45 s', '3 min 12 s', '1 h 0 min 5 s']);
  });
});

describe('phone channel configuration', () => {
  it('takes the auth token and public URL from flags or variables (flags win), and validates the URL', () => {
    const env = { SWITCHBOARD_VOICE_AUTH_TOKEN: 'from-env', SWITCHBOARD_PUBLIC_URL: 'https://env.example' };
    expect(hubOptionsFromCli([], env)).toMatchObject({ voiceAuthToken: 'from-env', publicUrl: 'https://env.example' });
    expect(hubOptionsFromCli(['--voice-auth-token', 'flag', '--public-url', 'https://flag.example/hub'], env)).toMatchObject({ voiceAuthToken: 'flag', publicUrl: 'https://flag.example/hub' });
    expect(() => hubOptionsFromCli(['--public-url', 'ftp://nope.example'], {})).toThrow('publicUrl');
  });

  it('is off without a token, and uses the demo token with --demo unless configured', () => {
    expect(channelConfigs({}).voice).toBeNull();
    expect(channelConfigs({ demo: true }).voice).toEqual({ authToken: TOKEN, publicUrl: undefined });
    expect(channelConfigs({ demo: true, voiceAuthToken: 'real', publicUrl: PUBLIC_URL }).voice).toEqual({ authToken: 'real', publicUrl: PUBLIC_URL });
  });
});

describe.each(backends)('the phone channel on $name', (backend) => {
  let hub: TestHub;
  let sam: string;
  let ana: string;
  let ivan: string;
  let dewi: string;
  let ids: Record<'ana' | 'ivan' | 'dewi', string>;
  let support: Queue;
  let cursor: number;
  /** A demo customer with a phone number nobody else has, and open cases. */
  let caller: Customer;
  let callerCases: Case[];
  /** The cases ivan's own pull holds. */
  let ivanSees: Set<string>;
  const sockets = liveSockets();

  beforeAll(async () => {
    hub = await startTestHub(backend, { publicUrl: PUBLIC_URL });
    [sam, ana, ivan, dewi] = await Promise.all([hub.login('sam'), hub.login('ana'), hub.login('ivan'), hub.login('dewi')]);
    ids = { ana: (await me(hub, ana)).user.id, ivan: (await me(hub, ivan)).user.id, dewi: (await me(hub, dewi)).user.id };
    support = await queueNamed(hub, sam, 'Support');
    const all = await pullAll(hub, sam);
    cursor = all.cursor;
    const customers = rowsOf<Customer>(all.changes, 'customer');
    const cases = rowsOf<Case>(all.changes, 'case');
    const digits = (p: string | null) => p?.replace(/\D/g, '');
    const openOf = (c: Customer) => cases.filter((k) => k.customerId === c.id && k.status !== 'solved' && k.status !== 'closed');
    ivanSees = new Set((await casesFor(hub, ivan)).map((c) => c.id));
    // One with open cases ivan may see and others he may not: a call pops only the first.
    caller = customers.find(
      (c) =>
        c.phone &&
        customers.filter((o) => digits(o.phone) === digits(c.phone)).length === 1 &&
        openOf(c).length >= 2 &&
        openOf(c).some((k) => ivanSees.has(k.id)) &&
        openOf(c).some((k) => !ivanSees.has(k.id)),
    )!;
    callerCases = openOf(caller).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  });
  afterAll(async () => {
    sockets.closeAll();
    await hub?.close();
  });

  const connect = (token: string) => sockets.connect(hub.url, token);

  /** Collects every call:offered a socket gets. */
  const offersTo = (socket: Socket) => {
    const seen: CallOffered[] = [];
    socket.on('call:offered', (offer: CallOffered) => seen.push(offer));
    return seen;
  };

  /** The sentinel: the user's own presence change, published after whatever came before it. */
  const sentinel = async (socket: Socket, token: string, userId: string, presence: 'busy' | 'available') => {
    const seen = new Promise<void>((resolve) => socket.on('presence:update', (p: { userId: string; presence: string }) => p.userId === userId && p.presence === presence && resolve()));
    const mutation = { id: uuidv7(), kind: 'presence.set', entityId: userId, baseVersion: 0, createdAt: new Date().toISOString(), payload: { presence } };
    await hub.post('/api/sync/push', { mutations: [mutation] }, token);
    await seen;
  };

  /** What sam (a supervisor: every case) can pull since the hub started. */
  const pulled = () => pulledSince(hub, sam, cursor);
  const messagesWith = async (externalId: string) => (await pulled()).messages.filter((m) => m.externalId === externalId);

  it('answers a signed callback with empty TwiML, and reports the channel on in /health', async () => {
    const answer = await postVoice(hub.url, callback(newCallSid(), newNumber(), '+3545550199', 'initiated'));
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/xml/);
    expect(answer.text).toMatch(/<Response\/>$/);
    const health = (await (await hub.get('/health')).json()) as { channels: Record<string, string> };
    expect(health.channels).toMatchObject({ voice: 'on' });
  });

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const sid = newCallSid();
    const from = newNumber();
    const fields = callback(sid, from, SUPPORT_NUMBER, 'completed', { CallDuration: '30' });
    const answers = [
      await postVoice(hub.url, fields, { signature: null }),
      await postVoice(hub.url, fields, { signature: sign(`${PUBLIC_URL}/webhooks/voice`, fields, 'not-the-token') }),
      // Signed for the address the test connects to, not the public URL Twilio calls.
      await postVoice(hub.url, fields, { signature: sign(`${hub.url}/webhooks/voice`, fields) }),
      // Signed without the query string the request carries.
      await postVoice(hub.url, fields, { query: '?tenant=1', signature: sign(`${PUBLIC_URL}/webhooks/voice`, fields) }),
      // Signed, then a field changed on the way.
      await postVoice(hub.url, { ...fields, CallDuration: '31' }, { signature: sign(`${PUBLIC_URL}/webhooks/voice`, fields) }),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    // The sentinel: a good callback after them is stored, and is the only one.
    const good = newCallSid();
    expect((await postVoice(hub.url, callback(good, newNumber(), SUPPORT_NUMBER, 'completed', { CallDuration: '5' }), { query: '?tenant=1' })).status).toBe(200);
    const { messages, customers } = await pulled();
    expect(messages.filter((m) => m.externalId === good)).toHaveLength(1);
    expect(messages.filter((m) => m.externalId === sid)).toHaveLength(0);
    expect(customers.filter((c) => c.phone === from)).toHaveLength(0);
  });

  it('refuses malformed callbacks with 400, an oversized one with 413, and stores nothing', async () => {
    const sid = newCallSid();
    const good = callback(sid, newNumber(), SUPPORT_NUMBER, 'completed', { CallDuration: '12' });
    const { CallSid: _sid, ...noSid } = good;
    const answers = [
      await postVoice(hub.url, noSid),
      await postVoice(hub.url, { ...good, CallSid: 'not-a-call-sid' }),
      await postVoice(hub.url, { ...good, CallStatus: 'exploded' }),
      await postVoice(hub.url, { ...good, CallDuration: 'long' }),
      await postVoice(hub.url, { ...good, From: 'anonymous' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 400]);
    expect(answers.every((a) => JSON.parse(a.text).error === 'invalid_request')).toBe(true);
    const huge = { ...good, Padding: 'x'.repeat(70 * 1024) };
    expect((await postVoice(hub.url, huge)).status).toBe(413);
    // The sentinel: the same call, well formed, is stored once.
    expect((await postVoice(hub.url, good)).status).toBe(200);
    expect(await messagesWith(sid)).toHaveLength(1);
  });

  it('offers a ringing call to the Support number to the Support agents, with the caller’s customer and open cases', async () => {
    const [ivanSocket, dewiSocket, anaSocket] = await Promise.all([connect(ivan), connect(dewi), connect(ana)]);
    const anaOffers = offersTo(anaSocket);
    const sid = newCallSid();
    const toIvan = nextEvent<CallOffered>(ivanSocket, 'call:offered');
    const toDewi = nextEvent<CallOffered>(dewiSocket, 'call:offered');
    expect((await postVoice(hub.url, callback(sid, caller.phone!, SUPPORT_NUMBER, 'ringing'))).status).toBe(200);
    const [ivanOffer, dewiOffer] = await Promise.all([toIvan, toDewi]);
    expect(ivanOffer).toMatchObject({ callSid: sid, from: caller.phone, userId: ids.ivan });
    expect(ivanOffer.customer).toMatchObject({ id: caller.id, name: caller.name, phone: caller.phone });
    // Only the caller's open cases ivan could open anyway; the others are not his to see.
    expect(ivanOffer.cases.map((c) => c.id).sort()).toEqual(callerCases.filter((c) => ivanSees.has(c.id)).map((c) => c.id).sort());
    expect(ivanOffer.cases.length).toBeLessThan(callerCases.length);
    expect(dewiOffer).toMatchObject({ callSid: sid, userId: ids.dewi });
    await sentinel(anaSocket, ana, ids.ana, 'busy');
    expect(anaOffers).toEqual([]);
  });

  it('offers a call to ivan’s extension to ivan only, and a repeated ringing callback once', async () => {
    const [ivanSocket, dewiSocket] = await Promise.all([connect(ivan), connect(dewi)]);
    const ivanOffers = offersTo(ivanSocket);
    const dewiOffers = offersTo(dewiSocket);
    const sid = newCallSid();
    const from = newNumber();
    const first = nextEvent<CallOffered>(ivanSocket, 'call:offered');
    expect((await postVoice(hub.url, callback(sid, from, IVAN_EXTENSION, 'ringing'))).status).toBe(200);
    expect(await first).toMatchObject({ callSid: sid, from, customer: null, cases: [], userId: ids.ivan });
    expect((await postVoice(hub.url, callback(sid, from, IVAN_EXTENSION, 'ringing'))).status).toBe(200);
    await Promise.all([sentinel(ivanSocket, ivan, ids.ivan, 'busy'), sentinel(dewiSocket, dewi, ids.dewi, 'busy')]);
    expect(ivanOffers.map((o) => o.callSid)).toEqual([sid]);
    expect(dewiOffers).toEqual([]);
  });

  it('logs the ended call on the caller’s open case with its duration, live, once', async () => {
    const samSocket = await connect(sam);
    const sid = newCallSid();
    expect((await postVoice(hub.url, callback(sid, caller.phone!, SUPPORT_NUMBER, 'ringing'))).status).toBe(200);
    expect((await postVoice(hub.url, callback(sid, caller.phone!, SUPPORT_NUMBER, 'in-progress'))).status).toBe(200);
    const live = new Promise<Message>((resolve) => samSocket.on('message:upsert', (m: Message) => m.externalId === sid && resolve(m)));
    const ended = callback(sid, caller.phone!, SUPPORT_NUMBER, 'completed', { CallDuration: '192' });
    expect((await postVoice(hub.url, ended)).status).toBe(200);
    const message = await live;
    expect(message).toMatchObject({ caseId: callerCases[0]!.id, direction: 'in', channel: 'phone', body: `Call from ${caller.phone}, 3 min 12 s, completed` });
    // Twilio retries a callback it got no answer to: the same one again is stored once.
    expect((await postVoice(hub.url, ended)).status).toBe(200);
    expect(await messagesWith(sid)).toHaveLength(1);
    const { cases } = await pulled();
    expect(cases.filter((c) => c.customerId === caller.id && !callerCases.some((k) => k.id === c.id))).toEqual([]);
  });

  it('opens a case in the Support queue, with a new customer, for an unknown caller’s ended call', async () => {
    const sid = newCallSid();
    const from = newNumber();
    expect((await postVoice(hub.url, callback(sid, from, SUPPORT_NUMBER, 'no-answer', { CallDuration: '0' }))).status).toBe(200);
    const { messages, cases, customers } = await pulled();
    const message = messages.find((m) => m.externalId === sid)!;
    expect(message.body).toBe(`Call from ${from}, no-answer`);
    const opened = cases.findLast((c) => c.id === message.caseId)!;
    expect(opened).toMatchObject({ queueId: support.id, channel: 'phone', status: 'new', subject: `Call from ${from}, no-answer` });
    const customer = customers.findLast((c) => c.id === opened.customerId)!;
    expect(customer).toMatchObject({ name: from, phone: from, preferredChannel: 'phone' });

    // The next call from that number finds the customer and the case.
    const next = newCallSid();
    expect((await postVoice(hub.url, callback(next, from, SUPPORT_NUMBER, 'completed', { CallDuration: '45' }))).status).toBe(200);
    expect((await messagesWith(next))[0]).toMatchObject({ caseId: opened.id, body: `Call from ${from}, 45 s, completed` });
  });
});

describe.each(backends)('the phone channel without its token on $name', (backend) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backend, { demo: false });
  });
  afterAll(() => hub?.close());

  it('is off: its webhook answers 404 and /health says so', async () => {
    const answer = await postVoice(hub.url, callback(newCallSid(), newNumber(), SUPPORT_NUMBER, 'ringing'));
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text).error).toBe('channel_off');
    const health = (await (await hub.get('/health')).json()) as { channels: Record<string, string> };
    expect(health.channels).toMatchObject({ voice: 'off' });
  });
});
