/**
 * What each plan includes, as admins set it (GET/PUT /api/admin/plans, both
 * backends): the defaults until a save; a save is audited (`plans.update`,
 * the changed fields before and after, the reason); only admins read or save;
 * an invalid table is refused with the plan and field named and changes
 * nothing; a save whose `expected` (the table the admin's edit started
 * from) is no longer kept is refused with 409 and changes nothing; and new cases are routed by the saved table — a basic customer
 * made per-incident writes to Support and stays there instead of going to
 * Sales.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/shared/audit';
import type { Customer, Queue } from '../../src/shared/domain';
import { DEFAULT_PLAN_ENTITLEMENTS, type PlanEntitlements, type PlansSettings } from '../../src/shared/entitlements';
import { backends, startTestHub, type TestHub } from './backends';
import { liveSockets, me, nextEvent, pullAll, pulledSince, queueNamed, waitFor } from './helpers';

const SUPPORT = 'support@switchboard.test';

describe.each(backends)('admin plan entitlements on $name', (backend) => {
  let hub: TestHub;
  let admin: string;
  let sam: string;
  let ivan: string;
  let cursor: number;
  let queues: { support: Queue; sales: Queue };
  let transport: ReturnType<typeof nodemailer.createTransport>;

  const put = (token: string, body: unknown) =>
    fetch(new URL('/api/admin/plans', hub.url), { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const read = async () => ((await (await hub.get('/api/admin/plans', admin)).json()) as PlansSettings).entitlements;
  const audit = async () => ((await (await hub.get('/api/audit?action=plans.update', admin)).json()) as { entries: AuditEntry[] }).entries;

  beforeAll(async () => {
    hub = await startTestHub(backend, { smtpPort: 0, routingIntervalMs: 60_000 });
    [admin, sam, ivan] = await Promise.all([hub.login('admin'), hub.login('sam'), hub.login('ivan')]);
    queues = { support: await queueNamed(hub, sam, 'Support'), sales: await queueNamed(hub, sam, 'Sales') };
    cursor = (await pullAll(hub, sam)).cursor;
    const smtp = new URL(hub.smtpUrl!);
    transport = nodemailer.createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    transport?.close();
    await hub?.close();
  });

  /** A new mail to Support from `from`: the case it opened and the notes on it, as a supervisor pulls them. */
  const mailFrom = async (from: Customer, subject: string) => {
    await transport.sendMail({ from: `"${from.name}" <${from.email}>`, to: SUPPORT, subject, text: 'The router drops the connection every hour.' });
    return waitFor(async () => {
      const { cases, messages } = await pulledSince(hub, sam, cursor);
      const opened = cases.findLast((c) => c.subject === subject);
      if (!opened) return undefined;
      return { case: opened, notes: messages.filter((m) => m.caseId === opened.id && m.direction === 'note').map((m) => m.body) };
    }, 15_000);
  };

  it('reads the default table until an admin saves one, and only to admins', async () => {
    expect(await read()).toEqual(DEFAULT_PLAN_ENTITLEMENTS);
    for (const token of [sam, ivan]) {
      expect((await hub.get('/api/admin/plans', token)).status).toBe(403);
      expect((await put(token, { entitlements: DEFAULT_PLAN_ENTITLEMENTS })).status).toBe(403);
    }
    expect((await hub.get('/api/admin/plans')).status).toBe(401);
    expect(await audit()).toEqual([]);
  });

  it('saves a change, audited with the changed field before and after and the reason', async () => {
    const next: PlanEntitlements = { ...DEFAULT_PLAN_ENTITLEMENTS, plus: { kind: 'per-incident', incidentsPerTerm: 5 } };
    const saved = await put(admin, { entitlements: next, reason: 'Plus now includes five incidents' });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ entitlements: next });
    expect(await read()).toEqual(next);
    const [entry, ...older] = await audit();
    expect(older).toEqual([]);
    expect(entry).toMatchObject({
      action: 'plans.update',
      entity: 'settings',
      entityId: 'plans',
      before: { 'plus.incidentsPerTerm': 3 },
      after: { 'plus.incidentsPerTerm': 5 },
      reason: 'Plus now includes five incidents',
    });
    expect(entry!.actorId).toBe((await me(hub, admin)).user.id);
  });

  it('lets every signed-in console read the table, and tells each one live when an admin saves it', async () => {
    const sockets = liveSockets();
    try {
      const agent = await sockets.connect(hub.url, ivan);
      const answer = await hub.get('/api/settings/plans', ivan);
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ entitlements: await read() });
      expect((await hub.get('/api/settings/plans')).status).toBe(401);

      const next: PlanEntitlements = { ...(await read()), basic: { kind: 'package' } };
      const heard = nextEvent<PlansSettings>(agent, 'plans:changed');
      expect((await put(admin, { entitlements: next, reason: 'Basic gets support this quarter' })).status).toBe(200);
      expect(await heard).toEqual({ entitlements: next });
      expect(await (await hub.get('/api/settings/plans', ivan)).json()).toEqual({ entitlements: next });
      // As it was, for the routing below.
      expect((await put(admin, { entitlements: { ...next, basic: { kind: 'none' } } })).status).toBe(200);
    } finally {
      sockets.closeAll();
    }
  });

  it('saves only over the table the admin started from: a stale `expected` gets 409 and changes nothing', async () => {
    const start = await read();
    const entries = (await audit()).length;
    // Another admin saves first (no `expected`: API clients written before it keep working).
    const theirs: PlanEntitlements = { ...start, premium: { kind: 'premium' } };
    expect((await put(admin, { entitlements: theirs, reason: 'the other admin' })).status).toBe(200);

    // This admin's draft started from `start`: refused, nothing written, nothing audited.
    const mine: PlanEntitlements = { ...start, plus: { kind: 'per-incident', incidentsPerTerm: 9 } };
    const stale = await put(admin, { entitlements: mine, expected: { entitlements: start } });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ error: 'conflict', message: 'another admin saved changes since you opened this', wording: { key: 'hub.settingsConflict' } });
    expect(await read()).toEqual(theirs);
    expect(await audit()).toHaveLength(entries + 1);

    // Over the table the hub keeps (its keys in another order: the comparison ignores order), the save goes through.
    const reordered = Object.fromEntries(Object.entries(theirs).reverse()) as PlanEntitlements;
    const current = await put(admin, { entitlements: mine, expected: { entitlements: reordered } });
    expect(current.status).toBe(200);
    expect(await read()).toEqual(mine);
    // As it was, for the tests below.
    expect((await put(admin, { entitlements: start, expected: { entitlements: mine } })).status).toBe(200);
    expect((await put(admin, { entitlements: start, expected: { entitlements: { ...start, plus: { kind: 'bogus' } } } })).status).toBe(400);
  });

  it('refuses an invalid table with 400, naming the plan and the field, and changes nothing', async () => {
    const before = await read();
    const entries = (await audit()).length;
    const refusals: [unknown, string][] = [
      [{ entitlements: { ...before, plus: { kind: 'per-incident', incidentsPerTerm: 0 } } }, 'entitlements.plus.incidentsPerTerm'],
      [{ entitlements: { ...before, basic: { kind: 'per-incident' } } }, 'entitlements.basic.incidentsPerTerm'],
      [{ entitlements: { ...before, premium: { kind: 'gold' } } }, 'entitlements.premium.kind'],
      [{ entitlements: { basic: before.basic, plus: before.plus, premium: before.premium } }, 'entitlements.enterprise'],
      [{ entitlements: { ...before, platinum: { kind: 'premium' } } }, 'platinum'],
      [{ entitlements: before, reason: 'x'.repeat(501) }, 'reason'],
    ];
    for (const [body, named] of refusals) {
      const answer = await put(admin, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(((await answer.json()) as { message: string }).message).toContain(named);
    }
    expect(await read()).toEqual(before);
    expect(await audit()).toHaveLength(entries);
  });

  it('routes new cases by the saved table: a basic customer goes to Sales, and to Support once basic is per-incident', async () => {
    const { customers } = await pulledSince(hub, sam, 0);
    const customer = customers.find((c) => c.plan === 'basic' && c.email)!;
    expect(customer, 'a demo customer on the basic plan with an email address').toBeDefined();

    const before = await mailFrom(customer, `Router drops ${Date.now()}`);
    expect(before.case.queueId).toBe(queues.sales.id);
    expect(before.notes).toEqual(['no support plan: routed to Sales (basic plan)']);

    const table = await read();
    expect((await put(admin, { entitlements: { ...table, basic: { kind: 'per-incident', incidentsPerTerm: 2 } }, reason: 'basic includes two incidents this year' })).status).toBe(200);
    // The audit row says what changed in a line: a new kind, and the incidents it now has.
    expect((await audit())[0]).toMatchObject({ before: { 'basic.kind': 'none' }, after: { 'basic.kind': 'per-incident', 'basic.incidentsPerTerm': 2 } });
    const after = await mailFrom(customer, `Router drops again ${Date.now()}`);
    expect(after.case.queueId).toBe(queues.support.id);
    expect(after.notes).toEqual(['per-incident support, incident 1 of 2: routed to Support']);
  });
});
