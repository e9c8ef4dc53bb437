/**
 * One notice. A refused note or reply shows the whole text the user typed, to
 * copy and use again; a refused edit shows the values it carried. A reassigned
 * case links nowhere: it may have left this console.
 */
import { Button, CopyButton, Group, Paper, Text, ThemeIcon } from '@mantine/core';
import { IconArrowsExchange, IconCheck, IconCopy, IconExternalLink, IconX } from '@tabler/icons-react';
import type { Notice } from '../../../shared/api';
import { fieldLabel, fieldValueText } from '../lib/fields';
import { formatTimestamp, fullTimestamp } from '../lib/time';
import classes from './NoticeItem.module.css';

interface Carried {
  /** Text the user typed (a note, a reply, a kept draft). */
  body: string | null;
  /** Field values a refused edit carried. */
  fields: [string, unknown][];
  /** The refused change left the case where it was (not a refused creation). */
  caseStays: boolean;
}

const record = (value: unknown): Record<string, unknown> | null => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null);

/** What the notice's detail carried, read defensively: it is whatever the core stored. */
function carried(notice: Notice): Carried {
  const detail = record(notice.detail);
  if (notice.kind === 'reassigned') return { body: typeof detail?.draft === 'string' ? detail.draft : null, fields: [], caseStays: false };
  const payload = record(detail?.payload);
  const body = typeof payload?.body === 'string' ? payload.body : null;
  const fields = Object.entries(record(payload?.fields) ?? {});
  const created = record(payload?.case);
  if (created) fields.push(['subject', created.subject]);
  return { body, fields, caseStays: detail?.kind !== 'case.create' };
}

interface Props {
  notice: Notice;
  dismissing: boolean;
  onDismiss: () => void;
  /** Null when the case is known to have left this console. */
  onOpenCase: ((id: string) => void) | null;
}

export function NoticeItem({ notice, dismissing, onDismiss, onOpenCase }: Props) {
  const { body, fields, caseStays } = carried(notice);
  const rejected = notice.kind === 'rejected';
  return (
    <Paper withBorder p={12} radius="sm" className={classes.notice} data-testid="notice" data-kind={notice.kind} data-notice-id={notice.id}>
      <Group gap={10} wrap="nowrap" align="flex-start">
        <ThemeIcon size={26} radius="xl" variant="light" color={rejected ? 'red' : 'blue'} style={{ flex: 'none' }}>
          {rejected ? <IconX size={15} /> : <IconArrowsExchange size={15} />}
        </ThemeIcon>
        <div className={classes.content}>
          <Text size="11px" c="dimmed" title={fullTimestamp(notice.createdAt)}>
            {rejected ? 'Refused by the hub' : 'Reassigned'} · {formatTimestamp(notice.createdAt)}
          </Text>
          <Text size="sm" mt={2} className={classes.text} data-testid="notice-text">
            {notice.text}
          </Text>
          {fields.length > 0 && (
            <div className={classes.fields}>
              {fields.map(([field, value]) => (
                <Text key={field} size="xs">
                  <Text span size="xs" c="dimmed">
                    {fieldLabel(field)}:
                  </Text>{' '}
                  {fieldValueText(field, value)}
                </Text>
              ))}
            </div>
          )}
          {body !== null && (
            <>
              <Text size="11px" c="dimmed" mt={8} mb={2}>
                {notice.kind === 'reassigned' ? 'Your reply draft' : 'What you wrote'}
              </Text>
              <div className={classes.body} data-testid="notice-body">
                {body}
              </div>
            </>
          )}
          <Group gap={6} mt={10}>
            {body !== null && (
              <CopyButton value={body} timeout={1500}>
                {({ copied, copy }) => (
                  <Button size="compact-xs" variant="light" color={copied ? 'teal' : 'indigo'} leftSection={copied ? <IconCheck size={12} /> : <IconCopy size={12} />} onClick={copy} data-testid="notice-copy">
                    {copied ? 'Copied' : 'Copy text'}
                  </Button>
                )}
              </CopyButton>
            )}
            {rejected && caseStays && notice.caseId && onOpenCase && (
              <Button size="compact-xs" variant="subtle" leftSection={<IconExternalLink size={12} />} onClick={() => onOpenCase(notice.caseId!)} data-testid="notice-open-case">
                Open case
              </Button>
            )}
            <Button size="compact-xs" variant="default" ml="auto" loading={dismissing} onClick={onDismiss} data-testid="notice-dismiss">
              Dismiss
            </Button>
          </Group>
        </div>
      </Group>
    </Paper>
  );
}
