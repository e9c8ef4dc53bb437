/**
 * Asked before a reply goes out when the case changed while it was being
 * written (src/shared/collision.ts says what counts): send it anyway, or go
 * back and read what came in. "Review first" has the focus, so Enter (or Esc)
 * is the safe answer; Tab reaches "Send anyway".
 */
import { Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconSend } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { WhileWriting } from '../../../../shared/collision';
import { describeChange, whileWritingSummary } from '../../i18n/collision';

interface Props {
  changes: readonly WhileWriting[] | null;
  onSendAnyway: () => void;
  onReview: () => void;
}

export function StaleReplyWarning({ changes, onSendAnyway, onReview }: Props) {
  const { t } = useTranslation();
  const opened = changes !== null && changes.length > 0;
  return (
    <Modal
      opened={opened}
      onClose={onReview}
      title={
        <Group gap={8} wrap="nowrap">
          <IconAlertTriangle size={18} color="var(--mantine-color-orange-6)" />
          <Text fw={600}>{t('collision.title')}</Text>
        </Group>
      }
      size="md"
      centered
    >
      {opened && (
        <Stack gap={12} data-testid="stale-reply-warning">
          {/* The whole sentence for screen readers and tests; the list for the eye. */}
          <Text size="sm" data-testid="stale-reply-summary" aria-label={whileWritingSummary(changes) ?? undefined}>
            {t('collision.whileWriting')}
          </Text>
          <List size="sm" spacing={4} withPadding>
            {changes.map((change, i) => (
              <List.Item key={i} data-testid="stale-reply-change" data-kind={change.kind}>
                {describeChange(change)}
              </List.Item>
            ))}
          </List>
          <Text size="xs" c="dimmed">
            {t('collision.kept')}
          </Text>
          <Group justify="flex-end" gap={8}>
            <Button variant="default" leftSection={<IconSend size={14} />} onClick={onSendAnyway} data-testid="stale-reply-send">
              {t('collision.sendAnyway')}
            </Button>
            <Button onClick={onReview} data-autofocus data-testid="stale-reply-review">
              {t('collision.review')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
