/**
 * Surge alerts (live/surge.ts): arrivals counted per channel and per keyword
 * over a time range, the sample and open cases of one surge, and the alerts
 * themselves — at most one per key within the cooldown, whichever hub asks.
 *
 * An arrival is an inbound message of a case or a post in the mentions inbox,
 * by when it reached the hub (`created_at`). A mention converted into a case
 * later is counted once, as the mention: its message is the same post.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Channel } from '../../shared/domain';
import { SURGE_MAX_CASES, type SurgeAlert, type SurgeSample } from '../../shared/protocol';
import type { Db } from '../db/connect';
import { DONE_SQL } from './statuses';

export type SurgeKind = SurgeAlert['kind'];
export interface SurgeKey {
  kind: SurgeKind;
  key: string;
}

type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;
const iso = (value: unknown) => (value instanceof Date ? value : new Date(String(value))).toISOString();
const keyOf = (kind: SurgeKind, key: string) => `${kind}:${key}`;

/** Serialises alert inserts across hubs sharing a Postgres (db/write.ts uses 4711). */
const SURGE_LOCK = 4712;
const SAMPLE_SIZE = 5;
const EXCERPT_CHARS = 200;

/** A keyword as an ILIKE pattern: contained anywhere, its own % and _ taken literally. */
const patternOf = (keyword: string) => `%${keyword.replace(/[\\%_]/g, '\\$&')}%`;

/** Inbound messages of cases that are not a converted mention's post. */
const notAMention = sql`NOT (m.external_id IS NOT NULL AND EXISTS (SELECT 1 FROM mentions x WHERE x.channel = m.channel AND x.external_id = m.external_id))`;

function arrivals(from: Date, to: Date): SQL {
  const f = from.toISOString();
  const t = to.toISOString();
  return sql`
    SELECT m.channel, m.body FROM messages m
    WHERE m.direction = 'in' AND m.created_at >= ${f}::timestamptz AND m.created_at < ${t}::timestamptz AND ${notAMention}
    UNION ALL
    SELECT channel, body FROM mentions WHERE created_at >= ${f}::timestamptz AND created_at < ${t}::timestamptz`;
}

/** Arrivals in [from, to) per channel and per keyword (lower case), keyed `channel:x` / `keyword:zephyr`; keys with none are absent. */
export async function countArrivals(db: Db, from: Date, to: Date, keywords: readonly string[]): Promise<Map<string, number>> {
  const byKeyword =
    keywords.length === 0
      ? sql``
      : sql`UNION ALL
        SELECT 'keyword', k.keyword, count(*) FROM a JOIN (VALUES ${sql.join(
          keywords.map((k) => sql`(${k}, ${patternOf(k)})`),
          sql`, `,
        )}) AS k(keyword, pattern) ON a.body ILIKE k.pattern GROUP BY k.keyword`;
  const rows = rowsOf(
    await db.execute(sql`
      WITH a AS (${arrivals(from, to)})
      SELECT 'channel' AS kind, channel AS key, count(*) AS n FROM a GROUP BY channel
      ${byKeyword}`),
  );
  return new Map(rows.map((r) => [keyOf(r.kind as SurgeKind, String(r.key)), Number(r.n)]));
}

/** When the first arrival this deployment knows of reached it; null before any. */
export async function firstArrival(db: Db): Promise<Date | null> {
  const [row] = rowsOf(
    await db.execute(sql`
      SELECT least(
        (SELECT min(created_at) FROM messages WHERE direction = 'in'),
        (SELECT min(created_at) FROM mentions)) AS first`),
  );
  return row?.first ? new Date(iso(row.first)) : null;
}

const matches = (alias: 'm' | 'x', surge: SurgeKey) =>
  surge.kind === 'channel' ? sql`${sql.raw(alias)}.channel = ${surge.key}` : sql`${sql.raw(alias)}.body ILIKE ${patternOf(surge.key)}`;

function excerpt(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS - 1)}…` : line;
}

/**
 * What a supervisor acts on: the latest few arrivals of the surge, and its
 * cases still open and nobody's (latest first, as many as one bulk move takes).
 */
export async function surgeDetails(db: Db, surge: SurgeKey, from: Date, to: Date): Promise<{ sample: SurgeSample[]; caseIds: string[] }> {
  const f = from.toISOString();
  const t = to.toISOString();
  const inWindow = (alias: 'm' | 'x') => sql`${sql.raw(alias)}.created_at >= ${f}::timestamptz AND ${sql.raw(alias)}.created_at < ${t}::timestamptz`;
  const sampled = rowsOf(
    await db.execute(sql`
      SELECT * FROM (
        SELECT c.id AS case_id, c.number, c.subject, NULL::uuid AS mention_id, m.channel, m.author, left(m.body, 1000) AS body, m.created_at
        FROM messages m JOIN cases c ON c.id = m.case_id
        WHERE m.direction = 'in' AND ${inWindow('m')} AND ${matches('m', surge)} AND ${notAMention}
        UNION ALL
        SELECT NULL, NULL, NULL, x.id, x.channel, x.author, left(x.body, 1000), x.created_at
        FROM mentions x WHERE ${inWindow('x')} AND ${matches('x', surge)}
      ) s ORDER BY created_at DESC LIMIT ${SAMPLE_SIZE}`),
  );
  const open = rowsOf(
    await db.execute(sql`
      SELECT c.id FROM cases c
      JOIN (SELECT m.case_id, max(m.created_at) AS last FROM messages m WHERE m.direction = 'in' AND ${inWindow('m')} AND ${matches('m', surge)} GROUP BY m.case_id) a
        ON a.case_id = c.id
      WHERE c.status NOT IN (${DONE_SQL}) AND c.assignee_id IS NULL
      ORDER BY a.last DESC, c.id LIMIT ${SURGE_MAX_CASES}`),
  );
  return {
    sample: sampled.map((r) => ({
      caseId: r.case_id === null ? null : String(r.case_id),
      number: r.number === null ? null : Number(r.number),
      subject: r.subject === null ? null : String(r.subject),
      mentionId: r.mention_id === null ? null : String(r.mention_id),
      channel: r.channel as Channel,
      author: String(r.author),
      excerpt: excerpt(String(r.body)),
      at: iso(r.created_at),
    })),
    caseIds: open.map((r) => String(r.id)),
  };
}

/** An alert for this key was raised since `since` (the cooldown). */
export async function alertedSince(db: Db, surge: SurgeKey, since: Date): Promise<boolean> {
  const rows = rowsOf(
    await db.execute(sql`SELECT 1 FROM surge_alerts WHERE key_kind = ${surge.kind} AND key = ${surge.key} AND created_at > ${since.toISOString()}::timestamptz LIMIT 1`),
  );
  return rows.length > 0;
}

/**
 * Records the alert unless one for the same key was raised within the
 * cooldown: true when this call recorded it (and so its hub tells the
 * consoles). The lock makes "none yet? then insert" one step across hubs;
 * the unique (kind, key, cooldown period) is the database's own guarantee.
 */
export async function insertSurgeAlert(db: Db, alert: SurgeAlert, windowStart: Date, cooldownMs: number): Promise<boolean> {
  const at = new Date(alert.at);
  const since = new Date(at.getTime() - cooldownMs);
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${SURGE_LOCK})`);
    const inserted = rowsOf(
      await tx.execute(sql`
        INSERT INTO surge_alerts (id, key_kind, key, window_start, window_minutes, bucket, count, usual, sample, case_ids, created_at)
        SELECT ${alert.id}, ${alert.kind}, ${alert.key}, ${windowStart.toISOString()}::timestamptz, ${alert.windowMinutes},
          ${Math.floor(at.getTime() / cooldownMs)}, ${alert.count}, ${alert.usual}, ${JSON.stringify(alert.sample)}::jsonb,
          ${JSON.stringify(alert.caseIds)}::jsonb, ${alert.at}::timestamptz
        WHERE NOT EXISTS (SELECT 1 FROM surge_alerts WHERE key_kind = ${alert.kind} AND key = ${alert.key} AND created_at > ${since.toISOString()}::timestamptz)
        ON CONFLICT DO NOTHING
        RETURNING id`),
    );
    return inserted.length > 0;
  });
}

/** The alerts raised since `since`, latest first. */
export async function listSurgeAlerts(db: Db, since: Date, limit = 50): Promise<SurgeAlert[]> {
  const rows = rowsOf(
    await db.execute(sql`
      SELECT id, key_kind, key, count, usual, window_minutes, sample, case_ids, created_at FROM surge_alerts
      WHERE created_at > ${since.toISOString()}::timestamptz ORDER BY created_at DESC, id DESC LIMIT ${limit}`),
  );
  return rows.map((r) => ({
    id: String(r.id),
    kind: r.key_kind as SurgeKind,
    key: String(r.key),
    count: Number(r.count),
    usual: Number(r.usual),
    windowMinutes: Number(r.window_minutes),
    at: iso(r.created_at),
    sample: (typeof r.sample === 'string' ? JSON.parse(r.sample) : r.sample) as SurgeSample[],
    caseIds: (typeof r.case_ids === 'string' ? JSON.parse(r.case_ids) : r.case_ids) as string[],
  }));
}
