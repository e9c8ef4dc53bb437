/**
 * The sync state in the top bar: online / offline / reconnecting (Syncing… while
 * a push or pull takes a moment), the changes made here that wait for the hub,
 * fields in conflict, and when the cache last synced.
 */
import { Badge, Group, Loader, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconAlertTriangleFilled, IconCloudUpload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ConnectionState, SyncStatus } from '../../../shared/api';
import { wordText } from '../i18n/wording';
import { agoText, fullTimestamp } from '../lib/time';
import classes from './ConnectionIndicator.module.css';

const COLOR: Record<ConnectionState, string> = { online: 'teal', reconnecting: 'yellow', offline: 'red' };
/** Pushes of one change take milliseconds: only a sync that lasts says "Syncing…", so the label does not flicker. */
const SYNCING_AFTER_MS = 400;
/**
 * The core keeps retrying for as long as the hub is gone and calls that
 * "reconnecting"; past a short blip the user is, for all purposes, offline.
 */
const RECONNECTING_FOR_MS = 5_000;

/** What the indicator shows: the core's state, with a reconnect that goes on for a while shown as offline. */
function useShownState(connection: ConnectionState): ConnectionState {
  const [settled] = useDebouncedValue(connection, RECONNECTING_FOR_MS);
  return connection === 'reconnecting' && settled === 'reconnecting' ? 'offline' : connection;
}

/** `onShowConflicts`: the "N conflicts" opens the list of every case with an open conflict. */
export function ConnectionIndicator({ status, now, onShowConflicts }: { status: SyncStatus | undefined; now: number; onShowConflicts: () => void }) {
  const { t, i18n } = useTranslation();
  const connection = status?.connection ?? 'offline';
  const state = useShownState(connection);
  const look = { color: COLOR[state], label: t(`connection.${state}.label`), help: t(`connection.${state}.help`) };
  const lastSync = status?.lastSyncAt ?? null;
  const pending = status?.pending ?? 0;
  const conflicts = status?.conflicts ?? 0;
  const [lasting] = useDebouncedValue(status?.syncing ?? false, SYNCING_AFTER_MS);
  const syncing = state === 'online' && (status?.syncing ?? false) && lasting;
  const detail = [
    look.help,
    state === 'offline' && connection === 'reconnecting' ? t('connection.trying') : '',
    t('connection.cached', { count: status?.cachedCases ?? 0, time: lastSync ? fullTimestamp(lastSync) : t('connection.never') }),
    pending > 0 ? t('connection.pendingDetail', { count: pending }) : t('connection.allOnHub'),
    status?.lastError ? t('connection.lastFailed', { error: wordText(i18n, status.lastErrorWording, status.lastError) }) : '',
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
          {syncing ? t('connection.syncing') : look.label}
        </Badge>
        <Group gap={4} wrap="nowrap" className={pending > 0 ? undefined : classes.wide} data-testid="sync-pending" data-count={pending} style={{ color: pending > 0 ? 'var(--mantine-color-orange-3)' : 'var(--mantine-color-gray-5)' }}>
          {pending > 0 && <IconCloudUpload size={14} />}
          <Text size="xs" c="inherit" className="tabular" style={{ whiteSpace: 'nowrap' }}>
            {pending > 0 ? t('connection.waiting', { count: pending }) : t('connection.allSynced')}
          </Text>
        </Group>
        {conflicts > 0 && (
          <UnstyledButton onClick={onShowConflicts} className={classes.conflicts} aria-label={t('connection.showConflicts', { count: conflicts })} data-testid="sync-conflicts" data-count={conflicts}>
            <Group gap={4} wrap="nowrap">
              <IconAlertTriangleFilled size={13} />
              <Text size="xs" c="inherit" fw={600} className="tabular" style={{ whiteSpace: 'nowrap' }}>
                {t('connection.conflicts', { count: conflicts })}
              </Text>
            </Group>
          </UnstyledButton>
        )}
        <Text size="xs" c="gray.5" className={`tabular ${classes.wide}`} style={{ whiteSpace: 'nowrap' }} data-testid="last-sync">
          {lastSync ? t('connection.synced', { ago: agoText(lastSync, now) }) : t('connection.notSynced')}
        </Text>
      </Group>
    </Tooltip>
  );
}
