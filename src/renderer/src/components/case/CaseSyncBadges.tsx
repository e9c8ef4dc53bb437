/** Says when what the case shows is not on the hub yet: local edits waiting, or a case created here. */
import { Badge, Tooltip } from '@mantine/core';
import { IconCloudUpload, IconSparkles } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { QueueItem } from '../../../../shared/api';

export function CaseSyncBadges({ item, online }: { item: QueueItem; online: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      {item.localOnly && (
        <Tooltip label={t('caseSync.localOnlyHelp')} multiline w={240}>
          <Badge size="xs" variant="light" color="violet" tt="none" leftSection={<IconSparkles size={11} />} data-testid="case-local-only" style={{ flex: 'none' }}>
            {t('caseSync.localOnly')}
          </Badge>
        </Tooltip>
      )}
      {item.pendingChanges > 0 && (
        <Tooltip label={t(online ? 'caseSync.pendingOnline' : 'caseSync.pendingOffline', { count: item.pendingChanges })} multiline w={240}>
          <Badge
            size="xs"
            variant="light"
            color="orange"
            tt="none"
            leftSection={<IconCloudUpload size={11} />}
            data-testid="case-pending"
            data-count={item.pendingChanges}
            style={{ flex: 'none' }}
          >
            {t('connection.notSynced')}
          </Badge>
        </Tooltip>
      )}
    </>
  );
}
