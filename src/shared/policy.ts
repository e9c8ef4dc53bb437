/**
 * The domain policy in one place: who may take, hand back, assign or open a
 * case, who oversees (and so moves cases in bulk, reads the boards, the audit
 * log and the metrics, overrides consent), and which statuses mean done. The
 * hub enforces it on every push and route; the console's core checks it before
 * it queues a change; the renderer offers only what it allows. What the hub
 * refuses, the console never offers.
 *
 * The SLA clock (`sla.ts`), entitlements (`entitlements.ts`) and the explained
 * priority (`priority.ts`) are the rest of the policy; they are their own
 * modules because each is a calculation, not a permission.
 *
 * Each `refuse…` answers why not (the refusal's name in `REFUSALS`: its
 * English and key are `refusalOf(name)`, src/shared/rejections.ts), or null
 * when the actor may; each `may…` is its yes/no.
 */
import { ROLES, type Role } from './domain';

export { DONE_STATUSES, isDone } from './domain';

/** Who is acting: the hub resolves it from the token, the console from its session. */
export interface CaseActor {
  id: string;
  role: Role;
  /**
   * The queues an agent works. The hub always knows them; a console may leave
   * them out, since every unassigned case it holds is of its agent's queues.
   */
  queueIds?: readonly string[];
}

/** Where a case is: its queue and who has it. */
export interface Placement {
  queueId: string;
  assigneeId: string | null;
}

/** Where an assignment puts it: someone (or nobody), and optionally another queue. */
export interface Target {
  assigneeId: string | null;
  queueId?: string | undefined;
}

/** The reasons given for a refusal, word for word the same on the hub and in the console. */
export const REFUSALS = {
  moveQueue: 'only supervisors and admins move cases between queues',
  reassign: 'you may only take unassigned work of your queues or hand back your own',
  newCaseQueue: 'you may only open cases in your queues',
  newAssignee: 'only supervisors and admins put a new case in someone else’s briefcase',
  bulkReassign: 'only supervisors and admins may reassign cases in bulk',
  oversight: 'only supervisors and admins may do this',
} as const;

/** Which refusal: the policy's checks answer with its name, so its key (`refusal.<name>`) goes with it (src/shared/rejections.ts). */
export type RefusalName = keyof typeof REFUSALS;

/* --------------------------------------------------------------- oversight */

/** Supervisors and admins oversee: they assign anything to anyone, move cases between queues and in bulk, see every case, the boards, the audit log. */
export const mayOversee = (role: Role): boolean => role === 'supervisor' || role === 'admin';
/** The roles that oversee, for role lists (navigation, route guards). */
export const OVERSEER_ROLES: readonly Role[] = ROLES.filter(mayOversee);
/** Moving many cases at once (POST /api/cases/reassign) is oversight. */
export const mayReassignInBulk = mayOversee;

/* -------------------------------------------------------------- assignment */

/**
 * Reassigning a case: supervisors and admins do anything; an agent takes
 * unassigned work of her queues; anyone hands back their own. Technicians do
 * not take: their work is assigned to them.
 */
export function refuseAssignment(actor: CaseActor, from: Placement, to: Target): RefusalName | null {
  if (mayOversee(actor.role)) return null;
  if (to.queueId !== undefined && to.queueId !== from.queueId) return 'moveQueue';
  const takes = from.assigneeId === null && to.assigneeId === actor.id && actor.role === 'agent' && (actor.queueIds?.includes(from.queueId) ?? true);
  const handsBack = from.assigneeId === actor.id && to.assigneeId === null;
  return takes || handsBack ? null : 'reassign';
}

/** May the actor put the case in this place (someone, or nobody; optionally another queue)? */
export const mayAssign = (actor: CaseActor, c: Placement, assigneeId: string | null, queueId?: string): boolean => refuseAssignment(actor, c, { assigneeId, queueId }) === null;

/** "Take" (or a supervisor's "Assign to me"): the case is not yet the actor's, and the actor may make it so. */
export const mayTake = (actor: CaseActor, c: Placement): boolean => c.assigneeId !== actor.id && mayAssign(actor, c, actor.id);

/** "Hand back": the case is the actor's, and goes back to its queue unassigned. */
export const mayHandBack = (actor: CaseActor, c: Placement): boolean => c.assigneeId === actor.id && mayAssign(actor, c, null);

/* ---------------------------------------------------------------- new case */

/** A new case: only supervisors and admins put work in someone else's briefcase. */
export function refuseNewAssignee(actor: CaseActor, assigneeId: string | null | undefined): RefusalName | null {
  if (mayOversee(actor.role) || assigneeId === null || assigneeId === undefined || assigneeId === actor.id) return null;
  return 'newAssignee';
}

/**
 * Opening a case: an agent in her queues (when the queues are known: the
 * console does not know them and leaves this part to the hub), a technician
 * anywhere (it stays in their briefcase), supervisors and admins anywhere;
 * and the assignee rule above.
 */
export function refuseNewCase(actor: CaseActor, draft: { queueId: string; assigneeId?: string | null | undefined }): RefusalName | null {
  const anyQueue = mayOversee(actor.role) || actor.role === 'technician';
  if (!anyQueue && actor.queueIds && !actor.queueIds.includes(draft.queueId)) return 'newCaseQueue';
  return refuseNewAssignee(actor, draft.assigneeId);
}

/** Who has a new case: a technician's own case stays in their briefcase; otherwise whom the draft names (or nobody). */
export const newCaseAssignee = (actor: CaseActor, requested: string | null | undefined): string | null => (actor.role === 'technician' ? actor.id : (requested ?? null));
