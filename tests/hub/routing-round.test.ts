/**
 * One push-routing round (src/hub/routing/router.ts) on both backends, on
 * rows made for it: the most urgent waiting case goes to the free agent who
 * has waited longest and has the queue's skills; an agent whose capacity is
 * taken (by cases, or by a live call) or who lacks a skill gets nothing; a
 * case on offer or refused by an agent is not offered to them again. The
 * offers are the round's last statement, and its commit goes with them.
 */
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PGliteWorker } from '../../src/hub/db/pglite-proxy';
import { caseOfferRefusals, calls, cases, queueMembers, queues, users } from '../../src/hub/db/schema';
import { routeRound } from '../../src/hub/routing/router';
import { backends, databaseOf } from './backends';
import { wireLog } from './pg-wire';

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(backends)('a routing round on $name', (backend) => {
  const database = databaseOf(backend);

  it('offers the most urgent case to the longest-waiting agent with skills and room, and skips the others', async () => {
    const db = database.db;
    const now = Date.now();
    const queueId = uuidv7();
    await db.insert(queues).values({ id: queueId, name: `Russian ${queueId.slice(-6)}`, description: '', routing: 'push', offerSeconds: 60, requiredSkills: ['ru'] });
    const agent = (name: string, waitedMinutes: number, extra: Partial<typeof users.$inferInsert> = {}) => ({
      id: uuidv7(),
      username: `${name}-${queueId.slice(-6)}`,
      name,
      role: 'agent',
      passwordHash: 'x',
      presence: 'available',
      presenceSince: new Date(now - waitedMinutes * 60_000),
      skills: ['ru'],
      capacity: 2,
      ...extra,
    });
    // Longest waiting first: full (two cases of two), on a call, without the skill, then the two who may take work.
    const full = agent('full', 50);
    const onCall = agent('on-call', 40);
    const unskilled = agent('unskilled', 30, { skills: ['en'] });
    const refuser = agent('refuser', 20);
    const free = agent('free', 10);
    const all = [full, onCall, unskilled, refuser, free];
    await db.insert(users).values(all);
    await db.insert(queueMembers).values(all.map((a) => ({ queueId, userId: a.id })));
    const aCase = (subject: string, priority: string, extra: Partial<typeof cases.$inferInsert> = {}) => ({
      id: uuidv7(),
      subject,
      status: 'new',
      priority,
      channel: 'email',
      queueId,
      language: 'ru',
      tags: [],
      slaDueAt: new Date(now + 60 * 60_000),
      ...extra,
    });
    const low = aCase('low', 'low');
    const urgent = aCase('urgent', 'urgent');
    const high = aCase('high', 'high');
    const assigned = [aCase('full 1', 'normal', { assigneeId: full.id, status: 'open' }), aCase('full 2', 'normal', { assigneeId: full.id, status: 'open' })];
    await db.insert(cases).values([low, urgent, high, ...assigned]);
    await db.insert(calls).values({ callSid: `CA${queueId.replace(/-/g, '')}`, fromNumber: '+79990000000', toNumber: '+3545550000', status: 'in-progress', answeredBy: onCall.id, answeredAt: new Date(now - 60_000) });
    // The refuser declined the most urgent one before.
    await db.insert(caseOfferRefusals).values({ caseId: urgent.id, userId: refuser.id, reason: 'declined' });

    const wire = wireLog();
    const sent = vi.spyOn(PGliteWorker.prototype as unknown as { request(message: { op: string; commit?: boolean }): Promise<unknown> }, 'request');
    const round = await routeRound(db, new Date(now));
    // The offers carry the commit: to the embedded database's worker, or pipelined behind them on Postgres.
    if (backend.name === 'pglite') expect(sent.mock.calls.map(([m]) => `${m.op}${m.commit ? '+commit' : ''}`).slice(-2)).toEqual(['query', 'query+commit']);
    else expect(wire.slice(-4)).toEqual(['sent:WITH chosen AS', 'sent:COMMIT', 'answered:WITH chosen AS', 'answered:COMMIT']);
    vi.restoreAllMocks();
    const offered = round.offers.map((o) => [all.find((a) => a.id === o.userId)!.name, o.offer.case.subject]);
    // The refuser (waited longer) gets the best case they have not refused; the free agent the urgent one.
    expect(offered.sort()).toEqual([
      ['free', 'urgent'],
      ['refuser', 'high'],
    ]);
    expect(round.offers.every((o) => o.offer.why.length > 0)).toBe(true);

    // Offered cases are held: the next round offers nothing more to anyone (both hold an offer; the rest cannot take one).
    expect((await routeRound(db, new Date(now + 1_000))).offers).toEqual([]);
  });
});
