/**
 * Push and pull routing on a running hub (both backends): a waiting case is
 * offered to the available agent who has waited longest, and only to them;
 * declined or lapsed, it goes to the next; accepted, it is theirs, once. A
 * case is never on offer to two agents at once, whatever rounds run
 * together. In a pull queue "Next case" gives two agents pressing at once
 * two different cases.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Queue } from '../../src/shared/domain';
import type { Offer, OfferGone } from '../../src/shared/routing';
import { backends, startTestHub, type TestHub } from './backends';
import { casesFor, connectSocket, me, queueNamed, waitFor } from './helpers';

const put = (hub: TestHub, token: string, path: string, body: unknown) =>
  fetch(new URL(path, hub.url), { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each(backends)('routing on $name', (backend) => {
  let hub: TestHub;
  let admin: string;
  let sam: string;
  let ana: string;
  let dewi: string;
  let ids: { ana: string; dewi: string };
  let queue: Queue;
  const sockets: Socket[] = [];
  const heard = { ana: { offers: [] as Offer[], gone: [] as OfferGone[] }, dewi: { offers: [] as Offer[], gone: [] as OfferGone[] }, jon: { offers: [] as Offer[] } };

  beforeAll(async () => {
    // Rounds only when the test runs one: no clock in between.
    hub = await startTestHub(backend, { routingIntervalMs: 60_000 });
    [admin, sam, ana, dewi] = await Promise.all([hub.login('admin'), hub.login('sam'), hub.login('ana'), hub.login('dewi')]);
    const jon = await hub.login('jon');
    ids = { ana: (await me(hub, ana)).user.id, dewi: (await me(hub, dewi)).user.id };
    queue = ((await (await hub.post('/api/admin/queues', { name: 'Returns', description: 'Returns and exchanges' }, admin)).json()) as { queue: Queue }).queue;
    expect((await put(hub, admin, `/api/admin/queues/${queue.id}/members`, { userIds: [ids.ana, ids.dewi] })).status).toBe(200);
    expect((await put(hub, admin, `/api/admin/queues/${queue.id}/routing`, { routing: 'push', offerSeconds: 30 })).status).toBe(200);
    // Ana comes online first: she has waited longest.
    for (const [who, token] of [['ana', ana], ['dewi', dewi], ['jon', jon]] as const) {
      const socket = connectSocket(hub.url, token);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.on('offer:new', (offer: Offer) => heard[who].offers.push(offer));
      if (who !== 'jon') socket.on('offer:gone', (gone: OfferGone) => heard[who].gone.push(gone));
      sockets.push(socket);
      await waitFor(async () => (((await (await hub.get('/api/me', token)).json()) as { presence: { presence: string } | null }).presence?.presence === 'available' ? true : undefined));
    }
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await hub?.close();
  });

  /** Unassigned cases of another queue, moved into Returns by the supervisor. */
  async function waitingCases(n: number, from = 'Billing'): Promise<Case[]> {
    const support = await queueNamed(hub, sam, from);
    const picked = (await casesFor(hub, sam)).filter((c) => c.queueId === support.id && c.assigneeId === null && ['new', 'open'].includes(c.status)).slice(0, n);
    expect(picked).toHaveLength(n);
    const moved = await hub.post('/api/cases/reassign', { caseIds: picked.map((c) => c.id), queueId: queue.id }, sam);
    expect(moved.status).toBe(200);
    return picked;
  }

  it('offers a waiting case to the agent who has waited longest, and to nobody else; declined, to the next', async () => {
    const [waiting] = await waitingCases(1);
    const round = await hub.routing.round();
    expect(round.offers.map((o) => [o.userId, o.offer.case.id])).toEqual([[ids.ana, waiting!.id]]);
    await waitFor(async () => (heard.ana.offers.length === 1 ? true : undefined));
    expect(heard.ana.offers[0]).toMatchObject({ case: { id: waiting!.id } });
    expect(heard.ana.offers[0]!.why.length).toBeGreaterThan(0);

    // A console that restarts asks for what it holds: the same offer; Dewi holds none.
    const held = (await (await hub.get('/api/offers', ana)).json()) as { offers: Offer[] };
    expect(held.offers.map((o) => [o.case.id, o.expiresAt, o.why])).toEqual([[waiting!.id, heard.ana.offers[0]!.expiresAt, heard.ana.offers[0]!.why]]);
    expect(((await (await hub.get('/api/offers', dewi)).json()) as { offers: Offer[] }).offers).toEqual([]);

    // A second round while Ana's offer stands offers it to nobody else.
    expect((await hub.routing.round()).offers).toEqual([]);
    expect((await hub.post(`/api/offers/${waiting!.id}/accept`, {}, dewi)).status).toBe(404);

    expect((await hub.post(`/api/offers/${waiting!.id}/decline`, {}, ana)).status).toBe(204);
    const next = await hub.routing.round();
    expect(next.offers.map((o) => o.userId)).toEqual([ids.dewi]);
    await waitFor(async () => (heard.dewi.offers.length === 1 && heard.ana.gone.length === 1 ? true : undefined));
    expect(heard.ana.gone[0]).toEqual({ caseId: waiting!.id, reason: 'declined' });

    // Dewi lets it lapse: both have refused it, so it waits for someone else.
    const later = await hub.routing.round(new Date(Date.now() + 31_000));
    expect(later.gone).toEqual([{ userId: ids.dewi, gone: { caseId: waiting!.id, reason: 'timeout' } }]);
    expect(later.offers).toEqual([]);
    expect(heard.jon.offers).toEqual([]);
  });

  it('gives an accepted case to the agent, once, and never offers one case to two agents at once', async () => {
    const cases = await waitingCases(2);
    // Two rounds at once (as two hubs would run them): each case on offer to one agent only.
    const [a, b] = await Promise.all([hub.routing.round(), hub.routing.round()]);
    const offers = [...a.offers, ...b.offers];
    expect(offers).toHaveLength(2);
    expect(new Set(offers.map((o) => o.offer.case.id))).toEqual(new Set(cases.map((c) => c.id)));
    expect(new Set(offers.map((o) => o.userId))).toEqual(new Set([ids.ana, ids.dewi]));

    const anas = offers.find((o) => o.userId === ids.ana)!.offer.case.id;
    const accepted = await hub.post(`/api/offers/${anas}/accept`, {}, ana);
    expect(accepted.status).toBe(200);
    // Her other consoles drop it; she holds no offer any more.
    await waitFor(async () => (heard.ana.gone.some((g) => g.caseId === anas && g.reason === 'accepted') ? true : undefined));
    expect(((await (await hub.get('/api/offers', ana)).json()) as { offers: Offer[] }).offers).toEqual([]);
    expect(((await accepted.json()) as { case: Case }).case).toMatchObject({ id: anas, assigneeId: ids.ana });
    expect((await hub.post(`/api/offers/${anas}/accept`, {}, ana)).status).toBe(404);
    expect((await casesFor(hub, ana)).find((c) => c.id === anas)).toMatchObject({ assigneeId: ids.ana });
  });

  it('in a pull queue, gives two agents pressing "Next case" at once two different cases', async () => {
    expect((await put(hub, admin, `/api/admin/queues/${queue.id}/routing`, { routing: 'pull' })).status).toBe(200);
    await waitingCases(2, 'Support');
    const [first, second] = await Promise.all([hub.post('/api/routing/next', {}, ana), hub.post('/api/routing/next', {}, dewi)]);
    expect([first!.status, second!.status]).toEqual([200, 200]);
    const [x, y] = [((await first!.json()) as { case: Case }).case, ((await second!.json()) as { case: Case }).case];
    expect(x.id).not.toBe(y.id);
    expect(x.assigneeId).toBe(ids.ana);
    expect(y.assigneeId).toBe(ids.dewi);
    // Nothing waits any more that they may take (the lapsed one was declined by both, but pull is theirs to take).
    const third = await hub.post('/api/routing/next', {}, ana);
    expect([200, 404]).toContain(third.status);
    // The hub refuses an agent's attempt to change how a queue routes.
    expect((await put(hub, ana, `/api/admin/queues/${queue.id}/routing`, { routing: 'push' })).status).toBe(403);
  });
});
