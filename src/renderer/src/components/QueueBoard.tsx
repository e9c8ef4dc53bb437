/**
 * The supervisor's queue board: every queue's live figures from `queue:stats`
 * — waiting and the oldest wait, SLAs at risk and breached, arrivals over the
 * last 4 hours against the usual for the time of day, agents available against
 * agents needed (Erlang C) — under a staffing chart, sortable by any column.
 */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { Badge, Box, Table, Text } from '@mantine/core';
import type { QueueStats } from '../../../shared/protocol';
import { api, call } from '../api/client';
import { useQueues } from '../api/queries';
import { compactDuration } from '../lib/time';
import { ArrivalsCell } from './boards/ArrivalsCell';
import { type SortColumn, SortHeader, useSorted } from './boards/sorting';
import { StaffingChart } from './boards/StaffingChart';
import { ViewToolbar } from './ListView';

type Key = keyof QueueStats | 'name';
const KEYS = ['name', 'waiting', 'oldestWaitSeconds', 'atRisk', 'breached', 'arrivals15m', 'agentsAvailable', 'agentsNeeded', 'averageHandleSeconds'] as const satisfies readonly Key[];
const columns = (t: TFunction): SortColumn<Key>[] => KEYS.map((key) => ({ key, label: t(`queueBoard.columns.${key}.label`), title: t(`queueBoard.columns.${key}.title`) }));

export function QueueBoard() {
  const { t } = useTranslation();
  const COLUMNS = columns(t);
  const queues = useQueues().data ?? [];
  const [stats, setStats] = useState<QueueStats[] | null>(null);
  useEffect(() => {
    void call('queues.stats', {}).then((latest) => latest && setStats(latest));
    return api.on('queue:stats', setStats);
  }, []);

  const nameOf = (id: string) => queues.find((q) => q.id === id)?.name ?? '…';
  const { sorted: rows, sort, sortBy } = useSorted<QueueStats, Key>(
    stats ?? [],
    (row, key) => (key === 'name' ? nameOf(row.queueId) : key === 'arrivalsSeries' ? null : row[key]),
    { key: 'breached', desc: true },
  );

  return (
    <Box data-testid="queue-board" style={{ display: 'flex', flexDirection: 'column', minHeight: 0, height: '100%' }}>
      <ViewToolbar title={t('queueBoard.title')} total={stats?.length} noun="queue">
        <Text size="xs" c="dimmed" truncate>
          {t('queueBoard.hint')}
        </Text>
      </ViewToolbar>
      {stats === null ? (
        <Text size="sm" c="dimmed" p="md" data-testid="queue-board-waiting">
          {t('boards.waiting')}
        </Text>
      ) : (
        <>
          <StaffingChart stats={stats} nameOf={nameOf} />
          <Box style={{ overflow: 'auto', flex: 1, minHeight: 0 }}>
            <Table striped highlightOnHover stickyHeader verticalSpacing={6} horizontalSpacing={8} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  {COLUMNS.map((column) => (
                    <SortHeader key={column.key} column={column} sort={sort} onSort={sortBy} text={column.key === 'name'} />
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row) => (
                  <Table.Tr key={row.queueId} data-testid="queue-board-row" data-queue={nameOf(row.queueId)} data-waiting={row.waiting}>
                    <Table.Td fw={600} style={{ whiteSpace: 'nowrap' }}>
                      {nameOf(row.queueId)}
                    </Table.Td>
                    <Table.Td className="tabular">{row.waiting}</Table.Td>
                    <Table.Td className="tabular">{row.waiting > 0 ? compactDuration(row.oldestWaitSeconds * 1000) : '—'}</Table.Td>
                    <Table.Td className="tabular">{row.atRisk > 0 ? <Badge color="orange" variant="light">{row.atRisk}</Badge> : 0}</Table.Td>
                    <Table.Td className="tabular">{row.breached > 0 ? <Badge color="red" variant="light">{row.breached}</Badge> : 0}</Table.Td>
                    <Table.Td>
                      <ArrivalsCell row={row} />
                    </Table.Td>
                    <Table.Td className="tabular" style={{ whiteSpace: 'nowrap' }}>
                      {row.agentsAvailable}{' '}
                      <Text span size="xs" c="dimmed">
                        {t('queueBoard.ofSignedIn', { count: row.agentsSignedIn })}
                      </Text>
                    </Table.Td>
                    <Table.Td className="tabular">
                      <Text span fw={row.agentsNeeded > row.agentsAvailable ? 700 : undefined} c={row.agentsNeeded > row.agentsAvailable ? 'red' : undefined} data-testid="queue-board-needed">
                        {row.agentsNeeded}
                      </Text>
                    </Table.Td>
                    <Table.Td className="tabular">{row.averageHandleSeconds === null ? '—' : compactDuration(row.averageHandleSeconds * 1000)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Box>
        </>
      )}
    </Box>
  );
}
