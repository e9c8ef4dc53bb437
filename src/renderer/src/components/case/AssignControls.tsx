/**
 * Who has the case, and what this user may do about it, as the hub's policy
 * says (src/shared/policy.ts): agents take unassigned work, anyone hands back
 * their own; supervisors and admins assign it to themselves or to an agent or
 * technician (found by name), unassign it, or move it to another queue.
 */
import { type ReactNode, useState } from 'react';
import { Button, Divider, Group, Popover, Stack, Text } from '@mantine/core';
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
  // Controlled: picking a person in the select closes it too.
  const [opened, setOpened] = useState(false);
  // A popover, not a menu: it holds a search field, which a role="menu" may not (axe: aria-required-children).
  // Esc closes it and the focus goes back to the button.
  const act = (then: () => void) => () => {
    setOpened(false);
    then();
  };
  return (
    <Popover position="bottom-end" width={240} shadow="md" opened={opened} onChange={setOpened} trapFocus returnFocus>
      <Popover.Target>
        <Button size="compact-xs" variant="light" rightSection={<IconChevronDown size={12} />} loading={loading} onClick={() => setOpened((o) => !o)} data-testid="case-assign-menu">
          {t('assign.assign')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown p={4}>
        <Stack gap={0}>
          {mayTake(me, item) && (
            <AssignAction icon={<IconUserCheck size={14} />} onClick={act(() => onAssign('me'))} testId="case-assign-me">
              {t('assign.toMe')}
            </AssignAction>
          )}
          {item.assigneeId !== null && mayAssign(me, item, null) && (
            <AssignAction icon={<IconUserMinus size={14} />} onClick={act(() => onAssign(null))} testId="case-unassign">
              {t('assign.unassign')}
            </AssignAction>
          )}
          <Divider my={4} />
          <AssignHeading>{t('assign.to')}</AssignHeading>
          <AssignUserSelect
            currentAssigneeId={item.assigneeId}
            onPick={(userId) => {
              setOpened(false);
              onAssign(userId);
            }}
          />
          {others.length > 0 && (
            <>
              <Divider my={4} />
              <AssignHeading>{t('assign.moveToQueue')}</AssignHeading>
              {others.map((q) => (
                <AssignAction key={q.id} icon={<IconStack2 size={14} />} onClick={act(() => onAssign(null, q.id))} testId="case-move-queue" queue={q.name}>
                  {q.name}
                </AssignAction>
              ))}
            </>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

function AssignAction({ icon, onClick, testId, queue, children }: { icon: ReactNode; onClick: () => void; testId: string; queue?: string; children: ReactNode }) {
  return (
    <Button variant="subtle" color="gray" size="compact-sm" fw={400} justify="flex-start" fullWidth leftSection={icon} onClick={onClick} data-testid={testId} data-queue={queue}>
      {children}
    </Button>
  );
}

function AssignHeading({ children }: { children: ReactNode }) {
  return (
    <Text size="xs" c="dimmed" fw={500} px={8} py={4}>
      {children}
    </Text>
  );
}
