/**
 * A push may only name what its author may already see: a case created by an
 * agent names customers and devices of her scope (the pull's rule), a device
 * of that customer, and no one else's briefcase.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Case, Customer, Device } from '../../src/shared/domain';
import type { MutationResult, NewCase, SyncPushResponse } from '../../src/shared/protocol';
import { backends, startTestHub, type TestHub } from './backends';
import { casesFor, me, pullAll, rowsOf } from './helpers';

describe.each(backends)('push scope on $name', (backend) => {
  let hub: TestHub;
  let ana: string;
  let sam: string;
  let tess: string;
  let anaId: string;
  let tessId: string;
  let anaQueues: string[];
  let otherQueue: string;
  /** A customer and her device that no case in ana's scope names (set up in beforeAll). */
  let hidden: { customer: Customer; device: Device };

  const push = async (token: string, ...drafts: Record<string, unknown>[]): Promise<MutationResult[]> => {
    const mutations = drafts.map((d) => ({ id: uuidv7(), createdAt: new Date().toISOString(), baseVersion: 0, ...d }));
    const response = await hub.post('/api/sync/push', { mutations }, token);
    expect(response.status).toBe(200);
    return ((await response.json()) as SyncPushResponse).results;
  };
  const newCase = (fields: Partial<NewCase> = {}) => {
    const id = uuidv7();
    const draft: NewCase = { id, subject: 'Caller asks about a device', status: 'new', priority: 'normal', channel: 'phone', customerId: null, deviceId: null, queueId: anaQueues[0]!, language: 'en', tags: [], ...fields };
    return { kind: 'case.create', entityId: id, payload: { case: draft } };
  };
  const note = (caseId: string) => ({ kind: 'case.note', entityId: caseId, payload: { body: 'still works' } });
  const anaSees = async () => {
    const { changes } = await pullAll(hub, ana);
    return { customers: rowsOf<Customer>(changes, 'customer'), devices: rowsOf<Device>(changes, 'device'), cases: rowsOf<Case>(changes, 'case') };
  };

  beforeAll(async () => {
    hub = await startTestHub(backend);
    [ana, sam, tess] = await Promise.all([hub.login('ana'), hub.login('sam'), hub.login('tess')]);
    const anaMe = await me(hub, ana);
    anaId = anaMe.user.id;
    anaQueues = anaMe.queueIds;
    tessId = (await me(hub, tess)).user.id;
    const everything = (await pullAll(hub, sam)).changes;
    const all = rowsOf<Case>(everything, 'case');
    otherQueue = all.find((c) => !anaQueues.includes(c.queueId) && c.channel !== 'device')!.queueId;
    // A device with an owner; as a supervisor, move every case of the owner or the device out of ana's scope.
    const device = rowsOf<Device>(everything, 'device').find((d) => d.id === 'car-0003')!;
    const customer = rowsOf<Customer>(everything, 'customer').find((c) => c.id === device.ownerId)!;
    const theirs = all.filter((c) => (c.customerId === customer.id || c.deviceId === device.id) && (anaQueues.includes(c.queueId) || c.assigneeId === anaId));
    const moved = await push(sam, ...theirs.map((c) => ({ kind: 'case.assign', entityId: c.id, payload: { assigneeId: null, queueId: otherQueue } })));
    expect(moved.every((r) => r.status === 'applied' || r.status === 'merged')).toBe(true);
    hidden = { customer, device };
    const seen = await anaSees();
    expect(seen.customers.map((c) => c.id)).not.toContain(customer.id);
    expect(seen.devices.map((d) => d.id)).not.toContain(device.id);
  });
  afterAll(() => hub?.close());

  it('rejects a case naming a customer outside the agent’s scope, alone, and leaks nothing of her to the pull', async () => {
    const bad = newCase({ customerId: hidden.customer.id });
    const good = newCase();
    const results = await push(ana, bad, good, note(good.entityId));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'applied', 'applied']);
    expect(results[0]).toMatchObject({ reason: expect.stringMatching(/customer/) });
    const seen = await anaSees();
    expect(seen.customers.map((c) => c.id)).not.toContain(hidden.customer.id);
    expect(seen.cases.map((c) => c.id)).not.toContain(bad.entityId);
    expect(seen.cases.map((c) => c.id)).toContain(good.entityId);
  });

  it('rejects a guessed device id outside her scope, with or without its owner', async () => {
    const deviceOnly = newCase({ deviceId: hidden.device.id });
    const withOwner = newCase({ deviceId: hidden.device.id, customerId: hidden.customer.id });
    const results = await push(ana, deviceOnly, withOwner);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(results[0]).toMatchObject({ reason: expect.stringMatching(/device/) });
    const unknown = newCase({ deviceId: 'car-9999' });
    const good = newCase();
    expect((await push(ana, unknown, good)).map((r) => r.status)).toEqual(['rejected', 'applied']);
    const seen = await anaSees();
    expect(seen.devices.map((d) => d.id)).not.toContain(hidden.device.id);
    expect(seen.customers.map((c) => c.id)).not.toContain(hidden.customer.id);
    expect(seen.cases.map((c) => c.id)).not.toContain(deviceOnly.entityId);
  });

  it('applies a case naming a customer and device she can see, and rejects a device of another customer', async () => {
    const seen = await anaSees();
    const visible = new Set(seen.customers.map((c) => c.id));
    const device = seen.devices.find((d) => d.ownerId !== null && visible.has(d.ownerId))!;
    expect(device).toBeDefined();
    const customer = seen.customers.find((c) => c.id === device.ownerId)!;
    const stranger = seen.customers.find((c) => c.id !== customer.id)!;
    const own = newCase({ customerId: customer.id, deviceId: device.id });
    const customerOnly = newCase({ customerId: stranger.id });
    const mismatched = newCase({ customerId: stranger.id, deviceId: device.id });
    const results = await push(ana, own, customerOnly, mismatched);
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'rejected']);
    expect(results[2]).toMatchObject({ reason: expect.stringMatching(/device/) });
    const created = (await casesFor(hub, ana)).find((c) => c.id === own.entityId);
    expect(created).toMatchObject({ customerId: customer.id, deviceId: device.id });
  });

  it('lets a supervisor name any customer and device', async () => {
    const [result] = await push(sam, newCase({ customerId: hidden.customer.id, deviceId: hidden.device.id, queueId: otherQueue }));
    expect(result).toMatchObject({ status: 'applied' });
    const [unknown] = await push(sam, newCase({ customerId: uuidv7() }));
    expect(unknown).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/customer/) });
  });

  it('refuses work an agent or a technician puts in someone else’s briefcase; a supervisor may', async () => {
    const toTess = newCase({ assigneeId: tessId });
    const toSelf = newCase({ assigneeId: anaId });
    const results = await push(ana, toTess, toSelf);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'applied']);
    expect(results[0]).toMatchObject({ reason: expect.stringMatching(/someone else|another user/) });
    const [techToAna] = await push(tess, newCase({ assigneeId: anaId }));
    expect(techToAna).toMatchObject({ status: 'rejected' });
    const bySam = newCase({ assigneeId: tessId });
    const [applied, nobody] = await push(sam, bySam, newCase({ assigneeId: uuidv7() }));
    expect(applied).toMatchObject({ status: 'applied' });
    expect(nobody).toMatchObject({ status: 'rejected', reason: 'no such assignee' });
    expect((await casesFor(hub, tess)).find((c) => c.id === bySam.entityId)).toMatchObject({ assigneeId: tessId });
    expect((await casesFor(hub, tess)).map((c) => c.id)).not.toContain(toTess.entityId);
  });
});
