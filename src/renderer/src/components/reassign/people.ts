/** Who cases can be moved to, and how a move is worded. */
import type { User } from '../../../../shared/domain';
import { REASSIGN_MAX_CASES } from '../../../../shared/protocol';
import { i18n } from '../../i18n';

/** The assignee select's "nobody": the cases are unassigned (the request's `assigneeId: null`). */
export const NOBODY = 'nobody';

/** How many cases one move takes: the hub's limit. */
export const MOVE_CAP = REASSIGN_MAX_CASES;

/** Who takes cases (supervisors assign them, they do not hold a queue's work); `label` in the current language. */
export const ASSIGNEE_ROLES = (['agent', 'technician'] as const satisfies readonly User['role'][]).map((role) => ({
  role,
  get label() {
    return i18n.t(`assign.groups.${role}`);
  },
}));

/** Agents and technicians by name, in groups, for a select; "Nobody" first. */
export function assigneeGroups(users: readonly User[]) {
  return [
    { group: i18n.t('reassign.unassignGroup'), items: [{ value: NOBODY, label: i18n.t('reassign.nobodyOption') }] },
    ...ASSIGNEE_ROLES.map(({ role, label }) => ({ group: label, items: assignees(users, role).map((u) => ({ value: u.id, label: u.name })) })).filter((g) => g.items.length > 0),
  ];
}

export const assignees = (users: readonly User[], role: User['role']): User[] => users.filter((u) => u.role === role).sort((a, b) => a.name.localeCompare(b.name, i18n.language));

/** "Ana Pereira", "Ana Pereira (Billing)", "Billing, unassigned", "Billing", "nobody (unassigned)"; '' before anything is chosen. */
export function destination(person: string | null, unassign: boolean, queue: string | null): string {
  if (person) return queue ? i18n.t('reassign.personInQueue', { person, queue }) : person;
  if (unassign) return queue ? i18n.t('reassign.queueUnassigned', { queue }) : i18n.t('reassign.nobody');
  return queue ?? '';
}

/** "1 case", "50 cases": a count of cases in the current language. */
export const casesCount = (n: number): string => i18n.t('counts.case', { count: n });
