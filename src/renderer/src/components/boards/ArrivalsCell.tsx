/** The Arrivals column of the queue board: the last 4 hours as a sparkline, and the last 15 minutes against the usual for the time of day. */
import { useTranslation } from 'react-i18next';
import { Group, Stack, Text } from '@mantine/core';
import { Sparkline } from '@mantine/charts';
import type { QueueStats } from '../../../../shared/protocol';

/** Busier than usual: half as much again and at least two more, so one stray case in a quiet queue is no alarm. */
export const busierThanUsual = (row: Pick<QueueStats, 'arrivals15m' | 'usualArrivals15m'>) => row.arrivals15m >= row.usualArrivals15m * 1.5 && row.arrivals15m >= row.usualArrivals15m + 2;

export function ArrivalsCell({ row }: { row: QueueStats }) {
  const { t } = useTranslation();
  const busy = busierThanUsual(row);
  return (
    <Group gap={8} wrap="nowrap" data-testid="queue-board-arrivals" data-now={row.arrivals15m} data-usual={row.usualArrivals15m}>
      <Sparkline
        w={56}
        h={26}
        data={row.arrivalsSeries}
        curveType="monotone"
        color={busy ? 'orange.6' : 'blue.6'}
        fillOpacity={0.35}
        strokeWidth={1.5}
        data-testid="queue-board-sparkline"
        role="img"
        aria-label={t('queueBoard.arrivalsLabel', { series: row.arrivalsSeries.join(', ') })}
        style={{ flex: 'none' }}
      />
      <Stack gap={0}>
        <Text size="sm" className="tabular" fw={busy ? 700 : undefined} c={busy ? 'orange' : undefined} style={{ whiteSpace: 'nowrap' }}>
          {t('queueBoard.now', { count: row.arrivals15m })}
        </Text>
        <Text size="xs" c="dimmed" className="tabular" style={{ whiteSpace: 'nowrap' }}>
          {t('queueBoard.usual', { count: row.usualArrivals15m })}
        </Text>
      </Stack>
    </Group>
  );
}
