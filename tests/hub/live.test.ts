/** Who hears what: live events reach exactly the consoles whose scope includes the case, once each. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Socket } from 'socket.io-client';
import type { Case } from '../../src/shared/domain';
import { backends, startTestHub, type TestHub } from './backends';
import { casesFor, connectSocket, me, waitFor } from './helpers';

describe.each(backends)('live events on $name', (backend) => {
  let hub: TestHub;
  const tokens: Record<string, string> = {};
  const sockets: Record<string, Socket> = {};
  const heard: Record<string, Case[]> = {};

  beforeAll(async () => {
    hub = await startTestHub(backend);
    for (const name of ['ana', 'ivan', 'sam', 'tess', 'admin']) {
      tokens[name] = await hub.login(name);
      heard[name] = [];
      const socket = connectSocket(hub.url, tokens[name]);
      socket.on('case:upsert', (c: Case) => heard[name]!.push(c));
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
      sockets[name] = socket;
    }
  });
  afterAll(async () => {
    for (const socket of Object.values(sockets)) socket.close();
    await hub?.close();
  });

  it('sends a change once to a console in several of the case’s rooms, and nothing to consoles outside its scope', async () => {
    const ana = await me(hub, tokens.ana!);
    const target = (await casesFor(hub, tokens.sam!)).find((c) => c.queueId === ana.queueIds[0] && c.assigneeId === null && c.status !== 'closed')!;
    expect(target).toBeDefined();
    // Assigned to ana inside her own queue: she is in both the queue room and her user room.
    const response = await hub.post(
      '/api/sync/push',
      { mutations: [{ id: uuidv7(), kind: 'case.assign', entityId: target.id, baseVersion: target.version, createdAt: new Date().toISOString(), payload: { assigneeId: ana.user.id } }] },
      tokens.sam,
    );
    expect(response.status).toBe(200);
    await waitFor(async () => (heard.ana!.length > 0 && heard.sam!.length > 0 && heard.admin!.length > 0 ? true : undefined));
    // Give a duplicate or a leak time to arrive before counting.
    await new Promise((r) => setTimeout(r, 300));
    for (const name of ['ana', 'sam', 'admin']) {
      expect(heard[name]!.map((c) => [c.id, c.assigneeId, c.version])).toEqual([[target.id, ana.user.id, target.version + 1]]);
    }
    // ivan works Support and Billing, tess only her own assignments.
    expect(heard.ivan).toEqual([]);
    expect(heard.tess).toEqual([]);
  });
});
