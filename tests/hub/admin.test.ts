import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminUser } from '../../src/shared/admin';
import { uuidv7 } from 'uuidv7';
import type { Case, Queue } from '../../src/shared/domain';
import type { AgentStats, QueueStats, SyncPushResponse } from '../../src/shared/protocol';
import { backends, startTestHub, type TestHub } from './backends';
import { casesFor, connectSocket, me } from './helpers';

describe.each(backends)('admin API on $name', (backend) => {
  let hub: TestHub;
  let admin: string;
  let sam: string;
  let ana: string;
  const send = (method: string, path: string, body: unknown, token: string) =>
    fetch(new URL(path, hub.url), { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    // Board figures only on connect and on change: one arriving within seconds was sent because of the change.
    hub = await startTestHub(backend, { queueStatsIntervalMs: 600_000 });
    [admin, sam, ana] = await Promise.all([hub.login('admin'), hub.login('sam'), hub.login('ana')]);
  });
  afterAll(() => hub?.close());

  it('refuses agents and supervisors what only admins may do', async () => {
    for (const token of [ana, sam]) {
      expect((await hub.post('/api/admin/users', { username: 'x', name: 'X', role: 'agent', password: 'long-enough' }, token)).status).toBe(403);
      expect((await hub.post('/api/admin/queues', { name: 'Nope' }, token)).status).toBe(403);
    }
    expect((await hub.get('/api/admin/users', ana)).status).toBe(403);
    expect((await hub.get('/api/admin/users', sam)).status).toBe(200);
    expect((await hub.get('/api/admin/users')).status).toBe(401);
  });

  it('creates a user who can log in, with skills and capacity, and refuses a taken username', async () => {
    const created = await hub.post('/api/admin/users', { username: 'mira', name: 'Mira Holm', role: 'agent', password: 'correct horse', skills: ['is', 'billing'] }, admin);
    expect(created.status).toBe(201);
    const { user } = (await created.json()) as { user: AdminUser };
    expect(user).toMatchObject({ username: 'mira', role: 'agent', skills: ['is', 'billing'], capacity: 10, queueIds: [] });
    expect(JSON.stringify(user)).not.toContain('argon2');
    expect((await hub.post('/api/auth/login', { username: 'mira', password: 'correct horse' })).status).toBe(200);
    const again = await hub.post('/api/admin/users', { username: 'mira', name: 'Other', role: 'agent', password: 'correct horse' }, admin);
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'conflict', message: 'the username "mira" is taken' });
    const bad = await hub.post('/api/admin/users', { username: 'Bad Name', name: '', role: 'boss', password: 'short' }, admin);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/username[\s\S]*role[\s\S]*password/);
  });

  const userNamed = async (username: string) => ((await (await hub.get('/api/admin/users', admin)).json()) as { users: AdminUser[] }).users.find((u) => u.username === username)!;
  const connected = async (token: string) => {
    const socket = connectSocket(hub.url, token);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    return { socket, closed: new Promise<string>((resolve) => socket.once('disconnect', resolve)) };
  };

  it('changes role, skills and password; the old password and every session signed in with it stop working', async () => {
    const ivan = await userNamed('ivan');
    const before = await hub.login('ivan');
    const live = await connected(before);
    const patched = await send('PATCH', `/api/admin/users/${ivan.id}`, { skills: ['ru', 'email'], capacity: 6, password: 'a new secret' }, admin);
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { user: AdminUser }).user).toMatchObject({ skills: ['ru', 'email'], capacity: 6 });
    expect((await hub.post('/api/auth/login', { username: 'ivan', password: 'demo' })).status).toBe(401);
    expect((await hub.get('/api/me', before)).status).toBe(401);
    expect(await live.closed).toBe('io server disconnect');
    const after = await hub.login('ivan', 'a new secret');
    expect((await hub.get('/api/me', after)).status).toBe(200);
    // A change that is not a password leaves sessions alone.
    expect((await send('PATCH', `/api/admin/users/${ivan.id}`, { capacity: 7 }, admin)).status).toBe(200);
    expect((await hub.get('/api/me', after)).status).toBe(200);
    expect((await send('PATCH', `/api/admin/users/${ivan.id}`, {}, admin)).status).toBe(400);
    expect((await send('PATCH', `/api/admin/users/${ivan.id}`, { role: 'overlord' }, admin)).status).toBe(400);
  });

  it('signs a user out of every console at once; only an admin may', async () => {
    const tess = await userNamed('tess');
    const [laptop, desk] = [await hub.login('tess'), await hub.login('tess')];
    const live = await connected(laptop);
    expect((await hub.post(`/api/admin/users/${tess.id}/sign-out`, {}, sam)).status).toBe(403);
    expect((await hub.post(`/api/admin/users/${tess.id}/sign-out`, {}, laptop)).status).toBe(403);
    expect((await hub.post(`/api/admin/users/${uuidv7()}/sign-out`, {}, admin)).status).toBe(404);
    expect((await hub.post('/api/admin/users/not-an-id/sign-out', {}, admin)).status).toBe(400);
    expect((await hub.get('/api/me', laptop)).status).toBe(200);

    expect((await hub.post(`/api/admin/users/${tess.id}/sign-out`, {}, admin)).status).toBe(204);
    for (const token of [laptop, desk]) {
      expect((await hub.get('/api/me', token)).status).toBe(401);
      expect((await hub.post('/api/auth/refresh', {}, token)).status).toBe(401);
    }
    expect(await live.closed).toBe('io server disconnect');
    const retry = connectSocket(hub.url, laptop);
    expect(await new Promise<string>((resolve) => retry.once('connect_error', (error: Error) => resolve(error.message)))).toBe('unauthorized');
    retry.close();
    // Others are untouched, and she can sign in again.
    expect((await hub.get('/api/me', sam)).status).toBe(200);
    expect((await hub.get('/api/me', await hub.login('tess'))).status).toBe(200);
  });

  it('lets a supervisor move an agent into a queue, which widens her scope at once, live too', async () => {
    const { queues } = (await (await hub.get('/api/queues', sam)).json()) as { queues: Queue[] };
    const { user, queueIds } = await me(hub, ana);
    const billing = queues.find((q) => q.name === 'Billing')!;
    expect(queueIds).not.toContain(billing.id);
    const socket = connectSocket(hub.url, ana);
    const live: Case[] = [];
    socket.on('case:upsert', (c: Case) => live.push(c));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const before = await casesFor(hub, ana);
    const { users } = (await (await hub.get('/api/admin/users', sam)).json()) as { users: AdminUser[] };
    const current = users.filter((u) => u.queueIds.includes(billing.id)).map((u) => u.id);
    expect((await send('PUT', `/api/admin/queues/${billing.id}/members`, { userIds: [...current, user.id] }, sam)).status).toBe(200);
    const after = await casesFor(hub, ana);
    expect(after.length).toBeGreaterThan(before.length);
    expect(after.some((c) => c.queueId === billing.id)).toBe(true);
    // The socket opened before the change now receives Billing's cases.
    const billingCase = after.find((c) => c.queueId === billing.id)!;
    const push = await hub.post(
      '/api/sync/push',
      { mutations: [{ id: uuidv7(), kind: 'case.update', entityId: billingCase.id, baseVersion: billingCase.version, createdAt: new Date().toISOString(), payload: { fields: { tags: ['vip'] } } }] },
      sam,
    );
    expect(push.status).toBe(200);
    for (let i = 0; i < 100 && !live.some((c) => c.id === billingCase.id); i++) await new Promise((r) => setTimeout(r, 50));
    socket.close();
    expect(live.map((c) => c.id)).toContain(billingCase.id);
    expect((await send('PUT', `/api/admin/queues/${billing.id}/members`, { userIds: ['00000000-0000-7000-8000-000000000000'] }, sam)).status).toBe(404);
    expect((await send('PUT', `/api/admin/queues/${billing.id}/members`, { userIds: [user.id] }, ana)).status).toBe(403);
  });

  it('moves the open sockets of a user to the rooms of a new role at once, and the token follows on the next request', async () => {
    const created = await hub.post('/api/admin/users', { username: 'oskar', name: 'Oskar Berg', role: 'supervisor', password: 'correct horse' }, admin);
    const { user } = (await created.json()) as { user: AdminUser };
    const token = ((await (await hub.post('/api/auth/login', { username: 'oskar', password: 'correct horse' })).json()) as { token: string }).token;
    const socket = connectSocket(hub.url, token);
    const live: Case[] = [];
    socket.on('case:upsert', (c: Case) => live.push(c));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const [watched, marker, marker2] = (await casesFor(hub, sam)).filter((c) => c.assigneeId === null && c.status !== 'closed');
    const change = async (c: Case, payload: object, kind = 'case.update') => {
      const current = (await casesFor(hub, sam)).find((x) => x.id === c.id)!;
      const response = await hub.post('/api/sync/push', { mutations: [{ id: uuidv7(), kind, entityId: c.id, baseVersion: current.version, createdAt: new Date().toISOString(), payload }] }, sam);
      expect(response.status).toBe(200);
      const [result] = ((await response.json()) as SyncPushResponse).results;
      expect(result).toMatchObject({ status: 'applied' });
      return (result as { version: number }).version;
    };
    const arrived = async (id: string, version: number) => {
      for (let i = 0; i < 100 && !live.some((c) => c.id === id && c.version === version); i++) await new Promise((r) => setTimeout(r, 50));
      return live.some((c) => c.id === id && c.version === version);
    };
    try {
      // A supervisor sees every case live.
      expect(await arrived(watched!.id, await change(watched!, { fields: { tags: ['watched'] } }))).toBe(true);
      expect((await send('PATCH', `/api/admin/users/${user.id}`, { role: 'agent' }, admin)).status).toBe(200);
      // An agent in no queue: the next change of that case no longer reaches him; a case assigned to him does
      // (events reach one socket in order, so the marker arriving means the change was not sent).
      const unseen = await change(watched!, { fields: { tags: ['watched', 'again'] } });
      expect(await arrived(marker!.id, await change(marker!, { assigneeId: user.id }, 'case.assign'))).toBe(true);
      expect(live.some((c) => c.id === watched!.id && c.version === unseen)).toBe(false);
      expect((await hub.get('/api/cases?limit=500', token)).status).toBe(200);
      expect((await casesFor(hub, token)).map((c) => c.id)).not.toContain(watched!.id);
      // And back: a supervisor again, every case again.
      expect((await send('PATCH', `/api/admin/users/${user.id}`, { role: 'supervisor' }, admin)).status).toBe(200);
      expect(await arrived(marker2!.id, await change(marker2!, { fields: { tags: ['back'] } }))).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('tells the consoles of agents who join or leave a queue to pull their new scope, and the boards recount at once', async () => {
    const { queue } = (await (await hub.post('/api/admin/queues', { name: 'Returns' }, admin)).json()) as { queue: Queue };
    const [anaUser, dewiUser] = [await userNamed('ana'), await userNamed('dewi')];
    const dewi = await hub.login('dewi');
    const [anaLive, dewiLive, samLive] = await Promise.all([connected(ana), connected(dewi), connected(sam)]);
    const told = { ana: 0, dewi: 0 };
    anaLive.socket.on('scope:changed', () => told.ana++);
    dewiLive.socket.on('scope:changed', () => told.dewi++);
    const board = { queues: [] as QueueStats[], agents: [] as AgentStats[] };
    samLive.socket.on('queue:stats', (stats: QueueStats[]) => (board.queues = stats));
    samLive.socket.on('agent:stats', (stats: AgentStats[]) => (board.agents = stats));
    const until = async (what: string, done: () => boolean) => {
      for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
      if (!done()) throw new Error(`not within 5 s: ${what}`);
    };
    const signedIn = () => board.queues.find((q) => q.queueId === queue.id)?.agentsSignedIn;
    const members = (userIds: string[]) => send('PUT', `/api/admin/queues/${queue.id}/members`, { userIds }, sam);
    try {
      expect((await members([anaUser.id])).status).toBe(200);
      await until('ana told, Returns counts her', () => told.ana === 1 && signedIn() === 1);
      expect((await members([anaUser.id, dewiUser.id])).status).toBe(200);
      await until('dewi told, Returns counts two', () => told.dewi === 1 && signedIn() === 2);
      expect((await members([dewiUser.id])).status).toBe(200);
      await until('ana told she left, Returns counts one', () => told.ana === 2 && signedIn() === 1);
      // Events reach a socket in order: ana was not told when only dewi joined, dewi not when ana joined.
      expect(told).toEqual({ ana: 2, dewi: 1 });
      // Skills and capacity are on the agents board: it is sent again at once.
      expect((await send('PATCH', `/api/admin/users/${dewiUser.id}`, { skills: ['returns'], capacity: 3 }, admin)).status).toBe(200);
      await until('the agents board shows the new skills', () => board.agents.some((a) => a.userId === dewiUser.id && a.skills.includes('returns') && a.capacity === 3));
      // A new role is a new scope.
      expect((await send('PATCH', `/api/admin/users/${dewiUser.id}`, { role: 'technician' }, admin)).status).toBe(200);
      await until('dewi told of the new role', () => told.dewi === 2);
      expect((await send('PATCH', `/api/admin/users/${dewiUser.id}`, { role: 'agent', skills: [], capacity: 10 }, admin)).status).toBe(200);
    } finally {
      for (const live of [anaLive, dewiLive, samLive]) live.socket.close();
    }
  });

  it('creates and renames queues, refusing duplicate names', async () => {
    const created = await hub.post('/api/admin/queues', { name: 'Warranty', description: 'Claims under warranty' }, admin);
    expect(created.status).toBe(201);
    const { queue } = (await created.json()) as { queue: Queue };
    expect((await hub.post('/api/admin/queues', { name: 'Warranty' }, admin)).status).toBe(409);
    expect((await send('PATCH', `/api/admin/queues/${queue.id}`, { name: 'Billing' }, admin)).status).toBe(409);
    const renamed = await send('PATCH', `/api/admin/queues/${queue.id}`, { name: 'Warranty claims' }, admin);
    expect(((await renamed.json()) as { queue: Queue }).queue).toMatchObject({ name: 'Warranty claims', version: 2 });
  });
});
