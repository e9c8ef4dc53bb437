import { Text } from '@mantine/core';
import { compactDuration, slaState } from '../lib/time';

const COLORS = { none: 'dimmed', ok: 'dark.4', soon: 'orange.7', breached: 'red.7' } as const;

export function SlaCountdown({ dueAt, now, closed, short = false }: { dueAt: string | null; now: number; closed: boolean; short?: boolean }) {
  const state = slaState(dueAt, now, closed);
  if (state === 'none' || !dueAt) return <Text size="xs" c="dimmed">—</Text>;
  const left = Date.parse(dueAt) - now;
  return (
    <Text size="xs" fw={state === 'ok' ? 400 : 600} c={COLORS[state]} data-sla={state} style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
      {state === 'breached' ? (short ? `${compactDuration(left)} over` : `breached ${compactDuration(left)} ago`) : `in ${compactDuration(left)}`}
    </Text>
  );
}
