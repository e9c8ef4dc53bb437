/**
 * Push routing's decision time (src/hub/routing/router.ts) on embedded PGlite,
 * as a small deployment runs it: 10,000 cases waiting over 10 push queues and
 * 200 available agents. The first round offers each agent one case; then, 50
 * times, one agent's offer ends (answered) and a round picks that agent's next
 * case from everything waiting — the decision a freed agent waits for.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { openDatabase } from '../src/hub/db/connect';
import { maintainTables } from '../src/hub/db/maintenance';
import { caseOffers, cases, queueMembers, queues, users } from '../src/hub/db/schema';
import { routeRound } from '../src/hub/routing/router';
import { WaitingBoard } from '../src/hub/routing/waiting-board';
import { ms, report, summarize } from './stats';

const QUEUES = 10;
const WAITING = 10_000;
const AGENTS = 200;
const DECISIONS = 200;
/** Decisions made before the timed ones: a hub's routing has run for hours, its code compiled, its board current. */
const WARM_UP = 20;
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;

export async function benchRouting(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-routing-'));
  const database = await openDatabase({ dataDir: join(dir, 'hub') });
  const db = database.db;
  try {
    const queueIds = Array.from({ length: QUEUES }, () => uuidv7());
    await db.insert(queues).values(queueIds.map((id, i) => ({ id, name: `Bench ${i}`, description: 'routing bench', routing: 'push', offerSeconds: 600 })));
    const agents = Array.from({ length: AGENTS }, (_, i) => ({
      id: uuidv7(),
      username: `bench-agent-${i}`,
      name: `Bench Agent ${i}`,
      role: 'agent',
      passwordHash: 'x',
      presence: 'available',
      // Staggered: who has waited longest is a real ordering.
      presenceSince: new Date(Date.now() - (AGENTS - i) * 1000),
      capacity: 1_000,
    }));
    await db.insert(users).values(agents);
    // Each agent works three of the queues.
    await db.insert(queueMembers).values(agents.flatMap((a, i) => [0, 3, 7].map((k) => ({ queueId: queueIds[(i + k) % QUEUES]!, userId: a.id }))));
    const now = Date.now();
    for (let start = 0; start < WAITING; start += 1_000) {
      await db.insert(cases).values(
        Array.from({ length: 1_000 }, (_, k) => {
          const i = start + k;
          return {
            id: uuidv7(),
            subject: `Waiting ${i}`,
            status: 'new',
            priority: PRIORITIES[i % PRIORITIES.length]!,
            channel: 'email',
            queueId: queueIds[i % QUEUES]!,
            language: 'en',
            tags: [],
            slaDueAt: new Date(now + ((i * 7919) % 480) * 60_000),
          };
        }),
      );
    }

    // As the hub's maintenance (autovacuum's work, which PGlite lacks) has done by the time 10,000 cases wait.
    await maintainTables(db);
    // As a hub's routing loop keeps it: the waiting cases between rounds.
    const board = new WaitingBoard();
    const first = performance.now();
    const opening = await routeRound(db, new Date(), board);
    const firstMs = performance.now() - first;

    const times: number[] = [];
    let offersMade = 0;
    for (let i = 0; i < WARM_UP + DECISIONS; i++) {
      // One agent's offer ends (as an answer would end it): the next round has exactly that agent to serve.
      const freed = opening.offers[i % opening.offers.length]!.userId;
      await db.delete(caseOffers).where(eq(caseOffers.userId, freed));
      const start = performance.now();
      const round = await routeRound(db, new Date(), board);
      if (i < WARM_UP) continue;
      times.push(performance.now() - start);
      offersMade += round.offers.length;
    }
    // PGlite answers with `rows`.
    const { rows } = (await db.execute(sql`SELECT count(*)::int AS waiting FROM cases WHERE assignee_id IS NULL`)) as unknown as { rows: { waiting: number }[] };
    const waiting = rows[0]?.waiting;
    const { p50, p99 } = summarize(times);
    report(
      `routing: first round, ${AGENTS} agents × ${WAITING.toLocaleString('en')} waiting`,
      `${ms(firstMs)} for ${opening.offers.length} offers (${ms(firstMs / Math.max(1, opening.offers.length))} each)`,
    );
    report(
      `routing decision: a freed agent's next case (${DECISIONS} rounds)`,
      `p50 ${ms(p50)}, p99 ${ms(p99)} (${offersMade} offers made; ${waiting ?? '?'} cases unassigned)`,
      { ok: p99 < 10 && offersMade === DECISIONS, text: 'p99 < 10 ms' },
    );
  } finally {
    await database.close();
    await rm(dir, { recursive: true, force: true });
  }
}
