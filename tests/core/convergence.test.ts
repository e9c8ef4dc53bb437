/**
 * Property: whatever offline edits three consoles make to the same cases, in
 * whatever order they come back and sync, they end in one state — the hub's —
 * with every note delivered once, no change refused, and each user's last
 * change of a field either applied by the hub or kept as a conflict with the
 * user's value (the hub's ledger says which: a replayed mutation is answered
 * with its first outcome).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { RunningHub } from '../../src/hub/hub';
import type { CaseField, CaseFields, Mutation, MutationResult } from '../../src/shared/protocol';
import { consoleDir, goOffline, hubCase, hubFields, hubPush, loginVia, ok, type ProxiedConsole, proxiedConsole, settle } from './console-fixture';
import { tempDir } from './fixtures';
import { hubToken, startDemoHub } from './hub-fixture';

const VALUES: { [F in 'status' | 'priority' | 'tags' | 'subject']: NonNullable<CaseFields[F]>[] } = {
  status: ['open', 'pending', 'on_hold', 'solved'],
  priority: ['low', 'normal', 'high', 'urgent'],
  tags: [['a'], ['b'], ['a', 'b'], []],
  subject: ['Router drops', 'Router drops at night', 'No signal', 'Slow'],
};
const FIELDS = Object.keys(VALUES) as (keyof typeof VALUES)[];
const USERS = ['sam', 'admin', 'ana'] as const;

type Step =
  | { kind: 'edit'; who: number; target: number; field: keyof typeof VALUES; value: number }
  | { kind: 'note'; who: number; target: number }
  | { kind: 'sync'; who: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('edit' as const), who: fc.nat(2), target: fc.nat(2), field: fc.constantFrom(...FIELDS), value: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('note' as const), who: fc.nat(2), target: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const), who: fc.nat(2) }) },
);

describe('three consoles converge', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let sam: string;
  let queueId: string;
  let tokens: string[];
  const consoles: ProxiedConsole[] = [];

  beforeAll(async () => {
    dir = await tempDir('switchboard-converge-');
    hub = await startDemoHub(dir.path);
    sam = await hubToken(hub.url, 'sam');
    tokens = await Promise.all(USERS.map((u) => hubToken(hub.url, u)));
    // A supervisor, an admin and an agent whose queue holds the cases: three different scopes over the same rows.
    for (const who of USERS) {
      const c = await proxiedConsole(hub.url, consoleDir(dir.path, who));
      consoles.push(c);
      await loginVia(c, who);
    }
    queueId = (await ok(consoles[2]!.core, 'queues.list', {})).find((q) => q.name === 'Devices')!.id;
  });
  afterAll(async () => {
    for (const c of consoles) await c.close();
    await hub?.close();
    await dir?.remove();
  });

  it('reaches one state from any interleaving of offline edits', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 24 }), async (steps) => {
        run++;
        const ids = [uuidv7(), uuidv7(), uuidv7()];
        await hubPush(
          hub.url,
          sam,
          ids.map((id, i) => ({
            kind: 'case.create',
            entityId: id,
            baseVersion: 0,
            payload: { case: { id, subject: `Run ${run} case ${i}`, status: 'new', priority: 'normal', channel: 'phone', customerId: null, deviceId: null, queueId, language: 'en', tags: [] } },
          })),
        );
        for (const c of consoles) {
          await settle(c);
          await goOffline(c);
        }

        /** Per console, the last queued change of each case field: its mutation and value. */
        const last = consoles.map(() => new Map<string, { mutation: Mutation; value: unknown }>());
        const all = consoles.map((): Mutation[] => []);
        const notes: string[] = [];
        for (const [n, s] of steps.entries()) {
          const c = consoles[s.who]!;
          if (s.kind === 'sync') {
            await settle(c);
            await goOffline(c);
          } else if (s.kind === 'note') {
            const body = `run ${run} step ${n}`;
            await ok(c.core, 'cases.addNote', { id: ids[s.target]!, body });
            notes.push(body);
          } else {
            const before = c.core.cache.outbox.pending(1000).ready;
            const fields = { [s.field]: VALUES[s.field][s.value] } as CaseFields;
            await ok(c.core, 'cases.update', { id: ids[s.target]!, fields });
            // Only a queued change is the user's word; setting the value already shown is none.
            const queued = c.core.cache.outbox.pending(1000).ready.slice(before.length);
            expect(queued.length).toBeLessThanOrEqual(1);
            if (queued[0]) {
              last[s.who]!.set(`${ids[s.target]}:${s.field}`, { mutation: queued[0].mutation, value: fields[s.field] });
              all[s.who]!.push(queued[0].mutation);
            }
          }
        }
        // Everyone back, twice round: the second round brings each the others' last changes.
        for (let round = 0; round < 2; round++) for (const c of consoles) await settle(c);

        for (const id of ids) {
          const onHub = await hubCase(hub.url, sam, id);
          for (const [k, c] of consoles.entries()) {
            expect(hubFields(c.core.cache.cases.item(id)!), `console ${k}`).toEqual(hubFields(onHub.case));
            expect(c.core.cache.messages.ofCase(id).map((m) => m.id)).toEqual(onHub.messages.map((m) => m.id));
          }
        }
        for (const [k, c] of consoles.entries()) {
          if (all[k]!.length === 0) continue;
          const ledger = new Map((await hubPush(hub.url, tokens[k]!, all[k]!)).map((r) => [r.id, r]));
          for (const result of ledger.values()) expect(result).toMatchObject({ status: 'duplicate', original: { status: expect.stringMatching(/^(applied|merged|conflict)$/) } });
          for (const [key, { mutation, value }] of last[k]!) {
            const [caseId, field] = key.split(':') as [string, CaseField];
            const original = (ledger.get(mutation.id) as Extract<MutationResult, { status: 'duplicate' }>).original;
            if (original.status !== 'conflict' || !original.conflicts.some((x) => x.field === field)) continue;
            // Refused on the hub: the console still holds the user's value for them to decide on.
            const kept = c.core.cache.conflicts.ofCase(caseId).find((x) => x.field === field);
            expect(kept?.yours, `console ${k} ${key}`).toEqual(value);
          }
        }
        const bodies = (await Promise.all(ids.map((id) => hubCase(hub.url, sam, id)))).flatMap((d) => d.messages.map((m) => m.body));
        for (const body of notes) expect(bodies.filter((b) => b === body), body).toHaveLength(1);
      }),
      { numRuns: 25, endOnFailure: true },
    );
  }, 300_000);
});
