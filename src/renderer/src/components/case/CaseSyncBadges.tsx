/** Says when what the case shows is not on the hub yet: local edits waiting, or a case created here. */
import { Badge, Tooltip } from '@mantine/core';
import { IconCloudUpload, IconSparkles } from '@tabler/icons-react';
import type { QueueItem } from '../../../../shared/api';

export function CaseSyncBadges({ item, online }: { item: QueueItem; online: boolean }) {
  const waiting = online ? 'They are being sent to the hub.' : 'They are saved on this computer and will be sent when the hub is reachable.';
  return (
    <>
      {item.localOnly && (
        <Tooltip label="Created on this computer; it gets its number when the hub confirms it." multiline w={240}>
          <Badge size="xs" variant="light" color="violet" tt="none" leftSection={<IconSparkles size={11} />} data-testid="case-local-only" style={{ flex: 'none' }}>
            New — not on the hub yet
          </Badge>
        </Tooltip>
      )}
      {item.pendingChanges > 0 && (
        <Tooltip label={`${item.pendingChanges} change${item.pendingChanges === 1 ? '' : 's'} to this case made here. ${waiting}`} multiline w={240}>
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
            Not synced yet
          </Badge>
        </Tooltip>
      )}
    </>
  );
}
