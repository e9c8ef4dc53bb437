/**
 * The supervisor's queue board: every queue's live figures from `queue:stats`
 * — waiting and the oldest wait, SLAs at risk and breached, arrivals, agents
 * available against agents needed (Erlang C) — sortable by any column.
 */
import { useEffect, useState } from 'react';
import { Badge, Box, Table, Text, UnstyledButton } from '@mantine/core';
import { IconArrowsSort, IconSortAscending, IconSortDescending } from '@tabler/icons-react';
import type { QueueStats } from '../../../shared/protocol';
import { api, call } from '../api/client';
import { useQueues } from '../api/queries';
import { compactDuration } from '../lib/time';
import { ViewToolbar } from './ListView';

type Column = { key: keyof QueueStats | 'name'; label: string; title: string };
const COLUMNS: Column[] = [
  { key: 'name', label: 'Queue', title: 'The queue' },
  { key: 'waiting', label: 'Waiting', title: 'New or open cases nobody has taken yet' },
  { key: 'oldestWaitSeconds', label: 'Oldest wait', title: 'How long the longest-waiting case has waited' },
  { key: 'atRisk', label: 'At risk', title: 'Cases whose SLA falls due within the hour' },
  { key: 'breached', label: 'Breached', title: 'Cases past their SLA' },
  { key: 'arrivals15m', label: 'Arrivals 15 min', title: 'Cases opened in the last 15 minutes' },
  { key: 'agentsAvailable', label: 'Available', title: 'Members available now (of those signed in)' },
  { key: 'agentsNeeded', label: 'Needed', title: 'Agents needed now for 80 % answered within 60 s (Erlang C, last hour’s arrivals)' },
  { key: 'averageHandleSeconds', label: 'Handle time', title: 'Opened to solved, over the cases solved in the last 24 hours' },
];

export function QueueBoard() {
  const queues = useQueues().data ?? [];
  const [stats, setStats] = useState<QueueStats[] | null>(null);
  const [sort, setSort] = useState<{ key: Column['key']; desc: boolean }>({ key: 'breached', desc: true });
  useEffect(() => {
    void call('queues.stats', {}).then((latest) => latest && setStats(latest));
    return api.on('queue:stats', setStats);
  }, []);

  const nameOf = (id: string) => queues.find((q) => q.id === id)?.name ?? '…';
  const value = (row: QueueStats, key: Column['key']) => (key === 'name' ? nameOf(row.queueId) : (row[key] ?? -1));
  const rows = [...(stats ?? [])].sort((a, b) => {
    const [x, y] = [value(a, sort.key), value(b, sort.key)];
    const order = typeof x === 'string' ? x.localeCompare(String(y)) : Number(x) - Number(y);
    return sort.desc ? -order : order;
  });
  const sortBy = (key: Column['key']) => setSort((current) => ({ key, desc: current.key === key ? !current.desc : key !== 'name' }));

  return (
    <Box data-testid="queue-board" style={{ display: 'flex', flexDirection: 'column', minHeight: 0, height: '100%' }}>
      <ViewToolbar title="Queue board" total={stats?.length} noun="queue">
        <Text size="xs" c="dimmed">
          Live; needed agents by Erlang C for 80 % answered within 60 s
        </Text>
      </ViewToolbar>
      {stats === null ? (
        <Text size="sm" c="dimmed" p="md" data-testid="queue-board-waiting">
          Waiting for the hub’s first figures…
        </Text>
      ) : (
        <Box style={{ overflow: 'auto' }}>
          <Table striped highlightOnHover stickyHeader verticalSpacing={8} fz="sm">
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((column) => (
                  <Table.Th key={column.key} title={column.title} aria-sort={sort.key === column.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                    <UnstyledButton onClick={() => sortBy(column.key)} style={{ display: 'inline-flex', alignItems: 'center', gap: 4, fontWeight: 600, fontSize: 12 }}>
                      {column.label}
                      {sort.key !== column.key ? <IconArrowsSort size={12} opacity={0.4} /> : sort.desc ? <IconSortDescending size={12} /> : <IconSortAscending size={12} />}
                    </UnstyledButton>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={row.queueId} data-testid="queue-board-row" data-queue={nameOf(row.queueId)} data-waiting={row.waiting}>
                  <Table.Td fw={600}>{nameOf(row.queueId)}</Table.Td>
                  <Table.Td className="tabular">{row.waiting}</Table.Td>
                  <Table.Td className="tabular">{row.waiting > 0 ? compactDuration(row.oldestWaitSeconds * 1000) : '—'}</Table.Td>
                  <Table.Td className="tabular">{row.atRisk > 0 ? <Badge color="orange" variant="light">{row.atRisk}</Badge> : 0}</Table.Td>
                  <Table.Td className="tabular">{row.breached > 0 ? <Badge color="red" variant="light">{row.breached}</Badge> : 0}</Table.Td>
                  <Table.Td className="tabular">{row.arrivals15m}</Table.Td>
                  <Table.Td className="tabular">
                    {row.agentsAvailable} <Text span size="xs" c="dimmed">of {row.agentsSignedIn}</Text>
                  </Table.Td>
                  <Table.Td className="tabular">
                    <Text span fw={row.agentsNeeded > row.agentsAvailable ? 700 : undefined} c={row.agentsNeeded > row.agentsAvailable ? 'red.7' : undefined} data-testid="queue-board-needed">
                      {row.agentsNeeded}
                    </Text>
                  </Table.Td>
                  <Table.Td className="tabular">{row.averageHandleSeconds === null ? '—' : compactDuration(row.averageHandleSeconds * 1000)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Box>
      )}
    </Box>
  );
}
