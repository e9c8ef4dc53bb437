/**
 * Who has the case, and what this user may do about it, as the hub's policy
 * says (src/shared/policy.ts): agents take unassigned work, anyone hands back
 * their own; supervisors and admins assign it to themselves or to an agent or
 * technician (found by name), unassign it, or move it to another queue.
 */
import { useState } from 'react';
import { Button, Group, Menu, Text } from '@mantine/core';
import { IconArrowBackUp, IconChevronDown, IconHandGrab, IconStack2, IconUserCheck, IconUserMinus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { QueueItem } from '../../../../shared/api';
import type { User } from '../../../../shared/domain';
import { mayAssign, mayHandBack, mayOversee, mayTake } from '../../../../shared/policy';
import { useAssignCase } from '../../api/mutations';
import { useQueues } from '../../api/queries';
import { AssignUserSelect } from './AssignUserSelect';

export function AssignControls({ item, me }: { item: QueueItem; me: User }) {
  const { t } = useTranslation();
  const assign = useAssignCase(item.id);
  const mine = item.assigneeId === me.id;
  const name = (
    <Text size="sm" truncate style={{ flex: 1, minWidth: 0 }} c={item.assigneeName ? undefined : 'dimmed'} fs={item.assigneeName ? undefined : 'italic'} data-testid="case-assignee">
      {mine ? t('assign.you', { name: item.assigneeName ?? me.name }) : (item.assigneeName ?? t('queue.unassigned'))}
    </Text>
  );
  const to = (assigneeId: string | null, queueId?: string) => assign.mutate({ id: item.id, assigneeId, ...(queueId ? { queueId } : {}) });

  if (mayOversee(me.role)) {
    return (
      <Group gap={8} wrap="nowrap">
        {name}
        <SupervisorMenu item={item} me={me} loading={assign.isPending} onAssign={to} />
      </Group>
    );
  }
  return (
    <Group gap={8} wrap="nowrap">
      {name}
      {mayTake(me, item) && (
        <Button size="compact-xs" variant="light" leftSection={<IconHandGrab size={13} />} loading={assign.isPending} onClick={() => to('me')} data-testid="case-take">
          {t('assign.take')}
        </Button>
      )}
      {mayHandBack(me, item) && (
        <Button size="compact-xs" variant="default" leftSection={<IconArrowBackUp size={13} />} loading={assign.isPending} onClick={() => to(null)} data-testid="case-hand-back">
          {t('assign.handBack')}
        </Button>
      )}
    </Group>
  );
}

function SupervisorMenu({ item, me, loading, onAssign }: { item: QueueItem; me: User; loading: boolean; onAssign: (assigneeId: string | null, queueId?: string) => void }) {
  const { t } = useTranslation();
  const queues = useQueues();
  const others = (queues.data ?? []).filter((q) => q.id !== item.queueId && mayAssign(me, item, null, q.id));
  // Controlled: picking a person in the select (not a menu item) closes the menu too.
  const [opened, setOpened] = useState(false);
  return (
    <Menu position="bottom-end" width={240} shadow="md" opened={opened} onChange={setOpened}>
      <Menu.Target>
        <Button size="compact-xs" variant="light" rightSection={<IconChevronDown size={12} />} loading={loading} data-testid="case-assign-menu">
          {t('assign.assign')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {mayTake(me, item) && (
          <Menu.Item leftSection={<IconUserCheck size={14} />} onClick={() => onAssign('me')} data-testid="case-assign-me">
            {t('assign.toMe')}
          </Menu.Item>
        )}
        {item.assigneeId !== null && mayAssign(me, item, null) && (
          <Menu.Item leftSection={<IconUserMinus size={14} />} onClick={() => onAssign(null)} data-testid="case-unassign">
            {t('assign.unassign')}
          </Menu.Item>
        )}
        <Menu.Divider />
        <Menu.Label>{t('assign.to')}</Menu.Label>
        <AssignUserSelect
          currentAssigneeId={item.assigneeId}
          onPick={(userId) => {
            setOpened(false);
            onAssign(userId);
          }}
        />
        {others.length > 0 && (
          <>
            <Menu.Divider />
            <Menu.Label>{t('assign.moveToQueue')}</Menu.Label>
            {others.map((q) => (
              <Menu.Item key={q.id} leftSection={<IconStack2 size={14} />} onClick={() => onAssign(null, q.id)} data-testid="case-move-queue" data-queue={q.name}>
                {q.name}
              </Menu.Item>
            ))}
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
