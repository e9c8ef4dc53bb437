/** A queue row's sync marks: changes made here not on the hub yet, and fields in conflict waiting for a decision. */
import { Tooltip } from '@mantine/core';
import { IconAlertTriangleFilled, IconCloudUpload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { QueueItem } from '../../../shared/api';

export function RowSyncIcons({ item }: { item: QueueItem }) {
  const { t } = useTranslation();
  if (item.conflicts === 0 && item.pendingChanges === 0) return null;
  return (
    <>
      {item.conflicts > 0 && (
        <Tooltip label={t('row.conflicts', { count: item.conflicts })}>
          <IconAlertTriangleFilled size={14} color="var(--mantine-color-orange-6)" style={{ flex: 'none' }} aria-label={t('row.conflict')} data-testid="row-conflict" />
        </Tooltip>
      )}
      {item.pendingChanges > 0 && (
        <Tooltip label={item.localOnly ? t('row.localOnly') : t('row.pending', { count: item.pendingChanges })}>
          <IconCloudUpload size={14} color="var(--mantine-color-orange-7)" style={{ flex: 'none' }} aria-label={t('connection.notSynced')} data-testid="row-pending" />
        </Tooltip>
      )}
    </>
  );
}
