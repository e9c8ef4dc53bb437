/**
 * The mentions inbox: posts that name the brand, newest first, virtualized
 * like the queue. Each row says who wrote what, where, in which language and
 * mood, and whether it was addressed to the brand at all (a keyword find is
 * marked: replying to it needs the author's consent). Convert and Dismiss sit
 * on the row; the keyboard reaches them too (↑/↓, Enter or c, d).
 */
import { useTranslation } from 'react-i18next';
import { memo, type ReactNode } from 'react';
import { Anchor, Badge, Button, Group, Skeleton, Text, Tooltip, type ButtonProps, VisuallyHidden } from '@mantine/core';
import { IconAt, IconCloudUp, IconFilterOff } from '@tabler/icons-react';
import type { MentionItem } from '../../../../shared/api';
import { languageName, sentimentLabel } from '../../lib/format';
import { ageLabel, fullTimestamp } from '../../lib/time';
import { useNow } from '../../lib/useNow';
import { ChannelIcon } from '../ChannelIcon';
import { EmptyState } from '../States';
import { LoadingRows, skeletonWidth, TableRow, VirtualTable } from '../VirtualTable';
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
  const { t } = useTranslation();
  const now = useNow(30_000);
  return (
    <VirtualTable
      testId="mention-list"
      className={classes.table}
      label={t('mentions.title')}
      viewportProps={{ 'data-mentions-viewport': true }}
      accent="grape"
      items={items}
      rowHeight={ROW}
      selectedId={selectedId}
      headerClassName={classes.columns}
      header={
        <>
          <span>
            <VisuallyHidden>{t('queue.columns.channel')}</VisuallyHidden>
          </span>
          <span className={`${classes.wide} ${classes.head}`}>{t('mentions.columns.author')}</span>
          <span className={classes.head}>{t('mentions.columns.post')}</span>
          <span className={`${classes.mid} ${classes.head}`}>{t('case.facts.language')}</span>
          <span className={`${classes.mid} ${classes.head}`}>{t('mentions.columns.mood')}</span>
          <span className={`${classes.wide} ${classes.head}`}>{t('queue.columns.age')}</span>
          <span className={`${classes.wide} ${classes.head}`}>{t('queue.columns.status')}</span>
          <span />
        </>
      }
      error={error}
      errorTitle={t('mentions.loadFailed')}
      onRetry={onRetry}
      loading={loading}
      skeleton={
        <LoadingRows
          count={10}
          height={ROW}
          cells={(i) => (
            <>
              <Skeleton h={14} w={16} />
              <Skeleton h={12} w={120} />
              <Skeleton h={12} w={skeletonWidth(i)} />
            </>
          )}
        />
      }
      empty={
        filtered ? (
          <EmptyState testId="mentions-empty" icon={<IconFilterOff size={20} />} title={t('mentions.noMatch')} />
        ) : (
          <EmptyState testId="mentions-empty" icon={<IconAt size={20} />} title={t('mentions.emptyTitle')} hint={t('mentions.emptyHint')} />
        )
      }
      renderRow={(item, top) => (
        <Row
          item={item}
          top={top}
          now={now}
          selected={item.id === selectedId}
          fresh={fresh.has(item.id)}
          onSelect={onSelect}
          onConvert={onConvert}
          onDismiss={onDismiss}
          onOpenCase={onOpenCase}
        />
      )}
    />
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

const STATUS_COLORS = { new: 'grape', converted: 'teal', dismissed: 'gray' } as const;

const Row = memo(function Row({ item, top, now, selected, fresh, onSelect, onConvert, onDismiss, onOpenCase }: RowProps) {
  // The rows are memoised: each follows the language itself.
  const { t } = useTranslation();
  const mood = sentimentLabel(item.sentiment);
  const status = { color: STATUS_COLORS[item.status], label: t(`mentions.status.${item.status}`) };
  return (
    <TableRow
      top={top}
      height={ROW}
      selected={selected}
      fresh={fresh}
      data-testid="mention-row"
      data-mention-id={item.id}
      data-status={item.status}
      data-addressed={item.addressed}
      data-pending={item.pendingChanges || undefined}
      className={`${classes.row} ${classes.columns}`}
      onClick={() => onSelect(item.id)}
    >
      <ChannelIcon channel={item.channel} />
      <div className={`${classes.text} ${classes.wide}`}>
        <Text span size="sm" fw={item.status === 'new' ? 600 : 400} truncate title={item.author}>
          {item.author}
        </Text>
        <Text span size="xs" c="dimmed" truncate>
          {item.customerName ?? t('mentions.notCustomer')}
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
            <Tooltip label={t('mentions.notAddressedHelp')} multiline w={260}>
              <Badge size="xs" variant="outline" color="orange" tt="none" style={{ flex: 'none' }} data-testid="mention-not-addressed">
                {t('mentions.notAddressed')}
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
            <Tooltip label={t('connection.notSynced')}>
              <IconCloudUp size={14} color="var(--mantine-color-orange-7)" data-testid="mention-pending" />
            </Tooltip>
          )}
        </Group>
      </div>
      <div className={classes.actions}>
        {item.status === 'new' ? (
          <>
            <RowAction variant="light" onClick={() => onConvert(item)} data-testid="mention-convert">
              {t('mentions.convert')}
            </RowAction>
            <RowAction variant="subtle" color="gray" onClick={() => onDismiss(item)} data-testid="mention-dismiss">
              {t('common.dismiss')}
            </RowAction>
          </>
        ) : item.caseId ? (
          <RowAction variant="subtle" onClick={() => onOpenCase(item.caseId!)} data-testid="mention-open-case">
            {t('common.openCase')}
          </RowAction>
        ) : null}
      </div>
    </TableRow>
  );
});

/** A button on a row: clicking it does its action only, not also the row's (selecting it). */
function RowAction({ onClick, ...props }: Omit<ButtonProps, 'size'> & { onClick: () => void; children: ReactNode }) {
  return (
    <Button
      size="compact-xs"
      {...props}
      onClick={(event) => {
        event.stopPropagation();
        onClick();
      }}
    />
  );
}
