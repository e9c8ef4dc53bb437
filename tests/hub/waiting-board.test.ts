/**
 * Push routing's waiting board (src/hub/routing/waiting-board.ts), kept
 * between rounds as a hub's routing loop keeps it, on both backends: after
 * any run of changes written as the hub writes them (each with a new rev) —
 * cases arriving, taken, solved, reopened, moved, re-prioritised, their SLA
 * moved, their customer's plan or value changed, the plan table saved, a
 * queue switched to push or back — the board holds exactly what a board
 * loaded afresh from the database holds, every case with the same score. And
 * a round offers from what changed: a more urgent case that arrived after
 * the board was loaded goes to the agent first. Two hubs on one Postgres,
 * each with its board: each learns what the other wrote, and rounds at once
 * on both offer each case to one agent only.
 */
import { eq, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIORITIES, PLANS } from '../../src/shared/domain';
import { type Db, openDatabase } from '../../src/hub/db/connect';
import { caseOffers, cases, customers, queueMembers, queues, settings, users } from '../../src/hub/db/schema';
import { routeRound } from '../../src/hub/routing/router';
import { type BoardQueue, WaitingBoard } from '../../src/hub/routing/waiting-board';
import { PLAN_ENTITLEMENTS_KEY } from '../../src/hub/sla/plans';
import { backends, databaseOf } from './backends';

const STATUSES = ['new', 'open', 'pending', 'solved'] as const;
const bump = { version: sql`${cases.version} + 1`, rev: sql`nextval('rev_seq')`, updatedAt: sql`now()` };
const bumpCustomer = { version: sql`${customers.version} + 1`, rev: sql`nextval('rev_seq')`, updatedAt: sql`now()` };

/** A change as the property draws it; indexes pick among the rows made so far. */
const change = fc.oneof(
  fc.record({ kind: fc.constant('arrive' as const), queue: fc.nat(2), priority: fc.constantFrom(...PRIORITIES), dueMinutes: fc.option(fc.integer({ min: -120, max: 3000 })), customer: fc.option(fc.nat(3)) }),
  fc.record({ kind: fc.constant('assign' as const), at: fc.nat(), assign: fc.boolean() }),
  fc.record({ kind: fc.constant('status' as const), at: fc.nat(), status: fc.constantFrom(...STATUSES) }),
  fc.record({ kind: fc.constant('move' as const), at: fc.nat(), queue: fc.nat(2) }),
  fc.record({ kind: fc.constant('priority' as const), at: fc.nat(), priority: fc.constantFrom(...PRIORITIES), sentiment: fc.option(fc.double({ min: -1, max: 1, noNaN: true })) }),
  fc.record({ kind: fc.constant('due' as const), at: fc.nat(), dueMinutes: fc.option(fc.integer({ min: -120, max: 3000 })) }),
  fc.record({ kind: fc.constant('customer' as const), at: fc.nat(3), plan: fc.constantFrom(...PLANS), value: fc.integer({ min: 0, max: 20_000 }), influence: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ kind: fc.constant('plans' as const), premium: fc.constantFrom('none', 'package', 'premium') }),
  fc.record({ kind: fc.constant('routing' as const), queue: fc.nat(2), push: fc.boolean() }),
);
type Change = typeof change extends fc.Arbitrary<infer T> ? T : never;

describe.each(backends)('the waiting board on $name', (backend) => {
  const database = databaseOf(backend);

  it('kept across rounds, holds what a board loaded afresh holds, whatever changed between them', async () => {
    const db = database.db;
    const tag = uuidv7().slice(-6);
    const queueIds = [uuidv7(), uuidv7(), uuidv7()];
    // Two push queues and one manual one, which a change may switch.
    await db.insert(queues).values(queueIds.map((id, i) => ({ id, name: `Board ${i} ${tag}`, description: '', routing: i < 2 ? 'push' : 'manual', offerSeconds: 60 })));
    const agentId = uuidv7();
    // The one agent is away: rounds make no offers, so both boards see the same waiting cases.
    await db.insert(users).values({ id: agentId, username: `board-${tag}`, name: 'Board agent', role: 'agent', passwordHash: 'x', presence: 'away' });
    const customerIds = [uuidv7(), uuidv7(), uuidv7(), uuidv7()];
    await db.insert(customers).values(
      customerIds.map((id, i) => ({ id, name: `C${i}`, email: null, phone: null, handles: {}, plan: PLANS[i % PLANS.length]!, lifetimeValue: 100 * i, influence: 10 * i, language: 'en', preferredChannel: 'email', consent: true })),
    );
    const now = Date.now();
    const made: string[] = [];
    const apply = async (c: Change) => {
      const pick = (at: number) => made[at % made.length];
      switch (c.kind) {
        case 'arrive': {
          const id = uuidv7();
          made.push(id);
          const due = c.dueMinutes === null ? null : new Date(now + c.dueMinutes * 60_000);
          await db.insert(cases).values({ id, subject: 'arrived', status: 'new', priority: c.priority, channel: 'email', queueId: queueIds[c.queue]!, language: 'en', tags: [], slaDueAt: due, customerId: c.customer === null ? null : customerIds[c.customer]! });
          return;
        }
        case 'assign': {
          const id = pick(c.at);
          if (id) await db.update(cases).set({ assigneeId: c.assign ? agentId : null, ...bump }).where(eq(cases.id, id));
          return;
        }
        case 'status': {
          const id = pick(c.at);
          if (id) await db.update(cases).set({ status: c.status, ...bump }).where(eq(cases.id, id));
          return;
        }
        case 'move': {
          const id = pick(c.at);
          if (id) await db.update(cases).set({ queueId: queueIds[c.queue]!, ...bump }).where(eq(cases.id, id));
          return;
        }
        case 'priority': {
          const id = pick(c.at);
          if (id) await db.update(cases).set({ priority: c.priority, sentiment: c.sentiment, ...bump }).where(eq(cases.id, id));
          return;
        }
        case 'due': {
          const id = pick(c.at);
          if (id) await db.update(cases).set({ slaDueAt: c.dueMinutes === null ? null : new Date(now + c.dueMinutes * 60_000), ...bump }).where(eq(cases.id, id));
          return;
        }
        case 'customer':
          await db.update(customers).set({ plan: c.plan, lifetimeValue: c.value, influence: c.influence, ...bumpCustomer }).where(eq(customers.id, customerIds[c.at]!));
          return;
        case 'plans': {
          const table = { basic: { kind: 'none' }, plus: { kind: 'per-incident', incidentsPerTerm: 3 }, premium: { kind: c.premium }, enterprise: { kind: 'premium' } };
          const value = JSON.stringify(table);
          await db.insert(settings).values({ key: PLAN_ENTITLEMENTS_KEY, value }).onConflictDoUpdate({ target: settings.key, set: { value } });
          return;
        }
        case 'routing':
          await db.update(queues).set({ routing: c.push ? 'push' : 'manual', version: sql`${queues.version} + 1`, rev: sql`nextval('rev_seq')` }).where(eq(queues.id, queueIds[c.queue]!));
          return;
      }
    };
    const pushQueues = async (): Promise<BoardQueue[]> =>
      (await db.select().from(queues).where(eq(queues.routing, 'push'))).filter((q) => queueIds.includes(q.id)).map((q) => ({ id: q.id, offerSeconds: q.offerSeconds, requiredSkills: q.requiredSkills }));
    const view = async (board: WaitingBoard) =>
      board
        .scored(await pushQueues(), new Set(), now)
        .map((c) => ({ id: c.id, queueId: c.queueId, score: c.score, load: c.load }))
        .sort((a, b) => a.id.localeCompare(b.id));

    for (let i = 0; i < 6; i++) await apply({ kind: 'arrive', queue: i % 3, priority: PRIORITIES[i % 4]!, dueMinutes: 30 * i, customer: i % 2 === 0 ? i % 4 : null });
    const kept = new WaitingBoard();
    await routeRound(db, new Date(now), kept);
    expect(kept.size).toBe(4);

    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 8 }), async (changes) => {
        for (const c of changes) await apply(c);
        await routeRound(db, new Date(now), kept);
        const fresh = new WaitingBoard();
        await routeRound(db, new Date(now), fresh);
        expect(await view(kept)).toEqual(await view(fresh));
      }),
      { numRuns: 25 },
    );
  });

  it('offers from what changed since the board was loaded: a more urgent case that arrived goes first', async () => {
    const db: Db = database.db;
    const tag = uuidv7().slice(-6);
    const queueId = uuidv7();
    await db.insert(queues).values({ id: queueId, name: `Board offers ${tag}`, description: '', routing: 'push', offerSeconds: 60 });
    const agentId = uuidv7();
    await db.insert(users).values({ id: agentId, username: `board-offers-${tag}`, name: 'Agent', role: 'agent', passwordHash: 'x', presence: 'available', capacity: 5 });
    await db.insert(queueMembers).values({ queueId, userId: agentId });
    const now = Date.now();
    const aCase = (subject: string, priority: string, dueMinutes: number) => ({ id: uuidv7(), subject, status: 'new', priority, channel: 'email', queueId, language: 'en', tags: [], slaDueAt: new Date(now + dueMinutes * 60_000) });
    const first = aCase('first', 'normal', 600);
    const second = aCase('second', 'low', 900);
    await db.insert(cases).values([first, second]);

    const board = new WaitingBoard();
    const round1 = await routeRound(db, new Date(now), board);
    expect(round1.offers.map((o) => o.offer.case.subject)).toEqual(['first']);

    // Taken, and meanwhile an urgent case arrived and the low one was raised: the board learns both from their revs.
    await db.delete(caseOffers).where(eq(caseOffers.caseId, first.id));
    await db.update(cases).set({ assigneeId: agentId, status: 'open', ...bump }).where(eq(cases.id, first.id));
    const urgent = aCase('urgent', 'urgent', 5);
    await db.insert(cases).values(urgent);
    const round2 = await routeRound(db, new Date(now + 1_000), board);
    expect(round2.offers.map((o) => o.offer.case.subject)).toEqual(['urgent']);
    expect(round2.offers[0]!.offer.why).toMatch(/SLA due in 5 min/);

    await db.delete(caseOffers).where(eq(caseOffers.caseId, urgent.id));
    await db.update(cases).set({ status: 'solved', ...bump }).where(eq(cases.id, urgent.id));
    const round3 = await routeRound(db, new Date(now + 2_000), board);
    expect(round3.offers.map((o) => o.offer.case.subject)).toEqual(['second']);
  });
});

describe('two hubs’ boards on one Postgres', () => {
  const postgres = backends.find((b) => b.name === 'postgres')!;
  let storage: Awaited<ReturnType<typeof postgres.storage>> | undefined;
  const opened: { db: Db; close(): Promise<void> }[] = [];
  beforeAll(async () => {
    storage = await postgres.storage();
    // Two hubs: a connection pool and a board each, as two hub processes have.
    for (let i = 0; i < 2; i++) opened.push(await openDatabase(storage.options));
  });
  afterAll(async () => {
    for (const database of opened) await database.close();
    await storage?.dispose();
  });

  it('each board learns what the other hub wrote, and rounds run at once on both offer each case to one agent only', async () => {
    const [one, two] = opened.map((d) => d.db) as [Db, Db];
    const queueId = uuidv7();
    await one.insert(queues).values({ id: queueId, name: 'Two hubs', description: '', routing: 'push', offerSeconds: 60 });
    const agents = [uuidv7(), uuidv7(), uuidv7()];
    await one.insert(users).values(agents.map((id, i) => ({ id, username: `two-hubs-${i}`, name: `Agent ${i}`, role: 'agent', passwordHash: 'x', presence: i === 0 ? 'available' : 'away', presenceSince: new Date(Date.now() - (10 - i) * 60_000), capacity: 5 })));
    await one.insert(queueMembers).values(agents.map((userId) => ({ queueId, userId })));
    const customerId = uuidv7();
    await one.insert(customers).values({ id: customerId, name: 'Later premium', email: null, phone: null, handles: {}, plan: 'basic', lifetimeValue: 0, influence: 0, language: 'en', preferredChannel: 'email', consent: true });
    const now = Date.now();
    const aCase = (subject: string, extra: Partial<typeof cases.$inferInsert> = {}) => ({ id: uuidv7(), subject, status: 'new', priority: 'normal', channel: 'email', queueId, language: 'en', tags: [], slaDueAt: new Date(now + 600 * 60_000), ...extra });
    const plain = aCase('plain', { slaDueAt: new Date(now + 300 * 60_000) });
    const theirs = aCase('their customer', { customerId, slaDueAt: new Date(now + 900 * 60_000) });
    await one.insert(cases).values([plain, theirs]);
    const [board1, board2] = [new WaitingBoard(), new WaitingBoard()];
    // Both loaded; the only available agent is offered the case due first.
    expect((await routeRound(two, new Date(now), board2)).offers.map((o) => o.offer.case.subject)).toEqual(['plain']);
    await routeRound(one, new Date(now), board1);

    // On hub one: the offer ends, and the other case's customer becomes an enterprise customer worth much.
    await one.delete(caseOffers).where(eq(caseOffers.caseId, plain.id));
    await one.update(customers).set({ plan: 'enterprise', lifetimeValue: 20_000, influence: 90, ...bumpCustomer }).where(eq(customers.id, customerId));
    // Hub two's board learns it: that customer's case now goes first.
    expect((await routeRound(two, new Date(now + 1_000), board2)).offers.map((o) => o.offer.case.subject)).toEqual(['their customer']);

    // Three agents free, three cases waiting, a round on each hub at once: every case on offer to one agent only.
    await two.delete(caseOffers).where(eq(caseOffers.caseId, theirs.id));
    await one.update(users).set({ presence: 'available' }).where(inArray(users.id, agents));
    const third = aCase('third');
    await two.insert(cases).values(third);
    const [a, b] = await Promise.all([routeRound(one, new Date(now + 2_000), board1), routeRound(two, new Date(now + 2_000), board2)]);
    const offers = [...a.offers, ...b.offers];
    expect(offers).toHaveLength(3);
    expect(new Set(offers.map((o) => o.offer.case.id)).size).toBe(3);
    expect(new Set(offers.map((o) => o.userId)).size).toBe(3);
    const stored = await one.select().from(caseOffers).where(inArray(caseOffers.caseId, [plain.id, theirs.id, third.id]));
    expect(stored).toHaveLength(3);
  });
});
