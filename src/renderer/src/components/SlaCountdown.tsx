import { Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { dueState } from '../../../shared/sla';
import { fullTimestamp, slaText } from '../lib/time';

// Plain colour names: their text shade is the one that passes AA (contrast.ts).
const COLORS = { ok: undefined, 'at-risk': 'orange', breached: 'red' } as const;

/** "in 2h 14m" / "breached 35m ago": red once breached, orange when at risk (the shared SLA clock's warning lead). */
export function SlaCountdown({ dueAt, now, done }: { dueAt: string | null; now: number; done: boolean }) {
  const { t } = useTranslation();
  const state = dueState(dueAt, now, done);
  if (state === 'none' || !dueAt) {
    return (
      <Text span size="xs" c="dimmed" data-sla="none">
        {done && dueAt ? t('time.slaMet') : '—'}
      </Text>
    );
  }
  return (
    <Tooltip label={t('time.due', { time: fullTimestamp(dueAt) })}>
      <Text span size="xs" fw={state === 'ok' ? 400 : 600} c={COLORS[state]} data-sla={state} className="tabular" truncate style={{ minWidth: 0 }}>
        {slaText(dueAt, now)}
      </Text>
    </Tooltip>
  );
}
