/**
 * Connection state recovery: a console whose transport drops and comes back
 * within two minutes is restored with the events it missed — but only when
 * its token still opens a session, and only into the rooms of the user's
 * role and queues as they are now.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { io, type Socket } from 'socket.io-client';
import type { Case, Message } from '../../src/shared/domain';
import { backends, startTestHub, type TestHub } from './backends';
import { casesFor, me, queuesOf, waitFor } from './helpers';

/** socket.io-parser's EVENT packet type. */
const EVENT_PACKET = 2;

interface Console {
  socket: Socket;
  /** Bodies of the notes this console was told about, in order. */
  notes: string[];
  presence: { userId: string; presence: string }[];
  /** Every EVENT packet that reached the client, connected or not (socket.io buffers those that come before CONNECT). */
  wire: unknown[];
}

describe.each(backends)('connection state recovery on $name', (backend) => {
  let hub: TestHub;
  let admin: string;
  let watcher: Console;
  const caseIn: Record<string, Case> = {};

  async function open(token: string): Promise<Console> {
    const socket = io(hub.url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    const c: Console = { socket, notes: [], presence: [], wire: [] };
    socket.on('message:upsert', (m: Message) => c.notes.push(m.body));
    socket.on('presence:update', (p: { userId: string; presence: string }) => c.presence.push(p));
    socket.io.on('packet', (packet) => void (packet.type === EVENT_PACKET && c.wire.push(packet.data)));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return c;
  }

  async function note(queue: string, body: string): Promise<void> {
    const mutation = { id: uuidv7(), kind: 'case.note', entityId: caseIn[queue]!.id, baseVersion: 0, createdAt: new Date().toISOString(), payload: { body } };
    const response = await hub.post('/api/sync/push', { mutations: [mutation] }, admin);
    expect(((await response.json()) as { results: { status: string }[] }).results[0]!.status).toBe('applied');
  }

  const heard = (c: Console, body: string) => waitFor(async () => (c.notes.includes(body) ? true : undefined));

  /** An event in scope first: a client without an offset asks for no recovery at all. */
  async function prime(c: Console, queue: string): Promise<void> {
    const body = `prime ${uuidv7()}`;
    await note(queue, body);
    await heard(c, body);
  }

  /** Drops the transport (not a sign-out: the hub keeps the session) and waits until the hub has seen it go. */
  async function blip(c: Console, userId: string): Promise<void> {
    const seen = watcher.presence.length;
    const down = new Promise((resolve) => c.socket.once('disconnect', resolve));
    c.socket.io.engine.close();
    await down;
    await waitFor(async () => (watcher.presence.slice(seen).some((p) => p.userId === userId && p.presence === 'offline') ? true : undefined));
  }

  /** Reconnects with the same recovery session (pid and offset) and says how the hub answered. */
  function rejoin(c: Console): Promise<{ recovered: boolean } | { error: string }> {
    return new Promise((resolve) => {
      c.socket.once('connect', () => resolve({ recovered: c.socket.recovered }));
      c.socket.once('connect_error', (error) => resolve({ error: error.message }));
      c.socket.connect();
    });
  }

  beforeAll(async () => {
    hub = await startTestHub(backend);
    admin = await hub.login('admin');
    const queues = await queuesOf(hub, admin);
    const cases = await casesFor(hub, admin);
    for (const q of queues) {
      const found = cases.find((c) => c.queueId === q.id && c.assigneeId === null);
      if (found) caseIn[q.name] = found;
    }
    expect(Object.keys(caseIn)).toEqual(expect.arrayContaining(['Devices', 'Support', 'Social', 'Billing']));
    watcher = await open(admin);
  });
  afterAll(async () => {
    watcher?.socket.close();
    await hub?.close();
  });

  it('restores an untouched session with the events it missed, and it goes on hearing new ones', async () => {
    const token = await hub.login('ana');
    const ana = await open(token);
    try {
      await prime(ana, 'Devices');
      await blip(ana, (await me(hub, token)).user.id);
      await note('Devices', 'while ana was away');
      expect(await rejoin(ana)).toEqual({ recovered: true });
      await heard(ana, 'while ana was away');
      await note('Devices', 'after ana came back');
      await heard(ana, 'after ana came back');
      expect(ana.notes.slice(1)).toEqual(['while ana was away', 'after ana came back']);
    } finally {
      ana.socket.close();
    }
  });

  it.each([
    {
      how: 'its token was signed out',
      username: 'ivan',
      queue: 'Support',
      end: async (token: string) => expect((await hub.post('/api/auth/logout', {}, token)).status).toBe(204),
    },
    {
      how: 'an admin signed the user out everywhere',
      username: 'dewi',
      queue: 'Social',
      end: async (_token: string, userId: string) => expect((await hub.post(`/api/admin/users/${userId}/sign-out`, {}, admin)).status).toBe(204),
    },
  ])('refuses to restore a session after $how, and sends it nothing it missed', async ({ username, queue, end }) => {
    const token = await hub.login(username);
    const userId = (await me(hub, token)).user.id;
    const c = await open(token);
    try {
      await prime(c, queue);
      await blip(c, userId);
      await end(token, userId);
      await note(queue, `while ${username} was signed out`);
      const wireBefore = c.wire.length;
      // The refusal (CONNECT_ERROR) is the sentinel: a missed event sent on restore would have come before it.
      expect(await rejoin(c)).toEqual({ error: 'unauthorized' });
      expect(c.wire.slice(wireBefore)).toEqual([]);
      expect(c.notes).not.toContain(`while ${username} was signed out`);
    } finally {
      c.socket.close();
    }
  });

  it('restores a demoted supervisor into the rooms of her new role only: no case outside her scope, missed or new', async () => {
    const token = await hub.login('sam');
    const sam = (await me(hub, token)).user.id;
    const c = await open(token);
    try {
      await prime(c, 'Billing');
      await blip(c, sam);
      const demoted = await fetch(new URL(`/api/admin/users/${sam}`, hub.url), {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ role: 'agent' }),
      });
      expect(demoted.status).toBe(200);
      // An agent with no queues: Billing's unassigned cases are outside her scope now.
      await note('Billing', 'missed while demoted');
      expect(await rejoin(c)).toEqual({ recovered: true });
      await note('Billing', 'after the demotion');
      // Sentinel: her own presence reaches her user room, after the note above.
      const presence = await hub.post(
        '/api/sync/push',
        { mutations: [{ id: uuidv7(), kind: 'presence.set', entityId: sam, baseVersion: 0, createdAt: new Date().toISOString(), payload: { presence: 'busy' } }] },
        token,
      );
      expect(presence.status).toBe(200);
      await waitFor(async () => (c.presence.some((p) => p.userId === sam && p.presence === 'busy') ? true : undefined));
      expect(c.notes.slice(1)).toEqual([]);
    } finally {
      c.socket.close();
    }
  });
});
