/**
 * Collision detection on the hub: `case:watch` puts a socket on a case (when
 * its user may see it) and everyone on the case gets who is there now, as
 * `case:watchers` — one entry per person, replying if any of their consoles
 * is; gone when they leave or disconnect. Then two hubs on Postgres and
 * Redis: people on different hubs see each other.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { Case } from '../../src/shared/domain';
import type { CaseWatchAck, CaseWatchers } from '../../src/shared/protocol';
import { backends, startTestHub, type TestHub } from './backends';
import { casesFor, liveSockets, me, queueNamed, waitFor } from './helpers';
import { useCluster } from './cluster';

/** Every `case:watchers` a socket got, and a wait for the latest one to match. */
function heard(socket: Socket) {
  const lists: CaseWatchers[] = [];
  socket.on('case:watchers', (payload: CaseWatchers) => lists.push(payload));
  const latest = (caseId: string) => lists.filter((l) => l.caseId === caseId).at(-1);
  return {
    lists,
    latest,
    /** Resolves with the latest list of the case once it matches. */
    until: (caseId: string, match: (list: CaseWatchers) => boolean, timeoutMs = 5000) =>
      waitFor(async () => {
        const list = latest(caseId);
        return list && match(list) ? list : undefined;
      }, timeoutMs),
  };
}

const watch = (socket: Socket, payload: unknown) => socket.timeout(5000).emitWithAck('case:watch', payload) as Promise<CaseWatchAck>;

describe.each(backends)('collision detection on $name', (backend) => {
  let hub: TestHub;
  const sockets = liveSockets();
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  /** A Social case nobody has: ana and dewi (Social) may see it, ivan (Support, Billing) may not. */
  let socialCase: Case;
  let otherSocialCase: Case;

  beforeAll(async () => {
    hub = await startTestHub(backend);
    for (const name of ['ana', 'dewi', 'ivan', 'sam']) {
      tokens[name] = await hub.login(name);
      ids[name] = (await me(hub, tokens[name]!)).user.id;
    }
    const social = await queueNamed(hub, tokens.sam!, 'Social');
    const unassigned = (await casesFor(hub, tokens.sam!)).filter((c) => c.queueId === social.id && c.assigneeId === null);
    [socialCase, otherSocialCase] = unassigned as [Case, Case];
    expect(otherSocialCase).toBeDefined();
  });
  afterEach(() => sockets.closeAll());
  afterAll(async () => {
    await hub?.close();
  });

  it('shows two people on one case to each other, viewing and then replying', async () => {
    const ana = await sockets.connect(hub.url, tokens.ana!);
    const dewi = await sockets.connect(hub.url, tokens.dewi!);
    const anaHeard = heard(ana);
    const dewiHeard = heard(dewi);
    expect(await watch(ana, { caseId: socialCase.id, mode: 'viewing' })).toEqual({ ok: true });
    // Alone on the case: the list holds only the receiver (the console hides itself).
    await anaHeard.until(socialCase.id, (l) => l.watchers.length === 1 && l.watchers[0]!.userId === ids.ana);
    expect(await watch(dewi, { caseId: socialCase.id, mode: 'viewing' })).toEqual({ ok: true });
    const both = await anaHeard.until(socialCase.id, (l) => l.watchers.length === 2);
    expect(both.watchers.map((w) => [w.userId, w.mode]).sort()).toEqual([[ids.ana, 'viewing'], [ids.dewi, 'viewing']].sort());
    expect(both.watchers.every((w) => w.name.length > 0 && !Number.isNaN(Date.parse(w.since)))).toBe(true);
    await dewiHeard.until(socialCase.id, (l) => l.watchers.length === 2);

    await watch(dewi, { caseId: socialCase.id, mode: 'replying' });
    const replying = await anaHeard.until(socialCase.id, (l) => l.watchers.some((w) => w.userId === ids.dewi && w.mode === 'replying'));
    // People replying come first.
    expect(replying.watchers.map((w) => w.userId)).toEqual([ids.dewi, ids.ana]);

    // Dewi moves to another case: gone from this one's list.
    await watch(dewi, { caseId: otherSocialCase.id, mode: 'viewing' });
    await anaHeard.until(socialCase.id, (l) => l.watchers.length === 1 && l.watchers[0]!.userId === ids.ana);
    // And null: on no case at all.
    await watch(dewi, { caseId: null, mode: 'viewing' });
    expect(await watch(ana, { caseId: otherSocialCase.id, mode: 'viewing' })).toEqual({ ok: true });
    await anaHeard.until(otherSocialCase.id, (l) => l.watchers.length === 1 && l.watchers[0]!.userId === ids.ana);
  });

  it('makes one entry of several consoles of one person, replying if any of them is', async () => {
    const sam = await sockets.connect(hub.url, tokens.sam!);
    const ana1 = await sockets.connect(hub.url, tokens.ana!);
    const ana2 = await sockets.connect(hub.url, tokens.ana!);
    const samHeard = heard(sam);
    await watch(sam, { caseId: socialCase.id, mode: 'viewing' });
    await watch(ana1, { caseId: socialCase.id, mode: 'viewing' });
    await watch(ana2, { caseId: socialCase.id, mode: 'replying' });
    const list = await samHeard.until(socialCase.id, (l) => l.watchers.some((w) => w.userId === ids.ana && w.mode === 'replying'));
    expect(list.watchers.filter((w) => w.userId === ids.ana)).toHaveLength(1);
    expect(list.watchers).toHaveLength(2);
  });

  it('refuses a case outside the user’s scope: they hear nothing and nobody sees them', async () => {
    const ana = await sockets.connect(hub.url, tokens.ana!);
    const ivan = await sockets.connect(hub.url, tokens.ivan!);
    const sam = await sockets.connect(hub.url, tokens.sam!);
    const anaHeard = heard(ana);
    const ivanHeard = heard(ivan);
    await watch(ana, { caseId: socialCase.id, mode: 'viewing' });
    await anaHeard.until(socialCase.id, (l) => l.watchers.length === 1);
    expect(await watch(ivan, { caseId: socialCase.id, mode: 'replying' })).toEqual({ ok: false, error: 'not_found' });
    // A change after ivan's attempt: the list that follows still has no ivan.
    await watch(sam, { caseId: socialCase.id, mode: 'viewing' });
    const list = await anaHeard.until(socialCase.id, (l) => l.watchers.some((w) => w.userId === ids.sam));
    expect(list.watchers.map((w) => w.userId).sort()).toEqual([ids.ana, ids.sam].sort());
    expect(anaHeard.lists.every((l) => l.watchers.every((w) => w.userId !== ids.ivan))).toBe(true);
    expect(ivanHeard.lists).toEqual([]);
    // An id that is no case at all is refused the same way.
    expect(await watch(ivan, { caseId: '01890000-0000-7000-8000-000000000000', mode: 'viewing' })).toEqual({ ok: false, error: 'not_found' });
  });

  it('removes someone whose console disconnects', async () => {
    const ana = await sockets.connect(hub.url, tokens.ana!);
    const dewi = await sockets.connect(hub.url, tokens.dewi!);
    const anaHeard = heard(ana);
    await watch(ana, { caseId: socialCase.id, mode: 'viewing' });
    await watch(dewi, { caseId: socialCase.id, mode: 'replying' });
    // Past the hub's second send of the list (its repair of a race between hubs), so only the disconnect can change it now.
    await waitFor(async () => (anaHeard.lists.filter((l) => l.watchers.length === 2).length >= 2 ? true : undefined));
    dewi.close();
    const after = await anaHeard.until(socialCase.id, (l) => l.watchers.length === 1);
    expect(after.watchers[0]!.userId).toBe(ids.ana);
  });

  it('ignores a malformed watch and keeps the socket', async () => {
    const ana = await sockets.connect(hub.url, tokens.ana!);
    const anaHeard = heard(ana);
    for (const bad of [null, 'x', { caseId: 'not-a-uuid', mode: 'viewing' }, { caseId: socialCase.id, mode: 'typing' }, { caseId: socialCase.id, mode: 'viewing', extra: 1 }]) {
      expect(await watch(ana, bad)).toEqual({ ok: false, error: 'invalid_input' });
    }
    // Without an ack too.
    ana.emit('case:watch', { caseId: 42 });
    expect(ana.connected).toBe(true);
    expect(anaHeard.lists).toEqual([]);
    expect(await watch(ana, { caseId: socialCase.id, mode: 'viewing' })).toEqual({ ok: true });
    await anaHeard.until(socialCase.id, (l) => l.watchers.length === 1);
  });

  it('coalesces a flapping console: the latest watch wins and the others hear a few lists, not hundreds', async () => {
    const ana = await sockets.connect(hub.url, tokens.ana!);
    const dewi = await sockets.connect(hub.url, tokens.dewi!);
    const anaHeard = heard(ana);
    await watch(ana, { caseId: socialCase.id, mode: 'viewing' });
    await anaHeard.until(socialCase.id, (l) => l.watchers.length === 1);
    const before = anaHeard.lists.length;
    const flaps = Array.from({ length: 300 }, (_, i) => watch(dewi, { caseId: socialCase.id, mode: i % 2 === 0 ? 'replying' : 'viewing' }));
    await Promise.all(flaps);
    // The last one sent (i = 299: viewing) is what the others end up seeing.
    await anaHeard.until(socialCase.id, (l) => l.watchers.some((w) => w.userId === ids.dewi && w.mode === 'viewing'));
    expect(anaHeard.lists.length - before).toBeLessThan(20);
  });
});

describe('collision detection across two hubs on Postgres and Redis', () => {
  const { hubs } = useCluster(2, 'watch');
  const sockets = liveSockets();
  afterAll(() => sockets.closeAll());

  const login = async (url: string, username: string) =>
    ((await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) })).json()) as { token: string; user: { id: string } });

  it('shows people on different hubs to each other, and drops one who disconnects', async () => {
    const ana = await login(hubs[0]!.url, 'ana');
    const dewi = await login(hubs[1]!.url, 'dewi');
    const cases = (await (await fetch(`${hubs[0]!.url}/api/cases?limit=500`, { headers: { authorization: `Bearer ${ana.token}` } })).json()) as { cases: Case[] };
    const queues = (await (await fetch(`${hubs[0]!.url}/api/queues`, { headers: { authorization: `Bearer ${ana.token}` } })).json()) as { queues: { id: string; name: string }[] };
    const social = queues.queues.find((q) => q.name === 'Social')!;
    const target = cases.cases.find((c) => c.queueId === social.id)!;

    const onFirst = await sockets.connect(hubs[0]!.url, ana.token);
    const onSecond = await sockets.connect(hubs[1]!.url, dewi.token);
    const firstHeard = heard(onFirst);
    const secondHeard = heard(onSecond);
    await watch(onFirst, { caseId: target.id, mode: 'viewing' });
    await watch(onSecond, { caseId: target.id, mode: 'replying' });
    const seenOnFirst = await firstHeard.until(target.id, (l) => l.watchers.length === 2, 10_000);
    expect(seenOnFirst.watchers.map((w) => [w.userId, w.mode])).toEqual([
      [dewi.user.id, 'replying'],
      [ana.user.id, 'viewing'],
    ]);
    await secondHeard.until(target.id, (l) => l.watchers.length === 2, 10_000);

    // Past the hubs' second sends of the list, so only the disconnect can change it now.
    await waitFor(async () => (firstHeard.lists.filter((l) => l.watchers.length === 2).length >= 2 ? true : undefined), 10_000);
    onSecond.close();
    await firstHeard.until(target.id, (l) => l.watchers.length === 1 && l.watchers[0]!.userId === ana.user.id, 10_000);
  });
});
