/**
 * Bulk reassignment (`POST /api/cases/reassign`): a supervisor moves many
 * cases in one transaction — all or none — and every console that loses or
 * gains one hears it live; an agent who lost them gets tombstones in the pull;
 * the note reaches the new assignee on each case; each move is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { AuditEntry } from '../../src/shared/audit';
import type { Case, Message, Queue } from '../../src/shared/domain';
import type { CasesBatch, ReassignResponse } from '../../src/shared/protocol';
import { backends, startTestHub, type TestHub } from './backends';
import { liveSockets, me, pullAll, queuesOf, rowsOf, waitFor } from './helpers';

describe.each(backends)('bulk reassignment on $name', (backend) => {
  let hub: TestHub;
  let sam: string;
  let ana: string;
  let ivan: string;
  let ivanId: string;
  let queues: Queue[];
  const sockets = liveSockets();

  beforeAll(async () => {
    hub = await startTestHub(backend);
    [sam, ana, ivan] = await Promise.all([hub.login('sam'), hub.login('ana'), hub.login('ivan')]);
    ivanId = (await me(hub, ivan)).user.id;
    queues = await queuesOf(hub, sam);
  });
  afterAll(async () => {
    sockets.closeAll();
    await hub?.close();
  });

  const queueNamed = (name: string) => queues.find((q) => q.name === name)!;
  const reassign = (body: unknown, token = sam) => hub.post('/api/cases/reassign', body, token);
  /** Open, unassigned cases of the Social queue (ana's, not ivan's). */
  const socialCases = async (n: number) => {
    const social = queueNamed('Social').id;
    const open = rowsOf<Case>((await pullAll(hub, sam)).changes, 'case').filter((c) => c.queueId === social && c.assigneeId === null && !['solved', 'closed'].includes(c.status));
    expect(open.length).toBeGreaterThanOrEqual(n);
    return open.slice(0, n);
  };

  it('moves many cases at once, live: the agent who loses them is told, the one who gains them sees them with the note', async () => {
    const moving = await socialCases(3);
    const [anaSocket, ivanSocket] = [await sockets.connect(hub.url, ana), await sockets.connect(hub.url, ivan)];
    const removed = new Set<string>();
    const arrived = new Set<string>();
    const notes: Message[] = [];
    // A bulk move comes as batches, not one event per case.
    anaSocket.on('cases:batch', (b: CasesBatch) => b.removed.forEach((p) => removed.add(p.id)));
    const customersSent = new Set<string>();
    ivanSocket.on('cases:batch', (b: CasesBatch) => {
      for (const c of b.cases) if (c.assigneeId === ivanId) arrived.add(c.id);
      for (const c of b.customers) customersSent.add(c.id);
      notes.push(...b.messages.filter((m) => m.direction === 'note'));
    });

    const billing = queueNamed('Billing').id;
    const response = await reassign({ caseIds: moving.map((c) => c.id), assigneeId: ivanId, queueId: billing, note: 'Billing questions: yours from today.' });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as ReassignResponse;
    expect(answer.moved).toBe(3);
    expect(answer.cases.map((c) => c.id).sort()).toEqual(moving.map((c) => c.id).sort());
    for (const moved of answer.cases) expect(moved.version).toBe(moving.find((c) => c.id === moved.id)!.version + 1);

    await waitFor(async () => (removed.size === 3 && arrived.size === 3 && notes.length === 3 ? true : undefined));
    expect([...removed].sort()).toEqual(moving.map((c) => c.id).sort());
    expect(notes.every((n) => n.body === 'Billing questions: yours from today.' && n.author === 'Sam Okafor')).toBe(true);
    // The customers come with their cases: Ivan's console needs no call back to show them.
    const named = moving.flatMap((c) => (c.customerId ? [c.customerId] : []));
    expect(named.length).toBeGreaterThan(0);
    expect([...customersSent].sort()).toEqual([...new Set(named)].sort());

    // Ana, offline meanwhile, learns it on her next pull: tombstones.
    const anaChanges = (await pullAll(hub, ana)).changes;
    for (const c of moving) expect(anaChanges.find((ch) => ch.entity === 'case' && ch.id === c.id)).toMatchObject({ op: 'delete' });
    // Ivan pulls them, in his queue and his.
    const ivanCases = rowsOf<Case>((await pullAll(hub, ivan)).changes, 'case');
    for (const c of moving) expect(ivanCases.find((row) => row.id === c.id)).toMatchObject({ queueId: billing, assigneeId: ivanId });

    const audit = ((await (await hub.get('/api/audit?action=case.assign&limit=3', sam)).json()) as { entries: AuditEntry[] }).entries;
    expect(audit.map((e) => e.entityId).sort()).toEqual(moving.map((c) => c.id).sort());
    expect(audit.every((e) => e.reason === 'Billing questions: yours from today.')).toBe(true);
  });

  it('moves all or none: one unknown case, assignee or queue and nothing changes', async () => {
    const moving = await socialCases(2);
    const ids = [...moving.map((c) => c.id), uuidv7()];
    expect((await reassign({ caseIds: ids, assigneeId: ivanId })).status).toBe(404);
    expect((await reassign({ caseIds: moving.map((c) => c.id), assigneeId: uuidv7() })).status).toBe(404);
    expect((await reassign({ caseIds: moving.map((c) => c.id), queueId: uuidv7() })).status).toBe(404);
    const now = rowsOf<Case>((await pullAll(hub, sam)).changes, 'case');
    for (const c of moving) expect(now.find((row) => row.id === c.id)).toMatchObject({ version: c.version, assigneeId: null, queueId: c.queueId });
  });

  it('is for supervisors and admins, and refuses a malformed request', async () => {
    const [c] = await socialCases(1);
    expect((await reassign({ caseIds: [c!.id], assigneeId: ivanId }, ana)).status).toBe(403);
    expect((await reassign({ caseIds: [c!.id] })).status).toBe(400);
    expect((await reassign({ caseIds: [], assigneeId: ivanId })).status).toBe(400);
    expect((await reassign({ caseIds: ['not-an-id'], assigneeId: ivanId })).status).toBe(400);
    expect((await reassign({ caseIds: [c!.id], assigneeId: ivanId, extra: true })).status).toBe(400);
  });
});
