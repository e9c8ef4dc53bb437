/**
 * Queues as consoles learn them, and due times that follow a case to another
 * queue (both backends): a queue row carries its routing mode, a change of
 * mode is a new rev its members' consoles are told to pull, and each pull page
 * names the caller's queues. A case moved to another queue (bulk reassign or a
 * console's `case.assign`) gets both due times again on that queue's business
 * calendar; a move that keeps the queue keeps them.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Customer, Queue } from '../../src/shared/domain';
import type { SlaSettings, SyncPullResponse } from '../../src/shared/protocol';
import { dueTimesOf } from '../../src/hub/sla';
import { ROUTING_MODES } from '../../src/shared/routing';
import { type BusinessCalendar, policyFor } from '../../src/shared/sla';
import { backends, startTestHub, type TestHub } from './backends';
import { casesFor, connectSocket, me, pullAll, queueNamed, rowsOf, waitFor } from './helpers';

/** Open one hour a weekday, in a zone far from UTC: due times on it are nothing like the 24/7 ones. */
const NARROW: BusinessCalendar = {
  kind: 'business',
  timeZone: 'Pacific/Auckland',
  week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '10:00', end: '11:00' }]])),
  holidays: [],
};

describe.each(backends)('queues and their due times on $name', (backend) => {
  let hub: TestHub;
  let admin: string;
  let sam: string;
  let ana: string;
  const sockets: Socket[] = [];
  const send = (token: string, method: string, path: string, body: unknown) =>
    fetch(new URL(path, hub.url), { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    hub = await startTestHub(backend, { routingIntervalMs: 60_000 });
    [admin, sam, ana] = await Promise.all([hub.login('admin'), hub.login('sam'), hub.login('ana')]);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await hub?.close();
  });

  it('syncs each queue with its routing; a new mode is a new rev, and its members are told to pull', async () => {
    const first = await pullAll(hub, ana);
    const queues = rowsOf<Queue>(first.changes, 'queue');
    const social = queues.find((q) => q.name === 'Social')!;
    expect(queues.length).toBeGreaterThan(3);
    for (const q of queues) expect(ROUTING_MODES).toContain(q.routing);
    const before = social.routing;
    const next = before === 'pull' ? 'push' : 'pull';
    // Each page names the caller's own queues.
    const page = (await (await hub.post('/api/sync/pull', { cursor: first.cursor, limit: 10 }, ana)).json()) as SyncPullResponse;
    expect([...page.queueIds!].sort()).toEqual([...(await me(hub, ana)).queueIds].sort());
    // The hub's queue list says it too.
    const listed = ((await (await hub.get('/api/queues', ana)).json()) as { queues: Queue[] }).queues;
    expect(listed.find((q) => q.id === social.id)?.routing).toBe(before);

    const socket = connectSocket(hub.url, ana);
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let told = 0;
    socket.on('scope:changed', () => told++);

    expect((await send(admin, 'PUT', `/api/admin/queues/${social.id}/routing`, { routing: next, offerSeconds: 30 })).status).toBe(200);
    const after = await pullAll(hub, ana, first.cursor);
    const changed = rowsOf<Queue>(after.changes, 'queue');
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ id: social.id, routing: next, version: social.version + 1 });
    expect(changed[0]!.rev).toBeGreaterThan(first.cursor);
    await waitFor(async () => (told > 0 ? true : undefined));

    expect((await send(admin, 'PUT', `/api/admin/queues/${social.id}/routing`, { routing: before, offerSeconds: 30 })).status).toBe(200);
    expect(rowsOf<Queue>((await pullAll(hub, ana, after.cursor)).changes, 'queue')).toMatchObject([{ id: social.id, routing: before }]);
  });

  describe('a case moved to another queue', () => {
    let settings: SlaSettings;
    let target: Queue;

    beforeAll(async () => {
      target = await queueNamed(hub, sam, 'Social');
      const current = (await (await hub.get('/api/admin/sla-policies', admin)).json()) as SlaSettings;
      settings = { ...current, queueCalendars: { ...current.queueCalendars, [target.id]: NARROW } };
      expect((await send(admin, 'PUT', '/api/admin/sla-policies', settings)).status).toBe(200);
    });

    /** What the shared clock says for the case in `target`, with the policy of its customer's plan. */
    async function expectedIn(c: Case) {
      const detail = (await (await hub.get(`/api/cases/${c.id}`, sam)).json()) as { customer: Customer | null };
      return dueTimesOf({ policy: policyFor(settings.policies, detail.customer?.plan), queueCalendar: NARROW }, c.priority, new Date(c.createdAt));
    }

    /** Unassigned new cases outside the target queue (never paused: no status history). */
    async function waiting(n: number): Promise<Case[]> {
      const picked = (await casesFor(hub, sam)).filter((c) => c.queueId !== target.id && c.assigneeId === null && c.status === 'new' && c.slaDueAt !== null).slice(0, n);
      expect(picked).toHaveLength(n);
      return picked;
    }

    it('gets both due times again on the new queue’s calendar (bulk reassign), and keeps them when only the assignee changes', async () => {
      const picked = await waiting(2);
      const { cursor } = await pullAll(hub, sam);
      const moved = await hub.post('/api/cases/reassign', { caseIds: picked.map((c) => c.id), queueId: target.id }, sam);
      expect(moved.status).toBe(200);
      const rows = rowsOf<Case>((await pullAll(hub, sam, cursor)).changes, 'case').filter((c) => picked.some((p) => p.id === c.id));
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        const want = await expectedIn(row);
        expect(row.queueId).toBe(target.id);
        expect(row.slaDueAt).toBe(want.firstResponseDueAt!.toISOString());
        expect(row.resolutionDueAt).toBe(want.resolutionDueAt!.toISOString());
        expect(row.slaDueAt).not.toBe(picked.find((p) => p.id === row.id)!.slaDueAt);
      }

      // To an agent in the same queue: the calendar is the same, so are the due times.
      const anaId = (await me(hub, ana)).user.id;
      const again = await pullAll(hub, sam);
      expect((await hub.post('/api/cases/reassign', { caseIds: [rows[0]!.id], assigneeId: anaId }, sam)).status).toBe(200);
      const [kept] = rowsOf<Case>((await pullAll(hub, sam, again.cursor)).changes, 'case').filter((c) => c.id === rows[0]!.id);
      expect(kept).toMatchObject({ assigneeId: anaId, slaDueAt: rows[0]!.slaDueAt, resolutionDueAt: rows[0]!.resolutionDueAt });
    });

    it('gets them again when a console moves one case (case.assign with a queue)', async () => {
      const [c] = await waiting(1);
      const mutation = { id: crypto.randomUUID(), kind: 'case.assign', entityId: c!.id, baseVersion: c!.version, payload: { assigneeId: null, queueId: target.id }, createdAt: new Date().toISOString() };
      const answer = (await (await hub.post('/api/sync/push', { mutations: [mutation] }, sam)).json()) as { results: { status: string }[] };
      expect(answer.results[0]!.status).toBe('applied');
      const row = (await casesFor(hub, sam)).find((x) => x.id === c!.id)!;
      const want = await expectedIn(row);
      expect(row).toMatchObject({ queueId: target.id, slaDueAt: want.firstResponseDueAt!.toISOString(), resolutionDueAt: want.resolutionDueAt!.toISOString() });
    });
  });
});
