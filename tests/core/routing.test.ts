/**
 * Routing through the console core against a real hub: an offer made to the
 * agent reaches the core (`offer:new`, kept for `routing.offers`); accepted,
 * the case is hers in the cache at once; declined or lapsed, the offer is
 * gone; offline, answering fails as `unavailable`; in a pull queue "Next
 * case" takes the best waiting case, then says nothing waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import type { OfferItem } from '../../src/shared/api';
import type { Case, Queue } from '../../src/shared/domain';
import { mayTakeNextCase, type OfferGone } from '../../src/shared/routing';
import { call, consoleDir, goOffline, loginVia, ok, type ProxiedConsole, proxiedConsole, settle } from './console-fixture';
import { tempDir } from './fixtures';
import { hubCases, hubToken, startLocalHub, waitFor } from './hub-fixture';

/**
 * Runs `fn` while every transaction of the core's cache — the live feed's
 * and the pull's writes — is rolled back, so only what the routing answer
 * itself stores lands: the hub's copy of a move can arrive after its HTTP
 * answer (another hub, a socket reconnecting).
 */
async function withoutLiveWrites<T>(c: ProxiedConsole, fn: () => Promise<T>): Promise<T> {
  const cache = c.core.cache;
  const transaction = cache.transaction;
  const rollback = new Error('rolled back by the test');
  cache.transaction = <R,>(write: () => R): R => {
    let result: R | undefined;
    try {
      transaction(() => {
        result = write();
        throw rollback;
      });
    } catch (error) {
      if (error !== rollback) throw error;
    }
    return result as R;
  };
  try {
    return await fn();
  } finally {
    cache.transaction = transaction;
  }
}

describe('routing through the console core', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let admin: string;
  let sam: string;
  let ana: ProxiedConsole;
  let anaId: string;
  let queue: Queue;
  const heard = { offers: [] as OfferItem[], gone: [] as OfferGone[] };

  const send = (method: 'POST' | 'PUT', path: string, token: string, body: unknown) =>
    fetch(new URL(path, hub.url), { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const setRouting = async (body: unknown) => expect((await send('PUT', `/api/admin/queues/${queue.id}/routing`, admin, body)).status).toBe(200);

  /** Unassigned waiting cases of Billing (not one of Ana's queues) or another queue, moved into the test's queue by the supervisor. */
  async function waitingCases(n: number, from = 'Billing'): Promise<Case[]> {
    const all = await hubCases(hub.url, sam);
    const source = ((await (await fetch(new URL('/api/queues', hub.url), { headers: { authorization: `Bearer ${sam}` } })).json()) as { queues: Queue[] }).queues.find((q) => q.name === from)!;
    const picked = all.filter((c) => c.queueId === source.id && c.assigneeId === null && ['new', 'open'].includes(c.status)).slice(0, n);
    expect(picked).toHaveLength(n);
    expect((await send('POST', '/api/cases/reassign', sam, { caseIds: picked.map((c) => c.id), queueId: queue.id })).status).toBe(200);
    return picked;
  }

  beforeAll(async () => {
    dir = await tempDir('switchboard-routing-core-');
    // Rounds when the test runs one (or when work arrives), not on a clock.
    hub = await startLocalHub(dir.path, { demo: true, routingIntervalMs: 60_000 });
    [admin, sam] = await Promise.all([hubToken(hub.url, 'admin'), hubToken(hub.url, 'sam')]);
    ana = await proxiedConsole(hub.url, consoleDir(dir.path, 'ana'));
    await loginVia(ana, 'ana');
    anaId = (await ok(ana.core, 'session.current', {}))!.user.id;
    ana.core.events.on('offer:new', (offer) => heard.offers.push(offer));
    ana.core.events.on('offer:gone', (gone) => heard.gone.push(gone));
    queue = ((await (await send('POST', '/api/admin/queues', admin, { name: 'Returns', description: 'Returns and exchanges' })).json()) as { queue: Queue }).queue;
    expect((await send('PUT', `/api/admin/queues/${queue.id}/members`, admin, { userIds: [anaId] })).status).toBe(200);
  });
  afterAll(async () => {
    await ana?.close();
    await hub?.close();
    await dir?.remove();
  });

  it('relays an offer, keeps it for a reloaded window, and an accepted case is hers in the cache at once', async () => {
    await setRouting({ routing: 'push', offerSeconds: 60 });
    const cases = await waitingCases(1);
    await hub.routing.round();
    const offers = await waitFor(async () => {
      const open = await ok(ana.core, 'routing.offers', {});
      return open.length > 0 ? open : null;
    }, { what: 'the offer reached the core' });
    expect(offers.map((o) => o.case.id)).toEqual([cases[0]!.id]);
    expect(offers[0]!.why.length).toBeGreaterThan(0);
    expect(heard.offers.map((o) => o.case.id)).toEqual([cases[0]!.id]);
    // The offered case is in the cache before anyone opens it.
    expect(ana.core.cache.cases.item(cases[0]!.id)).not.toBeNull();

    // The live feed's copy of the move never lands: the answer alone puts the case in the cache.
    const taken = await withoutLiveWrites(ana, () => ok(ana.core, 'routing.accept', { caseId: cases[0]!.id }));
    expect(taken).toMatchObject({ id: cases[0]!.id, assigneeId: anaId });
    expect(ana.core.cache.cases.item(cases[0]!.id)?.assigneeId).toBe(anaId);
    expect(await ok(ana.core, 'routing.offers', {})).toEqual([]);
    expect(heard.gone).toContainEqual({ caseId: cases[0]!.id, reason: 'accepted' });
    // Accepting twice: the offer is over.
    expect(await call(ana.core, 'routing.accept', { caseId: cases[0]!.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('drops a declined offer, and one that lapses at its deadline', async () => {
    const [first, second] = await waitingCases(2);
    const offered = async () => {
      await hub.routing.round();
      return waitFor(async () => (await ok(ana.core, 'routing.offers', {}))[0] ?? null, { what: 'an offer' });
    };
    const declined = await offered();
    expect([first!.id, second!.id]).toContain(declined.case.id);
    expect(await ok(ana.core, 'routing.decline', { caseId: declined.case.id })).toBeNull();
    expect(await ok(ana.core, 'routing.offers', {})).toEqual([]);
    expect(heard.gone).toContainEqual({ caseId: declined.case.id, reason: 'declined' });

    await setRouting({ routing: 'push', offerSeconds: 5 });
    const lapsing = await offered();
    expect(lapsing.case.id).not.toBe(declined.case.id);
    await waitFor(async () => ((await ok(ana.core, 'routing.offers', {})).length === 0 ? true : null), { timeoutMs: 10_000, what: 'the offer lapsed' });
    expect(heard.gone).toContainEqual({ caseId: lapsing.case.id, reason: 'timeout' });
    // The hub's next round withdraws it there too (and says so: the core tells the windows only once).
    const gone = heard.gone.length;
    expect((await hub.routing.round()).gone.map((g) => g.gone.caseId)).toEqual([lapsing.case.id]);
    expect(heard.gone.length).toBe(gone);
  });

  it('shows a restarted console the offer it held, which only the hub still knew', async () => {
    await setRouting({ routing: 'push', offerSeconds: 60 });
    const [held] = await waitingCases(1, 'Support');
    const round = await hub.routing.round();
    expect(round.offers.map((o) => o.offer.case.id)).toEqual([held!.id]);
    // The core that heard `offer:new` is gone; the new one was not there to hear it.
    await ana.restart();
    const offers = await waitFor(async () => {
      const open = await ok(ana.core, 'routing.offers', {});
      return open.length > 0 ? open : null;
    }, { timeoutMs: 20_000, what: 'the held offer read from the hub' });
    expect(offers.map((o) => [o.case.id, o.expiresAt])).toEqual([[held!.id, round.offers[0]!.offer.expiresAt]]);
    // Taken, so the pull queue below has the same work as before.
    expect(await ok(ana.core, 'routing.accept', { caseId: held!.id })).toMatchObject({ id: held!.id, assigneeId: anaId });
  });

  it('refuses to answer or take work offline, and takes the best waiting case of a pull queue', async () => {
    await goOffline(ana);
    expect(await call(ana.core, 'routing.next', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(await call(ana.core, 'routing.accept', { caseId: queue.id })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    await settle(ana);
    await waitFor(async () => (await ok(ana.core, 'sync.status', {})).online, { timeoutMs: 20_000, what: 'back online' });

    await setRouting({ routing: 'pull' });
    await waitingCases(1);
    // What waits in Returns now: the case she declined, the one that lapsed, the one just moved in.
    const taken: string[] = [];
    for (;;) {
      const next = await withoutLiveWrites(ana, () => ok(ana.core, 'routing.next', {}));
      if (next === null) break;
      expect(next.assigneeId).toBe(anaId);
      expect(ana.core.cache.cases.item(next.id)?.assigneeId).toBe(anaId);
      taken.push(next.id);
      expect(taken.length).toBeLessThan(10);
    }
    expect(taken).toHaveLength(3);
    expect(new Set(taken).size).toBe(3);
  });

  it('lists each queue with its routing and whether she works it, and learns a new mode or membership live', async () => {
    const listed = () => ok(ana.core, 'queues.list', {});
    const returns = async () => (await listed()).find((q) => q.id === queue.id);
    await waitFor(async () => ((await returns())?.routing === 'pull' ? true : null), { what: 'pull mode in the list' });
    expect((await listed()).filter((q) => q.member).map((q) => q.name).sort()).toEqual(['Devices', 'Returns', 'Social']);
    expect(mayTakeNextCase('agent', await listed())).toBe(true);

    // The core pulls only once an hour here: what comes sooner is the hub telling the queue's members.
    await setRouting({ routing: 'push', offerSeconds: 30 });
    await waitFor(async () => ((await returns())?.routing === 'push' ? true : null), { what: 'push mode reached the core' });
    expect(ana.core.cache.queues.all().find((q) => q.id === queue.id)?.routing).toBe('push');

    // Out of the queue, then in again: the pull page names her queues.
    expect((await send('PUT', `/api/admin/queues/${queue.id}/members`, admin, { userIds: [] })).status).toBe(200);
    await waitFor(async () => ((await returns())?.member === false ? true : null), { what: 'no longer a member' });
    expect((await send('PUT', `/api/admin/queues/${queue.id}/members`, admin, { userIds: [anaId] })).status).toBe(200);
    await waitFor(async () => ((await returns())?.member ? true : null), { what: 'a member again' });
  });
});
