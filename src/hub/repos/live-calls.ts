/**
 * Who is on which call now (migration 21): the agent who answered a call, on its row in `calls`, from the
 * answer until the call's release (its completed callback). The first answer wins on every hub sharing the
 * database: only a call nobody answered takes one. Routing counts a live call as taking all of its agent's
 * capacity (routing/router.ts, routing/take.ts); the agents board shows it (repos/agent-stats.ts).
 */
import { and, eq, gt, isNotNull, isNull } from 'drizzle-orm';
import { LIVE_CALL_MAX_MS, type LiveCall } from '../../shared/calls';
import type { Db } from '../db/connect';
import { calls } from '../db/schema';

type CallRow = typeof calls.$inferSelect;

const isLive = and(isNotNull(calls.answeredBy), isNull(calls.releasedAt));

/**
 * A call someone is on at `now`. One answered longer ago than a call can last is not: its final callback was
 * lost, and its agent must not wait for work forever. (A condition on `calls`, for reads that join it.)
 */
export const liveAt = (now: Date) => and(isLive, gt(calls.answeredAt, new Date(now.getTime() - LIVE_CALL_MAX_MS)));

function toLiveCall(row: CallRow): LiveCall {
  return { callSid: row.callSid, userId: row.answeredBy!, from: row.fromNumber, answeredAt: row.answeredAt!.toISOString() };
}

/** Records `call`'s agent unless someone already answered it; the call as stored (theirs or this one). The call's row must exist. */
export async function recordLiveCall(db: Db, call: LiveCall): Promise<LiveCall> {
  const [taken] = await db
    .update(calls)
    .set({ answeredBy: call.userId, answeredAt: new Date(call.answeredAt) })
    .where(and(eq(calls.callSid, call.callSid), isNull(calls.answeredBy)))
    .returning();
  if (taken) return toLiveCall(taken);
  const [row] = await db.select().from(calls).where(eq(calls.callSid, call.callSid));
  if (!row) throw new Error(`no call ${call.callSid} to answer`);
  return toLiveCall(row);
}

/** The call as answered, while someone is on it. */
export async function liveCall(db: Db, callSid: string): Promise<LiveCall | null> {
  const [row] = await db.select().from(calls).where(and(eq(calls.callSid, callSid), isLive));
  return row ? toLiveCall(row) : null;
}

/** The call ended: whoever was on it is free again (null when nobody was). */
export async function endLiveCall(db: Db, callSid: string): Promise<LiveCall | null> {
  const [row] = await db.update(calls).set({ releasedAt: new Date() }).where(and(eq(calls.callSid, callSid), isLive)).returning();
  return row ? toLiveCall(row) : null;
}

/** Every call someone is on now (a handful: one per agent at most; `liveAt`). */
export async function liveCalls(db: Db, now = new Date()): Promise<LiveCall[]> {
  const rows = await db.select().from(calls).where(liveAt(now));
  return rows.map(toLiveCall);
}

/** The live call of each agent who is on one. */
export async function liveCallsByAgent(db: Db, now = new Date()): Promise<Map<string, LiveCall>> {
  return new Map((await liveCalls(db, now)).map((c) => [c.userId, c]));
}
