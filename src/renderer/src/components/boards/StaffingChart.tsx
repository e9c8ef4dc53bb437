/**
 * The staffing chart above the queue board: per queue, agents available now
 * against agents needed (Erlang C, src/shared/staffing.ts), and the shortfall
 * a supervisor acts on.
 */
import { useTranslation } from 'react-i18next';
import { Group, Paper, Text } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import type { QueueStats } from '../../../../shared/protocol';

export function StaffingChart({ stats, nameOf }: { stats: QueueStats[]; nameOf: (queueId: string) => string }) {
  const { t } = useTranslation();
  const rows = [...stats].sort((a, b) => nameOf(a.queueId).localeCompare(nameOf(b.queueId)));
  const data = rows.map((r) => ({ queue: nameOf(r.queueId), Available: r.agentsAvailable, Needed: r.agentsNeeded }));
  const short = rows.filter((r) => r.agentsNeeded > r.agentsAvailable);
  const missing = short.reduce((sum, r) => sum + r.agentsNeeded - r.agentsAvailable, 0);
  return (
    <Paper withBorder radius="sm" p="sm" m="sm" mb={0} data-testid="staffing-chart" style={{ flex: 'none' }}>
      <Group justify="space-between" wrap="nowrap" mb={6} gap="xs">
        <Text size="sm" fw={600}>
          {t('staffing.title')}
        </Text>
        <Text size="sm" data-testid="staffing-summary" data-short={missing} c={missing > 0 ? 'red' : 'teal'} fw={missing > 0 ? 700 : 500} truncate>
          {missing > 0
            ? t('staffing.short', { count: missing, queues: short.map((r) => t('staffing.queue', { queue: nameOf(r.queueId), available: r.agentsAvailable, needed: r.agentsNeeded })).join(', ') })
            : t('staffing.enough')}
        </Text>
      </Group>
      <BarChart
        h={150}
        data={data}
        dataKey="queue"
        series={[
          { name: 'Available', label: t('staffing.available'), color: 'teal.6' },
          { name: 'Needed', label: t('staffing.needed'), color: 'indigo.5' },
        ]}
        withLegend
        legendProps={{ verticalAlign: 'top', height: 26 }}
        tickLine="none"
        gridAxis="y"
        yAxisProps={{ allowDecimals: false, width: 28 }}
        maxBarWidth={28}
        tooltipAnimationDuration={0}
      />
    </Paper>
  );
}
