import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Socket } from 'socket.io-client';
import { backends, startTestHub, type TestHub } from './backends';
import { connectSocket, me } from './helpers';

type Update = { userId: string; presence: string; reason: string | null; since: string };

describe.each(backends)('presence on $name', (backend) => {
  let hub: TestHub;
  let watcher: Socket;
  const updates: Update[] = [];
  const until = async (match: (u: Update) => boolean) => {
    for (let i = 0; i < 100 && !updates.some(match); i++) await new Promise((r) => setTimeout(r, 50));
    return updates.filter(match);
  };

  beforeAll(async () => {
    hub = await startTestHub(backend);
    watcher = connectSocket(hub.url, await hub.login('sam'));
    watcher.on('presence:update', (u: Update) => updates.push(u));
    await new Promise<void>((resolve) => watcher.once('connect', () => resolve()));
  });
  afterAll(async () => {
    watcher?.close();
    await hub?.close();
  });

  it('follows the sockets: available with the first console, offline after the last', async () => {
    const token = await hub.login('ivan');
    const ivan = (await me(hub, token)).user.id;
    const first = connectSocket(hub.url, token);
    const second = connectSocket(hub.url, token);
    expect(await until((u) => u.userId === ivan && u.presence === 'available')).toHaveLength(1);
    first.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(updates.filter((u) => u.userId === ivan && u.presence === 'offline')).toHaveLength(0);
    second.close();
    expect(await until((u) => u.userId === ivan && u.presence === 'offline')).toHaveLength(1);
  });

  it('keeps what the user chose while connected, and tells supervisors', async () => {
    const token = await hub.login('dewi');
    const dewi = (await me(hub, token)).user.id;
    const socket = connectSocket(hub.url, token);
    await until((u) => u.userId === dewi && u.presence === 'available');
    const response = await hub.post(
      '/api/sync/push',
      { mutations: [{ id: uuidv7(), kind: 'presence.set', entityId: dewi, baseVersion: 0, createdAt: new Date().toISOString(), payload: { presence: 'busy' } }] },
      token,
    );
    expect(((await response.json()) as { results: { status: string }[] }).results[0]!.status).toBe('applied');
    expect(await until((u) => u.userId === dewi && u.presence === 'busy')).toHaveLength(1);
    const second = connectSocket(hub.url, token);
    await new Promise<void>((resolve) => second.once('connect', () => resolve()));
    await new Promise((r) => setTimeout(r, 200));
    // A second console does not reset "busy" to "available".
    expect(updates.filter((u) => u.userId === dewi).map((u) => u.presence)).toEqual(['available', 'busy']);
    socket.close();
    second.close();
    expect(await until((u) => u.userId === dewi && u.presence === 'offline')).toHaveLength(1);
  });

  it('takes away with a reason (refusing away without one), tells supervisors the reason and since when, and /api/me says it', async () => {
    const token = await hub.login('jon');
    const jon = (await me(hub, token)).user.id;
    const socket = connectSocket(hub.url, token);
    await until((u) => u.userId === jon && u.presence === 'available');
    const set = async (payload: object) => {
      const mutation = { id: uuidv7(), kind: 'presence.set', entityId: jon, baseVersion: 0, createdAt: new Date().toISOString(), payload };
      const response = await hub.post('/api/sync/push', { mutations: [mutation] }, token);
      return ((await response.json()) as { results: { status: string; reason?: string }[] }).results[0]!;
    };
    expect(await set({ presence: 'away' })).toMatchObject({ status: 'rejected', reason: expect.stringContaining('say why you are away') });
    expect(await set({ presence: 'available', reason: 'Lunch' })).toMatchObject({ status: 'rejected', reason: expect.stringContaining('only away and busy take a reason') });
    const before = Date.now();
    expect(await set({ presence: 'away', reason: 'Lunch' })).toMatchObject({ status: 'applied' });
    const [away] = await until((u) => u.userId === jon && u.presence === 'away');
    expect(away).toMatchObject({ reason: 'Lunch' });
    expect(Date.parse(away!.since)).toBeGreaterThanOrEqual(before - 1000);
    const mine = (await (await hub.get('/api/me', token)).json()) as { presence: { presence: string; reason: string | null } };
    expect(mine.presence).toMatchObject({ presence: 'away', reason: 'Lunch' });
    socket.close();
    expect(await until((u) => u.userId === jon && u.presence === 'offline')).toMatchObject([{ reason: null }]);
  });

  it('lets a supervisor set an agent away with a reason: live, audited, and for supervisors only', async () => {
    const [sam, ana] = [await hub.login('sam'), await hub.login('ana')];
    const tess = (await me(hub, await hub.login('tess'))).user.id;
    const override = (token: string, userId: string, body: object) => hub.post(`/api/admin/users/${userId}/presence`, body, token);
    expect((await override(ana, tess, { presence: 'away', reason: 'Training' })).status).toBe(403);
    expect((await override(sam, tess, { presence: 'away' })).status).toBe(400);
    expect((await override(sam, uuidv7(), { presence: 'away', reason: 'Training' })).status).toBe(404);
    const response = await override(sam, tess, { presence: 'away', reason: 'Training' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ userId: tess, presence: 'away', reason: 'Training' });
    expect(await until((u) => u.userId === tess && u.presence === 'away')).toMatchObject([{ reason: 'Training' }]);
    const audit = (await (await hub.get('/api/audit?action=presence.override&limit=1', sam)).json()) as { entries: { entityId: string; after: unknown; reason: string }[] };
    expect(audit.entries[0]).toMatchObject({ entityId: tess, after: { presence: 'away', reason: 'Training' }, reason: 'Training' });
  });
});
