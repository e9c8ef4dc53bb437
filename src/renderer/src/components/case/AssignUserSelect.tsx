/**
 * "Assign to…" inside a supervisor's Assign menu: the agents and technicians,
 * grouped, found by typing part of a name. The list comes from the console's
 * cache, so it works offline; the assignment is queued like any other change.
 */
import type { KeyboardEvent } from 'react';
import { Select } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import type { User } from '../../../../shared/domain';
import { useUsers } from '../../api/queries';

/** Who takes cases: supervisors and admins assign them (to themselves with "Assign to me"). */
const GROUPS = [
  { role: 'agent', label: 'Agents' },
  { role: 'technician', label: 'Technicians' },
] as const satisfies readonly { role: User['role']; label: string }[];

/** The menu moves its focus on arrow keys; in the select they move through the options. */
const keepKeys = (event: KeyboardEvent) => {
  if (['ArrowUp', 'ArrowDown', 'Home', 'End'].includes(event.key)) event.stopPropagation();
};

export function AssignUserSelect({ currentAssigneeId, onPick }: { currentAssigneeId: string | null; onPick: (userId: string) => void }) {
  const users = useUsers();
  const data = GROUPS.map(({ role, label }) => ({
    group: label,
    items: (users.data ?? [])
      .filter((u) => u.role === role && u.id !== currentAssigneeId)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((u) => ({ value: u.id, label: u.name })),
  })).filter((g) => g.items.length > 0);
  return (
    <div onKeyDown={keepKeys} style={{ padding: '0 6px 6px' }}>
      <Select
        size="xs"
        placeholder={users.isPending ? 'Loading people…' : 'Find an agent or technician'}
        aria-label="Assign to an agent or technician"
        leftSection={<IconSearch size={13} />}
        data={data}
        value={null}
        searchable
        clearable={false}
        nothingFoundMessage={users.isError ? 'The list could not be loaded' : 'Nobody by that name'}
        maxDropdownHeight={240}
        comboboxProps={{ withinPortal: false, shadow: 'md' }}
        onChange={(id) => id && onPick(id)}
        data-testid="case-assign-user"
      />
    </div>
  );
}
