import { type SQL, eq, inArray, or, sql } from 'drizzle-orm';
import type { Role } from '../../shared/domain';
import { caseMoves, cases } from '../db/schema';

/** Who is asking: resolved once per request or socket from the token. */
export interface Actor {
  id: string;
  role: Role;
  queueIds: string[];
}

/**
 * The cases an actor may see. Supervisors and admins: all; agents: their
 * queues and their own assignments; technicians: their assignments.
 */
export function caseScope(actor: Actor): SQL | undefined {
  switch (actor.role) {
    case 'supervisor':
    case 'admin':
      return undefined;
    case 'agent':
      return actor.queueIds.length > 0
        ? or(inArray(cases.queueId, actor.queueIds), eq(cases.assigneeId, actor.id))
        : eq(cases.assigneeId, actor.id);
    case 'technician':
      return eq(cases.assigneeId, actor.id);
    default:
      return sql`false`;
  }
}

/** The same rule for one case already in memory (live fan-out). */
export function canSeeCase(actor: Actor, c: { queueId: string; assigneeId: string | null }): boolean {
  if (actor.role === 'supervisor' || actor.role === 'admin') return true;
  if (c.assigneeId === actor.id) return true;
  return actor.role === 'agent' && actor.queueIds.includes(c.queueId);
}

/** For a case move: could the actor see the case where it was before? (Supervisors see everything, so never a tombstone.) */
export function sawBeforeMove(actor: Actor): SQL | undefined {
  switch (actor.role) {
    case 'agent':
      return actor.queueIds.length > 0
        ? or(inArray(caseMoves.fromQueue, actor.queueIds), eq(caseMoves.fromAssignee, actor.id))
        : eq(caseMoves.fromAssignee, actor.id);
    case 'technician':
      return eq(caseMoves.fromAssignee, actor.id);
    default:
      return sql`false`;
  }
}
