/** Someone's presence on the agent board: the state with its reason, and how long they have been in it (ticking). */
import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Presence } from '../../../../shared/protocol';
import { awayReasonLabel } from '../../i18n/presence';
import { i18n } from '../../i18n';
import { compactDuration, fullTimestamp } from '../../lib/time';

/** `label` reads the current language. */
const look = (color: string, order: number, presence: Presence) => ({ color, order, get label() { return i18n.t(`presence.${presence}`); } });
export const PRESENCE_LOOK: Record<Presence, { color: string; label: string; order: number }> = {
  available: look('teal', 0, 'available'),
  busy: look('orange', 1, 'busy'),
  away: look('yellow', 2, 'away'),
  offline: look('gray', 3, 'offline'),
};

export function PresenceBadge({ presence, reason, since, now }: { presence: Presence; reason: string | null; since: string; now: number }) {
  const { t } = useTranslation();
  const look = PRESENCE_LOOK[presence];
  const why = reason ? awayReasonLabel(reason) : null;
  return (
    <Group gap={6} wrap="nowrap">
      <Badge variant="light" color={look.color} tt="none" fw={600} maw={190} style={{ flex: 'none' }} data-testid="agent-presence" title={why ? `${look.label}: ${why}` : look.label}>
        {why ? `${look.label} · ${why}` : look.label}
      </Badge>
      <Text size="xs" c="dimmed" className="tabular" data-testid="agent-presence-since" title={t('presence.since', { time: fullTimestamp(since) })} style={{ whiteSpace: 'nowrap' }}>
        {compactDuration(now - Date.parse(since))}
      </Text>
    </Group>
  );
}
