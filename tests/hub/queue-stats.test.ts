/**
 * `queue:stats`: supervisors get a row per queue on connecting, every few
 * seconds and soon after a change; the figures agree with the cases they can
 * pull; agents get none. The arrivals sparkline and the usual rate are exact
 * against cases seeded at known ages.
 */
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, queues } from '../../src/hub/db/schema';
import { queueStats } from '../../src/hub/repos/queue-stats';
import type { Case, Queue } from '../../src/shared/domain';
import { type QueueStats, QueueStatsSchema } from '../../src/shared/protocol';
import { backends, startTestHub, type TestHub, withDatabase } from './backends';
import { liveSockets, nextEvent, pullAll, queueNamed, queuesOf, rowsOf, waitFor } from './helpers';
import { newXUser, postX, tweet, X_BRAND, xActivity } from './x-webhooks';

describe.each(backends)('queue statistics on $name', (backend) => {
  let hub: TestHub;
  let sam: string;
  let ana: string;
  let social: Queue;
  const sockets = liveSockets();

  beforeAll(async () => {
    hub = await startTestHub(backend, { queueStatsIntervalMs: 60_000 });
    [sam, ana] = await Promise.all([hub.login('sam'), hub.login('ana')]);
    social = await queueNamed(hub, sam, 'Social');
  });
  afterAll(async () => {
    sockets.closeAll();
    await hub?.close();
  });

  const openCase = async () => {
    const post = tweet(newXUser('stat'), '@switchboard help', { inReplyToUser: X_BRAND, inReplyToStatus: '1' });
    expect((await postX(hub.url, xActivity({ tweets: [post] }))).status).toBe(200);
  };

  it('sends a row per queue on connecting, agreeing with the cases a supervisor pulls', async () => {
    const anaSocket = await sockets.connect(hub.url, ana);
    const agentStats: unknown[] = [];
    anaSocket.on('queue:stats', (s: unknown) => agentStats.push(s));
    // Her socket makes her available, written as it connects: the figures read after that count her.
    await waitFor(async () => {
      const { users } = (await (await hub.get('/api/admin/users', sam)).json()) as { users: { username: string; presence: string }[] };
      return users.find((u) => u.username === 'ana')?.presence === 'available' ? true : undefined;
    });
    const socket = sockets.connect(hub.url, sam);
    const first = await nextEvent<QueueStats[]>(await socket, 'queue:stats');
    for (const row of first) expect(QueueStatsSchema.parse(row)).toEqual(row);
    const queues = await queuesOf(hub, sam);
    expect(first.map((r) => r.queueId).sort()).toEqual(queues.map((q) => q.id).sort());

    const now = Date.now();
    const cases = rowsOf<Case>((await pullAll(hub, sam)).changes, 'case').filter((c) => c.queueId === social.id);
    const notDone = cases.filter((c) => !['solved', 'closed'].includes(c.status));
    const row = first.find((r) => r.queueId === social.id)!;
    expect(row.waiting).toBe(cases.filter((c) => ['new', 'open'].includes(c.status) && c.assigneeId === null).length);
    expect(row.breached).toBe(notDone.filter((c) => c.slaDueAt && Date.parse(c.slaDueAt) < now).length);
    expect(row.atRisk).toBe(notDone.filter((c) => c.slaDueAt && Date.parse(c.slaDueAt) >= now && Date.parse(c.slaDueAt) < now + 3_600_000).length);
    // Ana (a Social agent) is connected, hence available.
    expect(row.agentsAvailable).toBeGreaterThanOrEqual(1);
    expect(row.agentsSignedIn).toBeGreaterThanOrEqual(row.agentsAvailable);
    expect(row.agentsNeeded).toBeGreaterThanOrEqual(0);

    // A new case: the next statistics (soon after the change, well before the 60 s interval) count it.
    const samSocket = await socket;
    const updated = new Promise<QueueStats[]>((resolve) => samSocket.on('queue:stats', (stats: QueueStats[]) => {
      const next = stats.find((r) => r.queueId === social.id)!;
      if (next.waiting === row.waiting + 1) resolve(stats);
    }));
    await openCase();
    const after = (await updated).find((r) => r.queueId === social.id)!;
    expect(after.arrivals15m).toBe(row.arrivals15m + 1);
    expect(after.arrivalsSeries.at(-1)).toBe(after.arrivals15m);

    // Agents get none: a sentinel case ana sees arrives after the supervisors' statistics, and still nothing came.
    const sentinel = nextEvent<Case>(anaSocket, 'case:upsert');
    await openCase();
    await sentinel;
    expect(agentStats).toEqual([]);
  });

  it('gives every one of many supervisors connecting at once the figures (they share the read)', async () => {
    const connecting = Array.from({ length: 20 }, () => sockets.connect(hub.url, sam).then((socket) => nextEvent<QueueStats[]>(socket, 'queue:stats')));
    const queues = (await queuesOf(hub, sam)).map((q) => q.id).sort();
    for (const stats of await Promise.all(connecting)) expect(stats.map((r) => r.queueId).sort()).toEqual(queues);
  });
});

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe.each(backends)('arrivals over time on $name', (backend) => {
  it('counts arrivals by quarter-hour for 4 hours and the same quarter-hour of the previous 7 days', async () => {
    const storage = await backend.storage();
    try {
      await withDatabase(storage.options, async (db) => {
        const now = new Date('2026-03-10T10:07:00.000Z');
        const [busy, quiet] = [uuidv7(), uuidv7()];
        await db.insert(queues).values([
          { id: busy, name: 'Busy', description: '' },
          { id: quiet, name: 'Quiet', description: '' },
        ]);
        const aged = (ms: number) => ({ id: uuidv7(), subject: 'seeded', status: 'open', priority: 'normal', channel: 'email', queueId: busy, language: 'en', tags: [], createdAt: new Date(now.getTime() - ms) });
        await db.insert(cases).values(
          [
            // The last 4 hours, by age: quarter-hour k holds (k·15, (k+1)·15] minutes.
            0.5 * MINUTE, 15 * MINUTE, // k = 0 (15 min exactly is still the last quarter-hour, as arrivals15m counts it)
            15.5 * MINUTE, // k = 1
            60 * MINUTE, // k = 3
            239 * MINUTE, 240 * MINUTE, // k = 15
            241 * MINUTE, // too old for the sparkline
            // The same quarter-hour on previous days: 5 of these are in.
            DAY + 5 * MINUTE, DAY + 15 * MINUTE, 2 * DAY + 14 * MINUTE, 3 * DAY + 10 * MINUTE, 7 * DAY + MINUTE,
            DAY, DAY + 16 * MINUTE, 8 * DAY + MINUTE, // out: now-on-the-day, too early in the day, 8 days back
          ].map(aged),
        );
        const stats = await queueStats(db, now);
        const row = stats.find((r) => r.queueId === busy)!;
        expect(QueueStatsSchema.parse(row)).toEqual(row);
        expect(row.arrivalsSeries).toEqual([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 2]);
        expect(row.arrivals15m).toBe(row.arrivalsSeries.at(-1));
        expect(row.usualArrivals15m).toBe(0.71); // 5 / 7
        const none = stats.find((r) => r.queueId === quiet)!;
        expect(none.arrivalsSeries).toEqual(Array(16).fill(0));
        expect(none.usualArrivals15m).toBe(0);
      });
    } finally {
      await storage.dispose();
    }
  });
});
