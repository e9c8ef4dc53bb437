/**
 * The sync state in the top bar: online / offline / reconnecting (Syncing… while
 * a push or pull takes a moment), the changes made here that wait for the hub,
 * fields in conflict, and when the cache last synced.
 */
import { Badge, Group, Loader, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangleFilled, IconCloudUpload } from '@tabler/icons-react';
import type { ConnectionState, SyncStatus } from '../../../shared/api';
import { agoText, fullTimestamp } from '../lib/time';
import classes from './ConnectionIndicator.module.css';

const LOOK: Record<ConnectionState, { color: string; label: string; help: string }> = {
  online: { color: 'teal', label: 'Online', help: 'Live updates from the hub' },
  reconnecting: { color: 'yellow', label: 'Reconnecting', help: 'Working from the local cache while the hub is reached again' },
  offline: { color: 'red', label: 'Offline', help: 'Working from the local cache; changes sync when the hub is back' },
};
/** Pushes of one change take milliseconds: only a sync that lasts says "Syncing…", so the label does not flicker. */
const SYNCING_AFTER_MS = 400;
/**
 * The core keeps retrying for as long as the hub is gone and calls that
 * "reconnecting"; past a short blip the user is, for all purposes, offline.
 */
const RECONNECTING_FOR_MS = 5_000;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the indicator shows: the core's state, with a reconnect that goes on for a while shown as offline. */
function useShownState(connection: ConnectionState): ConnectionState {
  const [settled] = useDebouncedValue(connection, RECONNECTING_FOR_MS);
  return connection === 'reconnecting' && settled === 'reconnecting' ? 'offline' : connection;
}

/** `onShowConflicts`: the "N conflicts" opens the list of every case with an open conflict. */
export function ConnectionIndicator({ status, now, onShowConflicts }: { status: SyncStatus | undefined; now: number; onShowConflicts: () => void }) {
  const connection = status?.connection ?? 'offline';
  const state = useShownState(connection);
  const look = LOOK[state];
  const lastSync = status?.lastSyncAt ?? null;
  const pending = status?.pending ?? 0;
  const conflicts = status?.conflicts ?? 0;
  const [lasting] = useDebouncedValue(status?.syncing ?? false, SYNCING_AFTER_MS);
  const syncing = state === 'online' && (status?.syncing ?? false) && lasting;
  const detail = [
    `${look.help}.`,
    state === 'offline' && connection === 'reconnecting' ? 'Trying to reach the hub…' : '',
    `${plural(status?.cachedCases ?? 0, 'case', 'cases')} cached · last sync ${lastSync ? fullTimestamp(lastSync) : 'never'}.`,
    pending > 0 ? `${plural(pending, 'change', 'changes')} made here wait${pending === 1 ? 's' : ''} for the hub.` : 'Every change made here is on the hub.',
    status?.lastError ? `Last sync failed: ${status.lastError}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <Tooltip label={detail} multiline w={300}>
      <Group gap={10} wrap="nowrap">
        <Badge
          data-testid="connection-indicator"
          data-state={state}
          data-connection={connection}
          data-syncing={syncing || undefined}
          color={look.color}
          variant="light"
          size="md"
          tt="none"
          leftSection={
            syncing ? (
              <Loader size={10} color={`${look.color}.3`} />
            ) : (
              <span className="connection-dot" data-state={state} style={{ background: `var(--mantine-color-${look.color}-5)` }} />
            )
          }
          styles={{ root: { background: `color-mix(in srgb, var(--mantine-color-${look.color}-5) 18%, transparent)`, color: `var(--mantine-color-${look.color}-3)` } }}
        >
          {syncing ? 'Syncing…' : look.label}
        </Badge>
        <Group gap={4} wrap="nowrap" className={pending > 0 ? undefined : classes.wide} data-testid="sync-pending" data-count={pending} style={{ color: pending > 0 ? 'var(--mantine-color-orange-3)' : 'var(--mantine-color-gray-5)' }}>
          {pending > 0 && <IconCloudUpload size={14} />}
          <Text size="xs" c="inherit" className="tabular" style={{ whiteSpace: 'nowrap' }}>
            {pending > 0 ? `${plural(pending, 'change', 'changes')} waiting` : 'All changes synced'}
          </Text>
        </Group>
        {conflicts > 0 && (
          <UnstyledButton onClick={onShowConflicts} className={classes.conflicts} aria-label={`${plural(conflicts, 'conflict', 'conflicts')}: show the cases`} data-testid="sync-conflicts" data-count={conflicts}>
            <Group gap={4} wrap="nowrap">
              <IconAlertTriangleFilled size={13} />
              <Text size="xs" c="inherit" fw={600} className="tabular" style={{ whiteSpace: 'nowrap' }}>
                {plural(conflicts, 'conflict', 'conflicts')}
              </Text>
            </Group>
          </UnstyledButton>
        )}
        <Text size="xs" c="gray.5" className={`tabular ${classes.wide}`} style={{ whiteSpace: 'nowrap' }} data-testid="last-sync">
          {lastSync ? `Synced ${agoText(lastSync, now)}` : 'Not synced yet'}
        </Text>
      </Group>
    </Tooltip>
  );
}
