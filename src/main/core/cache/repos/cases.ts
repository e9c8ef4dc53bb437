import type { CaseView, QueueItem } from '../../../../shared/api';
import { type Case, type CaseStatus, PRIORITY_RANK } from '../../../../shared/domain';
import { containsPattern, epochMs, fold } from '../columns';
import type { CacheDb } from '../database';
import { createDocumentRepo } from './documents';
import type { Plan, PlanEntitlements } from '../../../../shared/entitlements';
import type { CaseClockView } from '../../../../shared/sla';
import { caseScore, caseScoreValue, type ScoredCustomer, scoreOfJson } from '../score';
import type Database from 'better-sqlite3-multiple-ciphers';
import type { OutboxRepo } from './outbox';

export interface QueueFilter {
  queueId?: string;
  status?: CaseStatus | 'active';
  /** A user id, `null` for unassigned, undefined for anyone. */
  assigneeId?: string | null;
  search?: string;
  /** Only cases with an open conflict. */
  conflicted?: boolean;
  limit: number;
  offset?: number;
}

export type CaseSummary = CaseView['customerCases'][number];

/** Statuses someone still has to work on. */
export const ACTIVE_STATUSES: readonly CaseStatus[] = ['new', 'open', 'pending', 'on_hold'];

// The explained priority score (cache/score.ts), then the oldest first.
const QUEUE_ORDER = 'ORDER BY c.score DESC, c.created_ms, c.id';
const NO_SLA = Number.MAX_SAFE_INTEGER;
const ITEM_COLUMNS = `c.data, c.score, cu.name AS customer_name, cu.data AS customer_data, q.name AS queue_name, u.name AS assignee_name, c.rev = 0 AS local_only,
  (SELECT count(*) FROM outbox o WHERE o.entity_id = c.id AND o.acked_version IS NULL) AS pending,
  (SELECT count(*) FROM conflicts x WHERE x.case_id = c.id) AS conflicts`;
const HAS_CONFLICT = 'EXISTS (SELECT 1 FROM conflicts x WHERE x.case_id = c.id)';
const ITEM_JOINS = 'LEFT JOIN customers cu ON cu.id = c.customer_id LEFT JOIN queues q ON q.id = c.queue_id LEFT JOIN users u ON u.id = c.assignee_id';

interface ItemRow {
  data: string;
  score: number;
  customer_name: string | null;
  customer_data: string | null;
  queue_name: string | null;
  assignee_name: string | null;
  local_only: number;
  pending: number;
  conflicts: number;
}

/** The clock of a case by its own SLA policy (repos/sla.ts `viewOf`). */
export type ClockOf = (c: Pick<Case, 'status' | 'queueId'>, plan: Plan | null) => CaseClockView;

function toItem(row: ItemRow, now: number, plans: PlanEntitlements, clockOf: ClockOf): QueueItem {
  const c = JSON.parse(row.data) as Case;
  const customer = row.customer_data === null ? null : (JSON.parse(row.customer_data) as ScoredCustomer);
  const score = caseScore(c, customer, now, plans);
  // Onto the case just parsed (nothing else holds it): spread into a new literal, V8 built each item at ~10 KB and
  // 15 µs, so a page's garbage set off a collection every dozen pages — most of the queue query's slowest calls.
  return Object.assign(c, {
    sla: clockOf(c, customer?.plan ?? null),
    // The stored score the queue is ordered by (at most a minute old), and why as of now.
    priorityScore: Math.round(row.score),
    priorityWhy: score.explanation,
    priorityWhyParts: score.parts,
    customerName: row.customer_name,
    queueName: row.queue_name ?? '',
    assigneeName: row.assignee_name,
    pendingChanges: row.pending,
    conflicts: row.conflicts,
    localOnly: row.local_only === 1,
  });
}

/**
 * What "active" reads: an active status, or — a case with a conflict still waits for the user's decision, so it
 * stays in the active views even when solved here — a conflict. The count reads each half on its own: the active
 * statuses by their index, the few conflicted cases outside them from the conflicts table, instead of testing
 * every case for a conflict.
 */
type ActivePart = 'both' | 'statuses' | 'conflicted';
const ACTIVE_IN = `c.status IN (${ACTIVE_STATUSES.map(() => '?').join(', ')})`;
const ACTIVE_CLAUSE: Record<ActivePart, string> = {
  both: `(${ACTIVE_IN} OR ${HAS_CONFLICT})`,
  statuses: ACTIVE_IN,
  conflicted: `c.id IN (SELECT case_id FROM conflicts) AND NOT ${ACTIVE_IN}`,
};

function whereOf(filter: QueueFilter, active: ActivePart = 'both'): { clause: string; params: (string | number)[] } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.queueId) {
    where.push('c.queue_id = ?');
    params.push(filter.queueId);
  }
  if (filter.status === 'active') {
    where.push(ACTIVE_CLAUSE[active]);
    params.push(...ACTIVE_STATUSES);
  } else if (filter.status) {
    where.push('c.status = ?');
    params.push(filter.status);
  }
  if (filter.conflicted) where.push(HAS_CONFLICT);
  if (filter.assigneeId === null) where.push('c.assignee_id IS NULL');
  else if (filter.assigneeId !== undefined) {
    where.push('c.assignee_id = ?');
    params.push(filter.assigneeId);
  }
  const search = filter.search?.trim();
  if (search) {
    const number = /^#?(\d{1,15})$/.exec(search)?.[1];
    const pattern = containsPattern(search);
    where.push(`(c.subject_folded LIKE ? ESCAPE '\\' OR cu.name_folded LIKE ? ESCAPE '\\'${number ? ' OR c.number = ?' : ''})`);
    params.push(pattern, pattern);
    if (number) params.push(Number(number));
  }
  return { clause: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

/**
 * A total by queue and status alone is read from `case_counts` (cache migration 9, kept by triggers) instead of
 * counting the cases; null when the filter names more (an assignee, a search, conflicts), which only a count tells.
 */
function countedOf(filter: QueueFilter): { clause: string; params: string[] } | null {
  if (filter.assigneeId !== undefined || filter.search?.trim() || filter.conflicted) return null;
  const where: string[] = [];
  const params: string[] = [];
  if (filter.queueId) {
    where.push('queue_id = ?');
    params.push(filter.queueId);
  }
  if (filter.status === 'active') {
    where.push(`status IN (${ACTIVE_STATUSES.map(() => '?').join(', ')})`);
    params.push(...ACTIVE_STATUSES);
  } else if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  return { clause: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** Lays this console's unconfirmed changes over a hub row. */
function withLocal(outbox: OutboxRepo) {
  return (row: Case): Case => {
    const local = outbox.overlayFor(row.id, row.version);
    return local ? { ...row, ...local } : row;
  };
}

/** `plans`: the plan table in force (repos/plans.ts), which every score weighs; `clockOf`: each item's SLA clock (repos/sla.ts). */
export function createCasesRepo(db: CacheDb, outbox: OutboxRepo, plans: () => PlanEntitlements, clockOf: ClockOf) {
  const customerOf = db.prepare<[string], { data: string }>('SELECT data FROM customers WHERE id = ?');
  const customerFor = (c: Case): ScoredCustomer | null => {
    const row = c.customerId ? customerOf.get(c.customerId) : undefined;
    return row ? (JSON.parse(row.data) as ScoredCustomer) : null;
  };
  db.function('priority_score', { deterministic: false }, (caseJson, customerJson, now) => scoreOfJson(String(caseJson), customerJson === null ? null : String(customerJson), Number(now), plans()));
  const rescore = db.prepare<[number, ...string[]]>(
    `UPDATE cases SET score = priority_score(data, (SELECT cu.data FROM customers cu WHERE cu.id = cases.customer_id), ?) WHERE status IN (${ACTIVE_STATUSES.map(() => '?').join(', ')})`,
  );
  const rescoreCustomer = db.prepare<[number, string]>('UPDATE cases SET score = priority_score(data, (SELECT cu.data FROM customers cu WHERE cu.id = cases.customer_id), ?) WHERE customer_id = ?');
  const itemById = db.prepare<[string], ItemRow>(`SELECT ${ITEM_COLUMNS} FROM cases c ${ITEM_JOINS} WHERE c.id = ?`);
  const ofCustomer = db.prepare<[string, string, number], { data: string }>(
    'SELECT data FROM cases WHERE customer_id = ? AND id <> ? ORDER BY created_ms DESC LIMIT ?',
  );
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM cases');
  const assigneeOf = db.prepare<[string], { assignee_id: string | null }>('SELECT assignee_id FROM cases WHERE id = ?');

  // The queue's SQL depends on which filters are set (a handful of shapes): prepare each shape once.
  const shapes = new Map<string, Database.Statement<unknown[]>>();
  const prepared = (sql: string) => {
    let statement = shapes.get(sql);
    if (!statement) shapes.set(sql, (statement = db.prepare<unknown[]>(sql)));
    return statement;
  };

  return {
    ...createDocumentRepo<Case>(db, 'cases', {
      number: (c) => c.number,
      subject_folded: (c) => fold(c.subject),
      status: (c) => c.status,
      priority_rank: (c) => PRIORITY_RANK[c.priority],
      queue_id: (c) => c.queueId,
      assignee_id: (c) => c.assigneeId,
      customer_id: (c) => c.customerId,
      sla_sort_ms: (c) => (c.slaDueAt === null ? NO_SLA : epochMs(c.slaDueAt)),
      created_ms: (c) => epochMs(c.createdAt),
      score: (c) => caseScoreValue(c, customerFor(c), Date.now(), plans()),
    }, { overlay: withLocal(outbox) }),

    /** Scores again every case still being worked (SLA time left moves with the clock); the number rescored. */
    rescore: (now = Date.now()): number => rescore.run(now, ...ACTIVE_STATUSES).changes,
    /** A customer's plan, value or influence changed: their cases' scores follow. */
    rescoreCustomer: (customerId: string, now = Date.now()): number => rescoreCustomer.run(now, customerId).changes,

    /** The queue: filtered, ordered by the priority score, then age. */
    queue(filter: QueueFilter): { items: QueueItem[]; total: number } {
      const { clause, params } = whereOf(filter);
      const from = `FROM cases c ${ITEM_JOINS} ${clause}`;
      const rows = prepared(`SELECT ${ITEM_COLUMNS} ${from} ${QUEUE_ORDER} LIMIT ? OFFSET ?`).all(...params, filter.limit, filter.offset ?? 0) as ItemRow[];
      // The count needs the customer join only to search by name; the other joins would only slow it.
      const countJoin = filter.search?.trim() ? 'LEFT JOIN customers cu ON cu.id = c.customer_id' : '';
      const countOf = (where: { clause: string; params: (string | number)[] }) => (prepared(`SELECT count(*) AS n FROM cases c ${countJoin} ${where.clause}`).get(...where.params) as { n: number }).n;
      const counted = countedOf(filter);
      const statuses = counted ? (prepared(`SELECT coalesce(sum(n), 0) AS n FROM case_counts ${counted.clause}`).get(...counted.params) as { n: number }).n : null;
      const total =
        filter.status === 'active' ? (statuses ?? countOf(whereOf(filter, 'statuses'))) + countOf(whereOf(filter, 'conflicted')) : (statuses ?? countOf({ clause, params }));
      const now = Date.now();
      const table = plans();
      return { items: rows.map((row) => toItem(row, now, table, clockOf)), total };
    },

    item(id: string): QueueItem | null {
      const row = itemById.get(id);
      return row ? toItem(row, Date.now(), plans(), clockOf) : null;
    },

    /** The customer's other cases, most recent first. */
    ofCustomer(customerId: string, exceptId: string, limit = 20): CaseSummary[] {
      return ofCustomer.all(customerId, exceptId, limit).map((r) => {
        const c = JSON.parse(r.data) as Case;
        return { id: c.id, number: c.number, subject: c.subject, status: c.status, channel: c.channel, createdAt: c.createdAt };
      });
    },

    count: (): number => count.get()?.n ?? 0,
    /** Who the case shows as assigned (null: nobody, or no such case). */
    assigneeOf: (id: string): string | null => assigneeOf.get(id)?.assignee_id ?? null,
  };
}
export type CasesRepo = ReturnType<typeof createCasesRepo>;
