/** A thin bar under the top bar while a long pull (the first sync of a big briefcase) is under way. */
import { Progress, Tooltip } from '@mantine/core';
import type { SyncStatus } from '../../../shared/api';

export function SyncProgress({ progress }: { progress: SyncStatus['progress'] }) {
  if (!progress) return null;
  const percent = progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : 0;
  return (
    <Tooltip label={`Fetching cases from the hub: about ${Math.round(percent)} %`} position="bottom">
      <Progress
        value={percent}
        size={3}
        radius={0}
        color="indigo.3"
        animated
        aria-label="Sync progress"
        style={{ position: 'absolute', left: 0, right: 0, bottom: 0, background: 'transparent' }}
        data-testid="sync-progress"
        data-done={progress.done}
        data-total={progress.total}
      />
    </Tooltip>
  );
}
