/** The users an admin manages: who they are, their role, skills and capacity, presence and queues. */
import { useEffect, useState } from 'react';
import { ActionIcon, Badge, Box, Button, Group, Menu, Table, Text } from '@mantine/core';
import { IconDots, IconLogout, IconMoon, IconPencil, IconUserPlus } from '@tabler/icons-react';
import type { UseQueryResult } from '@tanstack/react-query';
import type { AdminUser } from '../../../../shared/admin';
import type { Queue } from '../../../../shared/domain';
import { api } from '../../api/client';
import { ErrorState } from '../States';
import { CreateUserDialog, EditUserDialog, PresenceDialog, SignOutDialog } from './UserDialogs';

type Dialog = { kind: 'create' } | { kind: 'edit' | 'presence' | 'signOut'; user: AdminUser } | null;

const PRESENCE_COLOR: Record<string, string> = { available: 'teal', busy: 'orange', away: 'yellow', offline: 'gray' };
const ROLE_COLOR: Record<string, string> = { admin: 'grape', supervisor: 'indigo', agent: 'blue', technician: 'cyan' };

export function UsersTab({ users, queues }: { users: UseQueryResult<AdminUser[], Error>; queues: Queue[] }) {
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
          Changes go to the hub at once; a new password or a sign-out ends the user&apos;s sessions on every console.
        </Text>
        <Button size="xs" leftSection={<IconUserPlus size={14} />} onClick={() => setDialog({ kind: 'create' })} data-testid="admin-create-user">
          New user
        </Button>
      </Group>
      {users.error ? (
        <ErrorState title="The users could not be loaded" error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <Box style={{ overflow: 'auto', minHeight: 0, flex: 1 }}>
          <Table striped highlightOnHover stickyHeader verticalSpacing={6} fz="sm" data-testid="admin-users">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Username</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th>Skills</Table.Th>
                <Table.Th title="How many cases the user is meant to hold at once">Capacity</Table.Th>
                <Table.Th>Presence</Table.Th>
                <Table.Th>Queues</Table.Th>
                <Table.Th w={44} aria-label="Actions" />
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
                      <Badge size="sm" variant="light" color={ROLE_COLOR[user.role]} data-testid="admin-user-role">
                        {user.role}
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
                      <Badge size="sm" variant="dot" color={PRESENCE_COLOR[presence.presence] ?? 'gray'} tt="none" data-testid="admin-user-presence" data-presence={presence.presence}>
                        {presence.presence}
                        {presence.reason ? ` · ${presence.reason}` : ''}
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
                          <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${user.name}`} data-testid="admin-user-actions">
                            <IconDots size={16} />
                          </ActionIcon>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => setDialog({ kind: 'edit', user })} data-testid="admin-user-edit">
                            Edit…
                          </Menu.Item>
                          <Menu.Item leftSection={<IconMoon size={14} />} onClick={() => setDialog({ kind: 'presence', user })} data-testid="admin-user-presence-set">
                            Set presence…
                          </Menu.Item>
                          <Menu.Divider />
                          <Menu.Item color="red" leftSection={<IconLogout size={14} />} onClick={() => setDialog({ kind: 'signOut', user })} data-testid="admin-user-sign-out">
                            Sign out everywhere…
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
              Loading users from the hub…
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
