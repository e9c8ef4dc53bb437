import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { type Case, type Customer, type Device, type Message, QueueSchema, UserSchema } from '../../src/shared/domain';
import { CaseDetailResponseSchema, CaseListResponseSchema, parseSyncRow } from '../../src/shared/protocol';
import { backends, startTestHub, type TestHub } from './backends';
import { casesFor, connectSocket, me, pullAll, rowsOf } from './helpers';

describe.each(backends)('hub API on $name', (backend) => {
  let hub: TestHub;
  let ana: string;
  let sam: string;

  beforeAll(async () => {
    hub = await startTestHub(backend);
    [ana, sam] = await Promise.all([hub.login('ana'), hub.login('sam')]);
  });
  afterAll(() => hub?.close());

  it('reports health with its storage', async () => {
    const response = await hub.get('/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ok',
      db: { backend: backend.name, ok: true },
      mqtt: { url: hub.mqttUrl, connected: true },
      adapter: { ok: true },
    });
  });

  describe('errors', () => {
    it('answers an unknown route and a body that is not JSON in the {error, message} shape', async () => {
      const missing = await hub.get('/api/nothing-here', sam);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: 'not_found', message: 'no route GET /api/nothing-here' });
      const badJson = await fetch(new URL('/api/auth/login', hub.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
      expect(badJson.status).toBe(400);
      const body = (await badJson.json()) as { error: string; message: string };
      expect(body.error).toBe('invalid_request');
      expect(body.message).toMatch(/JSON/);
    });
  });

  describe('auth', () => {
    it('logs in with the demo password and returns the user', async () => {
      const response = await hub.post('/api/auth/login', { username: 'sam', password: 'demo' });
      const body = (await response.json()) as { token: string; user: { role: string; username: string } };
      expect(response.status).toBe(200);
      expect(body.user).toMatchObject({ role: 'supervisor', username: 'sam' });
      expect(body.token.split('.')).toHaveLength(3);
      expect(JSON.stringify(body)).not.toContain('argon2');
    });

    it.each([
      ['a wrong password', { username: 'ana', password: 'wrong' }],
      ['an unknown user', { username: 'nobody', password: 'demo' }],
    ])('refuses %s with 401 and no token', async (_label, body) => {
      const response = await hub.post('/api/auth/login', body);
      expect(response.status).toBe(401);
      const answer = (await response.json()) as Record<string, unknown>;
      expect(answer).toEqual({ error: 'unauthorized', message: 'wrong username or password', wording: { key: 'hub.wrongPassword' } });
    });

    it('answers a malformed login body with 400 naming the field', async () => {
      const response = await hub.post('/api/auth/login', { username: 'ana' });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toContain('password');
    });

    it('requires a valid token on every /api route', async () => {
      const forged = await new SignJWT({ role: 'supervisor' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject((await me(hub, sam)).user.id)
        .setIssuer('switchboard-hub')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('not-the-hub-secret-not-the-hub-secret'));
      for (const token of [undefined, 'garbage', forged]) {
        for (const path of ['/api/cases', '/api/queues', '/api/me']) expect((await hub.get(path, token)).status).toBe(401);
        expect((await hub.post('/api/sync/pull', { cursor: 0 }, token)).status).toBe(401);
      }
    });

    it('refuses a socket without a valid token', async () => {
      const socket = connectSocket(hub.url, 'garbage');
      const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
      socket.close();
      expect(error.message).toBe('unauthorized');
    });
  });

  describe('scope', () => {
    it('shows an agent only the cases of her queues and her own assignments', async () => {
      const { user, queueIds } = await me(hub, ana);
      const mine = await casesFor(hub, ana);
      const all = await casesFor(hub, sam);
      expect(all).toHaveLength(200);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.length).toBeLessThan(all.length);
      for (const c of mine) expect(queueIds.includes(c.queueId) || c.assigneeId === user.id).toBe(true);
      const visible = new Set(mine.map((c) => c.id));
      const hidden = all.filter((c) => !queueIds.includes(c.queueId) && c.assigneeId !== user.id);
      expect(hidden.length).toBeGreaterThan(0);
      expect(hidden.some((c) => visible.has(c.id))).toBe(false);
    });

    it('answers 404 for a case outside the scope and the detail inside it', async () => {
      const { queueIds, user } = await me(hub, ana);
      const all = await casesFor(hub, sam);
      const outside = all.find((c) => !queueIds.includes(c.queueId) && c.assigneeId !== user.id)!;
      const inside = (await casesFor(hub, ana))[0]!;
      expect((await hub.get(`/api/cases/${outside.id}`, ana)).status).toBe(404);
      expect((await hub.get(`/api/cases/${outside.id}`, sam)).status).toBe(200);
      const detail = (await (await hub.get(`/api/cases/${inside.id}`, ana)).json()) as { case: Case; messages: unknown[]; customer: Customer };
      expect(detail.case.id).toBe(inside.id);
      expect(detail.messages.length).toBeGreaterThan(0);
      expect(detail.customer.id).toBe(inside.customerId);
      expect((await hub.get('/api/cases/not-a-uuid', sam)).status).toBe(400);
    });

    it('gives a technician only her assignments', async () => {
      const tess = await hub.login('tess');
      const { user } = await me(hub, tess);
      const cases = await casesFor(hub, tess);
      expect(cases.length).toBeGreaterThanOrEqual(5);
      for (const c of cases) expect(c.assigneeId).toBe(user.id);
    });
  });

  describe('wire shapes', () => {
    it('serialises every row exactly as the domain schemas say (numbers as numbers, ISO times, no extra fields)', async () => {
      const { changes } = await pullAll(hub, sam);
      expect(new Set(changes.map((c) => c.entity))).toEqual(new Set(['case', 'customer', 'message', 'device', 'queue', 'user', 'article']));
      for (const change of changes) {
        if (change.op !== 'upsert') continue;
        // Parsing strips unknown keys: equality proves there are none (no password or token hashes).
        expect(parseSyncRow(change.entity, change.row)).toEqual(change.row);
        expect(typeof change.rev).toBe('number');
      }
      const list = await (await hub.get('/api/cases?limit=5', sam)).json();
      expect(CaseListResponseSchema.parse(list)).toEqual(list);
      const first = (list as { cases: Case[] }).cases[0]!;
      const detail = await (await hub.get(`/api/cases/${first.id}`, sam)).json();
      expect(CaseDetailResponseSchema.parse(detail)).toEqual(detail);
      const { queues } = (await (await hub.get('/api/queues', ana)).json()) as { queues: unknown[] };
      expect(queues.map((q) => QueueSchema.parse(q))).toEqual(queues);
      const { users } = (await (await hub.get('/api/users', ana)).json()) as { users: unknown[] };
      expect(users.map((u) => UserSchema.parse(u))).toEqual(users);
      expect(JSON.stringify(users)).not.toMatch(/argon2|password/i);
    });

    it('filters and pages the case list', async () => {
      const { queueIds } = await me(hub, ana);
      const page = (await (await hub.get(`/api/cases?queueId=${queueIds[0]}&status=open&limit=3&offset=0`, ana)).json()) as { cases: Case[]; total: number };
      expect(page.cases.length).toBeLessThanOrEqual(3);
      for (const c of page.cases) expect(c).toMatchObject({ queueId: queueIds[0], status: 'open' });
      const all = (await casesFor(hub, ana)).filter((c) => c.queueId === queueIds[0] && c.status === 'open');
      expect(page.total).toBe(all.length);
      expect((await hub.get('/api/cases?status=exploded', ana)).status).toBe(400);
      expect((await hub.get('/api/cases?limit=0', ana)).status).toBe(400);
    });
  });

  describe('sync pull', () => {
    it('pages through everything in rev order with no gaps or repeats', async () => {
      const { changes, pages, cursor } = await pullAll(hub, sam, 0, 97);
      expect(pages).toBeGreaterThan(3);
      const revs = changes.map((c) => c.rev);
      expect(revs).toEqual([...revs].sort((a, b) => a - b));
      expect(new Set(revs).size).toBe(revs.length);
      expect(cursor).toBe(revs.at(-1));
      expect(rowsOf<Case>(changes, 'case')).toHaveLength(200);
      const oneShot = await pullAll(hub, sam, 0, 5000);
      expect(oneShot.changes.map((c) => c.rev)).toEqual(revs);
      expect((await pullAll(hub, sam, cursor)).changes).toHaveLength(0);
    });

    it('keeps an agent’s pull inside her scope', async () => {
      const { changes } = await pullAll(hub, ana);
      const pulled = rowsOf<Case>(changes, 'case').map((c) => c.id).sort();
      expect(pulled).toEqual((await casesFor(hub, ana)).map((c) => c.id).sort());
      const customerIds = new Set(rowsOf<Case>(changes, 'case').map((c) => c.customerId));
      for (const customer of rowsOf<Customer>(changes, 'customer')) expect(customerIds.has(customer.id)).toBe(true);
    });

    it('rejects a bad cursor with 400', async () => {
      expect((await hub.post('/api/sync/pull', { cursor: -1 }, sam)).status).toBe(400);
      expect((await hub.post('/api/sync/pull', { cursor: 'zero' }, sam)).status).toBe(400);
    });
  });

  describe('demo dataset', () => {
    it('has the customers, channels, languages and assignments the demo promises', async () => {
      const { changes } = await pullAll(hub, sam);
      const cases = rowsOf<Case>(changes, 'case');
      const customers = rowsOf<Customer>(changes, 'customer');
      const devices = rowsOf<Device>(changes, 'device');
      expect(customers.length).toBeGreaterThanOrEqual(40);
      expect(new Set(cases.map((c) => c.channel))).toEqual(new Set(['phone', 'email', 'x', 'facebook', 'device']));
      expect(new Set(cases.map((c) => c.language))).toEqual(new Set(['en', 'ru', 'id', 'is']));
      const users = await (await hub.get('/api/users', sam)).json() as { users: { id: string; username: string }[] };
      const id = (name: string) => users.users.find((u) => u.username === name)!.id;
      expect(cases.filter((c) => c.assigneeId === id('tess') && c.status === 'open').length).toBeGreaterThanOrEqual(5);
      expect(cases.some((c) => c.assigneeId === id('ivan'))).toBe(true);
      expect(cases.some((c) => c.assigneeId === null)).toBe(true);
      expect(new Set(cases.map((c) => c.queueId)).size).toBeGreaterThanOrEqual(4);
      const messages = rowsOf<Message>(changes, 'message');
      const perCase = new Map<string, number>();
      for (const m of messages) perCase.set(m.caseId, (perCase.get(m.caseId) ?? 0) + 1);
      expect(perCase.size).toBe(200);
      expect(Math.min(...perCase.values())).toBeGreaterThanOrEqual(1);
      expect(Math.max(...perCase.values())).toBeLessThanOrEqual(4);
      // Written in the customers' languages, not just tagged with them.
      expect(messages.some((m) => /[а-яё]/i.test(m.body))).toBe(true);
      expect(messages.some((m) => /[ðþæ]/i.test(m.body))).toBe(true);
      expect(messages.some((m) => /\b(saya|kami|Anda)\b/.test(m.body))).toBe(true);
      expect(new Set(cases.map((c) => c.subject)).size).toBeGreaterThanOrEqual(40);
      expect(new Set(customers.map((c) => c.plan)).size).toBeGreaterThanOrEqual(3);
      expect(customers.some((c) => Object.keys(c.handles).length > 0)).toBe(true);
      expect(new Set(customers.map((c) => c.language))).toEqual(new Set(['en', 'ru', 'id', 'is']));
      expect(devices.length).toBeGreaterThanOrEqual(15);
      expect(new Set(devices.map((d) => d.id.split('-')[0]))).toEqual(new Set(['car', 'thermo', 'router']));
      const car = devices.find((d) => d.id === 'car-0001')!;
      expect(car.health).toBe('ok');
      expect(car.ownerId).not.toBeNull();
      expect(cases.filter((c) => c.deviceId === 'car-0001' && !['solved', 'closed'].includes(c.status))).toHaveLength(0);
    });
  });
});

describe('metrics', () => {
  it('counts readings, cases, mutations and sockets in Prometheus text format', async () => {
    const hub = await startTestHub(backends[0]!);
    try {
      const sam = await hub.login('sam');
      const socket = connectSocket(hub.url, sam);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      const t = Date.now();
      const post = (body: unknown) =>
        fetch(new URL('/api/devices/car-0002/telemetry', hub.url), {
          method: 'POST',
          headers: { authorization: 'Bearer demo-token-car-0002', 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      expect((await post([120, 121, 122].map((value, i) => ({ metric: 'engine_temp', value, ts: new Date(t + i).toISOString() })))).status).toBe(202);
      expect((await post({ metric: 'engine_temp', value: 'hot' })).status).toBe(400);
      await hub.post('/api/sync/pull', { cursor: 0 }, sam);
      await hub.post('/api/sync/push', { mutations: [{ id: 'not-a-mutation' }] }, sam);

      // Metrics need a token: a supervisor's session reads them.
      const response = await hub.get('/metrics', sam);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
      expect(value('switchboard_telemetry_readings_total{result="stored"}')).toBe(3);
      expect(value('switchboard_telemetry_readings_total{result="rejected"}')).toBe(1);
      expect(value('switchboard_cases_created_total{source="device"}')).toBe(1);
      expect(value('switchboard_sync_mutations_total{status="rejected"}')).toBe(1);
      expect(value('switchboard_sync_duration_seconds_count{op="pull"}')).toBe(1);
      expect(value('switchboard_sockets_connected')).toBe(1);
      socket.close();
    } finally {
      await hub.close();
    }
  });
});
