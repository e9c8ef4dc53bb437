/**
 * The waiting cases of the push queues, kept in the hub's memory between
 * routing rounds: a round reads only what changed since the round before
 * (cases and customers with a rev past the board's, as a console's pull
 * does: every write that draws revs commits in rev order, db/write.ts, so
 * the cursor never passes a row still to commit), never the backlog again.
 * Each case keeps its score's standing points (src/shared/priority.ts
 * `standingPoints`), so a round scores every waiting case of the queues it
 * serves by adding the SLA's points for the time left now — exactly, not the
 * few read by due time. What the board believes is checked where it matters:
 * the offer locks each chosen case only if it still waits (router.ts
 * `offerLocked`).
 */
import type { Case, CaseStatus, Channel, Priority } from '../../shared/domain';
import type { Plan, PlanEntitlements } from '../../shared/entitlements';
import { casePriorityInput, type PriorityInput, slaPointsBy, standingPoints } from '../../shared/priority';
import { LOADING_STATUSES, type Load } from '../../shared/routing';
import { planEntitlementsOf } from '../sla/plans';

/** A customer's facts the score reads. */
export interface ScoringCustomer {
  plan: string;
  lifetimeValue: number;
  influence: number;
}

/** What a waiting case is scored on (src/shared/priority.ts), as the queue scores it, by the plan table in force. */
export function scoreInputOf(c: Pick<Case, 'priority' | 'sentiment' | 'slaDueAt' | 'status'>, customer: ScoringCustomer | null, now: number, plans: PlanEntitlements): PriorityInput {
  return casePriorityInput(c, customer ? { ...customer, plan: customer.plan as Plan } : null, now, plans);
}

/** A case as the board's reads give it (`BOARD_ROW_SQL`), with whether it waits for an agent. */
export interface BoardRow {
  id: string;
  rev: number;
  queueId: string | null;
  waits: boolean;
  priority: Priority;
  sentiment: number | null;
  slaDueAt: string | null;
  status: CaseStatus;
  channel: Channel;
  createdAt: string;
  customerId: string | null;
  plan: string | null;
  lifetimeValue: number | null;
  influence: number | null;
}

/** A customer as the board's delta read gives it. */
export interface BoardCustomerRow extends ScoringCustomer {
  id: string;
  rev: number;
}

interface Waiting {
  id: string;
  queueId: string;
  load: Load;
  createdAt: number;
  slaDueAt: number | null;
  priority: Priority;
  sentiment: number | null;
  status: CaseStatus;
  customerId: string | null;
  /** The score's points that do not move with the clock, by the plan table the board last scored with. */
  standing: number;
}

/** What a round needs of a push queue. */
export interface BoardQueue {
  id: string;
  offerSeconds: number;
  requiredSkills: string[];
}

/** A waiting case scored for a round, with its queue's terms. */
export interface ScoredCase {
  id: string;
  queueId: string;
  load: Load;
  createdAt: number;
  score: number;
  required: string[];
  offerSeconds: number;
}

const slaPoints = slaPointsBy();

/**
 * The columns of a board row, for a read of `cases` (alias `c`) joined to its customer (alias `cu`) — one
 * list, so the full load and the delta read decode alike. `waits`: unassigned and still to start (an offer
 * is the round's to check, not the board's).
 */
export const BOARD_ROW_SQL = `json_build_object('id', c.id, 'rev', c.rev, 'queueId', c.queue_id,
  'waits', c.assignee_id IS NULL AND c.status IN (${LOADING_STATUSES.map((s) => `'${s}'`).join(', ')}),
  'priority', c.priority, 'sentiment', c.sentiment, 'slaDueAt', c.sla_due_at, 'status', c.status, 'channel', c.channel,
  'createdAt', c.created_at, 'customerId', c.customer_id, 'plan', cu.plan, 'lifetimeValue', cu.lifetime_value, 'influence', cu.influence)`;

export class WaitingBoard {
  private readonly waiting = new Map<string, Waiting>();
  /** The same cases by queue, so a round reads only the queues it serves. */
  private readonly byQueue = new Map<string, Map<string, Waiting>>();
  /** The customers of the waiting cases, as last read, and which of those cases are theirs. */
  private readonly customers = new Map<string, { facts: ScoringCustomer; cases: Set<string> }>();
  /** The push queues the board holds the waiting cases of; null until loaded. */
  private queueIds: ReadonlySet<string> | null = null;
  /** The plan table as stored (null: the defaults), and as read from that. */
  private plansText: string | null = null;
  private plans: PlanEntitlements = planEntitlementsOf(null);
  /** The highest case and customer revs the board has seen. */
  caseRev = 0;
  customerRev = 0;

  /** Whether the board holds anything to keep up to date (it was loaded, and not reset since). */
  get loaded(): boolean {
    return this.queueIds !== null;
  }

  /** Whether the board holds these push queues' waiting cases (else the round loads it whole). */
  holds(pushQueueIds: readonly string[]): boolean {
    return this.queueIds !== null && this.queueIds.size === pushQueueIds.length && pushQueueIds.every((id) => this.queueIds!.has(id));
  }

  /** Everything waiting in the push queues, read in one snapshot with the revs it is current to. */
  load(pushQueueIds: readonly string[], rows: readonly BoardRow[], revs: { cases: number; customers: number }, plansText: string | null): void {
    this.waiting.clear();
    this.byQueue.clear();
    this.customers.clear();
    this.queueIds = new Set(pushQueueIds);
    this.plansText = plansText;
    this.plans = planEntitlementsOf(plansText);
    this.caseRev = revs.cases;
    this.customerRev = revs.customers;
    for (const row of rows) this.apply(row);
  }

  /** What changed since the board's revs: cases that now wait or no longer do, customers whose facts moved. */
  update(changedCases: readonly BoardRow[], changedCustomers: readonly BoardCustomerRow[], plansText: string | null): void {
    for (const customer of changedCustomers) {
      this.customerRev = Math.max(this.customerRev, customer.rev);
      const known = this.customers.get(customer.id);
      if (!known) continue;
      known.facts = { plan: customer.plan, lifetimeValue: customer.lifetimeValue, influence: customer.influence };
      for (const id of known.cases) this.rescore(this.waiting.get(id)!);
    }
    for (const row of changedCases) {
      this.caseRev = Math.max(this.caseRev, row.rev);
      this.apply(row);
    }
    if (plansText !== this.plansText) {
      // An admin changed the plan table: every entitlement may read otherwise (read only then, not every round).
      this.plansText = plansText;
      this.plans = planEntitlementsOf(plansText);
      for (const w of this.waiting.values()) this.rescore(w);
    }
  }

  /** Forget everything: the next round loads the board whole (after a round failed, say). */
  reset(): void {
    this.queueIds = null;
  }

  /** The waiting cases of these queues, not on offer, each scored at `now`. */
  scored(queues: Iterable<BoardQueue>, onOffer: ReadonlySet<string>, now: number): ScoredCase[] {
    const out: ScoredCase[] = [];
    for (const queue of queues) {
      for (const w of this.byQueue.get(queue.id)?.values() ?? []) {
        if (onOffer.has(w.id)) continue;
        const score = w.standing + slaPoints(w.slaDueAt === null ? null : w.slaDueAt - now);
        out.push({ id: w.id, queueId: w.queueId, load: w.load, createdAt: w.createdAt, score, required: queue.requiredSkills, offerSeconds: queue.offerSeconds });
      }
    }
    return out;
  }

  /** A waiting case's full score input at `now`: what an offer explains. */
  inputOf(caseId: string, now: number): PriorityInput | null {
    const w = this.waiting.get(caseId);
    return w ? this.inputAt(w, now) : null;
  }

  /** How many cases the board holds (tests, the bench). */
  get size(): number {
    return this.waiting.size;
  }

  private apply(row: BoardRow): void {
    this.remove(row.id);
    if (!row.waits || row.queueId === null || !this.queueIds?.has(row.queueId)) return;
    if (row.customerId !== null && row.plan !== null) {
      const facts = { plan: row.plan, lifetimeValue: row.lifetimeValue ?? 0, influence: row.influence ?? 0 };
      const known = this.customers.get(row.customerId);
      if (known) known.facts = facts;
      else this.customers.set(row.customerId, { facts, cases: new Set() });
      this.customers.get(row.customerId)!.cases.add(row.id);
    }
    const w: Waiting = {
      id: row.id,
      queueId: row.queueId,
      load: { channel: row.channel, status: row.status },
      createdAt: Date.parse(row.createdAt),
      slaDueAt: row.slaDueAt === null ? null : Date.parse(row.slaDueAt),
      priority: row.priority,
      sentiment: row.sentiment,
      status: row.status,
      customerId: row.customerId,
      standing: 0,
    };
    this.waiting.set(row.id, w);
    let queue = this.byQueue.get(w.queueId);
    if (!queue) this.byQueue.set(w.queueId, (queue = new Map()));
    queue.set(w.id, w);
    this.rescore(w);
  }

  private remove(caseId: string): void {
    const w = this.waiting.get(caseId);
    if (!w) return;
    this.waiting.delete(caseId);
    this.byQueue.get(w.queueId)?.delete(caseId);
    const customer = w.customerId === null ? undefined : this.customers.get(w.customerId);
    customer?.cases.delete(caseId);
    if (customer?.cases.size === 0) this.customers.delete(w.customerId!);
  }

  private inputAt(w: Waiting, now: number): PriorityInput {
    const customer = w.customerId === null ? undefined : this.customers.get(w.customerId)?.facts;
    const c = { priority: w.priority, sentiment: w.sentiment, slaDueAt: w.slaDueAt === null ? null : new Date(w.slaDueAt).toISOString(), status: w.status };
    return scoreInputOf(c, customer ?? null, now, this.plans);
  }

  /** Its standing points again, as its customer or the plan table now read (the clock plays no part in them). */
  private rescore(w: Waiting): void {
    w.standing = standingPoints(this.inputAt(w, 0));
  }
}
