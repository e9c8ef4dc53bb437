import { Badge, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CaseStatus, Priority } from '../../../shared/domain';
import { STATUS_TEXT } from '../lib/fields';

const PRIORITY_COLORS: Record<Priority, string> = { urgent: 'red', high: 'orange', normal: 'blue', low: 'gray' };
const STATUS_COLORS: Record<CaseStatus, string> = { new: 'yellow', open: 'red', pending: 'blue', on_hold: 'dark', solved: 'gray', closed: 'gray' };


/** The case's priority; with `why` (the explained score, src/shared/priority.ts) it says, on hover, why the case sits where it does. */
export function PriorityBadge({ priority, fixedWidth = false, why }: { priority: Priority; fixedWidth?: boolean; why?: { score: number; text: string } }) {
  const { t } = useTranslation();
  const badge = (
    <Badge size="xs" variant={priority === 'urgent' ? 'filled' : 'light'} color={PRIORITY_COLORS[priority]} w={fixedWidth ? 72 : undefined} style={{ flex: 'none' }} title={fixedWidth ? t(`priority.${priority}`) : undefined}>
      {t(`priorityBadge.${priority}`)}
    </Badge>
  );
  if (!why) return badge;
  return (
    <Tooltip label={t('priorityBadge.why', { score: why.score, text: why.text })} openDelay={300} withArrow>
      {badge}
    </Tooltip>
  );
}

export function StatusBadge({ status }: { status: CaseStatus }) {
  useTranslation(); // shown again when the language changes
  return (
    <Badge size="xs" variant="dot" color={STATUS_COLORS[status]} tt="none" fw={500} style={{ flex: 'none' }}>
      {STATUS_TEXT[status]}
    </Badge>
  );
}
