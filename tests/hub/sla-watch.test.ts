/**
 * SLA warnings and breaches end to end: cases created by an agent get their
 * due times from the stored policy; the watcher (called with its own clock,
 * never waited for) records a warning before the due time and a breach
 * after it, once per case — with two looks, and with two hubs on one
 * Postgres and Redis — and `sla:warning` / `sla:breach` reach the assignee
 * and a supervisor but not another agent of the queue. GET/PUT
 * /api/admin/sla-policies are for admins only and audited.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Case, Customer, Priority } from '../../src/shared/domain';
import { type SlaAlert, SlaAlertSchema, type SlaSettings, type SyncPushResponse } from '../../src/shared/protocol';
import { DEFAULT_SLA_POLICY } from '../../src/shared/sla';
import { startHub, type HubOptions, type RunningHub } from '../../src/hub/hub';
import { backends, startTestHub, type TestHub } from './backends';
import { liveSockets, me, pullAll, queueNamed, waitFor } from './helpers';

const NEVER = 3_600_000;
const MINUTE = 60_000;

/** Every SLA alert a socket receives, validated as a console would. */
function record(socket: Socket): SlaAlert[] {
  const seen: SlaAlert[] = [];
  for (const event of ['sla:warning', 'sla:breach']) socket.on(event, (raw: unknown) => seen.push({ ...SlaAlertSchema.parse(raw), event } as SlaAlert));
  return seen;
}
const about = (seen: SlaAlert[], caseId: string) => seen.filter((a) => a.caseId === caseId).map((a) => `${a.kind}:${a.target}`);

async function send(url: string, method: string, path: string, token: string, body?: unknown): Promise<Response> {
  return fetch(new URL(path, url), { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
}

/** An agent's new case, assigned to `assigneeId`, as the console pushes it. */
async function createCase(url: string, token: string, queueId: string, assigneeId: string, priority: Priority, customerId: string | null = null): Promise<Case> {
  const id = uuidv7();
  const mutation = {
    id: uuidv7(),
    createdAt: new Date().toISOString(),
    kind: 'case.create',
    entityId: id,
    baseVersion: 0,
    payload: { case: { id, subject: `SLA ${priority} ${id.slice(-4)}`, status: 'open', priority, channel: 'phone', customerId, deviceId: null, queueId, assigneeId, language: 'en', tags: [] } },
  };
  const response = await send(url, 'POST', '/api/sync/push', token, { mutations: [mutation] });
  const [result] = ((await response.json()) as SyncPushResponse).results;
  expect(result).toMatchObject({ status: 'applied' });
  return ((await (await send(url, 'GET', `/api/cases/${id}`, token)).json()) as { case: Case }).case;
}

describe.each(backends)('SLA warnings and breaches on $name', (backend) => {
  let hub: TestHub;
  const sockets = liveSockets();
  let tokens: Record<'ivan' | 'dewi' | 'sam' | 'admin', string>;
  let ids: Record<'ivan' | 'dewi', string>;
  let support: string;

  beforeAll(async () => {
    // No warning lead for every policy: each policy's own (the default's is set to 15 minutes below).
    hub = await startTestHub(backend, { slaIntervalMs: NEVER });
    const [ivan, dewi, sam, admin] = await Promise.all(['ivan', 'dewi', 'sam', 'admin'].map((u) => hub.login(u)));
    tokens = { ivan: ivan!, dewi: dewi!, sam: sam!, admin: admin! };
    ids = { ivan: (await me(hub, tokens.ivan)).user.id, dewi: (await me(hub, tokens.dewi)).user.id };
    support = (await queueNamed(hub, tokens.sam, 'Support')).id;
  }, 60_000);
  afterAll(async () => {
    sockets.closeAll();
    await hub?.close();
  });

  it('lets only admins read and replace the policies, validated and audited', async () => {
    expect((await send(hub.url, 'GET', '/api/admin/sla-policies', tokens.sam)).status).toBe(403);
    const initial = (await (await send(hub.url, 'GET', '/api/admin/sla-policies', tokens.admin)).json()) as SlaSettings;
    expect(initial.policies.default.name).toBe(DEFAULT_SLA_POLICY.name);
    const next: SlaSettings = { policies: { default: { ...DEFAULT_SLA_POLICY, warnLeadMinutes: 15, targets: { ...DEFAULT_SLA_POLICY.targets, urgent: { firstResponseMinutes: 30, resolutionMinutes: 120 } } }, byPlan: {} }, queueCalendars: {} };
    expect((await send(hub.url, 'PUT', '/api/admin/sla-policies', tokens.sam, next)).status).toBe(403);
    expect((await send(hub.url, 'PUT', '/api/admin/sla-policies', tokens.admin, { ...next, policies: { default: { ...next.policies.default, calendar: { kind: 'business', timeZone: 'Mars/Olympus', week: { mon: [{ start: '09:00', end: '17:00' }] } } } } })).status).toBe(400);
    expect((await send(hub.url, 'PUT', '/api/admin/sla-policies', tokens.admin, next)).status).toBe(200);
    const stored = (await (await send(hub.url, 'GET', '/api/admin/sla-policies', tokens.admin)).json()) as SlaSettings;
    expect(stored.policies.default.targets.urgent).toEqual({ firstResponseMinutes: 30, resolutionMinutes: 120 });
    const audit = (await (await send(hub.url, 'GET', '/api/audit?action=sla.update', tokens.admin)).json()) as { entries: { action: string }[] };
    expect(audit.entries.map((e) => e.action)).toEqual(['sla.update']);
  });

  it('warns before and records a breach after, once, to the assignee and a supervisor but not another agent', async () => {
    const [toIvan, toDewi, toSam] = [record(await sockets.connect(hub.url, tokens.ivan)), record(await sockets.connect(hub.url, tokens.dewi)), record(await sockets.connect(hub.url, tokens.sam))];
    // Urgent: 30 min first response, 120 min resolution (the policy saved above); high: the default 4 h.
    const mine = await createCase(hub.url, tokens.ivan, support, ids.ivan, 'urgent');
    const theirs = await createCase(hub.url, tokens.dewi, support, ids.dewi, 'high');
    const opened = Date.parse(mine.createdAt);
    expect(Date.parse(mine.slaDueAt!) - opened).toBe(30 * MINUTE);

    // 20 minutes in: 10 left, inside the 15-minute window.
    const warned = await hub.sla.check(new Date(opened + 20 * MINUTE));
    expect(about(warned, mine.id)).toEqual(['warning:first_response']);
    expect(await hub.sla.check(new Date(opened + 21 * MINUTE))).not.toContainEqual(expect.objectContaining({ caseId: mine.id }));
    // 31 minutes in: breached.
    const breached = await hub.sla.check(new Date(opened + 31 * MINUTE));
    expect(about(breached, mine.id)).toEqual(['breach:first_response']);
    expect(await hub.sla.check(new Date(opened + 32 * MINUTE))).not.toContainEqual(expect.objectContaining({ caseId: mine.id }));

    await waitFor(async () => (about(toIvan, mine.id).length === 2 && about(toSam, mine.id).length === 2 ? true : undefined));
    expect(about(toIvan, mine.id)).toEqual(['warning:first_response', 'breach:first_response']);
    expect(about(toSam, mine.id)).toEqual(['warning:first_response', 'breach:first_response']);
    // Dewi's own case breaches later; what the hub sent her arrives in order, so had she been sent ivan's, it would be here first.
    await hub.sla.check(new Date(Date.parse(theirs.createdAt) + 241 * MINUTE));
    await waitFor(async () => (about(toDewi, theirs.id).includes('breach:first_response') ? true : undefined));
    expect(about(toDewi, mine.id)).toEqual([]);
  });
});

describe.each(backends)('SLA alerts by each case’s own policy on $name', (backend) => {
  let hub: TestHub;
  let tokens: Record<'ivan' | 'admin' | 'sam', string>;

  beforeAll(async () => {
    hub = await startTestHub(backend, { slaIntervalMs: NEVER });
    const [ivan, admin, sam] = await Promise.all(['ivan', 'admin', 'sam'].map((u) => hub.login(u)));
    tokens = { ivan: ivan!, admin: admin!, sam: sam! };
  }, 60_000);
  afterAll(async () => {
    await hub?.close();
  });

  it("warns by the plan's own warning lead, as the console's countdown turns, and the default's for a case without one", async () => {
    const urgent = { firstResponseMinutes: 30, resolutionMinutes: 600 };
    const standard = { ...DEFAULT_SLA_POLICY, warnLeadMinutes: 15, targets: { ...DEFAULT_SLA_POLICY.targets, urgent } };
    const premium = { ...standard, name: 'Premium', warnLeadMinutes: 25 };
    const doc: SlaSettings = { policies: { default: standard, byPlan: { premium } }, queueCalendars: {} };
    expect((await send(hub.url, 'PUT', '/api/admin/sla-policies', tokens.admin, doc)).status).toBe(200);
    const customers = (await pullAll(hub, tokens.sam)).changes.filter((c) => c.entity === 'customer' && c.op === 'upsert').map((c) => c.row as Customer);
    const vip = customers.find((c) => c.plan === 'premium')!;
    const support = (await queueNamed(hub, tokens.sam, 'Support')).id;
    const ivanId = (await me(hub, tokens.ivan)).user.id;
    const theirs = await createCase(hub.url, tokens.ivan, support, ivanId, 'urgent', vip.id);
    const anyone = await createCase(hub.url, tokens.ivan, support, ivanId, 'urgent');
    expect(Date.parse(theirs.slaDueAt!) - Date.parse(theirs.createdAt)).toBe(30 * MINUTE);
    // 20 minutes left of both: inside premium's 25, outside the default's 15.
    const at = new Date(Math.max(Date.parse(theirs.slaDueAt!), Date.parse(anyone.slaDueAt!)) - 20 * MINUTE);
    const told = await hub.sla.check(at);
    expect(about(told, theirs.id)).toEqual(['warning:first_response']);
    expect(about(told, anyone.id)).toEqual([]);
    // 10 minutes left: now the default's too.
    expect(about(await hub.sla.check(new Date(Date.parse(anyone.slaDueAt!) - 10 * MINUTE)), anyone.id)).toEqual(['warning:first_response']);
  });
});

describe('SLA alerts with two hubs on Postgres and Redis', () => {
  const REDIS_URL = process.env.SWITCHBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const MQTT_URL = process.env.SWITCHBOARD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
  const postgres = backends.find((b) => b.name === 'postgres')!;
  let storage: Awaited<ReturnType<typeof postgres.storage>>;
  const hubs: RunningHub[] = [];
  const sockets = liveSockets();

  beforeAll(async () => {
    storage = await postgres.storage();
    const shared: HubOptions = {
      slaIntervalMs: NEVER,
      port: 0,
      smtpPort: 0,
      demo: true,
      logLevel: 'silent',
      databaseUrl: storage.options.databaseUrl,
      redisUrl: REDIS_URL,
      mqttUrl: MQTT_URL,
      cluster: `sla-${process.pid}-${Date.now().toString(36)}`,
      tokenWrapKey: randomBytes(32).toString('base64'),
    };
    for (let i = 0; i < 2; i++) hubs.push(await startHub(shared));
  }, 120_000);
  afterAll(async () => {
    sockets.closeAll();
    for (const hub of hubs.splice(0)) await hub.close();
    await storage?.dispose();
  });

  const login = async (url: string, username: string) =>
    ((await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) })).json()) as { token: string }).token;

  it('records a breach once when both hubs look at the same moment, and tells the supervisor on the other hub', async () => {
    const [a, b] = hubs as [RunningHub, RunningHub];
    const ivan = await login(a.url, 'ivan');
    const ivanId = ((await (await send(a.url, 'GET', '/api/me', ivan)).json()) as { user: { id: string } }).user.id;
    const support = ((await (await send(a.url, 'GET', '/api/queues', ivan)).json()) as { queues: { id: string; name: string }[] }).queues.find((q) => q.name === 'Support')!.id;
    const toSam = record(await sockets.connect(b.url, await login(b.url, 'sam')));
    const c = await createCase(a.url, ivan, support, ivanId, 'urgent');
    const at = new Date(Date.parse(c.slaDueAt!) + MINUTE);
    const told = (await Promise.all([a.sla.check(at), b.sla.check(at)])).flat();
    expect(about(told, c.id)).toEqual(['breach:first_response']);
    await waitFor(async () => (about(toSam, c.id).length > 0 ? true : undefined));
    // Once more from each: nothing new.
    expect(about((await Promise.all([a.sla.check(at), b.sla.check(at)])).flat(), c.id)).toEqual([]);
    expect(about(toSam, c.id)).toEqual(['breach:first_response']);
  });
});
