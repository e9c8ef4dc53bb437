/**
 * Pull stays complete under concurrent writes: while several writers create
 * cases in parallel transactions on Postgres, a console pages with a small
 * limit; when the writers are done, what it pulled is exactly what exists.
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
    let cursor = 0;
    const pullPage = async () => {
      const page = (await (await hub.post('/api/sync/pull', { cursor, limit: 7 }, sam)).json()) as SyncPullResponse;
      for (const change of page.changes as SyncChange[]) if (change.entity === 'case') seen.set(change.id, change.rev);
      cursor = page.cursor;
      return page.hasMore;
    };
    while (await pullPage());

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
  });
});
