/**
 * The unified queue: a dense, virtualized list in the order the core sorts it
 * (priority, then SLA). Full width it is a table; beside an open case each row
 * folds into two lines so the subject stays readable.
 */
import { memo, useEffect, useRef } from 'react';
import { Group, Skeleton, Stack, Text } from '@mantine/core';
import { IconInbox, IconSearch } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { QueueItem } from '../../../shared/api';
import { ageLabel, fullTimestamp } from '../lib/time';
import { useNow } from '../lib/useNow';
import { isDone, PriorityBadge, StatusBadge } from './Badges';
import { ChannelIcon } from './ChannelIcon';
import { SlaCountdown } from './SlaCountdown';
import { RowSyncIcons } from './RowSyncIcons';
import { EmptyState, ErrorState } from './States';
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
  const parentRef = useRef<HTMLDivElement>(null);
  const now = useNow(1000);
  const rowHeight = stacked ? STACKED_ROW : TABLE_ROW;
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => rowHeight,
    getItemKey: (index) => items[index]?.id ?? index,
    overscan: 10,
  });
  const selectedIndex = items.findIndex((item) => item.id === selectedId);

  useEffect(() => virtualizer.measure(), [rowHeight, virtualizer]);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  let body;
  if (error && items.length === 0) body = <ErrorState title="The queue could not be loaded" error={error} onRetry={onRetry} />;
  else if (loading && items.length === 0) body = <LoadingRows height={rowHeight} />;
  else if (items.length === 0)
    body = searching ? (
      <EmptyState testId="queue-empty" icon={<IconSearch size={20} />} title="No cases match your search" hint="Search looks at the subject, the customer's name and the case number." />
    ) : (
      <EmptyState testId="queue-empty" icon={<IconInbox size={20} />} title="Nothing here" hint="No active cases in this view. New work appears here as soon as it arrives." />
    );

  return (
    <div className={classes.table} data-testid="queue-list" data-stacked={stacked || undefined}>
      {!stacked && (
        <div className={`${classes.header} ${classes.columns}`} role="row">
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
        </div>
      )}
      <div ref={parentRef} className={classes.viewport} tabIndex={0} role="grid" aria-label="Cases" aria-rowcount={items.length} data-queue-viewport>
        {body ?? (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((row) => {
              const item = items[row.index]!;
              return (
                <Row
                  key={row.key}
                  item={item}
                  top={row.start}
                  height={rowHeight}
                  now={now}
                  stacked={stacked}
                  selected={item.id === selectedId}
                  open={item.id === openId}
                  fresh={fresh.has(item.id)}
                  onOpen={onOpen}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
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
    <div
      role="row"
      data-testid="queue-row"
      data-case-id={item.id}
      data-case-number={item.number}
      data-priority={item.priority}
      data-selected={selected || undefined}
      data-open={open || undefined}
      data-fresh={fresh || undefined}
      data-pending={item.pendingChanges || undefined}
      data-conflicts={item.conflicts || undefined}
      aria-selected={selected}
      className={`${classes.row} ${stacked ? classes.stacked : classes.columns}`}
      style={{ height, transform: `translateY(${top}px)` }}
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
    </div>
  );
});

function LoadingRows({ height }: { height: number }) {
  return (
    <Stack gap={0} data-testid="queue-loading" aria-busy>
      {Array.from({ length: 12 }, (_, i) => (
        <Group key={i} h={height} px={12} gap={12} wrap="nowrap" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
          <Skeleton h={14} w={16} />
          <Skeleton h={14} w={56} />
          <Skeleton h={12} w={`${30 + ((i * 37) % 40)}%`} />
          <Skeleton h={12} w={120} />
        </Group>
      ))}
    </Stack>
  );
}
