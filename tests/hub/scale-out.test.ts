/**
 * Two hub processes on ephemeral ports sharing the running Postgres, Redis
 * and Mosquitto: telemetry published once opens exactly one case, and an
 * agent connected to the other hub receives it live; push routing across
 * both hubs offers each case to one agent only.
 */
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Case, Queue } from '../../src/shared/domain';
import type { Offer } from '../../src/shared/routing';
import type { CasesBatch, ReassignResponse } from '../../src/shared/protocol';
import { connectSocket, publish, reading, waitFor } from './helpers';
import { MQTT_URL, useCluster } from './cluster';

describe('scale-out: two hubs, one Postgres, Redis and Mosquitto', () => {
  const { hubs, databaseUrl } = useCluster(2, 'scale-out');

  it('reports the Redis adapter in health on both hubs', async () => {
    for (const { url } of hubs) {
      expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ status: 'ok', adapter: { kind: 'redis-streams', ok: true }, db: { backend: 'postgres' } });
    }
  });

  const login = async (url: string, username = 'ana') =>
    ((await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) })).json()) as { token: string }).token;
  const me = (url: string, token: string) => fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });

  it('refuses a token on every hub as soon as it is signed out on one, though the others remembered it', async () => {
    const token = await login(hubs[0]!.url, 'ivan');
    expect((await me(hubs[1]!.url, token)).status).toBe(200);
    expect((await fetch(`${hubs[0]!.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(204);
    expect((await me(hubs[1]!.url, token)).status).toBe(401);
    expect((await me(hubs[0]!.url, token)).status).toBe(401);
  });

  it('processes each reading on exactly one hub and pushes the case to consoles on the other', async () => {
    const received: Case[][] = [[], []];
    const sockets = await Promise.all(
      hubs.map(async ({ url }, i) => {
        const socket = connectSocket(url, await login(url));
        socket.on('case:upsert', (c: Case) => received[i]!.push(c));
        await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
        return socket;
      }),
    );
    try {
      // Several independent devices, each tripping its rule once: with shared subscriptions they spread over both hubs.
      const devices = ['car-0002', 'car-0003', 'car-0004', 'car-0005', 'car-0006'];
      const t = Date.now();
      for (const device of devices) {
        await publish(MQTT_URL, `devices/${device}/telemetry`, [[reading(120, 'engine_temp', t), reading(121, 'engine_temp', t + 1), reading(122, 'engine_temp', t + 2)]]);
      }
      const deviceCases = (list: Case[]) => list.filter((c) => devices.includes(c.deviceId ?? '') && c.tags.includes('device-alert'));
      for (let i = 0; i < 200 && received.some((list) => deviceCases(list).length < devices.length); i++) await new Promise((r) => setTimeout(r, 50));
      // Both consoles saw every case, whichever hub opened it.
      for (const list of received) expect(deviceCases(list).map((c) => c.deviceId).sort()).toEqual(devices);

      const sam = await (await fetch(`${hubs[0]!.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"sam","password":"demo"}' })).json() as { token: string };
      const all = (await (await fetch(`${hubs[0]!.url}/api/cases?limit=500`, { headers: { authorization: `Bearer ${sam.token}` } })).json()) as { cases: Case[] };
      // Exactly one case per device, and every reading stored once: no hub processed a message the other had.
      expect(deviceCases(all.cases).map((c) => c.deviceId).sort()).toEqual(devices);
      const db = new pg.Client({ connectionString: databaseUrl() });
      await db.connect();
      try {
        const { rows } = await db.query<{ device_id: string; n: string }>(
          'SELECT device_id, count(*) AS n FROM telemetry WHERE device_id = ANY($1) GROUP BY device_id ORDER BY device_id',
          [devices],
        );
        expect(rows.map((r) => [r.device_id, Number(r.n)])).toEqual(devices.map((d) => [d, 3]));
      } finally {
        await db.end();
      }
    } finally {
      for (const socket of sockets) socket.close();
    }
  });

  it('moves cases in bulk on one hub, and the consoles on the other see each leave and arrive exactly once', async () => {
    const [sam, ana, ivan] = [await login(hubs[0]!.url, 'sam'), await login(hubs[1]!.url, 'ana'), await login(hubs[1]!.url, 'ivan')];
    const get = async <T>(url: string, path: string, token: string) => (await (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
    const queues = (await get<{ queues: Queue[] }>(hubs[0]!.url, '/api/queues', sam)).queues;
    const [social, billing] = [queues.find((q) => q.name === 'Social')!.id, queues.find((q) => q.name === 'Billing')!.id];
    const ivanId = (await get<{ user: { id: string } }>(hubs[1]!.url, '/api/me', ivan)).user.id;
    const all = (await get<{ cases: Case[] }>(hubs[0]!.url, '/api/cases?limit=500', sam)).cases;
    const waiting = all.filter((c) => c.queueId === social && c.assigneeId === null && !['solved', 'closed'].includes(c.status));
    expect(waiting.length).toBeGreaterThanOrEqual(10);
    const [sentinel, ...moving] = waiting;
    const ids = new Set(moving.map((c) => c.id));

    // Ana (Social) and Ivan (Billing) are on the other hub than the supervisor.
    const anaSocket = connectSocket(hubs[1]!.url, ana);
    const ivanSocket = connectSocket(hubs[1]!.url, ivan);
    const removed = new Map<string, number>();
    const arrived = new Map<string, number>();
    const count = (map: Map<string, number>, id: string) => map.set(id, (map.get(id) ?? 0) + 1);
    anaSocket.on('cases:batch', (b: CasesBatch) => b.removed.forEach((p) => ids.has(p.id) && count(removed, p.id)));
    ivanSocket.on('cases:batch', (b: CasesBatch) => b.cases.forEach((c) => ids.has(c.id) && c.assigneeId === ivanId && count(arrived, c.id)));
    try {
      await Promise.all([anaSocket, ivanSocket].map((socket) => new Promise<void>((resolve) => socket.once('connect', () => resolve()))));
      const response = await fetch(`${hubs[0]!.url}/api/cases/reassign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${sam}` },
        body: JSON.stringify({ caseIds: [...ids], assigneeId: ivanId, queueId: billing }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as ReassignResponse).moved).toBe(ids.size);
      await waitFor(async () => (removed.size === ids.size && [...ids].every((id) => arrived.has(id)) ? true : undefined), 15_000);

      // A sentinel after them: one more case moved to Ivan. Once it has arrived, no second copy of the first ones is still on its way.
      ids.add(sentinel!.id);
      await fetch(`${hubs[0]!.url}/api/cases/reassign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${sam}` },
        body: JSON.stringify({ caseIds: [sentinel!.id], assigneeId: ivanId, queueId: billing }),
      });
      await waitFor(async () => (arrived.has(sentinel!.id) ? true : undefined), 15_000);
      expect([...arrived.values()].every((n) => n === 1)).toBe(true);
      expect([...removed.values()].every((n) => n === 1)).toBe(true);
    } finally {
      anaSocket.close();
      ivanSocket.close();
    }
  });
  it('routes a push queue across both hubs: each case offered to one agent only, wherever the agent is connected, and the next one offered once an agent is free', async () => {
    const [admin, sam] = [await login(hubs[0]!.url, 'admin'), await login(hubs[0]!.url, 'sam')];
    const send = async (url: string, method: string, path: string, body: unknown, token: string) =>
      fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const get = async <T>(url: string, path: string, token: string) => (await (await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
    const [ana, dewi] = [await login(hubs[1]!.url, 'ana'), await login(hubs[0]!.url, 'dewi')];
    const ids = { ana: (await get<{ user: { id: string } }>(hubs[1]!.url, '/api/me', ana)).user.id, dewi: (await get<{ user: { id: string } }>(hubs[0]!.url, '/api/me', dewi)).user.id };
    const queue = ((await (await send(hubs[0]!.url, 'POST', '/api/admin/queues', { name: 'Scale-out push', description: 'routed across hubs' }, admin)).json()) as { queue: Queue }).queue;
    expect((await send(hubs[0]!.url, 'PUT', `/api/admin/queues/${queue.id}/members`, { userIds: [ids.ana, ids.dewi] }, admin)).status).toBe(200);
    expect((await send(hubs[1]!.url, 'PUT', `/api/admin/queues/${queue.id}/routing`, { routing: 'push', offerSeconds: 120 }, admin)).status).toBe(200);

    // Ana on the second hub, Dewi on the first: each hears only their own offers.
    const heard: Record<'ana' | 'dewi', Offer[]> = { ana: [], dewi: [] };
    const sockets = [connectSocket(hubs[1]!.url, ana), connectSocket(hubs[0]!.url, dewi)];
    sockets[0]!.on('offer:new', (offer: Offer) => heard.ana.push(offer));
    sockets[1]!.on('offer:new', (offer: Offer) => heard.dewi.push(offer));
    try {
      await Promise.all(sockets.map((socket) => new Promise<void>((resolve) => socket.once('connect', () => resolve()))));
      for (const [url, token] of [[hubs[1]!.url, ana], [hubs[0]!.url, dewi]] as const) {
        await waitFor(async () => ((await get<{ presence: { presence: string } | null }>(url, '/api/me', token)).presence?.presence === 'available' ? true : undefined), 15_000);
      }
      const billing = (await get<{ queues: Queue[] }>(hubs[0]!.url, '/api/queues', sam)).queues.find((q) => q.name === 'Billing')!.id;
      const waiting = (await get<{ cases: Case[] }>(hubs[0]!.url, '/api/cases?limit=500', sam)).cases.filter((c) => c.queueId === billing && c.assigneeId === null && ['new', 'open'].includes(c.status));
      expect(waiting.length).toBeGreaterThanOrEqual(3);
      const [first, second, third] = waiting;
      // Moved in on the first hub; both hubs run rounds, each with its own waiting board.
      expect((await send(hubs[0]!.url, 'POST', '/api/cases/reassign', { caseIds: [first!.id, second!.id], queueId: queue.id }, sam)).status).toBe(200);
      await waitFor(async () => (heard.ana.length >= 1 && heard.dewi.length >= 1 ? true : undefined), 15_000);
      expect(new Set([heard.ana[0]!.case.id, heard.dewi[0]!.case.id])).toEqual(new Set([first!.id, second!.id]));

      // Ana accepts on her hub; a third case moved in on the other goes to her, the one free agent, once.
      expect((await send(hubs[1]!.url, 'POST', `/api/offers/${heard.ana[0]!.case.id}/accept`, {}, ana)).status).toBe(200);
      expect((await send(hubs[0]!.url, 'POST', '/api/cases/reassign', { caseIds: [third!.id], queueId: queue.id }, sam)).status).toBe(200);
      await waitFor(async () => (heard.ana.length >= 2 ? true : undefined), 15_000);
      expect(heard.ana[1]!.case.id).toBe(third!.id);
      // Dewi still holds her one offer: nothing was offered to her again, nor the accepted case to anyone.
      expect(heard.dewi.map((o) => o.case.id)).toEqual([heard.dewi[0]!.case.id]);
      expect(heard.ana.map((o) => o.case.id)).toEqual([heard.ana[0]!.case.id, third!.id]);
    } finally {
      for (const socket of sockets) socket.close();
    }
  });
});
