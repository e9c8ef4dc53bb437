/**
 * While a supervisor drags cases: the people they can be dropped on (agents,
 * technicians, or nobody), beside the queues in the left rail that take drops
 * too. A drop opens the reassign dialog pre-filled.
 */
import { useTranslation } from 'react-i18next';
import { Avatar, Badge, Paper, ScrollArea, Stack, Text } from '@mantine/core';
import { IconUserOff } from '@tabler/icons-react';
import type { User } from '../../../../shared/domain';
import { useUsers } from '../../api/queries';
import { caseDropTarget } from './dnd';
import { PresenceDot, usePresence } from './PresenceDot';
import { ASSIGNEE_ROLES, assignees } from './people';
import classes from './Reassign.module.css';

interface Props {
  /** How many cases are being dragged. */
  count: number;
  /** Cases dropped on a person (null: nobody). */
  onDrop: (ids: string[], assigneeId: string | null) => void;
}

const initials = (name: string): string =>
  name
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();

export function DropPanel({ count, onDrop }: Props) {
  const { t } = useTranslation();
  const users = useUsers().data ?? [];
  const presence = usePresence();
  const person = (user: User) => {
    const target = caseDropTarget((ids) => onDrop(ids, user.id));
    return (
      <div key={user.id} {...target} className={`${classes.person} ${target.className}`} data-testid="drop-person" data-user={user.username} data-name={user.name}>
        <Avatar size={26} radius="xl" color="indigo" variant="light">
          {initials(user.name)}
        </Avatar>
        <Text size="sm" truncate style={{ flex: 1 }}>
          {user.name}
        </Text>
        <PresenceDot presence={presence.get(user.id)} />
      </div>
    );
  };
  const nobody = caseDropTarget((ids) => onDrop(ids, null));
  return (
    <Paper className={classes.panel} shadow="lg" withBorder radius="md" p={12} data-testid="drop-panel">
      <Text fw={600} size="sm">
        {t('drop.title', { count })}
      </Text>
      <Text size="xs" c="dimmed" mb={8}>
        {t('drop.hint')}
      </Text>
      <ScrollArea.Autosize mah="calc(100vh - 200px)" type="auto" offsetScrollbars>
        <Stack gap={6}>
          {ASSIGNEE_ROLES.map(({ role, label }) => {
            const people = assignees(users, role);
            if (people.length === 0) return null;
            return (
              <Stack key={role} gap={4}>
                <Badge size="xs" variant="transparent" color="gray" px={0}>
                  {label}
                </Badge>
                {people.map(person)}
              </Stack>
            );
          })}
          <div {...nobody} className={`${classes.person} ${nobody.className}`} data-testid="drop-person" data-user="" data-name="Nobody">
            <Avatar size={26} radius="xl" color="gray" variant="light">
              <IconUserOff size={14} />
            </Avatar>
            <Text size="sm" c="dimmed">
              {t('drop.nobody')}
            </Text>
          </div>
        </Stack>
      </ScrollArea.Autosize>
    </Paper>
  );
}
