/**
 * The unified queue: a dense, virtualized list in the order the core sorts it
 * (the explained priority score: SLA time left, severity, the customer's plan,
 * value and influence, sentiment — each row says why, src/shared/priority.ts). Full width it is a table; beside an open case each row
 * folds into two lines so the subject stays readable.
 *
 * Supervisors and admins also pick cases (`picking`): ctrl/cmd-click or the
 * row's checkbox toggles one, shift-click adds a range, the header checkbox
 * takes all; a row (or the picked rows, when it is one of them) drags to a
 * queue or a person.
 */
import { type DragEvent, memo, type MouseEvent, useCallback } from 'react';
import { Checkbox, Group, Skeleton, Text, VisuallyHidden } from '@mantine/core';
import { IconInbox, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { QueueItem } from '../../../shared/api';
import { ageLabel, fullTimestamp } from '../lib/time';
import { useNow } from '../lib/useNow';
import { isDone } from '../../../shared/policy';
import { PriorityBadge, StatusBadge } from './Badges';
import { ChannelIcon } from './ChannelIcon';
import { SlaCountdown } from './SlaCountdown';
import { RowSyncIcons } from './RowSyncIcons';
import { EmptyState } from './States';
import { LoadingRows, skeletonWidth, TableRow, VirtualTable } from './VirtualTable';
import type { Selection } from '../lib/useSelection';
import { startCaseDrag } from './reassign/dnd';
import { MOVE_CAP } from './reassign/people';
import classes from './QueueList.module.css';
import { priorityWhyText } from '../lib/priority-why';

const TABLE_ROW = 34;
const STACKED_ROW = 54;

interface Props {
  items: QueueItem[];
  loading: boolean;
  /** Still the rows of the view before, while this view's are read. */
  stale?: boolean;
  error: Error | null;
  onRetry: () => void;
  searching: boolean;
  selectedId: string | null;
  openId: string | null;
  fresh: ReadonlySet<string>;
  onOpen: (id: string) => void;
  /** Beside an open case: two-line rows. */
  stacked: boolean;
  /** Supervisors and admins: the picked cases, and dragging them (to reassign). */
  picking?: Picking;
  /** What an empty list says, when the view means something else than active work (the conflicts list). */
  emptyText?: { title: string; hint: string };
}

export interface Picking {
  selection: Selection;
  /** A drag of these cases began (the drop panel shows) or ended. */
  onDrag: (ids: string[] | null) => void;
}

export function QueueList({ items, loading, stale, error, onRetry, searching, selectedId, openId, fresh, onOpen, stacked, picking, emptyText }: Props) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const rowHeight = stacked ? STACKED_ROW : TABLE_ROW;
  const selection = picking?.selection;
  const onDrag = picking?.onDrag;
  const { toggle, range, setAnchor } = selection ?? {};
  const ordered = selection?.ordered;
  const pickedCount = selection?.ids.size ?? 0;
  const allCount = Math.min(items.length, MOVE_CAP);

  const onRowClick = useCallback(
    (id: string, event: MouseEvent) => {
      if (toggle && (event.ctrlKey || event.metaKey)) toggle(id);
      else if (range && event.shiftKey) range(id);
      else {
        setAnchor?.(id);
        onOpen(id);
      }
    },
    [toggle, range, setAnchor, onOpen],
  );
  const onDragStart = useCallback(
    (id: string, event: DragEvent) => {
      if (!ordered || !onDrag) return;
      // A picked row takes the whole selection along; any other row goes alone.
      const ids = ordered.includes(id) ? ordered : [id];
      startCaseDrag(event, ids);
      // After the browser has started the drag: changing the page during dragstart can cancel it.
      setTimeout(() => onDrag(ids), 0);
    },
    [ordered, onDrag],
  );
  const onDragEnd = useCallback(() => onDrag?.(null), [onDrag]);

  return (
    <VirtualTable
      testId="queue-list"
      className={classes.table}
      data-stacked={stacked || undefined}
      label={t('queue.label')}
      viewportProps={{ 'data-queue-viewport': true }}
      accent="indigo"
      items={items}
      rowHeight={rowHeight}
      selectedId={selectedId}
      headerClassName={`${classes.columns} ${selection ? classes.picking : ''}`}
      header={
        stacked ? null : (
          <>
            {selection && (
              <Checkbox
                size="xs"
                aria-label={pickedCount > 0 ? t('queue.clearSelection') : t('queue.selectAllCount', { count: allCount })}
                title={pickedCount > 0 ? t('queue.clearSelection') : items.length > MOVE_CAP ? t('queue.selectFirst', { cap: MOVE_CAP }) : t('queue.selectAll')}
                checked={pickedCount > 0 && pickedCount >= allCount}
                indeterminate={pickedCount > 0 && pickedCount < allCount}
                disabled={items.length === 0}
                onChange={() => (pickedCount > 0 ? selection.clear() : selection.selectAll())}
                data-testid="queue-select-all"
              />
            )}
            <span>
            <VisuallyHidden>{t('queue.columns.channel')}</VisuallyHidden>
          </span>
            <span className={classes.head} title={t('queue.columns.priority')}>
              {t('queue.columns.priority')}
            </span>
            <span>#</span>
            <span className={classes.head}>{t('queue.columns.subject')}</span>
            <span className={classes.head}>{t('queue.columns.customer')}</span>
            <span className={`${classes.queue} ${classes.head}`}>{t('queue.columns.queue')}</span>
            <span className={`${classes.assignee} ${classes.head}`}>{t('queue.columns.assignee')}</span>
            <span className={classes.head}>{t('queue.columns.status')}</span>
            <span className={classes.head} data-testid="queue-header-sla">
              {t('queue.columns.sla')}
            </span>
            <span className={`${classes.right} ${classes.head}`} title={t('queue.columns.age')} data-testid="queue-header-age">
              {t('queue.columns.age')}
            </span>
          </>
        )
      }
      error={error}
      errorTitle={t('queue.loadFailed')}
      onRetry={onRetry}
      loading={loading}
      stale={stale}
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
          <EmptyState testId="queue-empty" icon={<IconSearch size={20} />} title={t('queue.noMatchTitle')} hint={t('queue.noMatchHint')} />
        ) : (
          <EmptyState testId="queue-empty" icon={<IconInbox size={20} />} title={emptyText?.title ?? t('queue.emptyTitle')} hint={emptyText?.hint ?? t('queue.emptyHint')} />
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
          picking={selection !== undefined}
          picked={selection?.ids.has(item.id) ?? false}
          onClick={onRowClick}
          onToggle={toggle}
          onDragStart={onDrag ? onDragStart : undefined}
          onDragEnd={onDragEnd}
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
  /** The row has a checkbox (supervisors and admins), and is picked. */
  picking: boolean;
  picked: boolean;
  onClick: (id: string, event: MouseEvent) => void;
  onToggle: ((id: string) => void) | undefined;
  onDragStart: ((id: string, event: DragEvent) => void) | undefined;
  onDragEnd: () => void;
}

const Row = memo(function Row({ item, top, height, now, stacked, selected, open, fresh, picking, picked, onClick, onToggle, onDragStart, onDragEnd }: RowProps) {
  // The rows are memoised: each follows the language itself.
  const { t } = useTranslation();
  const done = isDone(item.status);
  const unread = item.status === 'new';
  // A case created here has no number until the hub confirms it.
  const number = item.localOnly ? t('queue.newNumber') : stacked ? `#${item.number}` : item.number;
  const age = (
    <Text span size="xs" c="dimmed" className="tabular" style={{ whiteSpace: 'nowrap' }} title={t('time.created', { time: fullTimestamp(item.createdAt) })}>
      {ageLabel(now - Date.parse(item.createdAt))}
    </Text>
  );
  const whyText = priorityWhyText(item.priorityWhyParts);
  const why = { score: item.priorityScore, text: whyText };
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
      data-picked={picked || undefined}
      className={`${classes.row} ${stacked ? classes.stacked : `${classes.columns} ${picking ? classes.picking : ''}`}`}
      onClick={(event) => onClick(item.id, event)}
      draggable={onDragStart !== undefined}
      onDragStart={onDragStart && ((event) => onDragStart(item.id, event))}
      onDragEnd={onDragStart && onDragEnd}
    >
      {stacked ? (
        <>
          <Group gap={8} wrap="nowrap" className={classes.line}>
            <ChannelIcon channel={item.channel} size={15} />
            <Text span size="sm" fw={unread ? 600 : 500} truncate style={{ flex: 1 }} title={item.subject}>
              {item.subject}
            </Text>
            <RowSyncIcons item={item} />
            <SlaCountdown dueAt={item.slaDueAt} now={now} done={done} clock={item.sla} resolutionDueAt={item.resolutionDueAt} />
          </Group>
          <Group gap={8} wrap="nowrap" className={classes.line}>
            <PriorityBadge priority={item.priority} fixedWidth why={why} />
            <Text span size="xs" c="dimmed" className="tabular">
              {number}
            </Text>
            <Text span size="xs" truncate style={{ flex: 1 }}>
              {item.customerName ?? t('queue.unknownCustomer')}
              <Text span size="xs" c="dimmed">
                {' · '}
                {item.queueName}
                {' · '}
                {item.assigneeName ?? t('queue.unassigned')}
              </Text>
            </Text>
            <StatusBadge status={item.status} />
            {age}
          </Group>
        </>
      ) : (
        <>
          {picking && (
            <Checkbox
              size="xs"
              aria-label={t('queue.selectCase', { number: item.number })}
              checked={picked}
              onChange={() => onToggle?.(item.id)}
              // The row's own click opens the case: the box only picks.
              onClick={(event) => event.stopPropagation()}
              data-testid="queue-row-pick"
            />
          )}
          <ChannelIcon channel={item.channel} />
          <PriorityBadge priority={item.priority} fixedWidth why={why} />
          <Text span size="xs" c="dimmed" className="tabular">
            {number}
          </Text>
          <span className={classes.subject}>
            <Text span size="sm" truncate fw={unread ? 600 : 400} title={item.subject} style={{ flex: '1 1 auto', minWidth: 48 }}>
              {item.subject}
            </Text>
            <RowSyncIcons item={item} />
            <Text span size="xs" c="dimmed" truncate title={t('queue.priorityScore', { score: item.priorityScore })} data-testid="queue-row-why" style={{ flex: '0 1 auto', minWidth: 0, maxWidth: '40%' }}>
              {whyText}
            </Text>
          </span>
          <Text span size="sm" truncate c={item.customerName ? undefined : 'dimmed'}>
            {item.customerName ?? '—'}
          </Text>
          <Text span size="sm" c="dimmed" truncate className={classes.queue}>
            {item.queueName}
          </Text>
          <Text span size="sm" c={item.assigneeName ? undefined : 'dimmed'} fs={item.assigneeName ? undefined : 'italic'} truncate className={classes.assignee}>
            {item.assigneeName ?? t('queue.unassigned')}
          </Text>
          <StatusBadge status={item.status} />
          <SlaCountdown dueAt={item.slaDueAt} now={now} done={done} clock={item.sla} resolutionDueAt={item.resolutionDueAt} />
          <span className={classes.right}>{age}</span>
        </>
      )}
    </TableRow>
  );
});
