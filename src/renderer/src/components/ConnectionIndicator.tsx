import { Badge, Tooltip } from '@mantine/core';
import type { ConnectionState } from '../../../shared/api';
import { formatTimestamp } from '../lib/time';

const LOOK: Record<ConnectionState, { color: string; label: string }> = {
  online: { color: 'teal', label: 'Online' },
  reconnecting: { color: 'yellow', label: 'Reconnecting…' },
  offline: { color: 'red', label: 'Offline' },
};

export function ConnectionIndicator({ state, lastSyncAt, cachedCases }: { state: ConnectionState; lastSyncAt: string | null; cachedCases: number }) {
  const look = LOOK[state];
  const detail = `${cachedCases} cases cached · last sync ${lastSyncAt ? formatTimestamp(lastSyncAt) : 'never'}`;
  return (
    <Tooltip label={detail} withArrow>
      <Badge data-testid="connection-indicator" data-state={state} color={look.color} variant="light" radius="sm" size="md" leftSection={<Dot color={look.color} />}>
        {look.label}
      </Badge>
    </Tooltip>
  );
}

function Dot({ color }: { color: string }) {
  return <span style={{ width: 8, height: 8, borderRadius: 4, display: 'inline-block', background: `var(--mantine-color-${color}-6)` }} />;
}
