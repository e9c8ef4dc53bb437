/** The figures of `queue:stats`, per queue, in a few grouped queries. */
import { sql } from 'drizzle-orm';
import type { QueueStats } from '../../shared/protocol';
import { agentsNeeded } from '../../shared/staffing';
import type { Db } from '../db/connect';
import { DONE_SQL } from './statuses';

/** Until a queue has solved something, staffing assumes this handle time. */
const DEFAULT_HANDLE_SECONDS = 600;
const QUARTER_SECONDS = 900;
/** The arrivals sparkline: the last 4 hours by quarter-hour. */
const SERIES_LENGTH = 16;
/** The usual rate is the mean of this many previous days at the same time of day. */
const USUAL_DAYS = 7;

type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;
const num = (value: unknown) => Number(value ?? 0);

export async function queueStats(db: Db, now = new Date()): Promise<QueueStats[]> {
  const at = now.toISOString();
  const work = rowsOf(
    await db.execute(sql`
      SELECT q.id AS queue_id,
        count(c.id) FILTER (WHERE c.status IN ('new', 'open') AND c.assignee_id IS NULL) AS waiting,
        coalesce(extract(epoch FROM ${at}::timestamptz - min(c.created_at) FILTER (WHERE c.status IN ('new', 'open') AND c.assignee_id IS NULL)), 0) AS oldest_wait,
        count(c.id) FILTER (WHERE c.status NOT IN (${DONE_SQL}) AND c.sla_due_at >= ${at}::timestamptz AND c.sla_due_at < ${at}::timestamptz + interval '1 hour') AS at_risk,
        count(c.id) FILTER (WHERE c.status NOT IN (${DONE_SQL}) AND c.sla_due_at < ${at}::timestamptz) AS breached,
        count(c.id) FILTER (WHERE c.created_at >= ${at}::timestamptz - interval '15 minutes') AS arrivals_15m,
        count(c.id) FILTER (WHERE c.created_at >= ${at}::timestamptz - interval '1 hour') AS arrivals_1h,
        -- The same quarter-hour on each of the previous days, in one pass: an age of d days plus (0, 15 min].
        count(c.id) FILTER (WHERE a.age > 86400 AND a.age <= ${sql.raw(String(USUAL_DAYS))} * 86400 + 900 AND a.age - 86400 * floor(a.age / 86400) > 0 AND a.age - 86400 * floor(a.age / 86400) <= 900) AS usual
      FROM queues q LEFT JOIN cases c ON c.queue_id = q.id
      CROSS JOIN LATERAL (SELECT extract(epoch FROM ${at}::timestamptz - c.created_at) AS age) a
      GROUP BY q.id`),
  );
  // Quarter-hour k back from now holds the ages (k·15 min, (k+1)·15 min]; k = 0 also takes anything dated ahead of the clock, as arrivals15m does.
  const series = rowsOf(
    await db.execute(sql`
      SELECT queue_id, greatest(ceil(extract(epoch FROM ${at}::timestamptz - created_at) / ${sql.raw(String(QUARTER_SECONDS))}) - 1, 0) AS k, count(*) AS n
      FROM cases WHERE created_at >= ${at}::timestamptz - interval '${sql.raw(String(SERIES_LENGTH * QUARTER_SECONDS))} seconds'
      GROUP BY 1, 2`),
  );
  const agents = rowsOf(
    await db.execute(sql`
      SELECT m.queue_id, count(*) FILTER (WHERE u.presence <> 'offline') AS signed_in, count(*) FILTER (WHERE u.presence = 'available') AS available
      FROM queue_members m JOIN users u ON u.id = m.user_id
      GROUP BY m.queue_id`),
  );
  // When a case was solved: the first change that made it solved (or closed), in the last day.
  const handled = rowsOf(
    await db.execute(sql`
      SELECT c.queue_id, avg(extract(epoch FROM s.at - c.created_at)) AS handle
      FROM cases c JOIN (
        SELECT case_id, min(changed_at) AS at FROM case_changes
        WHERE fields->>'status' IN (${DONE_SQL}) AND changed_at >= ${at}::timestamptz - interval '24 hours'
        GROUP BY case_id
      ) s ON s.case_id = c.id
      GROUP BY c.queue_id`),
  );
  const seriesOf = new Map<string, number[]>();
  for (const r of series) {
    const queueId = String(r.queue_id);
    const counts = seriesOf.get(queueId) ?? Array<number>(SERIES_LENGTH).fill(0);
    counts[SERIES_LENGTH - 1 - num(r.k)] = num(r.n);
    seriesOf.set(queueId, counts);
  }
  const agentsOf = new Map(agents.map((r) => [String(r.queue_id), r]));
  const handleOf = new Map(handled.map((r) => [String(r.queue_id), r.handle === null ? null : Math.round(num(r.handle))]));
  return work.map((r) => {
    const queueId = String(r.queue_id);
    const handle = handleOf.get(queueId) ?? null;
    return {
      queueId,
      waiting: num(r.waiting),
      oldestWaitSeconds: Math.round(num(r.oldest_wait)),
      atRisk: num(r.at_risk),
      breached: num(r.breached),
      arrivals15m: num(r.arrivals_15m),
      arrivalsSeries: seriesOf.get(queueId) ?? Array<number>(SERIES_LENGTH).fill(0),
      usualArrivals15m: Math.round((num(r.usual) / USUAL_DAYS) * 100) / 100,
      agentsAvailable: num(agentsOf.get(queueId)?.available),
      agentsSignedIn: num(agentsOf.get(queueId)?.signed_in),
      averageHandleSeconds: handle,
      agentsNeeded: agentsNeeded(num(r.arrivals_1h), handle ?? DEFAULT_HANDLE_SECONDS),
    };
  });
}
