/**
 * Pull stays complete under concurrent writes: while several writers create
 * cases, change them and add notes (to their own cases and to one they all
 * share) in parallel transactions on Postgres, a console pages with a small
 * limit; when the writers are done, what it pulled is exactly what exists,
 * each case at its last rev. Writes take the rev lock at their first rev, after
 * their reads, so this is what shows they still commit in rev order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { SyncChange, SyncPullResponse } from '../../src/shared/protocol';
import { backends, startTestHub, type TestHub } from './backends';
import { casesFor, me } from './helpers';

describe('sync pull under concurrent writes (Postgres)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(backends.find((b) => b.name === 'postgres')!);
  });
  afterAll(() => hub?.close());

  it('never skips a change, whatever order concurrent transactions commit in', async () => {
    const sam = await hub.login('sam');
    const queueId = (await me(hub, await hub.login('ana'))).queueIds[0]!;
    const seen = new Map<string, number>();
    const seenMessages = new Set<string>();
    const notes: string[] = [];
    let cursor = 0;
    const pullPage = async () => {
      const page = (await (await hub.post('/api/sync/pull', { cursor, limit: 7 }, sam)).json()) as SyncPullResponse;
      for (const change of page.changes as SyncChange[]) {
        if (change.entity === 'case') seen.set(change.id, change.rev);
        if (change.entity === 'message') seenMessages.add(change.id);
      }
      cursor = page.cursor;
      return page.hasMore;
    };
    while (await pullPage());

    const shared = (await casesFor(hub, sam))[0]!.id;
    const note = (caseId: string, body: string) => {
      const id = uuidv7();
      notes.push(id);
      return { id, kind: 'case.note', entityId: caseId, baseVersion: 0, createdAt: new Date().toISOString(), payload: { body } };
    };
    let writing = true;
    const writer = async (w: number) => {
      for (let i = 0; i < 15; i++) {
        const id = uuidv7();
        const mutation = {
          id: uuidv7(),
          kind: 'case.create',
          entityId: id,
          baseVersion: 0,
          createdAt: new Date().toISOString(),
          payload: { case: { id, subject: `writer ${w} case ${i}`, status: 'new', priority: 'normal', channel: 'phone', customerId: null, deviceId: null, queueId, language: 'en', tags: [] } },
        };
        expect((await hub.post('/api/sync/push', { mutations: [mutation] }, sam)).status).toBe(200);
        // A change and a note on the new case (its row locked for update), and a note on the shared one (share lock).
        const change = { id: uuidv7(), kind: 'case.update', entityId: id, baseVersion: 1, createdAt: new Date().toISOString(), payload: { fields: { priority: 'high' } } };
        const more = await hub.post('/api/sync/push', { mutations: [change, note(id, `writer ${w} note ${i}`)] }, sam);
        expect(more.status).toBe(200);
        expect(((await hub.post('/api/sync/push', { mutations: [note(shared, `writer ${w} on the shared case ${i}`)] }, sam)).status)).toBe(200);
      }
    };
    const reader = async () => {
      while (writing) {
        await pullPage();
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    const reading = reader();
    await Promise.all([0, 1, 2, 3, 4].map(writer));
    writing = false;
    await reading;
    while (await pullPage());

    const all = await casesFor(hub, sam);
    expect(all.length).toBe(275);
    expect([...seen.keys()].sort()).toEqual(all.map((c) => c.id).sort());
    // Each case as the hub has it now, not an earlier version: no later change was skipped.
    expect(Object.fromEntries(all.map((c) => [c.id, seen.get(c.id)]))).toEqual(Object.fromEntries(all.map((c) => [c.id, c.rev])));
    expect(all.filter((c) => c.subject.startsWith('writer ')).every((c) => c.priority === 'high')).toBe(true);
    expect(notes.filter((id) => !seenMessages.has(id))).toEqual([]);
  });
});
