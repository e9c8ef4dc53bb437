/**
 * `queue:stats`: supervisors get a row per queue on connecting, every few
 * seconds and soon after a change; the figures agree with the cases they can
 * pull; agents get none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, Queue } from '../../src/shared/domain';
import { type QueueStats, QueueStatsSchema } from '../../src/shared/protocol';
import { backends, startTestHub, type TestHub } from './backends';
import { liveSockets, nextEvent, pullAll, queueNamed, queuesOf, rowsOf } from './helpers';
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

    // Agents get none: a sentinel case ana sees arrives after the supervisors' statistics, and still nothing came.
    const sentinel = nextEvent<Case>(anaSocket, 'case:upsert');
    await openCase();
    await sentinel;
    expect(agentStats).toEqual([]);
  });
});
