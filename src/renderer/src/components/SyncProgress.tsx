/** How far a long pull has come: a thin bar under the top bar, or a labelled one while signing in. */
import { useEffect, useState } from 'react';
import { Progress, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../shared/api';
import { api } from '../api/client';

const percentOf = (progress: NonNullable<SyncStatus['progress']>) => (progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : 0);

/** The bar under the top bar while a long pull (catching up after a time offline) is under way. */
export function SyncProgress({ progress }: { progress: SyncStatus['progress'] }) {
  const { t } = useTranslation();
  if (!progress) return null;
  const percent = percentOf(progress);
  return (
    <Tooltip label={t('sync.progressTooltip', { percent: Math.round(percent) })} position="bottom">
      <Progress
        value={percent}
        size={3}
        radius={0}
        color="indigo.3"
        animated
        aria-label={t('sync.progressLabel')}
        style={{ position: 'absolute', left: 0, right: 0, bottom: 0, background: 'transparent' }}
        data-testid="sync-progress"
        data-done={progress.done}
        data-total={progress.total}
      />
    </Tooltip>
  );
}

/**
 * While signing in: the first pull fills the offline cache before the console
 * opens, which takes a while for a big briefcase, so say how far it has come.
 */
export function SignInSyncProgress({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const [progress, setProgress] = useState<SyncStatus['progress']>(null);
  useEffect(() => {
    if (!active) return;
    const off = api.on('sync:changed', (status) => setProgress(status.progress));
    // A later attempt starts from nothing, not from where this one stopped.
    return () => {
      off();
      setProgress(null);
    };
  }, [active]);
  if (!active || !progress) return null;
  const percent = percentOf(progress);
  return (
    <Stack gap={6} data-testid="signin-sync-progress" data-done={progress.done} data-total={progress.total}>
      <Progress value={percent} size="sm" color="indigo" animated aria-label={t('sync.fetching')} />
      <Text size="xs" c="dimmed">
        {t('sync.signInProgress', { percent: Math.round(percent) })}
      </Text>
    </Stack>
  );
}
