/**
 * Push routing: the highest-priority waiting case of a push queue is offered
 * to the available agent with the skills and free capacity who has waited
 * longest; the agent accepts or declines before the offer lapses, and
 * otherwise it goes to the next. Each round runs in a write transaction that
 * locks the cases it offers (SKIP LOCKED: one a "Next case" is taking is left
 * to it), and an offer's key is its case, so a case is never offered to two
 * agents at once, also with several hubs.
 */
import { and, eq, gt, inArray, isNull, notExists, sql } from 'drizzle-orm';
import type { Case } from '../../shared/domain';
import { priorityScore } from '../../shared/priority';
import { hasRoomFor, hasSkills, type Load, liveCallLoad, LOADING_STATUSES, type Offer, type OfferGone } from '../../shared/routing';
import type { LiveCall } from '../../shared/calls';
import { liveAt } from '../repos/live-calls';
import type { Db } from '../db/connect';
import { jsonColumn, rowFromJson } from '../db/json-rows';
import { toCase } from '../db/rows';
import { caseOffers, cases, customers } from '../db/schema';
import { writeTransaction } from '../db/write';
import { PLAN_ENTITLEMENTS_KEY } from '../sla/plans';
import { type MatchAgent, matchOffers } from './match';
import { executeLastRows, executeRows } from '../db/execute-rows';
import { BOARD_ROW_SQL, type BoardCustomerRow, type BoardQueue, type BoardRow, scoreInputOf, WaitingBoard } from './waiting-board';

export interface RoundResult {
  offers: { userId: string; offer: Offer }[];
  gone: { userId: string; gone: OfferGone }[];
  /** The queues that push, as the round read them. */
  pushQueueIds: string[];
}

type Agent = MatchAgent;

/**
 * Waiting for an agent: unassigned, still to start, not on offer (push rounds and "Next case" alike). An
 * offer past its time no longer holds the case, though the next round has yet to withdraw it.
 */
export const waitingForAgent = (tx: Db, now: Date) =>
  and(
    isNull(cases.assigneeId),
    inArray(cases.status, [...LOADING_STATUSES]),
    notExists(tx.select({ one: sql`1` }).from(caseOffers).where(and(eq(caseOffers.caseId, cases.id), gt(caseOffers.expiresAt, now)))),
  );

/** What scoreOf reads of a case's customer: the columns every routing read selects. */
export const scoringCustomer = { plan: customers.plan, lifetimeValue: customers.lifetimeValue, influence: customers.influence };

/** Scores a waiting case as the queue shows it, with why. */
export function scoreOf(...args: Parameters<typeof scoreInputOf>) {
  return priorityScore(scoreInputOf(...args));
}

/**
 * One round: lapsed offers withdrawn (and remembered as refused), then new offers made. Events are the caller's,
 * after commit. Two statements: what the round starts from with what changed for the waiting board since the
 * last round (`roundState`), and the offers locked and written (`offerLocked`) — plus, when the board is new or
 * the push queues changed, the board's load. A hub keeps one board (loop.ts); without one, the round loads its own.
 */
export async function routeRound(db: Db, now = new Date(), board = new WaitingBoard()): Promise<RoundResult> {
  try {
    return await writeTransaction(db, (tx) => round(tx, now, board));
  } catch (error) {
    // What the board took in may be half applied: the next round loads it whole.
    board.reset();
    throw error;
  }
}

async function round(tx: Db, now: Date, board: WaitingBoard): Promise<RoundResult> {
  const result: RoundResult = { offers: [], gone: [], pushQueueIds: [] };
  const state = await roundState(tx, now, board);
  for (const o of state.lapsed) result.gone.push({ userId: o.userId, gone: { caseId: o.caseId, reason: 'timeout' } });
  result.pushQueueIds = state.queues.map((q) => q.id);
  if (!board.holds(result.pushQueueIds)) await loadBoard(tx, board, result.pushQueueIds, state.plansText);
  const agents = state.agents;
  if (agents.length === 0) return result;

  // Waiting: unassigned, still to start, not on offer; the most urgent first by the score. Only in queues an
  // agent free now could take work from (one agent freed: their queues, not every queue's backlog).
  const served = state.queues.filter((q) => agents.some((a) => a.queueIds.has(q.id) && hasSkills(a.skills, q.requiredSkills)));
  const waiting = board.scored(served, state.onOffer, now.getTime());
  waiting.sort((a, b) => b.score - a.score || a.createdAt - b.createdAt);

  const chosen = matchOffers(waiting, agents).map(({ item, agentId }) => ({ item, agentId, expiresAt: new Date(now.getTime() + item.offerSeconds * 1000) }));
  if (chosen.length === 0) return result;
  const rows = await offerLocked(tx, chosen.map(({ item, agentId, expiresAt }) => ({ caseId: item.id, userId: agentId, expiresAt })), now);
  for (const { item, agentId, expiresAt } of chosen) {
    const row = rows.get(item.id);
    const input = board.inputOf(item.id, now.getTime());
    if (!row || !input) continue;
    // The score alone ordered them; only an offered case is explained.
    const why = priorityScore(input);
    result.offers.push({ userId: agentId, offer: { case: row, expiresAt: expiresAt.toISOString(), why: why.explanation, whyParts: why.parts } });
  }
  return result;
}

/** What a round starts from, read in one statement. */
interface RoundState {
  /** The offers that lapsed, withdrawn by this read. */
  lapsed: { caseId: string; userId: string }[];
  /** The queues that push. */
  queues: BoardQueue[];
  /** Who may get an offer now, longest-waiting first. */
  agents: Agent[];
  /** The plan table as stored (null: the defaults), which the board scores by. */
  plansText: string | null;
  /** The cases on offer now. */
  onOffer: Set<string>;
}

/** An available agent as `roundState` reads them, with what they hold, work and refused. */
interface AgentRow {
  id: string;
  skills: string[];
  capacity: number;
  lastRoutedAt: string | null;
  since: string;
  queueIds: string[];
  working: [string, string][];
  refused: string[];
  /** The live call they are on, if any. */
  callSid: string | null;
}

/**
 * ONE statement: lapsed offers are withdrawn and remembered as refused (a data-modifying WITH), and beside
 * that the push queues, the plan table and the agents who may get an offer now — available, in a push
 * queue, holding no live offer, with room for a case (a live call takes all of it: repos/live-calls.ts),
 * each with their queues, loading cases, refusals (the offers lapsing now among them: the statement does
 * not see its own writes) and live call. Those who have waited longest (since their last routed case,
 * else since they became available) come first. Beside them the cases on offer now, and — once the board
 * holds anything — the cases and customers with a rev past the board's, which it takes in here.
 */
async function roundState(tx: Db, now: Date, board: WaitingBoard): Promise<RoundState> {
  const at = sql`${now.toISOString()}::timestamptz`;
  // What changed for the board since its revs, once it holds anything to change.
  const changes = board.loaded
    ? sql`(SELECT coalesce(json_agg(${sql.raw(BOARD_ROW_SQL)}), '[]'::json) FROM cases c LEFT JOIN customers cu ON cu.id = c.customer_id WHERE c.rev > ${board.caseRev}) AS changed,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'rev', rev, 'plan', plan, 'lifetimeValue', lifetime_value, 'influence', influence)), '[]'::json)
        FROM customers WHERE rev > ${board.customerRev}) AS changed_customers`
    : sql`NULL AS changed, NULL AS changed_customers`;
  const rows = await executeRows<{ lapsed: unknown; queues: unknown; plans: string | null; on_offer: unknown; agents: unknown; changed: unknown; changed_customers: unknown }>(tx, sql`
    WITH lapsed AS (DELETE FROM case_offers WHERE expires_at <= ${at} RETURNING case_id, user_id),
    timed_out AS (INSERT INTO case_offer_refusals (case_id, user_id, reason) SELECT case_id, user_id, 'timeout' FROM lapsed ON CONFLICT DO NOTHING),
    push AS (SELECT id, offer_seconds, required_skills FROM queues WHERE routing = 'push')
    SELECT
      (SELECT coalesce(json_agg(json_build_object('caseId', case_id, 'userId', user_id)), '[]'::json) FROM lapsed) AS lapsed,
      (SELECT coalesce(json_agg(json_build_object('id', id, 'offerSeconds', offer_seconds, 'requiredSkills', required_skills)), '[]'::json) FROM push) AS queues,
      (SELECT value FROM settings WHERE key = ${PLAN_ENTITLEMENTS_KEY}) AS plans,
      (SELECT coalesce(json_agg(case_id), '[]'::json) FROM case_offers WHERE expires_at > ${at}) AS on_offer,
      ${changes},
      (SELECT coalesce(json_agg(json_build_object(
        'id', u.id, 'skills', u.skills, 'capacity', u.capacity, 'lastRoutedAt', u.last_routed_at, 'since', u.presence_since,
        'queueIds', (SELECT coalesce(json_agg(m.queue_id), '[]'::json) FROM queue_members m WHERE m.user_id = u.id),
        'working', (SELECT coalesce(json_agg(json_build_array(c.channel, c.status)), '[]'::json) FROM cases c
                     WHERE c.assignee_id = u.id AND c.status = ANY(${sql.param([...LOADING_STATUSES])}::text[])),
        'refused', (SELECT coalesce(json_agg(r.case_id), '[]'::json) FROM (
                     SELECT case_id FROM case_offer_refusals WHERE user_id = u.id UNION SELECT case_id FROM lapsed WHERE user_id = u.id) r),
        'callSid', (SELECT calls.call_sid FROM calls WHERE calls.answered_by = u.id AND ${liveAt(now)} LIMIT 1)
      )), '[]'::json)
      FROM users u
      WHERE u.role = 'agent' AND u.presence = 'available'
        AND NOT EXISTS (SELECT 1 FROM case_offers o WHERE o.user_id = u.id AND o.expires_at > ${at})
        AND EXISTS (SELECT 1 FROM queue_members m JOIN push ON push.id = m.queue_id WHERE m.user_id = u.id)) AS agents`);
  const row = rows[0]!;
  const waitedSince = (r: AgentRow) => Math.max(r.lastRoutedAt ? Date.parse(r.lastRoutedAt) : 0, Date.parse(r.since));
  const agents = jsonColumn<AgentRow[]>(row.agents)
    .sort((a, b) => waitedSince(a) - waitedSince(b) || a.id.localeCompare(b.id))
    .map((r) => ({
      id: r.id,
      skills: r.skills,
      capacity: r.capacity,
      working: workingOf(
        r.working.map(([channel, status]) => ({ channel, status })),
        r.callSid ? { callSid: r.callSid } : undefined,
      ),
      queueIds: new Set(r.queueIds),
      refused: new Set(r.refused),
    }))
    // No room for any case (on a call, or full): their queues' backlogs need not be read this round.
    .filter((a) => hasRoomFor(a.capacity, a.working, A_CASE));
  if (board.loaded) board.update(jsonColumn<BoardRow[]>(row.changed), jsonColumn<BoardCustomerRow[]>(row.changed_customers), row.plans);
  return { lapsed: jsonColumn(row.lapsed), queues: jsonColumn(row.queues), agents, plansText: row.plans, onOffer: new Set(jsonColumn<string[]>(row.on_offer)) };
}

/**
 * ONE statement: every case waiting in the push queues, with its customer's facts, and the highest case and
 * customer revs, all of one snapshot — the board the next rounds keep up to date from there.
 */
async function loadBoard(tx: Db, board: WaitingBoard, pushQueueIds: string[], plansText: string | null): Promise<void> {
  const read = await executeRows<{ rows: unknown; case_rev: string; customer_rev: string }>(tx, sql`
    SELECT
      (SELECT coalesce(json_agg(${sql.raw(BOARD_ROW_SQL)}), '[]'::json) FROM cases c LEFT JOIN customers cu ON cu.id = c.customer_id
        WHERE c.queue_id = ANY(${sql.param(pushQueueIds)}::uuid[]) AND c.assignee_id IS NULL AND c.status = ANY(${sql.param([...LOADING_STATUSES])}::text[])) AS rows,
      (SELECT coalesce(max(rev), 0) FROM cases) AS case_rev,
      (SELECT coalesce(max(rev), 0) FROM customers) AS customer_rev`);
  const row = read[0]!;
  board.load(pushQueueIds, jsonColumn<BoardRow[]>(row.rows), { cases: Number(row.case_rev), customers: Number(row.customer_rev) }, plansText);
}

/**
 * ONE statement: the chosen cases still waiting are locked and offered. Locked only now, and only what is
 * offered: a case another transaction is taking meanwhile ("Next case", an accept) is skipped — its agent gets
 * the next round's best — and a round locks a few rows, not backlogs. The offered cases, by id. It is the
 * round's last statement, so the commit goes with it (execute-rows.ts executeLastRows).
 */
async function offerLocked(tx: Db, offers: { caseId: string; userId: string; expiresAt: Date }[], now: Date): Promise<Map<string, Case>> {
  const read = await executeLastRows<{ rows: unknown }>(tx, sql`
    WITH chosen AS (SELECT * FROM json_to_recordset(${JSON.stringify(offers)}::json) AS c("caseId" uuid, "userId" uuid, "expiresAt" timestamptz)),
    locked AS (SELECT ${cases}.* FROM ${cases} WHERE ${cases.id} = ANY(${sql.param(offers.map((o) => o.caseId))}::uuid[]) AND ${waitingForAgent(tx, now)} FOR UPDATE SKIP LOCKED),
    offered AS (INSERT INTO case_offers (case_id, user_id, offered_at, expires_at)
      SELECT chosen."caseId", chosen."userId", ${now.toISOString()}::timestamptz, chosen."expiresAt" FROM chosen JOIN locked ON locked.id = chosen."caseId")
    SELECT coalesce(json_agg(to_jsonb(locked)), '[]'::json) AS rows FROM locked`);
  const locked = jsonColumn<Record<string, unknown>[]>(read[0]?.rows ?? []).map((json) => toCase(rowFromJson(cases, json)));
  return new Map(locked.map((c) => [c.id, c]));
}

/** Any one case: every case weighs the same (src/shared/routing.ts loadOf). */
const A_CASE: Load = { channel: 'email', status: 'new' };

/** What an agent is working on: their loading cases, and the call they are on, if any (all their capacity). */
export function workingOf(cases: readonly { channel: string; status: string }[], call: Pick<LiveCall, 'callSid'> | undefined): Load[] {
  return [...cases.map((w) => ({ channel: w.channel as Case['channel'], status: w.status })), ...(call ? [liveCallLoad(call.callSid)] : [])];
}

/**
 * An agent answered a call: the offers they hold are withdrawn (not refused: they may get the case again once
 * free), so each goes to the next agent now. The withdrawn case ids, for `offer:gone` after commit.
 */
export async function withdrawOffersOf(tx: Db, userId: string): Promise<string[]> {
  const gone = await tx.delete(caseOffers).where(eq(caseOffers.userId, userId)).returning({ caseId: caseOffers.caseId });
  return gone.map((g) => g.caseId);
}
