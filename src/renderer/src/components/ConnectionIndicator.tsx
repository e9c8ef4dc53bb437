import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { ConnectionState, SyncStatus } from '../../../shared/api';
import { agoText, fullTimestamp } from '../lib/time';

const LOOK: Record<ConnectionState, { color: string; label: string; help: string }> = {
  online: { color: 'teal', label: 'Online', help: 'Live updates from the hub' },
  reconnecting: { color: 'yellow', label: 'Reconnecting', help: 'Working from the local cache while the hub is reached again' },
  offline: { color: 'red', label: 'Offline', help: 'Working from the local cache; changes sync when the hub is back' },
};

/** Online / offline / reconnecting, with when the cache last synced. */
export function ConnectionIndicator({ status, now }: { status: SyncStatus | undefined; now: number }) {
  const state = status?.connection ?? 'offline';
  const look = LOOK[state];
  const lastSync = status?.lastSyncAt ?? null;
  const detail = `${look.help}. ${status?.cachedCases ?? 0} cases cached · last sync ${lastSync ? fullTimestamp(lastSync) : 'never'}`;
  return (
    <Tooltip label={detail} multiline w={260}>
      <Group gap={8} wrap="nowrap">
        <Badge
          data-testid="connection-indicator"
          data-state={state}
          color={look.color}
          variant="light"
          size="md"
          tt="none"
          leftSection={<span className="connection-dot" data-state={state} style={{ background: `var(--mantine-color-${look.color}-5)` }} />}
          styles={{ root: { background: `color-mix(in srgb, var(--mantine-color-${look.color}-5) 18%, transparent)`, color: `var(--mantine-color-${look.color}-3)` } }}
        >
          {look.label}
        </Badge>
        <Text size="xs" c="gray.5" className="tabular" style={{ whiteSpace: 'nowrap' }} data-testid="last-sync">
          {lastSync ? `Synced ${agoText(lastSync, now)}` : 'Not synced yet'}
        </Text>
      </Group>
    </Tooltip>
  );
}
