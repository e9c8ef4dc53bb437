/** The agent's workspace: queue navigation, the unified queue and the open case. */
import { useState } from 'react';
import { ActionIcon, AppShell, Box, Group, Menu, NavLink, ScrollArea, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconHeadset, IconInbox, IconLogout, IconRefresh, IconSearch, IconUser, IconUserOff, IconUsers, IconX } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import type { ApiInput, SessionInfo } from '../../../shared/api';
import { call } from '../api/client';
import { keys, useCases, useCoreEvents, useQueues, useSyncStatus } from '../api/hooks';
import { CaseView } from '../components/CaseView';
import { ConnectionIndicator } from '../components/ConnectionIndicator';
import { QueueList } from '../components/QueueList';

type View = { kind: 'mine' } | { kind: 'unassigned' } | { kind: 'all' } | { kind: 'queue'; queueId: string };

function filterFor(view: View, search: string): ApiInput<'cases.list'> {
  const base = { status: 'active' as const, search: search || undefined };
  switch (view.kind) {
    case 'mine':
      return { ...base, assignee: 'me' };
    case 'unassigned':
      return { ...base, assignee: 'unassigned' };
    case 'queue':
      return { ...base, queueId: view.queueId };
    default:
      return base;
  }
}

export function Console({ session }: { session: SessionInfo }) {
  const client = useQueryClient();
  const { connection, recent } = useCoreEvents();
  const sync = useSyncStatus();
  const queues = useQueues();
  const [view, setView] = useState<View>({ kind: 'all' });
  const [search, setSearch] = useState('');
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const cases = useCases(filterFor(view, search.trim()));
  const items = cases.data?.items ?? [];
  const state = connection ?? sync.data?.connection ?? 'offline';

  const logout = async () => {
    await call('session.logout', {});
    client.setQueryData(keys.session, null);
  };
  const open = (id: string) => {
    setSelectedId(id);
    setOpenId(id);
  };
  const nav = (label: string, target: View, icon: React.ReactNode) => (
    <NavLink
      key={label}
      label={label}
      leftSection={icon}
      active={JSON.stringify(view) === JSON.stringify(target)}
      onClick={() => setView(target)}
      styles={{ label: { fontSize: 13 } }}
      py={6}
    />
  );

  return (
    <AppShell header={{ height: 48 }} navbar={{ width: 210, breakpoint: 0 }} padding={0}>
      <AppShell.Header bg="dark.7" c="white" px="md">
        <Group h="100%" justify="space-between">
          <Group gap={8}>
            <IconHeadset size={20} />
            <Title order={5} fw={600}>Switchboard</Title>
          </Group>
          <Group gap="sm">
            <ConnectionIndicator state={state} lastSyncAt={sync.data?.lastSyncAt ?? null} cachedCases={sync.data?.cachedCases ?? 0} />
            <Tooltip label="Sync now">
              <ActionIcon variant="subtle" color="gray.3" onClick={() => void call('sync.now', {}).then(() => client.invalidateQueries())} aria-label="Sync now">
                <IconRefresh size={16} />
              </ActionIcon>
            </Tooltip>
            <Menu position="bottom-end" withArrow>
              <Menu.Target>
                <Group gap={6} style={{ cursor: 'pointer' }} data-testid="user-menu">
                  <IconUser size={16} />
                  <Text size="sm">{session.user.name}</Text>
                  <Text size="xs" c="gray.5">{session.user.role}</Text>
                </Group>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{session.hubUrl}</Menu.Label>
                <Menu.Item leftSection={<IconLogout size={14} />} onClick={() => void logout()}>Sign out</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="xs" data-testid="queue-nav">
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="xs" py={6}>Views</Text>
        {nav('My work', { kind: 'mine' }, <IconUser size={15} />)}
        {nav('Unassigned', { kind: 'unassigned' }, <IconUserOff size={15} />)}
        {nav('All active', { kind: 'all' }, <IconInbox size={15} />)}
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="xs" pt="md" pb={6}>Queues</Text>
        <ScrollArea>
          {(queues.data ?? []).map((q) => nav(q.name, { kind: 'queue', queueId: q.id }, <IconUsers size={15} />))}
        </ScrollArea>
      </AppShell.Navbar>

      <AppShell.Main style={{ height: '100vh', display: 'flex', flexDirection: 'column' }}>
        <Group px="md" py={8} gap="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)', flex: 'none' }}>
          <TextInput
            size="xs"
            w={320}
            placeholder="Search subject, customer or #number"
            leftSection={<IconSearch size={14} />}
            rightSection={search ? <IconX size={14} style={{ cursor: 'pointer' }} onClick={() => setSearch('')} /> : null}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            data-testid="queue-search"
          />
          <Text size="xs" c="dimmed">{cases.data ? `${cases.data.total} cases` : 'Loading…'}</Text>
        </Group>
        <Box style={{ flex: 1, minHeight: 0, display: 'flex' }}>
          <Box style={{ flex: openId ? '0 0 44%' : 1, minWidth: 0, borderRight: openId ? '1px solid var(--mantine-color-gray-3)' : undefined }}>
            <QueueList items={items} selectedId={selectedId} recent={recent} onSelect={setSelectedId} onOpen={open} compact={openId !== null} />
          </Box>
          {openId && (
            <Box style={{ flex: 1, minWidth: 0, position: 'relative' }}>
              <ActionIcon variant="subtle" color="gray" size="sm" style={{ position: 'absolute', right: 8, top: 8, zIndex: 1 }} onClick={() => setOpenId(null)} aria-label="Close case">
                <IconX size={14} />
              </ActionIcon>
              <CaseView caseId={openId} />
            </Box>
          )}
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
