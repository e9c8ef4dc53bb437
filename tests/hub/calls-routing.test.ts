/**
 * A live call takes all of its agent's capacity (as Omni-Channel counts it), on both backends: the hub learns
 * who answered — from the console's Answer on the screen pop for a call to a queue's number, from the
 * provider's `in-progress` callback for a call to an agent's extension — and from then until the call's final
 * callback a routing round offers that agent nothing (the offer they held is withdrawn), the agents board
 * shows the call as their current work, and the completed callback makes them free again at once.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Queue } from '../../src/shared/domain';
import { type AgentStats, type CallGone, CallGoneSchema } from '../../src/shared/protocol';
import type { Offer, OfferGone } from '../../src/shared/routing';
import { backends, startTestHub, type TestHub } from './backends';
import { casesFor, liveSockets, me, queueNamed, waitFor } from './helpers';

const TOKEN = 'demo-voice-token';
const PUBLIC_URL = 'https://switchboard.example/hub';
const SUPPORT_NUMBER = '+3545550100';
const IVAN_EXTENSION = '+3545550101';

type Fields = Record<string, string>;
const sign = (url: string, fields: Fields) =>
  createHmac('sha1', TOKEN)
    .update(url + Object.keys(fields).sort().map((k) => k + fields[k]).join(''))
    .digest('base64');
const newCallSid = () => `CA${randomBytes(16).toString('hex')}`;

describe.each(backends)('a live call and routing on $name', (backend) => {
  let hub: TestHub;
  let admin: string;
  let sam: string;
  let ivan: string;
  let dewi: string;
  let ana: string;
  let ids: Record<'ivan' | 'dewi', string>;
  let returns: Queue;
  const sockets = liveSockets();
  const heard = { ivan: { offers: [] as Offer[], gone: [] as OfferGone[], calls: [] as CallGone[] }, dewi: { offers: [] as Offer[], gone: [] as OfferGone[], calls: [] as CallGone[] } };
  const board: AgentStats[][] = [];

  const put = (token: string, path: string, body: unknown) =>
    fetch(new URL(path, hub.url), { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  /** A status callback as Twilio signs and posts it. */
  const callback = async (sid: string, from: string, to: string, status: string, extra: Fields = {}) => {
    const fields: Fields = { AccountSid: 'ACba8bc05eacf94afdae398e642c9cc32d', CallSid: sid, CallStatus: status, Direction: 'inbound', From: from, To: to, ...extra };
    const response = await fetch(new URL('/webhooks/voice', hub.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sign(`${PUBLIC_URL}/webhooks/voice`, fields) },
      body: new URLSearchParams(fields).toString(),
    });
    expect(response.status).toBe(200);
  };
  const answer = (sid: string, token: string, body: unknown = {}) => hub.post(`/api/calls/${sid}/answer`, body, token);
  /** The agents board's row of `userId` in the first update (so far or to come) where `test` holds. */
  const boardRow = (userId: string, test: (row: AgentStats) => boolean) =>
    waitFor(async () => board.map((update) => update.find((r) => r.userId === userId)).find((r) => r !== undefined && test(r)), 10_000);

  beforeAll(async () => {
    // Rounds only when the test runs one, or a change kicks one: no clock in between.
    hub = await startTestHub(backend, { publicUrl: PUBLIC_URL, routingIntervalMs: 60_000, queueStatsIntervalMs: 60_000 });
    [admin, sam, ivan, dewi, ana] = await Promise.all([hub.login('admin'), hub.login('sam'), hub.login('ivan'), hub.login('dewi'), hub.login('ana')]);
    ids = { ivan: (await me(hub, ivan)).user.id, dewi: (await me(hub, dewi)).user.id };
    returns = ((await (await hub.post('/api/admin/queues', { name: 'Returns', description: 'Returns and exchanges' }, admin)).json()) as { queue: Queue }).queue;
    expect((await put(admin, `/api/admin/queues/${returns.id}/members`, { userIds: [ids.ivan, ids.dewi] })).status).toBe(200);
    expect((await put(admin, `/api/admin/queues/${returns.id}/routing`, { routing: 'push', offerSeconds: 600 })).status).toBe(200);
    const samSocket = await sockets.connect(hub.url, sam);
    samSocket.on('agent:stats', (stats: AgentStats[]) => board.push(stats));
    for (const [who, token] of [['ivan', ivan], ['dewi', dewi]] as const) {
      const socket: Socket = await sockets.connect(hub.url, token);
      socket.on('offer:new', (offer: Offer) => heard[who].offers.push(offer));
      socket.on('offer:gone', (gone: OfferGone) => heard[who].gone.push(gone));
      socket.on('call:gone', (gone: unknown) => heard[who].calls.push(CallGoneSchema.parse(gone)));
      await waitFor(async () => (((await (await hub.get('/api/me', token)).json()) as { presence: { presence: string } | null }).presence?.presence === 'available' ? true : undefined));
    }
    // Three waiting cases in Returns (nobody is offered them until a round runs).
    const billing = await queueNamed(hub, sam, 'Billing');
    const picked = (await casesFor(hub, sam)).filter((c: Case) => c.queueId === billing.id && c.assigneeId === null && ['new', 'open'].includes(c.status)).slice(0, 3);
    expect(picked).toHaveLength(3);
    expect((await hub.post('/api/cases/reassign', { caseIds: picked.map((c) => c.id), queueId: returns.id }, sam)).status).toBe(200);
  });
  afterAll(async () => {
    sockets.closeAll();
    await hub?.close();
  });

  it("offers nothing to an agent on a call answered in the console, and offers again once the call completes", async () => {
    const sid = newCallSid();
    await callback(sid, '+15550001111', SUPPORT_NUMBER, 'ringing');
    // Only an agent it rang for may answer it (Ana works no Support), with an empty body, and the first keeps it.
    expect((await answer(sid, ana)).status).toBe(403);
    expect((await answer(sid, dewi, { note: 'x' })).status).toBe(400);
    expect((await answer('not-a-sid', dewi)).status).toBe(400);
    expect((await answer(newCallSid(), dewi)).status).toBe(404);
    const answered = await answer(sid, dewi);
    expect(answered.status).toBe(200);
    expect(await answered.json()).toMatchObject({ call: { callSid: sid, userId: ids.dewi, from: '+15550001111' } });
    expect((await answer(sid, dewi)).status).toBe(200);
    const second = await answer(sid, ivan);
    expect(second.status).toBe(409);
    // The refusal carries its key for Ivan's console to word.
    expect(await second.json()).toMatchObject({ error: 'conflict', message: 'someone else answered the call', wording: { key: 'calls.answeredByOther' } });
    // It stops ringing for Ivan, whom it also rang for; not for Dewi, who is on it (the 'ended' below is the sentinel).
    await waitFor(async () => (heard.ivan.calls.length === 1 ? true : undefined));
    expect(heard.ivan.calls).toEqual([{ callSid: sid, reason: 'answered' }]);

    // A round while Dewi is on the call: Ivan gets a case, Dewi nothing, though she has room for 35 and has waited.
    await hub.routing.round();
    await waitFor(async () => (heard.ivan.offers.length === 1 ? true : undefined));
    expect((await hub.routing.round()).offers).toEqual([]);
    expect(heard.dewi.offers).toEqual([]);
    // The board shows the call as her current work.
    expect(await boardRow(ids.dewi, (r) => r.onCall !== null)).toMatchObject({ onCall: { callSid: sid, from: '+15550001111' } });

    // The call completes: she is free at once, and the round it starts offers her a case.
    await callback(sid, '+15550001111', SUPPORT_NUMBER, 'completed', { CallDuration: '65' });
    await waitFor(async () => (heard.dewi.offers.length === 1 ? true : undefined));
    expect(heard.dewi.offers[0]!.case.queueId).toBe(returns.id);
    expect(heard.dewi.offers[0]!.case.id).not.toBe(heard.ivan.offers[0]!.case.id);
    await boardRow(ids.dewi, (r) => r.onCall === null);
    // Everyone it rang for hears it ended; Dewi never heard it was answered.
    await waitFor(async () => (heard.dewi.calls.length >= 1 && heard.ivan.calls.length >= 2 ? true : undefined));
    expect(heard.dewi.calls).toEqual([{ callSid: sid, reason: 'ended' }]);
    expect(heard.ivan.calls).toEqual([
      { callSid: sid, reason: 'answered' },
      { callSid: sid, reason: 'ended' },
    ]);
    // Ended, it cannot be answered again.
    expect((await answer(sid, dewi)).status).toBe(409);
  });

  it("withdraws the offer an agent holds when a call to their extension is in progress, and offers again after it", async () => {
    const held = heard.ivan.offers[0]!.case.id;
    const sid = newCallSid();
    await callback(sid, '+15550002222', IVAN_EXTENSION, 'ringing');
    await callback(sid, '+15550002222', IVAN_EXTENSION, 'in-progress');
    await waitFor(async () => (heard.ivan.gone.some((g) => g.caseId === held && g.reason === 'withdrawn') ? true : undefined));
    expect(await boardRow(ids.ivan, (r) => r.onCall !== null)).toMatchObject({ onCall: { callSid: sid } });
    // Withdrawn, not refused: nobody free now (Dewi holds her offer), and none to Ivan while he is on the call.
    expect((await hub.routing.round()).offers).toEqual([]);
    expect(heard.ivan.offers).toHaveLength(1);

    await callback(sid, '+15550002222', IVAN_EXTENSION, 'completed', { CallDuration: '30' });
    await waitFor(async () => (heard.ivan.offers.length === 2 ? true : undefined));
    expect(heard.ivan.offers[1]!.case.queueId).toBe(returns.id);
  });
});
