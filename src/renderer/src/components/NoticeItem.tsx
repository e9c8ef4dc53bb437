/**
 * One notice. A refused note or reply shows the whole text the user typed, to
 * copy and use again; a refused edit shows the values it carried; a reassigned
 * case shows the reply and the internal note the user was writing. A
 * reassigned case links nowhere: it may have left this console.
 */
import { Button, Group, Paper, Text, ThemeIcon } from '@mantine/core';
import { IconArrowsExchange, IconExternalLink, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Notice } from '../../../shared/api';
import { noticeWords } from '../i18n/wording';
import { fieldLabel, fieldValueText } from '../lib/fields';
import { formatTimestamp, fullTimestamp } from '../lib/time';
import { NoticeText } from './NoticeText';
import classes from './NoticeItem.module.css';

interface Carried {
  /** Text the user typed (a note, a reply, a kept reply draft). */
  body: string | null;
  /** A kept internal-note draft (a reassigned case). */
  noteBody: string | null;
  /** Field values a refused edit carried. */
  fields: [string, unknown][];
  /** The refused change left the case where it was (not a refused creation). */
  caseStays: boolean;
}

const record = (value: unknown): Record<string, unknown> | null => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null);

/** What the notice's detail carried, read defensively: it is whatever the core stored. */
function carried(notice: Notice): Carried {
  const detail = record(notice.detail);
  const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
  if (notice.kind === 'reassigned') return { body: text(detail?.draft), noteBody: text(detail?.noteDraft), fields: [], caseStays: false };
  const payload = record(detail?.payload);
  const body = typeof payload?.body === 'string' ? payload.body : null;
  const fields = Object.entries(record(payload?.fields) ?? {});
  const created = record(payload?.case);
  if (created) fields.push(['subject', created.subject]);
  return { body, noteBody: null, fields, caseStays: detail?.kind !== 'case.create' };
}

interface Props {
  notice: Notice;
  dismissing: boolean;
  onDismiss: () => void;
  /** Null when the case is known to have left this console. */
  onOpenCase: ((id: string) => void) | null;
}

export function NoticeItem({ notice, dismissing, onDismiss, onOpenCase }: Props) {
  const { t, i18n } = useTranslation();
  const { body, noteBody, fields, caseStays } = carried(notice);
  const rejected = notice.kind === 'rejected';
  return (
    <Paper withBorder p={12} radius="sm" className={classes.notice} data-testid="notice" data-kind={notice.kind} data-notice-id={notice.id}>
      <Group gap={10} wrap="nowrap" align="flex-start">
        <ThemeIcon size={26} radius="xl" variant="light" color={rejected ? 'red' : 'blue'} style={{ flex: 'none' }}>
          {rejected ? <IconX size={15} /> : <IconArrowsExchange size={15} />}
        </ThemeIcon>
        <div className={classes.content}>
          <Text size="11px" c="dimmed" title={fullTimestamp(notice.createdAt)}>
            {rejected ? t('notices.refused') : t('notices.reassigned')} · {formatTimestamp(notice.createdAt)}
          </Text>
          <Text size="sm" mt={2} className={classes.text} data-testid="notice-text">
            {noticeWords(i18n, notice)}
          </Text>
          {fields.length > 0 && (
            <div className={classes.fields}>
              {fields.map(([field, value]) => (
                <Text key={field} size="xs">
                  <Text span size="xs" c="dimmed">
                    {t('notices.fieldLabel', { field: fieldLabel(field) })}
                  </Text>{' '}
                  {fieldValueText(field, value)}
                </Text>
              ))}
            </div>
          )}
          {body !== null && <NoticeText label={notice.kind === 'reassigned' ? t('notices.replyDraft') : t('notices.whatYouWrote')} text={body} testId="notice-body" copyTestId="notice-copy" />}
          {noteBody !== null && <NoticeText label={t('notices.noteDraft')} text={noteBody} note testId="notice-note-body" copyTestId="notice-note-copy" />}
          <Group gap={6} mt={10}>
            {rejected && caseStays && notice.caseId && onOpenCase && (
              <Button size="compact-xs" variant="subtle" leftSection={<IconExternalLink size={12} />} onClick={() => onOpenCase(notice.caseId!)} data-testid="notice-open-case">
                {t('common.openCase')}
              </Button>
            )}
            <Button size="compact-xs" variant="default" ml="auto" loading={dismissing} onClick={onDismiss} data-testid="notice-dismiss">
              {t('common.dismiss')}
            </Button>
          </Group>
        </div>
      </Group>
    </Paper>
  );
}
