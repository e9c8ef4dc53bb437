/**
 * The figures of `agent:stats`, per person who takes work: every agent and
 * technician, and a supervisor or admin only while they hold an unfinished
 * case (their current work would otherwise be invisible on the board).
 */
import { asc, sql } from 'drizzle-orm';
import type { Role } from '../../shared/domain';
import type { LiveCall } from '../../shared/calls';
import type { AgentStats, Presence } from '../../shared/protocol';
import type { Db } from '../db/connect';
import { queueMembers, users } from '../db/schema';
import { liveCallsByAgent } from './live-calls';
import { DONE_SQL } from './statuses';

/** The call the person is on, as the board shows it (who they are is the row). */
const onCallOf = (call: LiveCall | undefined): AgentStats['onCall'] => (call ? { callSid: call.callSid, from: call.from, answeredAt: call.answeredAt } : null);

type Row = Record<string, unknown>;
const rowsOf = (result: unknown) => (result as { rows: Row[] }).rows;
const num = (value: unknown) => Number(value ?? 0);

const WORKING_ROLES: readonly Role[] = ['agent', 'technician'];

/** Midnight UTC that begins `now`'s day: "today" for handled counts. */
export const startOfUtcDay = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

export async function agentStats(db: Db, now = new Date()): Promise<AgentStats[]> {
  const at = now.toISOString();
  const midnight = startOfUtcDay(now).toISOString();
  const people = await db
    .select({
      id: users.id,
      name: users.name,
      role: users.role,
      presence: users.presence,
      reason: users.presenceReason,
      since: users.presenceSince,
      skills: users.skills,
      capacity: users.capacity,
    })
    .from(users)
    .orderBy(asc(users.name));
  const members = await db.select().from(queueMembers);
  const calls = await liveCallsByAgent(db, now);
  const active = rowsOf(
    await db.execute(sql`
      SELECT assignee_id, count(*) AS n FROM cases
      WHERE assignee_id IS NOT NULL AND status NOT IN (${DONE_SQL})
      GROUP BY assignee_id`),
  );
  // Who solved what today: the first change of the day by that user that made the case solved or closed.
  // The handle time runs from the case's last assignment to that user before it (else the case's opening).
  const handled = rowsOf(
    await db.execute(sql`
      WITH solved AS (
        SELECT user_id, case_id, min(changed_at) AS at FROM case_changes
        WHERE user_id IS NOT NULL AND fields->>'status' IN (${DONE_SQL})
          AND changed_at >= ${midnight}::timestamptz AND changed_at <= ${at}::timestamptz
        GROUP BY user_id, case_id
      )
      SELECT s.user_id, count(*) AS handled,
        avg(greatest(0, extract(epoch FROM s.at - coalesce(
          (SELECT max(a.changed_at) FROM case_changes a
           WHERE a.case_id = s.case_id AND a.fields->>'assigneeId' = s.user_id::text AND a.changed_at <= s.at),
          c.created_at)))) AS handle
      FROM solved s JOIN cases c ON c.id = s.case_id
      GROUP BY s.user_id`),
  );

  const activeOf = new Map(active.map((r) => [String(r.assignee_id), num(r.n)]));
  const handledOf = new Map(handled.map((r) => [String(r.user_id), r]));
  const queuesOf = new Map<string, string[]>();
  for (const m of members) queuesOf.set(m.userId, [...(queuesOf.get(m.userId) ?? []), m.queueId]);

  return people
    .filter((u) => WORKING_ROLES.includes(u.role as Role) || (activeOf.get(u.id) ?? 0) > 0 || calls.has(u.id))
    .map((u) => {
      const done = handledOf.get(u.id);
      return {
        userId: u.id,
        name: u.name,
        role: u.role as Role,
        presence: u.presence as Presence,
        reason: u.reason,
        since: u.since.toISOString(),
        queueIds: (queuesOf.get(u.id) ?? []).sort(),
        skills: u.skills,
        capacity: u.capacity,
        activeCases: activeOf.get(u.id) ?? 0,
        onCall: onCallOf(calls.get(u.id)),
        handledToday: num(done?.handled),
        averageHandleSeconds: done?.handle == null ? null : Math.round(num(done.handle)),
      };
    });
}
