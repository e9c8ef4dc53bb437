/**
 * The supervisor's agent board: everyone who takes work, live from
 * `agent:stats` — presence with its reason and time in state, queues, skills,
 * current work against capacity (a live call shows there, and takes all of
 * it), cases handled today and the handle time —
 * filtered by queue and skills, sortable by any column.
 */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { Badge, Box, Group, MultiSelect, Progress, Select, Table, Text, Tooltip } from '@mantine/core';
import { IconPhone } from '@tabler/icons-react';
import type { AgentStats } from '../../../shared/protocol';
import { api, call } from '../api/client';
import { useQueues } from '../api/queries';
import { compactDuration, formatTimestamp } from '../lib/time';
import { useNow } from '../lib/useNow';
import { PRESENCE_LOOK, PresenceBadge } from './boards/PresenceBadge';
import { type SortColumn, SortHeader, useSorted } from './boards/sorting';
import { ViewToolbar } from './ListView';

type Key = 'name' | 'presence' | 'queues' | 'skills' | 'load' | 'handledToday' | 'averageHandleSeconds';
const KEYS: Key[] = ['name', 'presence', 'queues', 'skills', 'load', 'handledToday', 'averageHandleSeconds'];
const columns = (t: TFunction): SortColumn<Key>[] => KEYS.map((key) => ({ key, label: t(`agentBoard.columns.${key}.label`), title: t(`agentBoard.columns.${key}.title`) }));
const TEXT_KEYS: Key[] = ['name', 'queues', 'skills'];
const PRESENCES = ['available', 'busy', 'away', 'offline'] as const;

export function AgentBoard() {
  const { t } = useTranslation();
  const COLUMNS = columns(t);
  const queues = useQueues().data ?? [];
  const now = useNow(1000);
  const [stats, setStats] = useState<AgentStats[] | null>(null);
  const [queueFilter, setQueueFilter] = useState<string | null>(null);
  const [skillFilter, setSkillFilter] = useState<string[]>([]);
  useEffect(() => {
    void call('agents.stats', {}).then((latest) => latest && setStats(latest));
    return api.on('agent:stats', setStats);
  }, []);

  const nameOf = (id: string) => queues.find((q) => q.id === id)?.name ?? '…';
  const queueNames = (row: AgentStats) => row.queueIds.map(nameOf).sort();
  const skills = [...new Set((stats ?? []).flatMap((r) => r.skills))].sort();
  // Every chosen skill, so "billing" and "es" finds who can take a Spanish billing case.
  const shown = (stats ?? []).filter((r) => (queueFilter === null || r.queueIds.includes(queueFilter)) && skillFilter.every((s) => r.skills.includes(s)));
  const { sorted: rows, sort, sortBy } = useSorted<AgentStats, Key>(
    shown,
    (row, key) => {
      switch (key) {
        case 'name':
          return row.name;
        case 'presence':
          // Descending puts the available first; within a state, the longest in it first.
          return -PRESENCE_LOOK[row.presence].order * 1e13 - Date.parse(row.since);
        case 'queues':
          return queueNames(row).join(', ');
        case 'skills':
          return row.skills.join(', ');
        case 'load':
          return row.capacity > 0 ? row.activeCases / row.capacity : row.activeCases;
        case 'handledToday':
          return row.handledToday;
        case 'averageHandleSeconds':
          return row.averageHandleSeconds;
      }
    },
    { key: 'presence', desc: true },
  );
  const counts = rows.reduce<Record<string, number>>((all, r) => ({ ...all, [r.presence]: (all[r.presence] ?? 0) + 1 }), {});

  return (
    <Box data-testid="agent-board" style={{ display: 'flex', flexDirection: 'column', minHeight: 0, height: '100%' }}>
      <ViewToolbar
        title={t('agentBoard.title')}
        // Counted in the hint: "people", not "persons".
        total={undefined}
        noun=""
        hint={
          <Group gap={4} wrap="nowrap">
            {stats !== null && (
              <Text size="xs" c="dimmed" className="tabular" mr={6} style={{ whiteSpace: 'nowrap' }} data-testid="agent-board-total">
                {t('agentBoard.people', { count: rows.length })}
              </Text>
            )}
            {PRESENCES.map((p) => (
              <Badge key={p} size="sm" variant="dot" color={PRESENCE_LOOK[p].color} tt="none" fw={500} visibleFrom="lg" style={{ flex: 'none' }} data-testid={`agent-board-count-${p}`}>
                {t(`agentBoard.count.${p}`, { count: counts[p] ?? 0 })}
              </Badge>
            ))}
          </Group>
        }
      >
        <Group gap="xs" wrap="nowrap">
          <Select
            size="xs"
            w={150}
            placeholder={t('agentBoard.allQueues')}
            aria-label={t('agentBoard.filterQueue')}
            data={queues.map((q) => ({ value: q.id, label: q.name }))}
            value={queueFilter}
            onChange={setQueueFilter}
            clearable
            clearButtonProps={{ 'aria-label': t('agentBoard.clearQueue') }}
            data-testid="agent-board-queue-filter"
          />
          <MultiSelect
            size="xs"
            w={180}
            placeholder={skillFilter.length ? undefined : skills.length ? t('agentBoard.anySkills') : t('agentBoard.noSkills')}
            aria-label={t('agentBoard.filterSkills')}
            data={skills}
            value={skillFilter}
            onChange={setSkillFilter}
            disabled={skills.length === 0}
            clearable
            clearButtonProps={{ 'aria-label': t('agentBoard.clearSkills') }}
            searchable
            data-testid="agent-board-skill-filter"
          />
        </Group>
      </ViewToolbar>
      {stats === null ? (
        <Text size="sm" c="dimmed" p="md" data-testid="agent-board-waiting">
          {t('boards.waiting')}
        </Text>
      ) : (
        <Box style={{ overflow: 'auto', flex: 1, minHeight: 0 }}>
          <Table striped highlightOnHover stickyHeader verticalSpacing={8} horizontalSpacing={8} fz="sm">
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((column) => (
                  <SortHeader key={column.key} column={column} sort={sort} onSort={sortBy} text={TEXT_KEYS.includes(column.key)} />
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={COLUMNS.length}>
                    <Text size="sm" c="dimmed" data-testid="agent-board-empty">
                      {t('agentBoard.nobody')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
              {rows.map((row) => {
                // A live call takes all of the capacity (src/shared/routing.ts loadOf): the bar is full, in the call's colour.
                const used = row.onCall ? 100 : row.capacity > 0 ? Math.min(100, (row.activeCases / row.capacity) * 100) : row.activeCases > 0 ? 100 : 0;
                return (
                  <Table.Tr key={row.userId} data-testid="agent-board-row" data-user={row.name} data-user-id={row.userId} data-presence={row.presence} data-active={row.activeCases} data-handled={row.handledToday}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {row.name}
                      </Text>
                      {row.role !== 'agent' && (
                        <Text size="xs" c="dimmed">
                          {t(`roles.${row.role}`)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td miw={150}>
                      <PresenceBadge presence={row.presence} reason={row.reason} since={row.since} now={now} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c={row.queueIds.length ? undefined : 'dimmed'} lineClamp={2}>
                        {row.queueIds.length ? queueNames(row).join(', ') : t('agentBoard.noQueues')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {row.skills.length === 0 ? (
                          <Text size="xs" c="dimmed">
                            —
                          </Text>
                        ) : (
                          row.skills.map((s) => (
                            <Badge key={s} size="xs" variant="outline" color="gray" tt="none" style={{ flex: 'none' }}>
                              {s}
                            </Badge>
                          ))
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td miw={110}>
                      <Text size="xs" className="tabular" mb={3} data-testid="agent-board-load">
                        {t('agentBoard.load', { active: row.activeCases, capacity: row.capacity })}
                      </Text>
                      <Progress value={used} size="sm" color={row.onCall ? 'green' : used >= 100 ? 'red' : used >= 80 ? 'orange' : 'blue'} aria-label={t('agentBoard.loadLabel', { active: row.activeCases, capacity: row.capacity })} />
                      {row.onCall && (
                        <Tooltip label={t('agentBoard.onCallTitle', { from: row.onCall.from, time: formatTimestamp(row.onCall.answeredAt) })}>
                          <Text size="xs" fw={600} c="green" mt={4} className="tabular" style={{ display: 'flex', alignItems: 'center', gap: 4 }} data-testid="agent-board-on-call">
                            <IconPhone size={12} aria-hidden style={{ flex: 'none' }} />
                            {t('agentBoard.onCall', { duration: compactDuration(now - Date.parse(row.onCall.answeredAt)) })}
                          </Text>
                        </Tooltip>
                      )}
                    </Table.Td>
                    <Table.Td className="tabular">{row.handledToday}</Table.Td>
                    <Table.Td className="tabular">{row.averageHandleSeconds === null ? '—' : compactDuration(row.averageHandleSeconds * 1000)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Box>
      )}
    </Box>
  );
}
