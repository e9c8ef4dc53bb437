import { Badge } from '@mantine/core';
import type { CaseStatus, Priority } from '../../../shared/domain';
import { STATUS_TEXT } from '../lib/fields';

const PRIORITY_COLORS: Record<Priority, string> = { urgent: 'red', high: 'orange', normal: 'blue', low: 'gray' };
const STATUS_COLORS: Record<CaseStatus, string> = { new: 'yellow', open: 'red', pending: 'blue', on_hold: 'dark', solved: 'gray', closed: 'gray' };


export function PriorityBadge({ priority, fixedWidth = false }: { priority: Priority; fixedWidth?: boolean }) {
  return (
    <Badge size="xs" variant={priority === 'urgent' ? 'filled' : 'light'} color={PRIORITY_COLORS[priority]} w={fixedWidth ? 60 : undefined} style={{ flex: 'none' }}>
      {priority}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: CaseStatus }) {
  return (
    <Badge size="xs" variant="dot" color={STATUS_COLORS[status]} tt="none" fw={500} style={{ flex: 'none' }}>
      {STATUS_TEXT[status]}
    </Badge>
  );
}
