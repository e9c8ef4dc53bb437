/**
 * Console cache at scale: bulk load of 100,000 cases into SQLite, then the
 * queue query (one page of 50, filtered by queue and status, sorted by
 * priority) many times over. The load is set beside its floor in the same
 * run: the same rows (every column as the load wrote them) inserted bare, by
 * one prepared statement, into the same table and indexes of a second cache
 * opened the same way (encrypted, same pragmas).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { uuidv7 } from 'uuidv7';
import { openCache } from '../src/main/core/cache';
import { type CacheDb, openCacheDb } from '../src/main/core/cache/database';
import { CASE_STATUSES, CHANNELS, PRIORITIES, type Case } from '../src/shared/domain';
import { seededRandom } from '../src/hub/demo/random';
import { ms, report, summarize } from './stats';

const CASES = 100_000;
const QUEUES = 12;
const QUERIES = 2_000;
const ALL_QUERIES = 200;

export function makeCases(): { cases: Case[]; queueIds: string[] } {
  const rnd = seededRandom(100_000);
  const queueIds = Array.from({ length: QUEUES }, () => uuidv7());
  const customers = Array.from({ length: 5_000 }, () => uuidv7());
  const now = Date.now();
  const cases = Array.from({ length: CASES }, (_, i): Case => {
    const created = new Date(now - rnd.int(0, 90 * 24) * 3_600_000).toISOString();
    return {
      id: uuidv7(),
      number: 1000 + i,
      subject: `Case ${i}: ${rnd.pick(['engine overheating', 'double charge', 'router drops', 'app sync broken', 'thermostat cold'])}`,
      status: rnd.pick(CASE_STATUSES),
      priority: rnd.pick(PRIORITIES),
      channel: rnd.pick(CHANNELS),
      customerId: rnd.pick(customers),
      deviceId: null,
      queueId: rnd.pick(queueIds),
      assigneeId: null,
      slaDueAt: rnd.next() < 0.8 ? new Date(now + rnd.int(-48, 72) * 3_600_000).toISOString() : null,
      resolutionDueAt: null,
      language: rnd.pick(['en', 'ru', 'id', 'is']),
      sentiment: null,
      tags: [],
      resolution: null,
      parts: [],
      version: 1,
      rev: i + 1,
      createdAt: created,
      updatedAt: created,
    };
  });
  return { cases, queueIds };
}

export async function benchCacheQueue(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-cache-'));
  const cache = openCache(dir);
  try {
    const { cases, queueIds } = makeCases();
    const loadStart = performance.now();
    cache.transaction(() => {
      for (const c of cases) cache.cases.upsert(c, c.rev);
    });
    const loadMs = performance.now() - loadStart;
    report(`cache: bulk load of ${CASES.toLocaleString('en')} cases`, ms(loadMs), { ok: loadMs < 3000, text: '< 3 s' });
    const bareMs = bareInsertMs(dir, join(dir, 'bare'));
    report(`cache: the same rows inserted bare (floor, same run)`, `${ms(bareMs)}; load at ${(bareMs / loadMs).toFixed(2)} of the floor's rate`, {
      ok: bareMs / loadMs >= 0.5,
      text: '≥ 0.5',
    });

    const rnd = seededRandom(7);
    const statuses = ['new', 'open', 'pending'] as const;
    for (let i = 0; i < 50; i++) cache.cases.queue({ queueId: rnd.pick(queueIds), status: rnd.pick(statuses), limit: 50 }); // warm-up
    const samples: number[] = [];
    let rows = 0;
    for (let i = 0; i < QUERIES; i++) {
      const start = performance.now();
      rows += cache.cases.queue({ queueId: rnd.pick(queueIds), status: rnd.pick(statuses), limit: 50 }).items.length;
      samples.push(performance.now() - start);
    }
    const s = summarize(samples);
    report(`cache: queue page of 50 (queue + status, by priority)`, `p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)} over ${QUERIES} queries`, {
      ok: s.p95 < 5,
      text: 'p95 < 5 ms',
    });
    if (rows !== QUERIES * 50) throw new Error(`expected full pages, got ${rows} rows`);

    // A supervisor's first view: every active case of every queue, with the total.
    const all: number[] = [];
    for (let i = 0; i < 10; i++) cache.cases.queue({ status: 'active', limit: 50 }); // warm-up
    for (let i = 0; i < ALL_QUERIES; i++) {
      const start = performance.now();
      const page = cache.cases.queue({ status: 'active', limit: 50 });
      all.push(performance.now() - start);
      if (page.items.length !== 50) throw new Error(`expected a full page of every active case, got ${page.items.length}`);
    }
    const a = summarize(all);
    report(`cache: all active cases, page of 50 and total`, `p50 ${ms(a.p50)}, p95 ${ms(a.p95)}, max ${ms(a.max)} over ${ALL_QUERIES} queries`, {
      ok: a.p95 < 5,
      text: 'p95 < 5 ms',
    });
  } finally {
    cache.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The floor of the load: the rows the load wrote, read back whole (every column), inserted into an empty cache
 * by one prepared INSERT in one transaction. Only the insert is timed.
 */
function bareInsertMs(loadedDir: string, bareDir: string): number {
  const loaded: CacheDb = openCacheDb(loadedDir);
  const bare: CacheDb = openCacheDb(bareDir);
  try {
    const rows = loaded.prepare('SELECT * FROM cases').all() as Record<string, unknown>[];
    const columns = Object.keys(rows[0] ?? {});
    const insert = bare.prepare(`INSERT INTO cases (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
    const start = performance.now();
    bare.transaction(() => {
      for (const row of rows) insert.run(row);
    })();
    const elapsed = performance.now() - start;
    const stored = (bare.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n;
    if (stored !== CASES) throw new Error(`the bare insert stored ${stored} cases, not ${CASES}`);
    return elapsed;
  } finally {
    loaded.close();
    bare.close();
  }
}
