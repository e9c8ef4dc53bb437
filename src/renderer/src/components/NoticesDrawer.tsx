/** Everything a sync had to tell the user: changes the hub refused (with all they carried) and cases reassigned away. */
import { Drawer, Stack, Text } from '@mantine/core';
import { IconBellOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import type { Notice } from '../../../shared/api';
import { useApiMutation } from '../api/mutations';
import { methodKey } from '../api/queries';
import { NoticeItem } from './NoticeItem';
import { EmptyState } from './States';

interface Props {
  opened: boolean;
  onClose: () => void;
  notices: Notice[];
  onOpenCase: (id: string) => void;
}

export function NoticesDrawer({ opened, onClose, notices, onOpenCase }: Props) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const dismiss = useApiMutation('notices.dismiss', {
    onSuccess: () => void client.invalidateQueries({ queryKey: methodKey('notices.list') }),
    errorTitle: t('notices.dismissFailed'),
  });
  // A case reassigned away has left this console: a refused change of it has no case to open.
  const gone = new Set(notices.filter((n) => n.kind === 'reassigned' && n.caseId).map((n) => n.caseId!));
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size={420}
      title={
        <Text fw={600} size="md">
          {t('notices.title')}
        </Text>
      }
    >
      {notices.length === 0 ? (
        <EmptyState icon={<IconBellOff size={20} />} title={t('notices.emptyTitle')} hint={t('notices.emptyHint')} testId="notices-empty" />
      ) : (
        <Stack gap={10}>
          {notices.map((notice) => (
            <NoticeItem
              key={notice.id}
              notice={notice}
              dismissing={dismiss.isPending && dismiss.variables?.id === notice.id}
              onDismiss={() => dismiss.mutate({ id: notice.id })}
              onOpenCase={notice.caseId && !gone.has(notice.caseId) ? onOpenCase : null}
            />
          ))}
        </Stack>
      )}
    </Drawer>
  );
}
