import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Case, Customer, Message } from '../../src/shared/domain';
import type { Mutation, MutationResult, SyncPushResponse } from '../../src/shared/protocol';
import { backends, startTestHub, type TestHub } from './backends';
import { casesFor, connectSocket, me, pullAll, rowsOf } from './helpers';

type Draft = Omit<Mutation, 'id' | 'createdAt'> & { id?: string };

describe.each(backends)('sync push on $name', (backend) => {
  let hub: TestHub;
  let ana: string;
  let sam: string;
  let anaId: string;
  let anaQueues: string[];

  const push = async (token: string, ...drafts: (Draft | Record<string, unknown>)[]): Promise<MutationResult[]> => {
    const mutations = drafts.map((d) => ({ id: uuidv7(), createdAt: new Date().toISOString(), ...d }));
    const response = await hub.post('/api/sync/push', { mutations }, token);
    expect(response.status).toBe(200);
    return ((await response.json()) as SyncPushResponse).results;
  };
  const getCase = async (id: string, token = sam) => ((await (await hub.get(`/api/cases/${id}`, token)).json()) as { case: Case; messages: Message[] });
  /** A fresh case in ana's queues, unassigned, for each test. */
  const anaCase = async (customerId: string | null = null): Promise<Case> => {
    const id = uuidv7();
    const [result] = await push(sam, {
      kind: 'case.create',
      entityId: id,
      baseVersion: 0,
      payload: { case: { id, subject: 'Door sensor offline', status: 'new', priority: 'normal', channel: 'phone', customerId, deviceId: null, queueId: anaQueues[0]!, language: 'en', tags: [] } },
    });
    expect(result).toMatchObject({ status: 'applied', version: 1 });
    return (await getCase(id)).case;
  };

  beforeAll(async () => {
    hub = await startTestHub(backend);
    [ana, sam] = await Promise.all([hub.login('ana'), hub.login('sam')]);
    const who = await me(hub, ana);
    anaId = who.user.id;
    anaQueues = who.queueIds;
  });
  afterAll(() => hub?.close());

  it('applies a field change on the current version, once', async () => {
    const c = await anaCase();
    const mutation = { id: uuidv7(), kind: 'case.update', entityId: c.id, baseVersion: c.version, payload: { fields: { status: 'open' } } } as const;
    const [first] = await push(ana, mutation);
    expect(first).toMatchObject({ status: 'applied', version: c.version + 1 });
    const [again] = await push(ana, mutation);
    expect(again).toEqual({ id: mutation.id, status: 'duplicate', original: first });
    const after = (await getCase(c.id)).case;
    expect(after).toMatchObject({ status: 'open', version: c.version + 1 });
    expect(after.rev).toBeGreaterThan(c.rev);
  });

  it('applies a mutation pushed twice at the same moment once, answering the other as a duplicate', async () => {
    const c = await anaCase();
    for (let round = 0; round < 5; round++) {
      const version = (await getCase(c.id)).case.version;
      const update = { id: uuidv7(), kind: 'case.update', entityId: c.id, baseVersion: version, payload: { fields: { subject: `Door sensor offline (${round})` } } } as const;
      const note = { id: uuidv7(), kind: 'case.note', entityId: c.id, baseVersion: version, payload: { body: `checked ${round}` } } as const;
      // A console retrying while its first try is still in flight.
      const answers = await Promise.all([push(ana, update, note), push(ana, update, note)]);
      expect(answers.map(([u]) => u!.status).sort()).toEqual(['applied', 'duplicate']);
      expect(answers.map(([, n]) => n!.status).sort()).toEqual(['applied', 'duplicate']);
      const after = await getCase(c.id);
      expect(after.case.version).toBe(version + 1);
      expect(after.messages.filter((m) => m.body === `checked ${round}`)).toHaveLength(1);
    }
  });

  it('merges fields that only one side changed', async () => {
    const c = await anaCase();
    expect((await push(sam, { kind: 'case.update', entityId: c.id, baseVersion: c.version, payload: { fields: { priority: 'urgent' } } }))[0]!.status).toBe('applied');
    const [result] = await push(ana, { kind: 'case.update', entityId: c.id, baseVersion: c.version, payload: { fields: { status: 'pending', tags: ['callback'] } } });
    expect(result).toMatchObject({ status: 'merged', version: c.version + 2 });
    expect((await getCase(c.id)).case).toMatchObject({ priority: 'urgent', status: 'pending', tags: ['callback'] });
  });

  it('keeps the hub’s value and reports both when the same field changed on both sides', async () => {
    const c = await anaCase();
    await push(sam, { kind: 'case.update', entityId: c.id, baseVersion: c.version, payload: { fields: { status: 'on_hold' } } });
    const [result] = await push(ana, { kind: 'case.update', entityId: c.id, baseVersion: c.version, payload: { fields: { status: 'solved', priority: 'low' } } });
    expect(result).toMatchObject({ status: 'conflict', conflicts: [{ field: 'status', yours: 'solved', theirs: 'on_hold' }] });
    // The field only ana changed still applies.
    expect((await getCase(c.id)).case).toMatchObject({ status: 'on_hold', priority: 'low' });
    // Same value on both sides is no conflict.
    const now = (await getCase(c.id)).case;
    const [same] = await push(ana, { kind: 'case.update', entityId: c.id, baseVersion: c.version, payload: { fields: { status: 'on_hold' } } });
    expect(same).toMatchObject({ status: 'merged', version: now.version });
  });

  it('never makes a conflict of a user’s own earlier edit; the last word of one person wins', async () => {
    const c = await anaCase();
    const noteId = uuidv7();
    // A console queues several edits on the same base version while offline.
    const results = await push(
      ana,
      { kind: 'case.update', entityId: c.id, baseVersion: c.version, payload: { fields: { status: 'open' } } },
      { kind: 'case.update', entityId: c.id, baseVersion: c.version, payload: { fields: { status: 'pending', priority: 'high' } } },
      { id: noteId, kind: 'case.note', entityId: c.id, baseVersion: 0, payload: { body: 'Called back' } },
    );
    expect(results.map((r) => r.status)).toEqual(['applied', 'merged', 'applied']);
    const after = await getCase(c.id);
    expect(after.case).toMatchObject({ status: 'pending', priority: 'high', version: c.version + 2 });
    expect(after.messages.map((m) => m.id)).toContain(noteId);
    // Someone else's edit since the base is still a conflict, even with the user's own edits in between.
    await push(sam, { kind: 'case.update', entityId: c.id, baseVersion: after.case.version, payload: { fields: { priority: 'urgent' } } });
    const [late] = await push(ana, { kind: 'case.update', entityId: c.id, baseVersion: c.version + 1, payload: { fields: { priority: 'low', status: 'on_hold' } } });
    expect(late).toMatchObject({ status: 'conflict', conflicts: [{ field: 'priority', yours: 'low', theirs: 'urgent' }] });
    expect((await getCase(c.id)).case).toMatchObject({ status: 'on_hold', priority: 'urgent' });
  });

  it('records a technician’s resolution and parts, and refuses malformed parts', async () => {
    const c = await anaCase();
    const parts = [{ name: 'Coolant pump', quantity: 1 }];
    const [result] = await push(sam, { kind: 'case.update', entityId: c.id, baseVersion: c.version, payload: { fields: { resolution: 'Replaced the pump', parts, status: 'solved' } } });
    expect(result).toMatchObject({ status: 'applied' });
    expect((await getCase(c.id)).case).toMatchObject({ resolution: 'Replaced the pump', parts, status: 'solved' });
    const [bad] = await push(sam, { kind: 'case.update', entityId: c.id, baseVersion: c.version, payload: { fields: { parts: [{ name: '', quantity: 0 }] } } });
    expect(bad).toMatchObject({ status: 'rejected' });
    expect((bad as { reason: string }).reason).toMatch(/parts/);
  });

  it('appends notes and replies exactly once, even when replayed', async () => {
    // A reply goes to someone: a customer with an address.
    const customer = rowsOf<Customer>((await pullAll(hub, sam)).changes, 'customer').find((row) => row.email !== null)!;
    const c = await anaCase(customer.id);
    const note = { id: uuidv7(), kind: 'case.note', entityId: c.id, baseVersion: 0, payload: { body: 'Called back, no answer.\nTry again at 15:00.' } } as const;
    const reply = { kind: 'message.send', entityId: c.id, baseVersion: 0, payload: { channel: 'email', body: 'Hello, we are on it.' } } as const;
    const results = await push(ana, note, reply, note);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'duplicate']);
    const { messages } = await getCase(c.id);
    expect(messages.map((m) => [m.direction, m.author, m.body])).toEqual([
      ['note', 'Ana Pereira', 'Called back, no answer.\nTry again at 15:00.'],
      ['out', 'Ana Pereira', 'Hello, we are on it.'],
    ]);
  });

  it('lets an agent take unassigned work of her queue and hand it back, nothing more', async () => {
    const c = await anaCase();
    const ivan = (await me(hub, await hub.login('ivan'))).user.id;
    const [toIvan] = await push(ana, { kind: 'case.assign', entityId: c.id, baseVersion: c.version, payload: { assigneeId: ivan } });
    expect(toIvan).toMatchObject({ status: 'rejected', reason: expect.stringContaining('only take unassigned work'), wording: { key: 'refusal.reassign' } });
    const [take] = await push(ana, { kind: 'case.assign', entityId: c.id, baseVersion: c.version, payload: { assigneeId: anaId } });
    expect(take!.status).toBe('applied');
    const otherQueue = (await casesFor(hub, sam)).find((x) => !anaQueues.includes(x.queueId))!.queueId;
    const [move] = await push(ana, { kind: 'case.assign', entityId: c.id, baseVersion: c.version + 1, payload: { assigneeId: anaId, queueId: otherQueue } });
    expect(move).toMatchObject({ status: 'rejected', reason: expect.stringContaining('only supervisors') });
    const [back] = await push(ana, { kind: 'case.assign', entityId: c.id, baseVersion: c.version + 1, payload: { assigneeId: null } });
    expect(back!.status).toBe('applied');
    const [supervisor] = await push(sam, { kind: 'case.assign', entityId: c.id, baseVersion: c.version, payload: { assigneeId: ivan, queueId: otherQueue } });
    expect(supervisor!.status).toBe('merged');
    expect((await getCase(c.id)).case).toMatchObject({ assigneeId: ivan, queueId: otherQueue });
    // Now outside ana's scope.
    const [gone] = await push(ana, { kind: 'case.update', entityId: c.id, baseVersion: 0, payload: { fields: { status: 'open' } } });
    expect(gone).toMatchObject({ status: 'rejected', reason: 'no such case in your scope', wording: { key: 'rejection.notInScope', params: { what: 'case' } } });
  });

  it('rejects one bad mutation without blocking the others', async () => {
    const c = await anaCase();
    const results = await push(
      ana,
      { kind: 'case.update', entityId: c.id, baseVersion: c.version, payload: { fields: { status: 'exploded' } } },
      { kind: 'case.update', entityId: uuidv7(), baseVersion: 1, payload: { fields: { status: 'open' } } },
      { kind: 'case.update', entityId: c.id, baseVersion: c.version + 5, payload: { fields: { status: 'open' } } },
      { kind: 'case.note', entityId: c.id, baseVersion: 0, payload: { body: 'still here' } },
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'applied']);
    expect(results[0]).toMatchObject({ reason: expect.stringContaining('status') });
    expect(results[2]).toMatchObject({ reason: expect.stringContaining('ahead of the hub') });
    expect((await getCase(c.id)).case.status).toBe('new');
  });

  it('creates a case with the console’s id once and pulls it by rev', async () => {
    const { cursor } = await pullAll(hub, ana);
    const c = await anaCase();
    const [again] = await push(sam, {
      kind: 'case.create',
      entityId: c.id,
      baseVersion: 0,
      payload: { case: { id: c.id, subject: 'again', status: 'new', priority: 'low', channel: 'email', customerId: null, deviceId: null, queueId: anaQueues[0]!, language: 'en', tags: [] } },
    });
    expect(again).toMatchObject({ status: 'rejected', reason: 'a case with this id already exists' });
    const pulled = rowsOf<Case>((await pullAll(hub, ana, cursor)).changes, 'case');
    expect(pulled.map((x) => x.id)).toEqual([c.id]);
    expect(pulled[0]!.number).toBeGreaterThan(1000);
  });

  it('refuses a push without a token and a body that is not a list of mutations', async () => {
    expect((await hub.post('/api/sync/push', { mutations: [] })).status).toBe(401);
    expect((await hub.post('/api/sync/push', { mutations: [] }, ana)).status).toBe(400);
    expect((await hub.post('/api/sync/push', { nope: true }, ana)).status).toBe(400);
  });
});

describe.each(backends)('cases leaving a scope on $name', (backend) => {
  it('sends a tombstone to those who saw the case before a reassignment, and only to them', async () => {
    const hub = await startTestHub(backend);
    try {
      const [ana, sam, ivan] = await Promise.all([hub.login('ana'), hub.login('sam'), hub.login('ivan')]);
      const anaScope = await me(hub, ana);
      const ivanScope = await me(hub, ivan);
      const moved = (await casesFor(hub, ana)).find((c) => c.assigneeId === null && anaScope.queueIds.includes(c.queueId))!;
      const target = ivanScope.queueIds.find((q) => !anaScope.queueIds.includes(q))!;
      const [anaCursor, samCursor, ivanCursor] = await Promise.all([pullAll(hub, ana), pullAll(hub, sam), pullAll(hub, ivan)]).then((r) => r.map((x) => x.cursor));
      const removedFor = { ana: [] as unknown[], ivan: [] as unknown[] };
      const sockets = [connectSocket(hub.url, ana), connectSocket(hub.url, ivan)];
      sockets[0]!.on('case:removed', (p: unknown) => removedFor.ana.push(p));
      sockets[1]!.on('case:removed', (p: unknown) => removedFor.ivan.push(p));
      await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.once('connect', () => resolve()))));

      const response = await hub.post(
        '/api/sync/push',
        { mutations: [{ id: uuidv7(), kind: 'case.assign', entityId: moved.id, baseVersion: moved.version, createdAt: new Date().toISOString(), payload: { assigneeId: null, queueId: target } }] },
        sam,
      );
      const [result] = ((await response.json()) as SyncPushResponse).results;
      expect(result).toMatchObject({ status: 'applied' });

      for (let i = 0; i < 100 && removedFor.ana.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      for (const socket of sockets) socket.close();
      expect(removedFor.ana).toEqual([{ id: moved.id, rev: (result as { rev: number }).rev }]);
      expect(removedFor.ivan).toEqual([]);

      const forAna = (await pullAll(hub, ana, anaCursor)).changes.filter((c) => c.entity === 'case');
      expect(forAna).toEqual([{ op: 'delete', entity: 'case', id: moved.id, rev: (result as { rev: number }).rev, row: null }]);
      const forIvan = (await pullAll(hub, ivan, ivanCursor)).changes;
      expect(forIvan.map((c) => [c.op, c.entity, c.id])).toContainEqual(['upsert', 'case', moved.id]);
      expect(forIvan.some((c) => c.op === 'delete')).toBe(false);
      const forSam = (await pullAll(hub, sam, samCursor)).changes;
      expect(forSam.map((c) => [c.op, c.id])).toEqual([['upsert', moved.id]]);

      // Moved back: ana gets the case again, after its tombstone.
      const back = await hub.post(
        '/api/sync/push',
        { mutations: [{ id: uuidv7(), kind: 'case.assign', entityId: moved.id, baseVersion: 0, createdAt: new Date().toISOString(), payload: { assigneeId: null, queueId: moved.queueId } }] },
        sam,
      );
      expect(back.status).toBe(200);
      const again = (await pullAll(hub, ana, anaCursor)).changes.filter((c) => c.entity === 'case');
      expect(again.map((c) => [c.op, c.id])).toEqual([['upsert', moved.id]]);
    } finally {
      await hub.close();
    }
  });

  it('brings a case entering a technician’s briefcase with its customer, device and conversation, and takes them away when it leaves', async () => {
    const hub = await startTestHub(backend);
    try {
      const [sam, tess] = await Promise.all([hub.login('sam'), hub.login('tess')]);
      const tessId = (await me(hub, tess)).user.id;
      const theirs = new Set((await casesFor(hub, tess)).flatMap((c) => [c.customerId, c.deviceId]));
      // A case of someone else whose customer and device tess has never had.
      const all = await casesFor(hub, sam);
      const target = all.find((c) => c.assigneeId !== tessId && c.customerId && c.deviceId && !theirs.has(c.customerId) && !theirs.has(c.deviceId))!;
      expect(target).toBeDefined();
      const note = uuidv7();
      const at = () => new Date().toISOString();
      await hub.post('/api/sync/push', { mutations: [{ id: note, kind: 'case.note', entityId: target.id, baseVersion: 0, createdAt: at(), payload: { body: 'Bring the diagnostic cable' } }] }, sam);
      const { cursor } = await pullAll(hub, tess);

      const assign = (assigneeId: string | null) =>
        hub.post('/api/sync/push', { mutations: [{ id: uuidv7(), kind: 'case.assign', entityId: target.id, baseVersion: 0, createdAt: at(), payload: { assigneeId } }] }, sam);
      expect((await assign(tessId)).status).toBe(200);
      const entered = await pullAll(hub, tess, cursor);
      const got = (entity: string) => entered.changes.filter((c) => c.entity === entity && c.op === 'upsert').map((c) => c.id);
      expect(got('case')).toEqual([target.id]);
      expect(got('customer')).toEqual([target.customerId]);
      expect(got('device')).toEqual([target.deviceId]);
      expect(got('message')).toContain(note);
      // Rows older than the cursor still arrive, each with its own rev for the console to reconcile.
      expect(entered.changes.find((c) => c.entity === 'customer')!.rev).toBeLessThanOrEqual(cursor);

      expect((await assign(null)).status).toBe(200);
      const left = await pullAll(hub, tess, entered.cursor);
      expect(left.changes.filter((c) => c.op === 'delete').map((c) => [c.entity, c.id])).toEqual([
        ['case', target.id],
        ['customer', target.customerId],
        ['device', target.deviceId],
      ]);
    } finally {
      await hub.close();
    }
  });
});
