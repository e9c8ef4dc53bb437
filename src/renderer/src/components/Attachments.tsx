/** A message's attachments: name and size, each downloaded from the hub through the console API when asked for. */
import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { Button, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconPaperclip } from '@tabler/icons-react';
import type { AttachmentMeta } from '../../../shared/domain';
import { call } from '../api/client';
import { formatBytes } from '../lib/format';

/** Hands the bytes to the browser (or Electron) as a download under the file's own name. */
function saveFile(fileName: string, contentType: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: contentType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has been handled: the download holds its own reference.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function Attachments({ caseId, attachments }: { caseId: string; attachments: AttachmentMeta[] }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState<string | null>(null);
  const download = async (attachment: AttachmentMeta) => {
    setBusy(attachment.id);
    try {
      const file = await call('attachments.download', { caseId, attachmentId: attachment.id });
      saveFile(file.fileName, file.contentType, file.base64);
    } catch (error) {
      notifications.show({ color: 'red', title: t('attachments.failed', { name: attachment.fileName }), message: (error as Error).message });
    } finally {
      setBusy(null);
    }
  };
  return (
    <Stack gap={2} mt={6} data-testid="message-attachments">
      {attachments.map((attachment) => (
        <Group key={attachment.id} gap={6} wrap="nowrap" data-testid="message-attachment" data-attachment-id={attachment.id}>
          <IconPaperclip size={13} color="var(--mantine-color-dimmed)" style={{ flex: 'none' }} />
          <Text size="xs" truncate title={attachment.fileName} style={{ minWidth: 0 }}>
            {attachment.fileName}
          </Text>
          <Text size="xs" c="dimmed" className="tabular" style={{ whiteSpace: 'nowrap' }}>
            {formatBytes(attachment.size)}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconDownload size={12} />}
            loading={busy === attachment.id}
            onClick={() => void download(attachment)}
            aria-label={t('attachments.downloadNamed', { name: attachment.fileName })}
            data-testid="attachment-download"
          >
            {t('attachments.download')}
          </Button>
        </Group>
      ))}
    </Stack>
  );
}
