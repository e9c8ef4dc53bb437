/**
 * The user's presence in the top bar: available, busy, or away with a reason
 * (the usual ones, or their own words). It shows at once and goes to the hub
 * like every change; what the hub says (other consoles of the user, the
 * sockets coming and going) comes back as `presence:changed`.
 */
import { useEffect, useState } from 'react';
import { Box, Button, Group, Menu, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconChevronDown } from '@tabler/icons-react';
import { AWAY_REASONS, type Presence, type PresenceState } from '../../../shared/protocol';
import { api, call } from '../api/client';
import { compactDuration } from '../lib/time';
import { useNow } from '../lib/useNow';

const LOOK: Record<Presence, { color: string; label: string }> = {
  available: { color: 'var(--mantine-color-teal-5)', label: 'Available' },
  busy: { color: 'var(--mantine-color-orange-5)', label: 'Busy' },
  away: { color: 'var(--mantine-color-yellow-5)', label: 'Away' },
  offline: { color: 'var(--mantine-color-gray-5)', label: 'Offline' },
};

const Dot = ({ presence }: { presence: Presence }) => <Box w={9} h={9} style={{ borderRadius: '50%', background: LOOK[presence].color, flex: 'none' }} />;

export function PresenceMenu() {
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
        <UnstyledButton data-testid="presence-menu" data-presence={presence} aria-label={`Presence: ${LOOK[presence].label}`} style={{ color: 'white' }}>
          <Group gap={6} wrap="nowrap">
            <Dot presence={presence} />
            <Text size="xs" c="gray.3" data-testid="presence-label" truncate maw={170}>
              {LOOK[presence].label}
              {state?.reason ? ` · ${state.reason}` : ''}
              {since ? ` · ${since}` : ''}
            </Text>
            <IconChevronDown size={12} color="var(--mantine-color-gray-5)" />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<Dot presence="available" />} onClick={() => choose('available')} data-testid="presence-available">
          Available
        </Menu.Item>
        <Menu.Item leftSection={<Dot presence="busy" />} onClick={() => choose('busy')} data-testid="presence-busy">
          Busy
        </Menu.Item>
        <Menu.Label>Away</Menu.Label>
        {AWAY_REASONS.map((reason) => (
          <Menu.Item key={reason} leftSection={<Dot presence="away" />} onClick={() => choose('away', reason)} data-testid="presence-away" data-reason={reason}>
            {reason}
          </Menu.Item>
        ))}
        <Group gap={6} px="sm" py={6} wrap="nowrap">
          <TextInput size="xs" placeholder="Other reason" value={other} onChange={(event) => setOther(event.currentTarget.value)} maxLength={100} aria-label="Other reason for being away" style={{ flex: 1 }} />
          <Button size="compact-xs" variant="light" disabled={other.trim() === ''} onClick={() => choose('away', other.trim())}>
            Away
          </Button>
        </Group>
      </Menu.Dropdown>
    </Menu>
  );
}
