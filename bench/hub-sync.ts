/**
 * Hub sync at scale: a supervisor's bootstrap pull of 100,000 cases (and the
 * longest the hub's event loop stalls meanwhile), and a console pushing 1,000
 * mutations one request at a time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { uuidv7 } from 'uuidv7';
import { openDatabase } from '../src/hub/db/connect';
import { loadDemo } from '../src/hub/demo/load';
import { startHub } from '../src/hub/hub';
import type { SyncPushResponse } from '../src/shared/protocol';
import { loginAs, poster } from './http';
import { ms, report, summarize } from './stats';

const CASES = 100_000;
const MUTATIONS = 1_000;
const PUSH_BATCH = 100;
const PAGE = 5_000;

interface Pulled {
  cases: number;
  /** The first MUTATIONS cases pulled, to push changes to. */
  caseIds: { id: string; version: number }[];
  pullMs: number;
}

/** The console's side of the bootstrap pull, as plain JavaScript for a worker thread (it starts in bare Node). */
const PULL_CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, token, page, keep } = workerData;
(async () => {
  const start = performance.now();
  let cursor = 0;
  let cases = 0;
  const caseIds = [];
  for (;;) {
    const response = await fetch(new URL('/api/sync/pull', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
      body: JSON.stringify({ cursor, limit: page }),
    });
    if (!response.ok) throw new Error('pull: ' + response.status + ' ' + (await response.text()));
    const body = await response.json();
    for (const change of body.changes) {
      if (change.entity !== 'case') continue;
      cases++;
      if (caseIds.length < keep) caseIds.push({ id: change.id, version: change.row.version });
    }
    cursor = body.cursor;
    if (!body.hasMore) break;
  }
  parentPort.postMessage({ cases, caseIds, pullMs: performance.now() - start });
})();
`;

function pullInWorker(url: string, token: string): Promise<Pulled> {
  const worker = new Worker(PULL_CLIENT, { eval: true, workerData: { url, token, page: PAGE, keep: MUTATIONS } });
  return new Promise<Pulled>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`pull client stopped (exit code ${code})`)));
  }).finally(() => void worker.terminate());
}

/** Synthetic cases straight into storage (with the demo's people and queues): the bench measures sync, not inserts. */
export async function seedCases(dataDir: string): Promise<void> {
  const { db, close } = await openDatabase({ dataDir });
  try {
    await loadDemo(db, pino({ level: 'silent' }));
    await db.execute(sql`
      INSERT INTO cases (id, subject, status, priority, channel, queue_id, language, tags, sla_due_at)
      SELECT gen_random_uuid(), 'Synthetic case ' || n, (ARRAY['new','open','pending','on_hold'])[1 + n % 4],
             (ARRAY['urgent','high','normal','low'])[1 + n % 4], (ARRAY['phone','email','x','facebook','device'])[1 + n % 5],
             (SELECT id FROM queues ORDER BY name LIMIT 1 OFFSET n % 5), 'en', '[]'::jsonb, now() + (n % 72) * interval '1 hour'
      FROM generate_series(1, ${CASES}) AS n`);
  } finally {
    await close();
  }
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function benchHubSync(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-hub-'));
  try {
    await seedCases(dir);
    const hub = await startHub({ dataDir: dir, port: 0, mqttPort: 0, smtpPort: 0, logLevel: 'silent' });
    try {
      const post = poster(hub.url);
      const token = await loginAs(hub.url, 'sam');

      // The hub runs in this process: how long its event loop (live events, every other request) stalls.
      // The pulling console runs in a thread of its own, as it would in its own process: parsing the
      // pages is its work, not the hub's.
      const stalls = monitorEventLoopDelay({ resolution: 5 });
      stalls.enable();
      const pulled = await pullInWorker(hub.url, token);
      stalls.disable();
      const { cases, caseIds, pullMs } = pulled;
      report(`hub: sync pull of ${cases.toLocaleString('en')} cases (pages of ${PAGE.toLocaleString('en')})`, ms(pullMs), { ok: pullMs < 5_000, text: '< 5 s' });
      report('hub: longest event-loop stall during that pull', `${ms(stalls.max / 1e6)} (p99 ${ms(stalls.percentile(99) / 1e6)})`, {
        ok: stalls.max / 1e6 < 20,
        text: '< 20 ms',
      });

      const mutationFor = (i: number) => {
        const target = caseIds[i % caseIds.length]!;
        return { id: uuidv7(), kind: 'case.update', entityId: target.id, baseVersion: target.version, createdAt: new Date().toISOString(), payload: { fields: { priority: i % 2 ? 'high' : 'low' } } };
      };
      const settle = (results: SyncPushResponse['results']) => {
        for (const result of results) {
          if (result.status !== 'applied' && result.status !== 'merged') throw new Error(`push: ${JSON.stringify(result)}`);
        }
      };

      // What a reconnecting console does: its outbox in batches.
      const batchStart = performance.now();
      for (let i = 0; i < MUTATIONS; i += PUSH_BATCH) {
        const batch = Array.from({ length: PUSH_BATCH }, (_, k) => mutationFor(i + k));
        const { results } = await json<SyncPushResponse>(await post('/api/sync/push', { mutations: batch }, token));
        settle(results);
        results.forEach((r, k) => (caseIds[(i + k) % caseIds.length]!.version = (r as { version: number }).version));
      }
      const batchMs = performance.now() - batchStart;
      report(`hub: push of ${MUTATIONS.toLocaleString('en')} mutations in batches of ${PUSH_BATCH}`, ms(batchMs), { ok: batchMs < 2_000, text: '< 2 s' });

      // What a user waits for on a single change: one mutation per request.
      const samples: number[] = [];
      for (let i = 0; i < MUTATIONS; i++) {
        const start = performance.now();
        const { results } = await json<SyncPushResponse>(await post('/api/sync/push', { mutations: [mutationFor(i)] }, token));
        samples.push(performance.now() - start);
        settle(results);
        caseIds[i % caseIds.length]!.version = (results[0] as { version: number }).version;
      }
      const s = summarize(samples);
      report(`hub: push one mutation per request (${MUTATIONS.toLocaleString('en')} times)`, `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}`);
    } finally {
      await hub.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
