import { Stack, Text, Tooltip } from '@mantine/core';
import { IconPlayerPauseFilled } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { dueState } from '../../../shared/sla';
import { fullTimestamp, slaText } from '../lib/time';

// Plain colour names: their text shade is the one that passes AA (contrast.ts).
const COLORS = { ok: undefined, 'at-risk': 'orange', breached: 'red' } as const;

export type SlaTarget = 'firstResponse' | 'resolution';

interface Props {
  dueAt: string | null;
  now: number;
  done: boolean;
  /** Which target `dueAt` is (the tooltip names it); first response unless said. */
  target?: SlaTarget;
  /** The clock stands (the case waits on the customer: src/shared/sla.ts clockPausedIn). */
  paused?: boolean;
  /** The resolution due time, named in the tooltip beside the first response's (the queue's rows). */
  resolutionDueAt?: string | null;
}

/**
 * "in 2h 14m" / "breached 35m ago": red once breached, orange when at risk (the shared SLA clock's warning lead);
 * "paused" while the clock stands, the due times still in the tooltip.
 */
export function SlaCountdown({ dueAt, now, done, target = 'firstResponse', paused = false, resolutionDueAt }: Props) {
  const { t } = useTranslation();
  const state = dueState(dueAt, now, done);
  if (state === 'none' || !dueAt) {
    return (
      <Text span size="xs" c="dimmed" data-sla="none">
        {done && dueAt ? t('time.slaMet') : '—'}
      </Text>
    );
  }
  const lines = [
    ...(paused ? [t('sla.pausedTitle')] : []),
    target === 'resolution' ? t('sla.resolutionDue', { time: fullTimestamp(dueAt) }) : t('time.due', { time: fullTimestamp(dueAt) }),
    ...(resolutionDueAt ? [t('sla.resolutionDue', { time: fullTimestamp(resolutionDueAt) })] : []),
  ];
  const label = (
    <Stack gap={2}>
      {lines.map((line) => (
        <span key={line}>{line}</span>
      ))}
    </Stack>
  );
  if (paused) {
    return (
      <Tooltip label={label} multiline maw={320}>
        <Text span size="xs" fw={500} c="blue" data-sla="paused" style={{ display: 'inline-flex', alignItems: 'center', gap: 3, whiteSpace: 'nowrap' }}>
          <IconPlayerPauseFilled size={11} aria-hidden />
          {t('sla.paused')}
        </Text>
      </Tooltip>
    );
  }
  return (
    <Tooltip label={label} multiline maw={320}>
      <Text span size="xs" fw={state === 'ok' ? 400 : 600} c={COLORS[state]} data-sla={state} className="tabular" truncate style={{ minWidth: 0 }}>
        {slaText(dueAt, now)}
      </Text>
    </Tooltip>
  );
}
