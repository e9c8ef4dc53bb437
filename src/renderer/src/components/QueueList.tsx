/**
 * The unified queue: a dense, virtualized list in the order the core sorts it
 * (priority, then SLA). Full width it is a table; beside an open case each row
 * folds into two lines so the subject stays readable.
 */
import { memo } from 'react';
import { Group, Skeleton, Text } from '@mantine/core';
import { IconInbox, IconSearch } from '@tabler/icons-react';
import type { QueueItem } from '../../../shared/api';
import { ageLabel, fullTimestamp } from '../lib/time';
import { useNow } from '../lib/useNow';
import { isDone, PriorityBadge, StatusBadge } from './Badges';
import { ChannelIcon } from './ChannelIcon';
import { SlaCountdown } from './SlaCountdown';
import { RowSyncIcons } from './RowSyncIcons';
import { EmptyState } from './States';
import { LoadingRows, skeletonWidth, TableRow, VirtualTable } from './VirtualTable';
import classes from './QueueList.module.css';

const TABLE_ROW = 34;
const STACKED_ROW = 54;

interface Props {
  items: QueueItem[];
  loading: boolean;
  error: Error | null;
  onRetry: () => void;
  searching: boolean;
  selectedId: string | null;
  openId: string | null;
  fresh: ReadonlySet<string>;
  onOpen: (id: string) => void;
  /** Beside an open case: two-line rows. */
  stacked: boolean;
}

export function QueueList({ items, loading, error, onRetry, searching, selectedId, openId, fresh, onOpen, stacked }: Props) {
  const now = useNow(1000);
  const rowHeight = stacked ? STACKED_ROW : TABLE_ROW;
  return (
    <VirtualTable
      testId="queue-list"
      data-stacked={stacked || undefined}
      label="Cases"
      viewportProps={{ 'data-queue-viewport': true }}
      accent="indigo"
      items={items}
      rowHeight={rowHeight}
      selectedId={selectedId}
      headerClassName={classes.columns}
      header={
        stacked ? null : (
          <>
            <span aria-label="Channel" />
            <span>Priority</span>
            <span>#</span>
            <span>Subject</span>
            <span>Customer</span>
            <span>Queue</span>
            <span>Assignee</span>
            <span>Status</span>
            <span>SLA</span>
            <span className={classes.right}>Age</span>
          </>
        )
      }
      error={error}
      errorTitle="The queue could not be loaded"
      onRetry={onRetry}
      loading={loading}
      skeleton={
        <LoadingRows
          count={12}
          height={rowHeight}
          testId="queue-loading"
          cells={(i) => (
            <>
              <Skeleton h={14} w={16} />
              <Skeleton h={14} w={56} />
              <Skeleton h={12} w={skeletonWidth(i)} />
              <Skeleton h={12} w={120} />
            </>
          )}
        />
      }
      empty={
        searching ? (
          <EmptyState testId="queue-empty" icon={<IconSearch size={20} />} title="No cases match your search" hint="Search looks at the subject, the customer's name and the case number." />
        ) : (
          <EmptyState testId="queue-empty" icon={<IconInbox size={20} />} title="Nothing here" hint="No active cases in this view. New work appears here as soon as it arrives." />
        )
      }
      renderRow={(item, top) => (
        <Row
          item={item}
          top={top}
          height={rowHeight}
          now={now}
          stacked={stacked}
          selected={item.id === selectedId}
          open={item.id === openId}
          fresh={fresh.has(item.id)}
          onOpen={onOpen}
        />
      )}
    />
  );
}

interface RowProps {
  item: QueueItem;
  top: number;
  height: number;
  now: number;
  stacked: boolean;
  selected: boolean;
  open: boolean;
  fresh: boolean;
  onOpen: (id: string) => void;
}

const Row = memo(function Row({ item, top, height, now, stacked, selected, open, fresh, onOpen }: RowProps) {
  const done = isDone(item.status);
  const unread = item.status === 'new';
  // A case created here has no number until the hub confirms it.
  const number = item.localOnly ? 'new' : stacked ? `#${item.number}` : item.number;
  const age = (
    <Text span size="xs" c="dimmed" className="tabular" title={`Created ${fullTimestamp(item.createdAt)}`}>
      {ageLabel(now - Date.parse(item.createdAt))}
    </Text>
  );
  return (
    <TableRow
      top={top}
      height={height}
      selected={selected}
      fresh={fresh}
      data-testid="queue-row"
      data-case-id={item.id}
      data-case-number={item.number}
      data-priority={item.priority}
      data-open={open || undefined}
      data-pending={item.pendingChanges || undefined}
      data-conflicts={item.conflicts || undefined}
      className={`${classes.row} ${stacked ? classes.stacked : classes.columns}`}
      onClick={() => onOpen(item.id)}
    >
      {stacked ? (
        <>
          <Group gap={8} wrap="nowrap" className={classes.line}>
            <ChannelIcon channel={item.channel} size={15} />
            <Text span size="sm" fw={unread ? 600 : 500} truncate style={{ flex: 1 }} title={item.subject}>
              {item.subject}
            </Text>
            <RowSyncIcons item={item} />
            <SlaCountdown dueAt={item.slaDueAt} now={now} done={done} />
          </Group>
          <Group gap={8} wrap="nowrap" className={classes.line}>
            <PriorityBadge priority={item.priority} fixedWidth />
            <Text span size="xs" c="dimmed" className="tabular">
              {number}
            </Text>
            <Text span size="xs" truncate style={{ flex: 1 }}>
              {item.customerName ?? 'Unknown customer'}
              <Text span size="xs" c="dimmed">
                {' · '}
                {item.queueName}
                {' · '}
                {item.assigneeName ?? 'Unassigned'}
              </Text>
            </Text>
            <StatusBadge status={item.status} />
            {age}
          </Group>
        </>
      ) : (
        <>
          <ChannelIcon channel={item.channel} />
          <PriorityBadge priority={item.priority} fixedWidth />
          <Text span size="xs" c="dimmed" className="tabular">
            {number}
          </Text>
          <span className={classes.subject}>
            <Text span size="sm" truncate fw={unread ? 600 : 400} title={item.subject}>
              {item.subject}
            </Text>
            <RowSyncIcons item={item} />
          </span>
          <Text span size="sm" truncate c={item.customerName ? undefined : 'dimmed'}>
            {item.customerName ?? '—'}
          </Text>
          <Text span size="sm" c="dimmed" truncate>
            {item.queueName}
          </Text>
          <Text span size="sm" c={item.assigneeName ? undefined : 'dimmed'} fs={item.assigneeName ? undefined : 'italic'} truncate>
            {item.assigneeName ?? 'Unassigned'}
          </Text>
          <StatusBadge status={item.status} />
          <SlaCountdown dueAt={item.slaDueAt} now={now} done={done} />
          <span className={classes.right}>{age}</span>
        </>
      )}
    </TableRow>
  );
});
