import { Text, Tooltip } from '@mantine/core';
import { dueState } from '../../../shared/sla';
import { fullTimestamp, slaText } from '../lib/time';

// Plain colour names: their text shade is the one that passes AA (contrast.ts).
const COLORS = { ok: undefined, 'at-risk': 'orange', breached: 'red' } as const;

/** "in 2h 14m" / "breached 35m ago": red once breached, orange when at risk (the shared SLA clock's warning lead). */
export function SlaCountdown({ dueAt, now, done }: { dueAt: string | null; now: number; done: boolean }) {
  const state = dueState(dueAt, now, done);
  if (state === 'none' || !dueAt) {
    return (
      <Text span size="xs" c="dimmed" data-sla="none">
        {done && dueAt ? 'met' : '—'}
      </Text>
    );
  }
  return (
    <Tooltip label={`Due ${fullTimestamp(dueAt)}`}>
      <Text span size="xs" fw={state === 'ok' ? 400 : 600} c={COLORS[state]} data-sla={state} className="tabular" style={{ whiteSpace: 'nowrap' }}>
        {slaText(dueAt, now)}
      </Text>
    </Tooltip>
  );
}
