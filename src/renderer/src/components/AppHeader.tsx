/** The top bar: product, the user's presence, connection and sync state, notices, and the signed-in user. */
import { ActionIcon, Avatar, Badge, Group, type MantineColorScheme, Menu, Text, Tooltip, UnstyledButton, useMantineColorScheme } from '@mantine/core';
import { IconCheck, IconChevronDown, IconHeadset, IconLanguage, IconLogout, IconRefresh, IconServer, IconSunMoon } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo, SyncStatus } from '../../../shared/api';
import { LANGUAGES, setLanguage } from '../i18n';
import { initials } from '../lib/format';
import { useNow } from '../lib/useNow';
import { ConnectionIndicator } from './ConnectionIndicator';
import { NoticesButton } from './NoticesButton';
import { PresenceMenu } from './PresenceMenu';
import { SyncProgress } from './SyncProgress';

interface Props {
  session: SessionInfo;
  status: SyncStatus | undefined;
  syncing: boolean;
  onSyncNow: () => void;
  onLogout: () => void;
  onOpenCase: (id: string) => void;
  onShowConflicts: () => void;
}

/** System follows the OS (prefers-color-scheme) and changes with it; Light and Dark are fixed. */
const COLOR_SCHEMES: readonly MantineColorScheme[] = ['auto', 'light', 'dark'];

export function AppHeader({ session, status, syncing, onSyncNow, onLogout, onOpenCase, onShowConflicts }: Props) {
  const { t, i18n } = useTranslation();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const now = useNow(5000);
  const { user } = session;
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap={8} wrap="nowrap">
        <IconHeadset size={20} color="var(--mantine-color-indigo-3)" />
        <Text fw={700} size="md" c="white" style={{ letterSpacing: '0.01em' }}>
          {t('app.name')}
        </Text>
      </Group>
      <Group gap="md" wrap="nowrap">
        <PresenceMenu />
        <ConnectionIndicator status={status} now={now} onShowConflicts={onShowConflicts} />
        <Tooltip label={t('header.syncNow')}>
          <ActionIcon variant="subtle" color="gray.4" onClick={onSyncNow} loading={syncing} aria-label={t('header.syncNow')} data-testid="sync-now">
            <IconRefresh size={16} />
          </ActionIcon>
        </Tooltip>
        <NoticesButton onOpenCase={onOpenCase} />
        {/* Focus goes to Sign out (the one action) when it opens: Mantine's focus placeholder is a bare div a menu may not hold. */}
        <Menu position="bottom-end" width={240} shadow="md" withInitialFocusPlaceholder={false}>
          <Menu.Target>
            <UnstyledButton data-testid="user-menu" aria-label={t('header.userMenu')} style={{ color: 'white' }}>
              <Group gap={8} wrap="nowrap">
                <Avatar size={28} radius="xl" color="indigo" variant="filled">
                  {initials(user.name)}
                </Avatar>
                <div style={{ lineHeight: 1.15, minWidth: 0 }}>
                  <Text size="sm" fw={500} c="white" truncate maw={160}>
                    {user.name}
                  </Text>
                  <Text size="11px" c="gray.5" data-testid="user-role">
                    {t(`roles.${user.role}`)}
                  </Text>
                </div>
                <IconChevronDown size={14} color="var(--mantine-color-gray-5)" />
              </Group>
            </UnstyledButton>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Label>{t('header.signedInAs')}</Menu.Label>
            {/* A group, not loose text: a menu may only hold items and groups. */}
            <Group px="sm" pb={8} gap={8} wrap="nowrap" role="group" aria-label={t('header.signedInAs')}>
              <div>
                <Text size="sm" fw={600}>
                  {user.name}
                </Text>
                <Text size="xs" c="dimmed">
                  @{user.username}
                </Text>
              </div>
              <Badge size="xs" variant="light" ml="auto">
                {t(`roles.${user.role}`)}
              </Badge>
            </Group>
            <Menu.Divider />
            <Menu.Item leftSection={<IconServer size={14} />} disabled>
              <Text size="xs" truncate>
                {session.hubUrl}
              </Text>
            </Menu.Item>
            <Menu.Divider />
            {/* The user's language on this machine: the OS's (or browser's) until they pick one. */}
            <Menu.Label>
              <Group gap={6} wrap="nowrap">
                <IconLanguage size={12} />
                {t('header.language')}
              </Group>
            </Menu.Label>
            {LANGUAGES.map(({ code, name }) => (
              <Menu.Item
                key={code}
                lang={code}
                onClick={() => setLanguage(code)}
                rightSection={i18n.resolvedLanguage === code ? <IconCheck size={14} /> : null}
                aria-current={i18n.resolvedLanguage === code || undefined}
                data-testid="language-option"
                data-language={code}
              >
                {name}
              </Menu.Item>
            ))}
            <Menu.Divider />
            {/* The theme on this machine (main.tsx remembers it): the OS's until they pick one. */}
            <Menu.Label>
              <Group gap={6} wrap="nowrap">
                <IconSunMoon size={12} />
                {t('theme.label')}
              </Group>
            </Menu.Label>
            {COLOR_SCHEMES.map((scheme) => (
              <Menu.Item
                key={scheme}
                onClick={() => setColorScheme(scheme)}
                rightSection={colorScheme === scheme ? <IconCheck size={14} /> : null}
                aria-current={colorScheme === scheme || undefined}
                data-testid="theme-option"
                data-scheme={scheme}
              >
                {t(`theme.${scheme}`)}
              </Menu.Item>
            ))}
            <Menu.Divider />
            <Menu.Item leftSection={<IconLogout size={14} />} onClick={onLogout} data-autofocus data-testid="logout">
              {t('header.signOut')}
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      <SyncProgress progress={status?.progress ?? null} />
    </Group>
  );
}
