/**
 * What the admin screen reads and saves (both backends): every queue's
 * routing (GET /api/admin/queues/routing, admins only) follows a PUT of one
 * queue's, whose optional reason goes into its audit row; an SLA save carries
 * the admin's reason into its audit row, and one whose `expected` (the
 * document the admin's edit started from) is no longer kept gets 409 and
 * changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueueRoutingView, SlaSettings } from '../../src/shared/protocol';
import { DEFAULT_SLA_POLICY } from '../../src/shared/sla';
import { backends, startTestHub, type TestHub } from './backends';
import { queueNamed } from './helpers';

const put = (hub: TestHub, token: string, path: string, body: unknown) =>
  fetch(new URL(path, hub.url), { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe.each(backends)('admin routing and SLA settings on $name', (backend) => {
  let hub: TestHub;
  let admin: string;
  let sam: string;

  beforeAll(async () => {
    hub = await startTestHub(backend, { routingIntervalMs: 60_000 });
    [admin, sam] = await Promise.all([hub.login('admin'), hub.login('sam')]);
  });
  afterAll(async () => {
    await hub?.close();
  });

  it("lists every queue's routing to admins only, as the last PUT set it", async () => {
    expect((await hub.get('/api/admin/queues/routing', sam)).status).toBe(403);
    const read = async () => ((await (await hub.get('/api/admin/queues/routing', admin)).json()) as { queues: QueueRoutingView[] }).queues;
    const support = await queueNamed(hub, admin, 'Support');
    const before = await read();
    // Every queue, each with its settings.
    expect(before.map((q) => q.queueId).sort()).toEqual(((await (await hub.get('/api/queues', admin)).json()) as { queues: { id: string }[] }).queues.map((q) => q.id).sort());
    expect(before.find((q) => q.queueId === support.id)?.routing).not.toBe('pull');

    expect((await put(hub, admin, `/api/admin/queues/${support.id}/routing`, { routing: 'pull', offerSeconds: 45, requiredSkills: ['en'], reason: 'Support agents pick their own cases' })).status).toBe(200);
    expect((await read()).find((q) => q.queueId === support.id)).toEqual({ queueId: support.id, routing: 'pull', offerSeconds: 45, requiredSkills: ['en'] });
    // The reason is the audit row's, not the queue's.
    const audit = (await (await hub.get('/api/audit?action=queue.update', admin)).json()) as { entries: { entityId: string; after: unknown; reason: string | null }[] };
    expect(audit.entries.find((e) => e.entityId === support.id)).toMatchObject({ after: { routing: 'pull', offerSeconds: 45, requiredSkills: ['en'] }, reason: 'Support agents pick their own cases' });
    // Without one the row says none; an overlong one is refused.
    expect((await put(hub, admin, `/api/admin/queues/${support.id}/routing`, { routing: 'pull', offerSeconds: 50, requiredSkills: ['en'] })).status).toBe(200);
    expect((await put(hub, admin, `/api/admin/queues/${support.id}/routing`, { routing: 'pull', offerSeconds: 60, requiredSkills: ['en'], reason: 'x'.repeat(501) })).status).toBe(400);
    expect((await read()).find((q) => q.queueId === support.id)?.offerSeconds).toBe(50);
  });

  it("keeps the admin's reason with the SLA change's audit row", async () => {
    const next: SlaSettings = { policies: { default: DEFAULT_SLA_POLICY, byPlan: { plus: { ...DEFAULT_SLA_POLICY, name: 'Plus', targets: { ...DEFAULT_SLA_POLICY.targets, urgent: { firstResponseMinutes: 45, resolutionMinutes: 300 } } } } }, queueCalendars: {} };
    expect((await put(hub, admin, '/api/admin/sla-policies', { ...next, reason: 'Plus customers asked for faster answers' })).status).toBe(200);
    const stored = (await (await hub.get('/api/admin/sla-policies', admin)).json()) as SlaSettings & { reason?: string };
    expect(stored.policies.byPlan.plus?.targets.urgent.firstResponseMinutes).toBe(45);
    // The reason is the audit row's, not the document's.
    expect(stored.reason).toBeUndefined();
    const audit = (await (await hub.get('/api/audit?action=sla.update', admin)).json()) as { entries: { reason: string | null }[] };
    expect(audit.entries.map((e) => e.reason)).toEqual(['Plus customers asked for faster answers']);
  });

  it('saves the SLA policies only over the document the admin started from: a stale `expected` gets 409 and changes nothing', async () => {
    const read = async () => (await (await hub.get('/api/admin/sla-policies', admin)).json()) as SlaSettings;
    const audited = async () => ((await (await hub.get('/api/audit?action=sla.update', admin)).json()) as { entries: unknown[] }).entries.length;
    const start = await read();
    const named = (name: string): SlaSettings => ({ ...start, policies: { ...start.policies, default: { ...start.policies.default, name } } });
    // Another admin saves first, without `expected` (API clients written before it keep working).
    expect((await put(hub, admin, '/api/admin/sla-policies', named('From the other admin'))).status).toBe(200);
    const entries = await audited();

    const stale = await put(hub, admin, '/api/admin/sla-policies', { ...named('Mine'), expected: start });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: 'conflict', message: 'another admin saved changes since you opened this', wording: { key: 'hub.settingsConflict' } });
    expect((await read()).policies.default.name).toBe('From the other admin');
    expect(await audited()).toBe(entries);

    // Over what the hub keeps (as it answered it: jsonb's key order), the save goes through.
    const current = await put(hub, admin, '/api/admin/sla-policies', { ...named('Mine'), expected: await read() });
    expect(current.status).toBe(200);
    expect((await read()).policies.default.name).toBe('Mine');
    expect(await audited()).toBe(entries + 1);
  });
});
