/**
 * The user's presence in the top bar: available, busy, or away with a reason
 * (the usual ones, or their own words). It shows at once and goes to the hub
 * like every change; what the hub says (other consoles of the user, the
 * sockets coming and going) comes back as `presence:changed`.
 */
import { useEffect, useState } from 'react';
import { Box, Button, Group, Menu, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconChevronDown } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { AWAY_REASONS, type Presence, type PresenceState } from '../../../shared/protocol';
import { api, call } from '../api/client';
import { awayReasonLabel } from '../i18n/presence';
import { compactDuration } from '../lib/time';
import { useNow } from '../lib/useNow';

const LOOK: Record<Presence, { color: string }> = {
  available: { color: 'var(--mantine-color-teal-5)' },
  busy: { color: 'var(--mantine-color-orange-5)' },
  away: { color: 'var(--mantine-color-yellow-5)' },
  offline: { color: 'var(--mantine-color-gray-5)' },
};

const Dot = ({ presence }: { presence: Presence }) => <Box w={9} h={9} style={{ borderRadius: '50%', background: LOOK[presence].color, flex: 'none' }} />;

export function PresenceMenu() {
  const { t } = useTranslation();
  const [state, setState] = useState<PresenceState | null>(null);
  const [other, setOther] = useState('');
  const now = useNow(30_000);
  useEffect(() => {
    void call('presence.get', {}).then((current) => current && setState(current));
    return api.on('presence:changed', setState);
  }, []);
  const choose = (presence: Presence, reason?: string) => void call('presence.set', { presence, ...(reason ? { reason } : {}) }).then(setState);
  const presence = state?.presence ?? 'offline';
  const since = state ? compactDuration(Math.max(0, now - Date.parse(state.since))) : '';

  return (
    <Menu position="bottom-end" width={230} shadow="md" closeOnItemClick>
      <Menu.Target>
        <UnstyledButton data-testid="presence-menu" data-presence={presence} aria-label={t('presence.menuLabel', { presence: t(`presence.${presence}`) })} style={{ color: 'white' }}>
          <Group gap={6} wrap="nowrap">
            <Dot presence={presence} />
            <Text size="xs" c="gray.3" data-testid="presence-label" truncate maw={170}>
              {t(`presence.${presence}`)}
              {state?.reason ? ` · ${awayReasonLabel(state.reason)}` : ''}
              {since ? ` · ${since}` : ''}
            </Text>
            <IconChevronDown size={12} color="var(--mantine-color-gray-5)" />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<Dot presence="available" />} onClick={() => choose('available')} data-testid="presence-available">
          {t('presence.available')}
        </Menu.Item>
        <Menu.Item leftSection={<Dot presence="busy" />} onClick={() => choose('busy')} data-testid="presence-busy">
          {t('presence.busy')}
        </Menu.Item>
        <Menu.Label>{t('presence.away')}</Menu.Label>
        {AWAY_REASONS.map((reason) => (
          <Menu.Item key={reason} leftSection={<Dot presence="away" />} onClick={() => choose('away', reason)} data-testid="presence-away" data-reason={reason}>
            {awayReasonLabel(reason)}
          </Menu.Item>
        ))}
        <Group gap={6} px="sm" py={6} wrap="nowrap">
          <TextInput size="xs" placeholder={t('presence.otherReason')} value={other} onChange={(event) => setOther(event.currentTarget.value)} maxLength={100} aria-label={t('presence.otherReasonLabel')} style={{ flex: 1 }} />
          <Button size="compact-xs" variant="light" disabled={other.trim() === ''} onClick={() => choose('away', other.trim())}>
            {t('presence.away')}
          </Button>
        </Group>
      </Menu.Dropdown>
    </Menu>
  );
}
