/** The users an admin manages: who they are, their role, skills and capacity, presence and queues. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionIcon, Badge, Box, Button, Group, Menu, Table, Text } from '@mantine/core';
import { IconDots, IconLogout, IconMoon, IconPencil, IconUserPlus } from '@tabler/icons-react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { AdminUser } from '../../../../shared/admin';
import type { Queue } from '../../../../shared/domain';
import { api } from '../../api/client';
import { awayReasonLabel } from '../../i18n/presence';
import { ErrorState } from '../States';
import { CreateUserDialog, EditUserDialog, PresenceDialog, presenceLabel, SignOutDialog } from './UserDialogs';

/** A badge's name whole, never cut to an ellipsis (longer in other languages): the table makes room. */
const WHOLE_LABEL = { label: { overflow: 'visible' } } as const;

type Dialog = { kind: 'create' } | { kind: 'edit' | 'presence' | 'signOut'; user: AdminUser } | null;

const PRESENCE_COLOR: Record<string, string> = { available: 'teal', busy: 'orange', away: 'yellow', offline: 'gray' };
const ROLE_COLOR: Record<string, string> = { admin: 'grape', supervisor: 'indigo', agent: 'blue', technician: 'cyan' };

export function UsersTab({ users, queues }: { users: UseQueryResult<AdminUser[], Error>; queues: Queue[] }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const queueName = (id: string) => queues.find((q) => q.id === id)?.name ?? '…';
  // Presence moves all day: the agents board's live figures (sent to admins too) say it better than the list read on opening.
  const [live, setLive] = useState<ReadonlyMap<string, { presence: string; reason: string | null }>>(new Map());
  useEffect(() => api.on('agent:stats', (stats) => setLive(new Map(stats.map((a) => [a.userId, a])))), []);

  return (
    <>
      <Group justify="space-between" px="md" py={8}>
        <Text size="xs" c="dimmed">
          {t('admin.users.hint')}
        </Text>
        <Button size="xs" leftSection={<IconUserPlus size={14} />} onClick={() => setDialog({ kind: 'create' })} data-testid="admin-create-user">
          {t('admin.users.create')}
        </Button>
      </Group>
      {users.error ? (
        <ErrorState title={t('admin.users.loadFailed')} error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <Box style={{ overflow: 'auto', minHeight: 0, flex: 1 }}>
          <Table striped highlightOnHover stickyHeader verticalSpacing={6} fz="sm" data-testid="admin-users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin.users.columns.name')}</Table.Th>
                <Table.Th>{t('admin.users.columns.username')}</Table.Th>
                <Table.Th>{t('admin.users.columns.role')}</Table.Th>
                <Table.Th>{t('admin.users.columns.skills')}</Table.Th>
                <Table.Th title={t('admin.users.columns.capacityTitle')}>{t('admin.users.columns.capacity')}</Table.Th>
                <Table.Th>{t('admin.users.columns.presence')}</Table.Th>
                <Table.Th>{t('admin.users.columns.queues')}</Table.Th>
                <Table.Th w={44} aria-label={t('admin.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(users.data ?? []).map((user) => {
                const presence = live.get(user.id) ?? { presence: user.presence, reason: null };
                return (
                  <Table.Tr key={user.id} data-testid="admin-user-row" data-username={user.username}>
                    <Table.Td fw={600} style={{ whiteSpace: 'nowrap' }}>
                      {user.name}
                    </Table.Td>
                    <Table.Td c="dimmed">{user.username}</Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={ROLE_COLOR[user.role]} styles={WHOLE_LABEL} data-testid="admin-user-role">
                        {t(`roles.${user.role}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td data-testid="admin-user-skills">
                      <Group gap={4}>
                        {user.skills.length === 0 ? (
                          <Text size="xs" c="dimmed">
                            —
                          </Text>
                        ) : (
                          user.skills.map((skill) => (
                            <Badge key={skill} size="xs" variant="outline" color="gray" tt="none">
                              {skill}
                            </Badge>
                          ))
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td className="tabular" data-testid="admin-user-capacity">
                      {user.capacity}
                    </Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="dot" color={PRESENCE_COLOR[presence.presence] ?? 'gray'} tt="none" styles={WHOLE_LABEL} data-testid="admin-user-presence" data-presence={presence.presence}>
                        {presenceLabel(t, presence.presence)}
                        {presence.reason ? ` · ${awayReasonLabel(presence.reason)}` : ''}
                      </Badge>
                    </Table.Td>
                    <Table.Td data-testid="admin-user-queues">
                      <Text size="xs" c={user.queueIds.length ? undefined : 'dimmed'}>
                        {user.queueIds.length ? user.queueIds.map(queueName).sort().join(', ') : '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Menu position="bottom-end" shadow="md" width={210}>
                        <Menu.Target>
                          <ActionIcon variant="subtle" color="gray" aria-label={t('admin.users.actionsFor', { name: user.name })} data-testid="admin-user-actions">
                            <IconDots size={16} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => setDialog({ kind: 'edit', user })} data-testid="admin-user-edit">
                            {t('admin.users.edit')}
                          </Menu.Item>
                          <Menu.Item leftSection={<IconMoon size={14} />} onClick={() => setDialog({ kind: 'presence', user })} data-testid="admin-user-presence-set">
                            {t('admin.users.setPresence')}
                          </Menu.Item>
                          <Menu.Divider />
                          <Menu.Item color="var(--mantine-color-red-text)" leftSection={<IconLogout size={14} />} onClick={() => setDialog({ kind: 'signOut', user })} data-testid="admin-user-sign-out">
                            {t('admin.users.signOut')}
                          </Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {users.isLoading && (
            <Text size="sm" c="dimmed" p="md">
              {t('admin.users.loading')}
            </Text>
          )}
        </Box>
      )}
      <CreateUserDialog opened={dialog?.kind === 'create'} onClose={close} />
      <EditUserDialog user={dialog?.kind === 'edit' ? dialog.user : null} onClose={close} />
      <PresenceDialog user={dialog?.kind === 'presence' ? dialog.user : null} onClose={close} />
      <SignOutDialog user={dialog?.kind === 'signOut' ? dialog.user : null} onClose={close} />
    </>
  );
}
