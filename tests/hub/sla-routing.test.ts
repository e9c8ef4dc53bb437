/**
 * Entitlement routing and SLA due times where cases open, through the real
 * inbound pipeline on a migrated database (both backends): a known customer
 * without support writing to Support lands in Sales with the reason as a
 * note; a per-incident customer's cases are counted until the term's
 * incidents are used up, then go to Sales; a stored policy per plan with a
 * queue calendar gives the due times.
 */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Db } from '../../src/hub/db/connect';
import { openDatabase } from '../../src/hub/db/connect';
import { caseChanges, cases, customerIdentities, customers, messages, queues, supportIncidents, users } from '../../src/hub/db/schema';
import { applyMutations } from '../../src/hub/repos/push';
import type { Actor } from '../../src/hub/repos/scope';
import { createInboundPipeline } from '../../src/hub/channels/pipeline';
import type { InboundMessage } from '../../src/hub/channels/inbound';
import { dueTimesAfterChange, writeSlaSettings } from '../../src/hub/sla';
import type { Plan } from '../../src/shared/entitlements';
import { DEFAULT_SLA_POLICY } from '../../src/shared/sla';
import { backends } from './backends';

const silent = { case() {}, message() {}, mention() {} };

describe.each(backends)('entitlement routing and SLA due times on $name', (backend) => {
  let db: Db;
  let close: () => Promise<void>;
  let dispose: () => Promise<void>;
  const queueIds: Record<string, string> = {};
  const customerOf: Record<string, string> = {};

  const addCustomer = async (name: string, plan: Plan) => {
    const id = uuidv7();
    const email = `${name}@example.test`;
    await db.insert(customers).values({ id, name, email, phone: null, handles: {}, plan, lifetimeValue: 100, influence: 0, language: 'en', preferredChannel: 'email', consent: true });
    await db.insert(customerIdentities).values({ channel: 'email', value: email, customerId: id });
    customerOf[name] = id;
  };

  let n = 0;
  const mail = (from: string): InboundMessage => ({
    channel: 'email',
    externalId: `<m${++n}-${uuidv7()}@example.test>`,
    author: { channel: 'email', handle: `${from}@example.test`, displayName: from },
    body: 'My router keeps dropping the connection.',
    thread: null,
    addressing: 'addressed',
    language: 'en',
    url: null,
    at: new Date().toISOString(),
    subject: `Help ${n}`,
    queueId: queueIds.Support,
  });

  beforeAll(async () => {
    const storage = await backend.storage();
    dispose = storage.dispose;
    const database = await openDatabase(storage.options);
    db = database.db;
    close = () => database.close();
    for (const name of ['Support', 'Sales']) {
      queueIds[name] = uuidv7();
      await db.insert(queues).values({ id: queueIds[name], name, description: '' });
    }
    await addCustomer('bea', 'basic');
    await addCustomer('pia', 'plus');
    await addCustomer('eve', 'enterprise');
  });
  afterAll(async () => {
    await close?.();
    await dispose?.();
  });

  const receive = async (from: string) => {
    const outcome = await createInboundPipeline(db, silent).receive(mail(from));
    if (outcome.status !== 'opened') throw new Error(`expected a new case, got ${outcome.status}`);
    const notes = await db.select().from(messages).where(eq(messages.caseId, outcome.case.id)).orderBy(asc(messages.rev));
    return { case: outcome.case, notes: notes.filter((m) => m.direction === 'note').map((m) => m.body) };
  };

  it('routes a basic-plan customer writing to Support to Sales, with the reason on the case', async () => {
    const opened = await receive('bea');
    expect(opened.case.queueId).toBe(queueIds.Sales);
    expect(opened.notes).toEqual(['no support plan: routed to Sales (basic plan)']);
  });

  it('leaves a customer made from an unknown author (a placeholder plan) where the channel sends them', async () => {
    for (let i = 0; i < 2; i++) {
      const opened = await receive('newcomer');
      expect(opened.case.queueId).toBe(queueIds.Support);
      expect(opened.notes).toEqual([]);
      await db.update(cases).set({ status: 'solved' }).where(eq(cases.id, opened.case.id));
    }
  });

  it('keeps a premium customer in Support, with no note', async () => {
    const opened = await receive('eve');
    expect(opened.case.queueId).toBe(queueIds.Support);
    expect(opened.notes).toEqual([]);
  });

  it('counts a per-incident customer’s incidents, and routes to Sales once the term’s are used up', async () => {
    for (let i = 1; i <= 3; i++) {
      const opened = await receive('pia');
      expect(opened.case.queueId).toBe(queueIds.Support);
      expect(opened.notes).toEqual([`per-incident support, incident ${i} of 3: routed to Support`]);
      // The customer wrote again about the same thing: close it, so the next mail opens a new case.
      await db.update(cases).set({ status: 'solved' }).where(eq(cases.id, opened.case.id));
    }
    expect(await db.select().from(supportIncidents).where(eq(supportIncidents.customerId, customerOf.pia!))).toHaveLength(3);
    const fourth = await receive('pia');
    expect(fourth.case.queueId).toBe(queueIds.Sales);
    expect(fourth.notes).toEqual(['per-incident support used up (3 of 3 incidents this term): routed to Sales (plus plan)']);
    expect(await db.select().from(supportIncidents).where(eq(supportIncidents.customerId, customerOf.pia!))).toHaveLength(3);
  });

  it('stamps due times from the plan’s stored policy and the queue’s calendar', async () => {
    const enterprise = { ...DEFAULT_SLA_POLICY, name: 'Enterprise', targets: { ...DEFAULT_SLA_POLICY.targets, normal: { firstResponseMinutes: 7, resolutionMinutes: 90 } } };
    await writeSlaSettings(db, { policies: { default: DEFAULT_SLA_POLICY, byPlan: { enterprise } }, queueCalendars: {} }, null);
    const before = Date.now();
    const opened = await receive('eve');
    const created = Date.parse(opened.case.createdAt);
    expect(created).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(opened.case.slaDueAt!) - created).toBeGreaterThan(6 * 60_000);
    expect(Date.parse(opened.case.slaDueAt!) - created).toBeLessThan(8 * 60_000);
    const [row] = await db.select({ resolutionDueAt: cases.resolutionDueAt }).from(cases).where(eq(cases.id, opened.case.id));
    expect(row!.resolutionDueAt!.getTime() - Date.parse(opened.case.slaDueAt!)).toBe(83 * 60_000);

    // A queue calendar that is closed all week but Sunday's last minute: the due time moves to a Sunday evening in Berlin.
    await writeSlaSettings(db, { policies: { default: DEFAULT_SLA_POLICY, byPlan: { enterprise } }, queueCalendars: { [queueIds.Support!]: { kind: 'business', timeZone: 'Europe/Berlin', week: { sun: [{ start: '23:00', end: '24:00' }] }, holidays: [] } } }, null);
    const closed = await receive('eve');
    const due = new Date(closed.case.slaDueAt!);
    const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(due);
    expect(berlin).toBe('Sun 23:07');
  });

  it('moves the due times on by the time the case waited on the customer, from its status history', async () => {
    await writeSlaSettings(db, { policies: { default: DEFAULT_SLA_POLICY, byPlan: {} }, queueCalendars: {} }, null);
    const opened = new Date('2026-11-30T08:00:00Z');
    const id = uuidv7();
    await db.insert(cases).values({ id, subject: 'Waiting', status: 'pending', priority: 'urgent', channel: 'email', customerId: customerOf.eve!, deviceId: null, queueId: queueIds.Support!, assigneeId: null, language: 'en', tags: [], createdAt: opened, version: 2 });
    await db.insert(caseChanges).values({ caseId: id, version: 2, fields: { status: 'pending' }, userId: null, changedAt: new Date('2026-11-30T08:10:00Z') });
    const facts = { id, customerId: customerOf.eve!, queueId: queueIds.Support!, createdAt: opened };
    // Open again 30 minutes later: urgent's 60 and 480 minutes run 30 minutes later.
    const resumed = await dueTimesAfterChange(db, facts, { status: 'open', priority: 'urgent' }, new Date('2026-11-30T08:40:00Z'));
    expect(resumed!.firstResponseDueAt!.toISOString()).toBe('2026-11-30T09:30:00.000Z');
    expect(resumed!.resolutionDueAt!.toISOString()).toBe('2026-11-30T16:30:00.000Z');
    // Still pending (another field changed): no due time to store, the stored ones stay.
    expect(await dueTimesAfterChange(db, facts, { status: 'pending', priority: 'high' }, new Date('2026-11-30T08:40:00Z'))).toBeNull();

    // The customer's plan has its own policy and the queue its own hours: both count, with the same history.
    const enterprise = { ...DEFAULT_SLA_POLICY, name: 'Enterprise', targets: { ...DEFAULT_SLA_POLICY.targets, urgent: { firstResponseMinutes: 20, resolutionMinutes: 120 } } };
    const mornings = { kind: 'business' as const, timeZone: 'UTC', week: { mon: [{ start: '08:00', end: '09:00' }, { start: '10:00', end: '12:00' }] }, holidays: [] };
    await writeSlaSettings(db, { policies: { default: DEFAULT_SLA_POLICY, byPlan: { enterprise } }, queueCalendars: { [queueIds.Support!]: mornings } }, null);
    const planned = await dueTimesAfterChange(db, facts, { status: 'open', priority: 'urgent' }, new Date('2026-11-30T08:40:00Z'));
    // 10 business minutes before the pause, 30 paused: 10 of the 20 left run from 08:40 to 08:50; of the 120, 110 left: 08:40–09:00, then 10:00–11:30.
    expect(planned!.firstResponseDueAt!.toISOString()).toBe('2026-11-30T08:50:00.000Z');
    expect(planned!.resolutionDueAt!.toISOString()).toBe('2026-11-30T11:30:00.000Z');

    // A console's push reads the same for its whole batch up front: what it stores is what the reading above gives at that moment.
    const [sam] = await db.insert(users).values({ id: uuidv7(), username: `sam-${backend.name}`, name: 'Sam', role: 'supervisor', passwordHash: 'x' }).returning();
    const actor: Actor = { id: sam!.id, name: sam!.name, role: 'supervisor', queueIds: [], sessionEpoch: 0 };
    const [before] = await db.select({ version: cases.version }).from(cases).where(eq(cases.id, id));
    const asked = new Date();
    const expected = await dueTimesAfterChange(db, facts, { status: 'open', priority: 'urgent' }, asked);
    const [pushed] = await applyMutations(db, actor, [{ id: uuidv7(), kind: 'case.update', entityId: id, baseVersion: before!.version, createdAt: asked.toISOString(), payload: { fields: { status: 'open' } } }]);
    expect(pushed!.result.status).toBe('applied');
    const [stored] = await db.select({ slaDueAt: cases.slaDueAt, resolutionDueAt: cases.resolutionDueAt }).from(cases).where(eq(cases.id, id));
    // Both read "now": they differ by no more than the moments they were asked.
    const elapsed = Date.now() - asked.getTime() + 1;
    expect(Math.abs(stored!.slaDueAt!.getTime() - expected!.firstResponseDueAt!.getTime())).toBeLessThanOrEqual(elapsed);
    expect(Math.abs(stored!.resolutionDueAt!.getTime() - expected!.resolutionDueAt!.getTime())).toBeLessThanOrEqual(elapsed);
  });
});
