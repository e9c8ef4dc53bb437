/**
 * Who may put a case in whose hands: the one rule the hub enforces on every
 * push and the console checks before it queues a change. Each check answers
 * why not, or null when the actor may.
 */
import type { Role } from './domain';

export interface Assigner {
  id: string;
  role: Role;
  /**
   * The queues an agent works. The hub always knows them; a console may leave
   * them out, since every unassigned case it holds is of its agent's queues.
   */
  queueIds?: readonly string[];
}

interface Placement {
  queueId: string;
  assigneeId: string | null;
}

/** Supervisors and admins assign anything to anyone and move cases between queues. */
export const assignsAnyone = (role: Role): boolean => role === 'supervisor' || role === 'admin';

/** Reassigning a case: an agent takes unassigned work of her queues; anyone hands back their own. */
export function refuseAssignment(actor: Assigner, from: Placement, to: { assigneeId: string | null; queueId?: string | undefined }): string | null {
  if (assignsAnyone(actor.role)) return null;
  if (to.queueId !== undefined && to.queueId !== from.queueId) return 'only supervisors and admins move cases between queues';
  const takes = from.assigneeId === null && to.assigneeId === actor.id && actor.role === 'agent' && (actor.queueIds?.includes(from.queueId) ?? true);
  const handsBack = from.assigneeId === actor.id && to.assigneeId === null;
  return takes || handsBack ? null : 'you may only take unassigned work of your queues or hand back your own';
}

/** A new case: only supervisors and admins put work in someone else's briefcase. */
export function refuseNewAssignee(actor: Assigner, assigneeId: string | null | undefined): string | null {
  if (assignsAnyone(actor.role) || assigneeId === null || assigneeId === undefined || assigneeId === actor.id) return null;
  return 'only supervisors and admins put a new case in someone else’s briefcase';
}
