/** Whether a person is there to take the cases: their presence as the hub last told (supervisors may read everyone's). */
import { Box } from '@mantine/core';
import { PRESENCE, type Presence } from '../../../../shared/protocol';
import { useApiQuery } from '../../api/queries';
import { i18n } from '../../i18n';

const COLOR: Record<Presence, string> = {
  available: 'var(--mantine-color-teal-5)',
  busy: 'var(--mantine-color-orange-5)',
  away: 'var(--mantine-color-yellow-5)',
  offline: 'var(--mantine-color-gray-4)',
};

const isPresence = (value: string): value is Presence => (PRESENCE as readonly string[]).includes(value);

/**
 * Everyone's presence by user id, from the hub's user list (online only):
 * fetched when a move is being chosen; empty when it cannot be had, and then
 * the people are simply listed without it.
 */
export function usePresence(): ReadonlyMap<string, Presence> {
  const users = useApiQuery('admin.users.list', {}, { retry: false, staleTime: 10_000 });
  const map = new Map<string, Presence>();
  for (const user of users.data ?? []) if (isPresence(user.presence)) map.set(user.id, user.presence);
  return map;
}

export function PresenceDot({ presence }: { presence: Presence | undefined }) {
  if (!presence) return null;
  return <Box aria-hidden w={8} h={8} title={i18n.t(`presence.${presence}`)} style={{ borderRadius: '50%', background: COLOR[presence], flex: 'none' }} data-testid="presence-dot" data-presence={presence} />;
}
