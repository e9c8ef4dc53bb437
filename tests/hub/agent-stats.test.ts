/**
 * `agent:stats`: one row per agent and technician (and per supervisor holding
 * work) with presence and since when, current work, cases handled today and
 * the handle time — exact against seeded rows; live to supervisors with the
 * queue statistics after a presence change or a solved case; never to agents.
 */
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseChanges, cases, queueMembers, queues, users } from '../../src/hub/db/schema';
import { agentStats } from '../../src/hub/repos/agent-stats';
import type { Case } from '../../src/shared/domain';
import { type AgentStats, AgentStatsSchema, type QueueStats } from '../../src/shared/protocol';
import { backends, startTestHub, type TestHub, withDatabase } from './backends';
import { casesFor, liveSockets, me, nextEvent } from './helpers';
import { newXUser, postX, tweet, X_BRAND, xActivity } from './x-webhooks';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.each(backends)('agent statistics on $name', (backend) => {
  it('gives presence and since when, current work, cases handled today and their handle time', async () => {
    const storage = await backend.storage();
    try {
      await withDatabase(storage.options, async (db) => {
        const now = new Date('2026-03-10T10:07:00.000Z');
        const ago = (ms: number) => new Date(now.getTime() - ms);
        const queue = uuidv7();
        await db.insert(queues).values({ id: queue, name: 'Support', description: '' });
        const person = (username: string, role: string, extra: Partial<typeof users.$inferInsert> = {}) => ({ id: uuidv7(), username, name: username.toUpperCase(), role, passwordHash: 'x', ...extra });
        const ana = person('ana', 'agent', { presence: 'available', presenceSince: ago(20 * MINUTE), skills: ['billing', 'es'], capacity: 4 });
        const tess = person('tess', 'technician', { presence: 'away', presenceReason: 'Lunch', presenceSince: ago(5 * MINUTE) });
        const ivan = person('ivan', 'agent');
        const sam = person('sam', 'supervisor', { presence: 'busy' });
        const sue = person('sue', 'supervisor');
        const boss = person('boss', 'admin');
        await db.insert(users).values([ana, tess, ivan, sam, sue, boss]);
        await db.insert(queueMembers).values([{ queueId: queue, userId: ana.id }]);

        const kase = (assignee: string | null, status: string, createdAgo = 4 * HOUR) => ({ id: uuidv7(), subject: 'seeded', status, priority: 'normal', channel: 'email', queueId: queue, assigneeId: assignee, language: 'en', tags: [], createdAt: ago(createdAgo) });
        // Ana's current work: new, open, pending (solved and closed ones are done). Sam holds one; the admin only a solved one.
        const a = kase(ana.id, 'solved', 3 * HOUR);
        const b = kase(ana.id, 'solved', 30 * MINUTE);
        const c = kase(ana.id, 'solved');
        const d = kase(ivan.id, 'solved');
        const e = kase(ana.id, 'closed', 100 * MINUTE);
        const f = kase(ana.id, 'solved');
        await db.insert(cases).values([kase(ana.id, 'new'), kase(ana.id, 'open'), kase(ana.id, 'pending'), kase(sam.id, 'on_hold'), kase(boss.id, 'solved'), a, b, c, d, e, f]);
        const change = (caseId: string, version: number, fields: Record<string, unknown>, userId: string, at: Date) => ({ caseId, version, fields, userId, changedAt: at });
        await db.insert(caseChanges).values([
          // a: became ana's 2 h ago (someone else assigned it), solved by her 1 h ago: 1 h.
          change(a.id, 2, { assigneeId: ana.id, queueId: queue }, sam.id, ago(2 * HOUR)),
          change(a.id, 3, { priority: 'high' }, ana.id, ago(90 * MINUTE)),
          change(a.id, 4, { status: 'solved' }, ana.id, ago(HOUR)),
          // b: never assigned on the record: from its opening 30 min ago to 10 min ago, 20 min.
          change(b.id, 2, { status: 'solved' }, ana.id, ago(10 * MINUTE)),
          // c: solved yesterday (before midnight UTC): not today.
          change(c.id, 2, { status: 'solved' }, ana.id, new Date('2026-03-09T23:50:00.000Z')),
          // d: ivan's.
          change(d.id, 2, { status: 'solved' }, ivan.id, ago(HOUR)),
          // e: solved, then closed: one case, from its opening 100 min ago to the first, 50 min.
          change(e.id, 2, { status: 'solved' }, ana.id, ago(50 * MINUTE)),
          change(e.id, 3, { status: 'closed' }, ana.id, ago(40 * MINUTE)),
          // f: dated after `now`.
          change(f.id, 2, { status: 'solved' }, ana.id, new Date(now.getTime() + 5 * MINUTE)),
        ]);

        const stats = await agentStats(db, now);
        for (const row of stats) expect(AgentStatsSchema.parse(row)).toEqual(row);
        // Agents and technicians, and a supervisor only while holding unfinished work.
        expect(stats.map((s) => s.name)).toEqual(['ANA', 'IVAN', 'SAM', 'TESS']);
        const of = (id: string) => stats.find((s) => s.userId === id)!;
        expect(of(ana.id)).toEqual({
          userId: ana.id,
          name: 'ANA',
          role: 'agent',
          presence: 'available',
          reason: null,
          since: ago(20 * MINUTE).toISOString(),
          queueIds: [queue],
          skills: ['billing', 'es'],
          capacity: 4,
          activeCases: 3,
          onCall: null,
          handledToday: 3,
          averageHandleSeconds: (60 * 60 + 20 * 60 + 50 * 60) / 3,
        });
        expect(of(tess.id)).toMatchObject({ presence: 'away', reason: 'Lunch', since: ago(5 * MINUTE).toISOString(), activeCases: 0, handledToday: 0, averageHandleSeconds: null, queueIds: [] });
        expect(of(ivan.id)).toMatchObject({ handledToday: 1, averageHandleSeconds: 3 * 60 * 60, activeCases: 0 });
        expect(of(sam.id)).toMatchObject({ role: 'supervisor', presence: 'busy', activeCases: 1, handledToday: 0 });
      });
    } finally {
      await storage.dispose();
    }
  });
});

describe.each(backends)('live agent statistics on $name', (backend) => {
  let hub: TestHub;
  const sockets = liveSockets();

  beforeAll(async () => {
    // A long interval: every update the test sees comes from a change.
    hub = await startTestHub(backend, { queueStatsIntervalMs: 60_000 });
  });
  afterAll(async () => {
    sockets.closeAll();
    await hub?.close();
  });

  const push = async (token: string, mutation: object) => {
    const response = await hub.post('/api/sync/push', { mutations: [{ id: uuidv7(), baseVersion: 0, createdAt: new Date().toISOString(), ...mutation }] }, token);
    expect(((await response.json()) as { results: { status: string }[] }).results[0]!.status).toBe('applied');
  };

  it('goes to supervisors with the queue statistics, after a presence change and a solved case, and never to agents', async () => {
    const [sam, ana] = await Promise.all([hub.login('sam'), hub.login('ana')]);
    const anaId = (await me(hub, ana)).user.id;
    const anaSocket = await sockets.connect(hub.url, ana);
    const leaked: unknown[] = [];
    anaSocket.on('agent:stats', (s: unknown) => leaked.push(s));

    // Watch every update from before connecting: the first comes at once.
    const samSocket = sockets.connect(hub.url, sam);
    const updates: AgentStats[][] = [];
    const waiting = new Set<(stats: AgentStats[]) => boolean>();
    /** Ana's row in the first update (so far or to come) where `test` holds. */
    const until = (test: (row: AgentStats) => boolean, timeoutMs = 10_000) =>
      new Promise<AgentStats>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no such agent:stats within ${timeoutMs} ms; last: ${JSON.stringify(updates.at(-1)?.find((r) => r.userId === anaId))}`)), timeoutMs);
        const check = (stats: AgentStats[]) => {
          const row = stats.find((r) => r.userId === anaId && test(r));
          if (row) {
            clearTimeout(timer);
            resolve(row);
          }
          return row !== undefined;
        };
        if (!updates.some(check)) waiting.add(check);
      });
    (await samSocket).on('agent:stats', (stats: AgentStats[]) => {
      updates.push(stats);
      for (const check of waiting) if (check(stats)) waiting.delete(check);
    });
    const queueStats = nextEvent<QueueStats[]>(await samSocket, 'queue:stats');
    const first = await until((r) => r.presence === 'available');
    expect((await queueStats).length).toBeGreaterThan(0);
    expect(first.queueIds).toEqual((await me(hub, ana)).queueIds.sort());
    const mine = (await casesFor(hub, ana)).filter((c) => c.assigneeId === anaId && !['solved', 'closed'].includes(c.status));
    expect(first.activeCases).toBe(mine.length);

    // Away for lunch: supervisors see it, with the reason and since when, well before the 60 s interval.
    const before = Date.now();
    await push(ana, { kind: 'presence.set', entityId: anaId, payload: { presence: 'away', reason: 'Lunch' } });
    const away = await until((r) => r.presence === 'away');
    expect(away.reason).toBe('Lunch');
    expect(Date.parse(away.since)).toBeGreaterThanOrEqual(before - 1000);

    // Ana solves one of hers: handled today goes up, her current work down.
    const target = mine[0]!;
    await push(ana, { kind: 'case.update', entityId: target.id, baseVersion: target.version, payload: { fields: { status: 'solved' } } });
    const solved = await until((r) => r.handledToday === first.handledToday + 1);
    expect(solved.activeCases).toBe(first.activeCases - 1);
    expect(solved.averageHandleSeconds).toBeGreaterThanOrEqual(0);

    // Agents get none: a sentinel case ana sees arrives after the supervisors' statistics, and still nothing came.
    const sentinel = nextEvent<Case>(anaSocket, 'case:upsert');
    const post = tweet(newXUser('agentstats'), '@switchboard help', { inReplyToUser: X_BRAND, inReplyToStatus: '1' });
    expect((await postX(hub.url, xActivity({ tweets: [post] }))).status).toBe(200);
    await sentinel;
    expect(leaked).toEqual([]);
  });
});
