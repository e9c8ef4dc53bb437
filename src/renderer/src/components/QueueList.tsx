/** The unified queue: a dense, virtualized list sorted by priority (the core sorts). */
import { useEffect, useRef } from 'react';
import { Box, Group, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { QueueItem } from '../../../shared/api';
import { compactDuration } from '../lib/time';
import { useNow } from '../lib/useNow';
import { ChannelIcon } from './ChannelIcon';
import { PriorityBadge, StatusBadge } from './PriorityBadge';
import { SlaCountdown } from './SlaCountdown';
import classes from './QueueList.module.css';

const ROW_HEIGHT = 34;
const FULL_COLUMNS = '28px 66px 64px minmax(200px, 1fr) 170px 110px 130px 86px 150px 60px';
// Beside an open case the list keeps what triage needs: what, who, how urgent.
const COMPACT_COLUMNS = '24px 62px 46px minmax(140px, 1fr) 120px 104px';

interface Props {
  items: QueueItem[];
  selectedId: string | null;
  recent: Set<string>;
  onSelect: (id: string) => void;
  onOpen: (id: string) => void;
  compact?: boolean;
}

export function QueueList({ items, selectedId, recent, onSelect, onOpen, compact = false }: Props) {
  const COLUMNS = compact ? COMPACT_COLUMNS : FULL_COLUMNS;
  const parentRef = useRef<HTMLDivElement>(null);
  const now = useNow(1000);
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => parentRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const selectedIndex = items.findIndex((item) => item.id === selectedId);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (items.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      const next = Math.min(items.length - 1, Math.max(0, (selectedIndex < 0 ? -1 : selectedIndex) + step));
      onSelect(items[next]!.id);
    } else if (event.key === 'Enter' && selectedId) {
      onOpen(selectedId);
    }
  };

  return (
    <Box className={classes.table} data-testid="queue-list">
      <div className={classes.header} style={{ gridTemplateColumns: COLUMNS }}>
        <span />
        <span>Priority</span>
        <span>#</span>
        <span>Subject</span>
        <span>Customer</span>
        {!compact && (
          <>
            <span>Queue</span>
            <span>Assignee</span>
            <span>Status</span>
          </>
        )}
        <span>SLA</span>
        {!compact && <span>Age</span>}
      </div>
      <div ref={parentRef} className={classes.viewport} tabIndex={0} onKeyDown={onKeyDown} role="grid" aria-rowcount={items.length}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const item = items[row.index]!;
            const closed = item.status === 'solved' || item.status === 'closed';
            return (
              <div
                key={item.id}
                role="row"
                data-testid="queue-row"
                data-case-id={item.id}
                data-case-number={item.number}
                data-priority={item.priority}
                aria-selected={item.id === selectedId}
                className={classes.row}
                data-selected={item.id === selectedId || undefined}
                data-fresh={recent.has(item.id) || undefined}
                style={{ gridTemplateColumns: COLUMNS, height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
                onClick={() => onOpen(item.id)}
              >
                <ChannelIcon channel={item.channel} />
                <PriorityBadge priority={item.priority} />
                <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
                  {item.number}
                </Text>
                <Text size="sm" truncate fw={item.status === 'new' ? 600 : 400} title={item.subject}>
                  {item.subject}
                </Text>
                <Text size="xs" truncate>
                  {item.customerName ?? '—'}
                </Text>
                {!compact && (
                  <>
                    <Text size="xs" c="dimmed" truncate>
                      {item.queueName}
                    </Text>
                    <Text size="xs" c={item.assigneeName ? undefined : 'dimmed'} truncate>
                      {item.assigneeName ?? 'Unassigned'}
                    </Text>
                    <StatusBadge status={item.status} />
                  </>
                )}
                <SlaCountdown dueAt={item.slaDueAt} now={now} closed={closed} short={compact} />
                {!compact && (
                  <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {compactDuration(now - Date.parse(item.createdAt))}
                  </Text>
                )}
              </div>
            );
          })}
        </div>
        {items.length === 0 && (
          <Group justify="center" p="xl">
            <Text c="dimmed" size="sm">
              No cases match this view.
            </Text>
          </Group>
        )}
      </div>
    </Box>
  );
}
