/** Someone's presence on the agent board: the state with its reason, and how long they have been in it (ticking). */
import { Badge, Group, Text } from '@mantine/core';
import type { Presence } from '../../../../shared/protocol';
import { compactDuration } from '../../lib/time';

export const PRESENCE_LOOK: Record<Presence, { color: string; label: string; order: number }> = {
  available: { color: 'teal', label: 'Available', order: 0 },
  busy: { color: 'orange', label: 'Busy', order: 1 },
  away: { color: 'yellow', label: 'Away', order: 2 },
  offline: { color: 'gray', label: 'Offline', order: 3 },
};

export function PresenceBadge({ presence, reason, since, now }: { presence: Presence; reason: string | null; since: string; now: number }) {
  const look = PRESENCE_LOOK[presence];
  return (
    <Group gap={6} wrap="nowrap">
      <Badge variant="light" color={look.color} tt="none" fw={600} maw={190} style={{ flex: 'none' }} data-testid="agent-presence" title={reason ? `${look.label}: ${reason}` : look.label}>
        {reason ? `${look.label} · ${reason}` : look.label}
      </Badge>
      <Text size="xs" c="dimmed" className="tabular" data-testid="agent-presence-since" title={`Since ${new Date(since).toLocaleString()}`} style={{ whiteSpace: 'nowrap' }}>
        {compactDuration(now - Date.parse(since))}
      </Text>
    </Group>
  );
}
