/** A queue row's sync marks: changes made here not on the hub yet, and fields in conflict waiting for a decision. */
import { Tooltip } from '@mantine/core';
import { IconAlertTriangleFilled, IconCloudUpload } from '@tabler/icons-react';
import type { QueueItem } from '../../../shared/api';

export function RowSyncIcons({ item }: { item: QueueItem }) {
  if (item.conflicts === 0 && item.pendingChanges === 0) return null;
  return (
    <>
      {item.conflicts > 0 && (
        <Tooltip label={`${item.conflicts} field${item.conflicts === 1 ? '' : 's'} changed on the hub too: open the case to choose`}>
          <IconAlertTriangleFilled size={14} color="var(--mantine-color-orange-6)" style={{ flex: 'none' }} aria-label="Conflict" data-testid="row-conflict" />
        </Tooltip>
      )}
      {item.pendingChanges > 0 && (
        <Tooltip label={item.localOnly ? 'Created here, not on the hub yet' : `${item.pendingChanges} change${item.pendingChanges === 1 ? '' : 's'} not synced yet`}>
          <IconCloudUpload size={14} color="var(--mantine-color-orange-7)" style={{ flex: 'none' }} aria-label="Not synced yet" data-testid="row-pending" />
        </Tooltip>
      )}
    </>
  );
}
