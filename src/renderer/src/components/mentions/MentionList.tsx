/**
 * The mentions inbox: posts that name the brand, newest first, virtualized
 * like the queue. Each row says who wrote what, where, in which language and
 * mood, and whether it was addressed to the brand at all (a keyword find is
 * marked: replying to it needs the author's consent). Convert and Dismiss sit
 * on the row; the keyboard reaches them too (↑/↓, Enter or c, d).
 */
import { memo, useEffect, useRef } from 'react';
import { Anchor, Badge, Button, Group, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { IconAt, IconCloudUp, IconFilterOff } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { MentionItem } from '../../../../shared/api';
import { languageName, sentimentLabel } from '../../lib/format';
import { ageLabel, fullTimestamp } from '../../lib/time';
import { useNow } from '../../lib/useNow';
import { ChannelIcon } from '../ChannelIcon';
import { EmptyState, ErrorState } from '../States';
import classes from './MentionList.module.css';

const ROW = 58;

interface Props {
  items: MentionItem[];
  loading: boolean;
  error: Error | null;
  onRetry: () => void;
  filtered: boolean;
  selectedId: string | null;
  fresh: ReadonlySet<string>;
  onSelect: (id: string) => void;
  onConvert: (mention: MentionItem) => void;
  onDismiss: (mention: MentionItem) => void;
  onOpenCase: (caseId: string) => void;
}

export function MentionList({ items, loading, error, onRetry, filtered, selectedId, fresh, onSelect, onConvert, onDismiss, onOpenCase }: Props) {
  const parentRef = useRef<HTMLDivElement>(null);
  const now = useNow(30_000);
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW,
    getItemKey: (index) => items[index]?.id ?? index,
    overscan: 10,
  });
  const selectedIndex = items.findIndex((item) => item.id === selectedId);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  let body;
  if (error && items.length === 0) body = <ErrorState title="The mentions could not be loaded" error={error} onRetry={onRetry} />;
  else if (loading && items.length === 0) body = <LoadingRows />;
  else if (items.length === 0)
    body = filtered ? (
      <EmptyState testId="mentions-empty" icon={<IconFilterOff size={20} />} title="No mentions match these filters" />
    ) : (
      <EmptyState testId="mentions-empty" icon={<IconAt size={20} />} title="No mentions" hint="Posts that name the brand appear here as soon as they are found." />
    );

  return (
    <div className={classes.table} data-testid="mention-list">
      <div className={`${classes.header} ${classes.columns}`} role="row">
        <span aria-label="Channel" />
        <span className={classes.wide}>Author</span>
        <span>Post</span>
        <span className={classes.mid}>Language</span>
        <span className={classes.mid}>Mood</span>
        <span className={classes.wide}>Age</span>
        <span className={classes.wide}>Status</span>
        <span />
      </div>
      <div ref={parentRef} className={classes.viewport} tabIndex={0} role="grid" aria-label="Mentions" aria-rowcount={items.length} data-mentions-viewport>
        {body ?? (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((row) => {
              const item = items[row.index]!;
              return (
                <Row
                  key={row.key}
                  item={item}
                  top={row.start}
                  now={now}
                  selected={item.id === selectedId}
                  fresh={fresh.has(item.id)}
                  onSelect={onSelect}
                  onConvert={onConvert}
                  onDismiss={onDismiss}
                  onOpenCase={onOpenCase}
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
  item: MentionItem;
  top: number;
  now: number;
  selected: boolean;
  fresh: boolean;
  onSelect: (id: string) => void;
  onConvert: (mention: MentionItem) => void;
  onDismiss: (mention: MentionItem) => void;
  onOpenCase: (caseId: string) => void;
}

const STATUS = { new: { label: 'New', color: 'grape' }, converted: { label: 'Converted', color: 'teal' }, dismissed: { label: 'Dismissed', color: 'gray' } } as const;

const Row = memo(function Row({ item, top, now, selected, fresh, onSelect, onConvert, onDismiss, onOpenCase }: RowProps) {
  const mood = sentimentLabel(item.sentiment);
  const status = STATUS[item.status];
  return (
    <div
      role="row"
      data-testid="mention-row"
      data-mention-id={item.id}
      data-status={item.status}
      data-addressed={item.addressed}
      data-selected={selected || undefined}
      data-fresh={fresh || undefined}
      data-pending={item.pendingChanges || undefined}
      aria-selected={selected}
      className={`${classes.row} ${classes.columns}`}
      style={{ height: ROW, transform: `translateY(${top}px)` }}
      onClick={() => onSelect(item.id)}
    >
      <ChannelIcon channel={item.channel} />
      <div className={`${classes.text} ${classes.wide}`}>
        <Text span size="sm" fw={item.status === 'new' ? 600 : 400} truncate title={item.author}>
          {item.author}
        </Text>
        <Text span size="xs" c="dimmed" truncate>
          {item.customerName ?? 'Not a customer'}
        </Text>
      </div>
      <div className={classes.text}>
        <Text span size="xs" truncate className={classes.narrowOnly}>
          <Text span size="xs" fw={item.status === 'new' ? 600 : 400}>
            {item.author}
          </Text>
          <Text span size="xs" c="dimmed">
            {' · '}
            {ageLabel(now - Date.parse(item.at))}
            {item.status !== 'new' ? ` · ${status.label}` : ''}
          </Text>
        </Text>
        <Text span size="sm" truncate title={item.body} lang={item.language} data-testid="mention-body">
          {item.body}
        </Text>
        <Group gap={6} wrap="nowrap">
          {!item.addressed && (
            <Tooltip label="Found by a keyword, not addressed to the brand: reply only if the author has opted in" multiline w={260}>
              <Badge size="xs" variant="outline" color="orange" tt="none" style={{ flex: 'none' }} data-testid="mention-not-addressed">
                not addressed to us
              </Badge>
            </Tooltip>
          )}
          {item.url && (
            <Anchor href={item.url} target="_blank" rel="noreferrer noopener" size="xs" c="dimmed" truncate onClick={(event) => event.stopPropagation()}>
              {item.url.replace(/^https?:\/\//, '')}
            </Anchor>
          )}
        </Group>
      </div>
      <Text span size="xs" c="dimmed" truncate className={classes.mid} title={item.language}>
        {languageName(item.language)}
      </Text>
      <Text span size="xs" c={mood.color} className={classes.mid} data-testid="mention-sentiment">
        {mood.label}
      </Text>
      <Text span size="xs" c="dimmed" className={`tabular ${classes.wide}`} title={fullTimestamp(item.at)}>
        {ageLabel(now - Date.parse(item.at))}
      </Text>
      {/* A plain wrapper: Mantine's own display rule on Group would beat the narrow layout's. */}
      <div className={classes.wide}>
        <Group gap={4} wrap="nowrap">
          <Badge size="sm" variant="light" color={status.color} data-testid="mention-status">
            {status.label}
          </Badge>
          {item.pendingChanges > 0 && (
            <Tooltip label="Not synced yet">
              <IconCloudUp size={14} color="var(--mantine-color-orange-7)" data-testid="mention-pending" />
            </Tooltip>
          )}
        </Group>
      </div>
      <div className={classes.actions}>
        {item.status === 'new' ? (
          <>
            <Button
              size="compact-xs"
              variant="light"
              onClick={(event) => {
                event.stopPropagation();
                onConvert(item);
              }}
              data-testid="mention-convert"
            >
              Convert
            </Button>
            <Button
              size="compact-xs"
              variant="subtle"
              color="gray"
              onClick={(event) => {
                event.stopPropagation();
                onDismiss(item);
              }}
              data-testid="mention-dismiss"
            >
              Dismiss
            </Button>
          </>
        ) : item.caseId ? (
          <Button
            size="compact-xs"
            variant="subtle"
            onClick={(event) => {
              event.stopPropagation();
              onOpenCase(item.caseId!);
            }}
            data-testid="mention-open-case"
          >
            Open case
          </Button>
        ) : null}
      </div>
    </div>
  );
});

function LoadingRows() {
  return (
    <Stack gap={0} aria-busy>
      {Array.from({ length: 10 }, (_, i) => (
        <Group key={i} h={ROW} px={12} gap={12} wrap="nowrap" style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
          <Skeleton h={14} w={16} />
          <Skeleton h={12} w={120} />
          <Skeleton h={12} w={`${30 + ((i * 37) % 40)}%`} />
        </Group>
      ))}
    </Stack>
  );
}
