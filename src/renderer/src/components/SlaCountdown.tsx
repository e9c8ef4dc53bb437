import { Stack, Text, Tooltip } from '@mantine/core';
import { IconPlayerPauseFilled } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { businessTimeLeft, type CaseClockView, countdownState } from '../../../shared/sla';
import { compactDuration, fullTimestamp, slaText } from '../lib/time';

// Plain colour names: their text shade is the one that passes AA (contrast.ts).
const COLORS = { ok: undefined, 'at-risk': 'orange', breached: 'red' } as const;

export type SlaTarget = 'firstResponse' | 'resolution';

interface Props {
  dueAt: string | null;
  now: number;
  done: boolean;
  /** Which target `dueAt` is (the tooltip names it); first response unless said. */
  target?: SlaTarget;
  /** The case's clock by its own SLA policy (the queue item's `sla`): paused in its status, warning lead, calendar. */
  clock: CaseClockView;
  /** The resolution due time, named in the tooltip beside the first response's (the queue's rows). */
  resolutionDueAt?: string | null;
}

/**
 * "in 2h 14m" / "breached 35m ago": red once breached, orange when at risk — less business time left than the
 * case's policy warns at (src/shared/sla.ts countdownState); "paused" while its policy stops the clock in the
 * case's status, the due times still in the tooltip, with the working time left when the calendar has hours.
 */
export function SlaCountdown({ dueAt, now, done, target = 'firstResponse', clock, resolutionDueAt }: Props) {
  const { t } = useTranslation();
  const { paused } = clock;
  const state = countdownState(dueAt, now, done, clock);
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
    // Outside working hours nothing is used up: what is left of them, beside the wall-clock time.
    ...(clock.calendar.kind === 'business' && !paused && state !== 'breached' ? [t('sla.businessLeft', { duration: compactDuration(businessTimeLeft(clock, dueAt, now)) })] : []),
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
