/**
 * Text the database cannot store or that is past its bounds is refused
 * mutation by mutation: the rest of the batch applies, the hub answers 200.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Case, Message } from '../../src/shared/domain';
import type { MutationResult, NewCase, SyncPushResponse } from '../../src/shared/protocol';
import { backends, startTestHub, type TestHub } from './backends';
import { me, pullAll, rowsOf } from './helpers';

const NUL = '\u0000';

describe.each(backends)('push input on $name', (backend) => {
  let hub: TestHub;
  let ana: string;
  let sam: string;
  let anaQueues: string[];

  const push = async (token: string, ...drafts: Record<string, unknown>[]): Promise<MutationResult[]> => {
    const mutations = drafts.map((d) => ({ id: uuidv7(), createdAt: new Date().toISOString(), baseVersion: 0, ...d }));
    const response = await hub.post('/api/sync/push', { mutations }, token);
    expect(response.status).toBe(200);
    return ((await response.json()) as SyncPushResponse).results;
  };
  const getCase = async (id: string) => (await (await hub.get(`/api/cases/${id}`, sam)).json()) as { case: Case; messages: Message[] };
  const newCase = (fields: Partial<NewCase> = {}) => {
    const id = uuidv7();
    const draft: NewCase = { id, subject: 'Router keeps rebooting', status: 'new', priority: 'normal', channel: 'phone', customerId: null, deviceId: null, queueId: anaQueues[0]!, language: 'en', tags: [], ...fields };
    return { kind: 'case.create', entityId: id, payload: { case: draft } };
  };
  const note = (caseId: string, body: string, id = uuidv7()) => ({ id, kind: 'case.note', entityId: caseId, payload: { body } });
  const update = (c: Case, fields: Record<string, unknown>) => ({ kind: 'case.update', entityId: c.id, baseVersion: c.version, payload: { fields } });
  /** A fresh case in ana's queue. */
  const aCase = async (): Promise<Case> => {
    const create = newCase();
    expect((await push(sam, create))[0]).toMatchObject({ status: 'applied' });
    return (await getCase(create.entityId)).case;
  };
  const reasons = (results: MutationResult[]) => results.map((r) => (r.status === 'rejected' ? r.reason : r.status));

  beforeAll(async () => {
    hub = await startTestHub(backend);
    [ana, sam] = await Promise.all([hub.login('ana'), hub.login('sam')]);
    anaQueues = (await me(hub, ana)).queueIds;
  });
  afterAll(() => hub?.close());

  it('rejects a note holding a NUL character alone and applies the notes around it', async () => {
    const c = await aCase();
    const results = await push(ana, note(c.id, 'before'), note(c.id, `nul${NUL}here`), note(c.id, 'after'));
    expect(results.map((r) => r.status)).toEqual(['applied', 'rejected', 'applied']);
    expect(reasons(results)[1]).toMatch(/NUL/);
    expect((await getCase(c.id)).messages.map((m) => m.body)).toEqual(['before', 'after']);
  });

  it('rejects a NUL or a lone surrogate in any free-text field alone', async () => {
    const c = await aCase();
    const bad = [
      update(c, { subject: `Sub${NUL}ject` }),
      update(c, { tags: ['ok', `t${NUL}g`] }),
      update(c, { resolution: `fixed${NUL}` }),
      update(c, { parts: [{ name: `pump${NUL}`, quantity: 1 }] }),
      update(c, { subject: 'Broken \ud800 half' }),
      { kind: 'message.send', entityId: c.id, payload: { channel: 'email', body: `Hello${NUL}` } },
      { kind: 'case.note', entityId: `${c.id}${NUL}`, payload: { body: 'which case?' } },
      newCase({ subject: `New${NUL}` }),
      newCase({ language: `e${NUL}n` }),
      newCase({ deviceId: `car${NUL}0001` }),
    ];
    const results = await push(ana, ...bad, note(c.id, 'still here'));
    expect(results.map((r) => r.status)).toEqual([...bad.map(() => 'rejected'), 'applied']);
    // The schema's English, worded as a refused input.
    expect(results[0]).toMatchObject({ wording: { key: 'rejection.invalidInput', params: { detail: expect.stringMatching(/^✖/) } } });
    const after = await getCase(c.id);
    expect(after.case).toMatchObject({ subject: c.subject, tags: c.tags, resolution: c.resolution, parts: c.parts, version: c.version });
    expect(after.messages.map((m) => m.body)).toEqual(['still here']);
  });

  it('rejects a mutation whose id is already the id of a message, alone', async () => {
    const c = await aCase();
    const existing = rowsOf<Message>((await pullAll(hub, sam)).changes, 'message')[0]!;
    const results = await push(ana, note(c.id, 'a clash', existing.id), note(c.id, 'no clash'));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'applied']);
    expect(reasons(results)[0]).toMatch(/message/);
    expect((await getCase(c.id)).messages.map((m) => m.body)).toEqual(['no clash']);
  });

  it('bounds subjects, tags and languages, each mutation alone', async () => {
    const c = await aCase();
    const tooLong = [
      update(c, { subject: 'x'.repeat(301) }),
      update(c, { tags: ['y'.repeat(51)] }),
      update(c, { tags: Array.from({ length: 21 }, (_, i) => `tag${i}`) }),
      newCase({ subject: 'x'.repeat(301) }),
      newCase({ tags: ['y'.repeat(51)] }),
      // A well-formed tag, but 38 characters.
      newCase({ language: 'en-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd' }),
      newCase({ language: 'not a language' }),
    ];
    const results = await push(ana, ...tooLong, note(c.id, 'bounded'));
    expect(results.map((r) => r.status)).toEqual([...tooLong.map(() => 'rejected'), 'applied']);
    expect(reasons(results)[0]).toMatch(/subject/);
    expect(reasons(results)[2]).toMatch(/tags/);
    expect(reasons(results)[5]).toMatch(/language/);
    expect((await getCase(c.id)).case).toMatchObject({ subject: c.subject, version: c.version });

    // At the bounds, everything fits.
    const edge = { subject: 'x'.repeat(300), tags: Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(50, 'z')) };
    const fits = await push(ana, update(c, edge), newCase({ ...edge, language: 'pt-BR' }), note(c.id, 'Whole pairs are fine 📶'));
    expect(fits.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect((await getCase(c.id)).case).toMatchObject(edge);
  });
});
