/**
 * A supervisor's bulk move through the console core (`cases.reassign`)
 * against a real hub: the consoles that gain the cases get them (and the
 * note) in one go, the one that loses them is told, and an agent's console is
 * refused by the hub.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import type { Case } from '../../src/shared/domain';
import { call, consoleDir, loginVia, ok, type ProxiedConsole, proxiedConsole } from './console-fixture';
import { tempDir } from './fixtures';
import { hubCases, hubToken, startDemoHub, waitFor } from './hub-fixture';

describe('bulk moves reach the consoles', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let sam: string;
  const consoles: ProxiedConsole[] = [];

  const open = async (name: string, username: string) => {
    const c = await proxiedConsole(hub.url, consoleDir(dir.path, name));
    consoles.push(c);
    await loginVia(c, username);
    return c;
  };

  beforeAll(async () => {
    dir = await tempDir('switchboard-bulk-move-');
    hub = await startDemoHub(dir.path);
    sam = await hubToken(hub.url, 'sam');
  });
  afterAll(async () => {
    for (const c of consoles) await c.close();
    await hub?.close();
    await dir?.remove();
  });

  it('moves cases from one agent to another: the gainer gets them and the note in one change, the loser is told', async () => {
    const [supervisor, ana, ivan] = [await open('sam', 'sam'), await open('ana', 'ana'), await open('ivan', 'ivan')];
    const anaId = (await ok(ana.core, 'session.current', {}))!.user.id;
    const ivanId = (await ok(ivan.core, 'session.current', {}))!.user.id;
    const billing = (await ok(supervisor.core, 'queues.list', {})).find((q) => q.name === 'Billing')!.id;
    const anas = (await hubCases(hub.url, sam)).filter((c: Case) => c.assigneeId === anaId && !['solved', 'closed'].includes(c.status)).slice(0, 3);
    expect(anas.length).toBe(3);
    for (const c of anas) await waitFor(() => ana.core.cache.cases.item(c.id), { what: `ana holds #${c.number}` });

    const changes: string[][] = [];
    ivan.core.events.on('cases:changed', ({ ids }) => changes.push(ids));
    const ids = anas.map((c) => c.id);
    const answer = await ok(supervisor.core, 'cases.reassign', { caseIds: ids, assigneeId: ivanId, queueId: billing, note: 'These are billing questions.' });
    expect(answer.moved).toBe(3);

    await waitFor(() => ids.every((id) => ivan.core.cache.cases.item(id)?.assigneeId === ivanId), { what: 'ivan holds the moved cases' });
    // The rows and notes came as one batch: one change naming them all, not one per row.
    expect(changes.some((named) => ids.every((id) => named.includes(id)))).toBe(true);
    for (const id of ids) expect(ivan.core.cache.messages.ofCase(id).some((m) => m.direction === 'note' && m.body === 'These are billing questions.')).toBe(true);

    await waitFor(() => ids.every((id) => ana.core.cache.cases.item(id) === null), { what: 'the cases left ana' });
    const notices = await ok(ana.core, 'notices.list', {});
    for (const c of anas) expect(notices.some((n) => n.kind === 'reassigned' && n.caseId === c.id)).toBe(true);
  });

  it("refuses an agent's bulk move on the hub, and a malformed one before any request", async () => {
    const dewi = await open('dewi', 'dewi');
    const [c] = await hubCases(hub.url, sam);
    const refused = await call(dewi.core, 'cases.reassign', { caseIds: [c!.id], queueId: c!.queueId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const malformed = await call(dewi.core, 'cases.reassign', { caseIds: [c!.id] });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
