/**
 * "Assign to…" inside a supervisor's Assign menu: the agents and technicians,
 * grouped, found by typing part of a name. The list comes from the console's
 * cache, so it works offline; the assignment is queued like any other change.
 */
import type { KeyboardEvent } from 'react';
import { Select } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../../../shared/domain';
import { useUsers } from '../../api/queries';

/** Who takes cases: supervisors and admins assign them (to themselves with "Assign to me"). */
const GROUPS = ['agent', 'technician'] as const satisfies readonly User['role'][];

/** The menu moves its focus on arrow keys; in the select they move through the options. */
const keepKeys = (event: KeyboardEvent) => {
  if (['ArrowUp', 'ArrowDown', 'Home', 'End'].includes(event.key)) event.stopPropagation();
};

export function AssignUserSelect({ currentAssigneeId, onPick }: { currentAssigneeId: string | null; onPick: (userId: string) => void }) {
  const { t, i18n } = useTranslation();
  const users = useUsers();
  const data = GROUPS.map((role) => ({
    group: t(`assign.groups.${role}`),
    items: (users.data ?? [])
      .filter((u) => u.role === role && u.id !== currentAssigneeId)
      .sort((a, b) => a.name.localeCompare(b.name, i18n.language))
      .map((u) => ({ value: u.id, label: u.name })),
  })).filter((g) => g.items.length > 0);
  return (
    <div onKeyDown={keepKeys} style={{ padding: '0 6px 6px' }}>
      <Select
        size="xs"
        placeholder={users.isPending ? t('assign.loadingPeople') : t('assign.find')}
        aria-label={t('assign.findLabel')}
        leftSection={<IconSearch size={13} />}
        data={data}
        value={null}
        searchable
        clearable={false}
        nothingFoundMessage={users.isError ? t('assign.listFailed') : t('assign.nobody')}
        maxDropdownHeight={240}
        comboboxProps={{ withinPortal: false, shadow: 'md' }}
        onChange={(id) => id && onPick(id)}
        data-testid="case-assign-user"
      />
    </div>
  );
}
