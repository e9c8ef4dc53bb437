/**
 * Surge alerts: a storm of posts through a real entrance (the signed X
 * webhook) raises exactly one `surge:alert` to supervisors — with a sample
 * and the cases to move — and none to agents; quiet traffic raises none;
 * a usual rate (seeded history: the week, or the last hour when higher)
 * raises the bar; with two hubs on one
 * Postgres and Redis the surge is told once; GET /api/surges is for
 * supervisors and admins; the alert's cases move in one bulk reassignment.
 * Each hub's detector is called at once (`surges.check`), never waited for.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../src/shared/domain';
import { type ReassignResponse, type SurgeAlert, SurgeAlertSchema, SurgeListResponseSchema } from '../../src/shared/protocol';
import type { Db } from '../../src/hub/db/connect';
import { hubOptionsFromCli } from '../../src/hub/config';
import { startHub, type HubOptions, type RunningHub } from '../../src/hub/hub';
import { backends, startTestHub, type TestHub } from './backends';
import { liveSockets, nextEvent, queueNamed, statuses } from './helpers';
import { newXUser, postX, tweet, X_BRAND, xActivity } from './x-webhooks';

/** Long enough that only the tests' own checks run. */
const NEVER = 3_600_000;
const SURGE: Partial<HubOptions> = { surgeIntervalMs: NEVER, surgeMinimum: 10, surgeFactor: 3, surgeKeywords: ['zephyr', 'quasar', 'nova'] };

/** `n` replies to the brand from as many new authors: each opens a case in the Social queue. */
async function storm(url: string, n: number, text = 'my order never arrived'): Promise<void> {
  const tweets = Array.from({ length: n }, (_, i) => tweet(newXUser(`storm${i}`), `@switchboard ${text}`, { inReplyToUser: X_BRAND }));
  const answer = await postX(url, xActivity({ tweets }));
  expect(answer.status).toBe(200);
  expect(statuses(answer)).toEqual(Array(n).fill('opened'));
}

/** Every `surge:alert` a socket receives, validated as a console would. */
function recordAlerts(socket: Socket): SurgeAlert[] {
  const seen: SurgeAlert[] = [];
  socket.on('surge:alert', (raw: unknown) => seen.push(SurgeAlertSchema.parse(raw)));
  return seen;
}

/**
 * A sentinel: one more reply opens a case every socket here hears about;
 * whatever the hub sent before it has arrived once its `case:upsert` has.
 */
async function sentinel(url: string, sockets: Socket[]): Promise<void> {
  const text = `sentinel ${randomBytes(4).toString('hex')}`;
  const heard = sockets.map((socket) =>
    new Promise<void>((resolve) => {
      const listener = (row: Case) => {
        if (!row.subject.includes(text)) return;
        socket.off('case:upsert', listener);
        resolve();
      };
      socket.on('case:upsert', listener);
    }),
  );
  await storm(url, 1, text);
  await Promise.all(heard);
}

/**
 * 5,000 mentions naming "zephyr" over the 3½ days before the last hour: with
 * the demo's 10 days of messages, its usual rate is 5,000 / 1,008 windows of
 * 10 minutes ≈ 5, so it surges at 15 (3 × 5), not at the minimum of 10.
 */
async function seedHistory(db: Db): Promise<void> {
  await db.execute(sql`
    INSERT INTO mentions (id, channel, author, body, external_id, language, at, created_at, updated_at)
    SELECT gen_random_uuid(), 'mastodon', '@old', 'the zephyr is fine', 'history-' || i, 'en', t, t, t
    FROM generate_series(1, 5000) AS i, LATERAL (SELECT now() - interval '1 hour' - i * interval '1 minute' AS t) AS at`);
  // "nova" has been busy for the last hour: 60 mentions, 10 a window, and none before — a week's mean of nearly 0.
  await db.execute(sql`
    INSERT INTO mentions (id, channel, author, body, external_id, language, at, created_at, updated_at)
    SELECT gen_random_uuid(), 'mastodon', '@busy', 'anyone else on the nova beta?', 'busy-' || i, 'en', t, t, t
    FROM generate_series(1, 60) AS i, LATERAL (SELECT now() - interval '11 minutes' - i * interval '49 seconds' AS t) AS at`);
}

describe.each(backends)('surge alerts on $name', (backend) => {
  let hub: TestHub;
  let sam: string;
  let ana: string;
  let samSocket: Socket;
  let anaSocket: Socket;
  let toSam: SurgeAlert[];
  let toAna: SurgeAlert[];
  const sockets = liveSockets();

  beforeAll(async () => {
    hub = await startTestHub(backend, SURGE, seedHistory);
    [sam, ana] = await Promise.all([hub.login('sam'), hub.login('ana')]);
    [samSocket, anaSocket] = await Promise.all([sockets.connect(hub.url, sam), sockets.connect(hub.url, ana)]);
    toSam = recordAlerts(samSocket);
    toAna = recordAlerts(anaSocket);
  }, 60_000);
  afterAll(async () => {
    sockets.closeAll();
    await hub?.close();
  });

  it('raises nothing for traffic under the minimum', async () => {
    await storm(hub.url, 5);
    expect(await hub.surges.check()).toEqual([]);
    await sentinel(hub.url, [samSocket, anaSocket]);
    expect(toSam).toEqual([]);
  });

  it('tells supervisors of a storm on a channel once, with a sample and its open cases; agents hear nothing', async () => {
    await storm(hub.url, 10, 'the app crashes at login');
    const live = nextEvent<SurgeAlert>(samSocket, 'surge:alert');
    const raised = await hub.surges.check();
    expect(raised).toHaveLength(1);
    const alert = await live;
    // 5 + 10 replies and the sentinel before, on X; the demo's X history is far under one a window.
    expect(alert).toMatchObject({ kind: 'channel', key: 'x', count: 16, windowMinutes: 10 });
    expect(alert.usual).toBeLessThan(1);
    expect(alert).toEqual(raised[0]);
    expect(alert.sample).toHaveLength(5);
    expect(alert.sample.every((s) => s.channel === 'x' && s.caseId !== null && s.number !== null && s.mentionId === null)).toBe(true);
    expect(alert.sample[0]!.excerpt).toContain('the app crashes at login');
    expect(alert.caseIds).toHaveLength(16);
    expect(alert.caseIds).toContain(alert.sample[0]!.caseId);

    // Still surging, but within the cooldown: nothing more.
    expect(await hub.surges.check()).toEqual([]);
    await sentinel(hub.url, [samSocket, anaSocket]);
    expect(toSam).toEqual([alert]);
    expect(toAna).toEqual([]);
  });

  it('measures a keyword against its usual rate', async () => {
    // 12 replies name both keywords: over quasar's minimum (it has no history), under zephyr's 15; X is in its cooldown.
    await storm(hub.url, 12, 'the Zephyr 3 and the Quasar hub overheat');
    const raised = await hub.surges.check();
    expect(raised.map((a) => [a.kind, a.key, a.count])).toEqual([['keyword', 'quasar', 12]]);
    expect(raised[0]!.usual).toBe(0);

    await storm(hub.url, 4, 'my zephyr smells of smoke');
    const [zephyr, ...more] = await hub.surges.check();
    expect(more).toEqual([]);
    expect(zephyr).toMatchObject({ kind: 'keyword', key: 'zephyr', count: 16 });
    expect(zephyr!.usual).toBeGreaterThan(4.5);
    expect(zephyr!.usual).toBeLessThan(5.5);
    expect(zephyr!.sample[0]!.excerpt).toBe('@switchboard my zephyr smells of smoke');

    await sentinel(hub.url, [samSocket, anaSocket]);
    expect(toSam.map((a) => a.key)).toEqual(['x', 'quasar', 'zephyr']);
    expect(toAna).toEqual([]);
  });

  it('does not call traffic that has stayed high for the last hour a surge', async () => {
    // 20 over nova's minimum and its week's mean, but under 3 × the 10 a window of the hour before.
    await storm(hub.url, 20, 'the nova beta logs me out');
    expect(await hub.surges.check()).toEqual([]);
  });

  it('lists the recent alerts for supervisors and admins only', async () => {
    const listed = SurgeListResponseSchema.parse(await (await hub.get('/api/surges', sam)).json());
    expect(listed.alerts.map((a) => a.key)).toEqual(['zephyr', 'quasar', 'x']);
    expect(listed.alerts[2]).toEqual(toSam[0]);
    expect((await hub.get('/api/surges', await hub.login('admin'))).status).toBe(200);
    expect((await hub.get('/api/surges', ana)).status).toBe(403);
    expect((await hub.get('/api/surges')).status).toBe(401);
    expect((await hub.get('/api/surges?hours=0', sam)).status).toBe(400);
  });

  it("moves the alert's cases in one bulk reassignment", async () => {
    const alert = toSam[0]!;
    const support = await queueNamed(hub, sam, 'Support');
    const response = await hub.post('/api/cases/reassign', { caseIds: alert.caseIds, queueId: support.id }, sam);
    expect(response.status).toBe(200);
    expect(((await response.json()) as ReassignResponse).moved).toBe(alert.caseIds.length);
    const moved = await Promise.all(alert.caseIds.map(async (id) => ((await (await hub.get(`/api/cases/${id}`, sam)).json()) as { case: Case }).case));
    expect(moved.every((c) => c.queueId === support.id)).toBe(true);
  });
});

describe('surge options', () => {
  it('reads the keywords and thresholds from variables and flags, and refuses nonsense', () => {
    const env = { SWITCHBOARD_SURGE_KEYWORDS: ' Zephyr 3, Quasar ,', SWITCHBOARD_SURGE_MINIMUM: '25' };
    expect(hubOptionsFromCli(['--surge-factor', '2.5', '--surge-window-minutes', '15'], env)).toMatchObject({
      surgeKeywords: ['zephyr 3', 'quasar'],
      surgeMinimum: 25,
      surgeFactor: 2.5,
      surgeWindowMinutes: 15,
    });
    expect(() => hubOptionsFromCli(['--surge-factor', '0.5'], {})).toThrow(/surgeFactor/);
    expect(() => hubOptionsFromCli(['--surge-interval-ms', '10'], {})).toThrow(/surgeIntervalMs/);
  });
});

describe('surge alerts with two hubs on one Postgres and Redis', () => {
  const REDIS_URL = process.env.SWITCHBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const MQTT_URL = process.env.SWITCHBOARD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
  const postgres = backends.find((b) => b.name === 'postgres')!;
  let storage: Awaited<ReturnType<typeof postgres.storage>>;
  const hubs: RunningHub[] = [];
  const sockets = liveSockets();

  beforeAll(async () => {
    storage = await postgres.storage();
    const shared: HubOptions = {
      ...SURGE,
      port: 0,
      smtpPort: 0,
      demo: true,
      logLevel: 'silent',
      databaseUrl: storage.options.databaseUrl,
      redisUrl: REDIS_URL,
      mqttUrl: MQTT_URL,
      cluster: `surge-${process.pid}-${Date.now().toString(36)}`,
      tokenWrapKey: randomBytes(32).toString('base64'),
    };
    // One after the other: the first loads the demo, the second finds it there.
    for (let i = 0; i < 2; i++) hubs.push(await startHub(shared));
  }, 120_000);
  afterAll(async () => {
    sockets.closeAll();
    for (const hub of hubs.splice(0)) await hub.close();
    await storage?.dispose();
  });

  const login = async (url: string, username: string) =>
    ((await (await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo' }) })).json()) as { token: string }).token;

  it('tells a surge once, to supervisors on every hub, whichever hub sees it', async () => {
    const [a, b] = hubs as [RunningHub, RunningHub];
    const onA = await sockets.connect(a.url, await login(a.url, 'sam'));
    const onB = await sockets.connect(b.url, await login(b.url, 'admin'));
    const agent = await sockets.connect(b.url, await login(b.url, 'ana'));
    const [toA, toB, toAgent] = [recordAlerts(onA), recordAlerts(onB), recordAlerts(agent)];

    await storm(a.url, 12);
    const now = new Date();
    // Both hubs look at the same moment: one of them raises the alert.
    const raised = (await Promise.all([a.surges.check(now), b.surges.check(now)])).flat();
    expect(raised.map((r) => [r.kind, r.key, r.count])).toEqual([['channel', 'x', 12]]);
    // The sentinel's case is published by hub a, as the alert may have been: each socket hears a's events in order,
    // and b's — when b raised it — before a's case has even been posted.
    await sentinel(a.url, [onA, onB, agent]);
    expect(toA).toEqual(raised);
    expect(toB).toEqual(raised);
    expect(toAgent).toEqual([]);
  });
});
