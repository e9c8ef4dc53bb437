import { Badge } from '@mantine/core';
import type { CaseStatus, Priority } from '../../../shared/domain';

const PRIORITY_COLORS: Record<Priority, string> = { urgent: 'red', high: 'orange', normal: 'blue', low: 'gray' };
const STATUS_COLORS: Record<CaseStatus, string> = { new: 'yellow', open: 'red', pending: 'blue', on_hold: 'dark', solved: 'gray', closed: 'gray' };
const STATUS_LABELS: Record<CaseStatus, string> = { new: 'New', open: 'Open', pending: 'Pending', on_hold: 'On hold', solved: 'Solved', closed: 'Closed' };

export function PriorityBadge({ priority }: { priority: Priority }) {
  return (
    <Badge size="xs" radius="sm" variant={priority === 'urgent' ? 'filled' : 'light'} color={PRIORITY_COLORS[priority]} w={58}>
      {priority}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: CaseStatus }) {
  return (
    <Badge size="xs" radius="sm" variant="dot" color={STATUS_COLORS[status]} tt="none" fw={500}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}
