/** Who cases can be moved to, and how a move is worded. */
import type { User } from '../../../../shared/domain';
import { REASSIGN_MAX_CASES } from '../../../../shared/protocol';

/** The assignee select's "nobody": the cases are unassigned (the request's `assigneeId: null`). */
export const NOBODY = 'nobody';

/** How many cases one move takes: the hub's limit. */
export const MOVE_CAP = REASSIGN_MAX_CASES;

/** Who takes cases (supervisors assign them, they do not hold a queue's work). */
export const ASSIGNEE_ROLES = [
  { role: 'agent', label: 'Agents' },
  { role: 'technician', label: 'Technicians' },
] as const satisfies readonly { role: User['role']; label: string }[];

/** Agents and technicians by name, in groups, for a select; "Nobody" first. */
export function assigneeGroups(users: readonly User[]) {
  return [
    { group: 'Unassign', items: [{ value: NOBODY, label: 'Nobody (unassigned)' }] },
    ...ASSIGNEE_ROLES.map(({ role, label }) => ({ group: label, items: assignees(users, role).map((u) => ({ value: u.id, label: u.name })) })).filter((g) => g.items.length > 0),
  ];
}

export const assignees = (users: readonly User[], role: User['role']): User[] => users.filter((u) => u.role === role).sort((a, b) => a.name.localeCompare(b.name));

/** "Ana Pereira", "Ana Pereira (Billing)", "Billing, unassigned", "Billing", "nobody (unassigned)"; '' before anything is chosen. */
export function destination(person: string | null, unassign: boolean, queue: string | null): string {
  if (person) return queue ? `${person} (${queue})` : person;
  if (unassign) return queue ? `${queue}, unassigned` : 'nobody (unassigned)';
  return queue ?? '';
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
