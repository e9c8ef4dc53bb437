import { type SQL, and, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import type { Role } from '../../shared/domain';
import { mayOversee } from '../../shared/policy';
import type { Db } from '../db/connect';
import { caseMoves, cases, type customers, type devices, mentions } from '../db/schema';

/** Who is asking: resolved once per request or socket from the token. */
export interface Actor {
  id: string;
  /** Shown as the author of what they write. */
  name: string;
  role: Role;
  queueIds: string[];
  /** Tokens signed in an earlier session epoch are no longer accepted (src/hub/auth/tokens.ts). */
  sessionEpoch: number;
}

type Column = typeof cases.queueId | typeof cases.assigneeId | typeof caseMoves.fromQueue | typeof caseMoves.fromAssignee;

/** Agents: their queues and their own assignments; technicians: their assignments; null: everything. */
function placementScope(actor: Actor, queue: Column, assignee: Column): SQL | null {
  // Overseers (src/shared/policy.ts) see every case.
  if (mayOversee(actor.role)) return null;
  switch (actor.role) {
    case 'agent':
      return actor.queueIds.length > 0 ? or(inArray(queue, actor.queueIds), eq(assignee, actor.id))! : eq(assignee, actor.id);
    case 'technician':
      return eq(assignee, actor.id);
    default:
      return sql`false`;
  }
}

/** What decides an actor's scope, as a string that changes exactly when the scope's rule does (an agent's queues count; assignments are followed case by case). */
export function scopeKey(actor: Actor): string {
  return actor.role === 'agent' ? `agent:${[...actor.queueIds].sort().join(',')}` : actor.role;
}

/** The cases an actor may see (undefined: no restriction). */
export function caseScope(actor: Actor): SQL | undefined {
  return placementScope(actor, cases.queueId, cases.assigneeId) ?? undefined;
}

/**
 * The customers (or devices) an actor may see: those a case in their scope
 * names. The pull sends exactly these; a push may name only these (undefined:
 * no restriction).
 */
export function namedInScope(db: Db, actor: Actor, id: typeof customers.id | typeof devices.id, via: typeof cases.customerId | typeof cases.deviceId): SQL | undefined {
  const scope = caseScope(actor);
  return scope && inArray(id, db.select({ id: via }).from(cases).where(and(scope, isNotNull(via))));
}

/** For a case move: could the actor see the case where it was before? Supervisors see everything, so never a tombstone. */
export function sawBeforeMove(actor: Actor): SQL {
  return placementScope(actor, caseMoves.fromQueue, caseMoves.fromAssignee) ?? sql`false`;
}

/** The mentions an actor may see: supervisors and admins all, agents those of their queues (the Social queue), technicians none (undefined: no restriction). */
export function mentionScope(actor: Actor): SQL | undefined {
  if (mayOversee(actor.role)) return undefined;
  switch (actor.role) {
    case 'agent':
      return actor.queueIds.length > 0 ? inArray(mentions.queueId, actor.queueIds) : sql`false`;
    default:
      return sql`false`;
  }
}

/** May the actor see this case (the one scope rule, for a single case: collision detection asks it per watch)? */
export async function maySeeCase(db: Db, actor: Actor, caseId: string): Promise<boolean> {
  const [row] = await db.select({ id: cases.id }).from(cases).where(and(eq(cases.id, caseId), caseScope(actor)));
  return row !== undefined;
}
