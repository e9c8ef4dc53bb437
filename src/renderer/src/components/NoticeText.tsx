/** Text the user wrote, kept in a notice (a refused message, a reassigned case's drafts): shown whole, with a button to copy it. */
import { Button, CopyButton, Group, Text } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import classes from './NoticeText.module.css';

interface Props {
  label: string;
  text: string;
  /** An internal note: yellow, as notes are everywhere. */
  note?: boolean;
  testId: string;
  copyTestId: string;
}

export function NoticeText({ label, text, note = false, testId, copyTestId }: Props) {
  const { t } = useTranslation();
  return (
    <div className={classes.root}>
      <Group justify="space-between" gap={8} wrap="nowrap" mb={4}>
        <Text size="11px" c="dimmed" truncate>
          {label}
        </Text>
        <CopyButton value={text} timeout={1500}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="light" color={copied ? 'teal' : 'indigo'} leftSection={copied ? <IconCheck size={12} /> : <IconCopy size={12} />} onClick={copy} style={{ flex: 'none' }} data-testid={copyTestId}>
              {copied ? t('common.copied') : t('common.copyText')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <div className={classes.body} data-kind={note ? 'note' : 'text'} data-testid={testId}>
        {text}
      </div>
    </div>
  );
}
