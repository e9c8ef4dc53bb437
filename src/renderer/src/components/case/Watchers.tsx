/**
 * Collision detection on the open case: this console tells the core which
 * case is open and whether a reply is being written to it (`cases.watch`),
 * and shows who else is on the case now — "Ana is viewing · Bo is replying",
 * with their initials and since when in a tooltip.
 */
import { useEffect, useState } from 'react';
import { Avatar, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CaseWatcher, WatchMode } from '../../../../shared/protocol';
import { i18n } from '../../i18n';
import { api, call } from '../../api/client';
import { formatTimestamp } from '../../lib/time';

/** Says what this console does with the case, for as long as it is open. */
export function useWatchCase(caseId: string, replying: boolean): void {
  const mode: WatchMode = replying ? 'replying' : 'viewing';
  useEffect(() => {
    // Best effort: without the hub there is nobody to tell, and the core tells it again on reconnect.
    void call('cases.watch', { caseId, mode }).catch(() => undefined);
  }, [caseId, mode]);
  useEffect(() => () => void call('cases.watch', { caseId: null, mode: 'viewing' }).catch(() => undefined), [caseId]);
}

/** Who else is on the case, as the hub last said (the core leaves this user out). */
export function useCaseWatchers(caseId: string): CaseWatcher[] {
  const [watchers, setWatchers] = useState<CaseWatcher[]>([]);
  useEffect(
    () =>
      api.on('case:watchers', (payload) => {
        if (payload.caseId === caseId) setWatchers(payload.watchers);
      }),
    [caseId],
  );
  return watchers;
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]!.toUpperCase())
    .join('') || '?';
const firstName = (name: string) => name.split(/\s+/)[0] || name;
/** "Dewi is replying": the whole phrase, as languages order it differently. */
const doing = (name: string, mode: WatchMode) => i18n.t(mode === 'replying' ? 'watchers.replying' : 'watchers.viewing', { name });

/** How many faces are shown before "+N". */
const MAX_AVATARS = 4;

/** "Ana is viewing · Bo is replying"; beyond three people, a count. */
export function watchersText(watchers: readonly CaseWatcher[]): string {
  if (watchers.length > 3) {
    const replying = watchers.filter((w) => w.mode === 'replying').length;
    return replying > 0 ? i18n.t('watchers.manyReplying', { count: watchers.length, replying }) : i18n.t('watchers.many', { count: watchers.length });
  }
  return watchers.map((w) => doing(firstName(w.name), w.mode)).join(' · ');
}

export function Watchers({ watchers, now }: { watchers: readonly CaseWatcher[]; now: number }) {
  useTranslation(); // shown again when the language changes
  if (watchers.length === 0) return null;
  const replying = watchers.some((w) => w.mode === 'replying');
  const shown = watchers.slice(0, MAX_AVATARS);
  return (
    // May shrink (the text truncates) so a narrow case column keeps room for the close button.
    <Group gap={6} wrap="nowrap" style={{ flex: '0 1 auto', minWidth: 0 }} data-testid="case-watchers" data-count={watchers.length} aria-live="polite">
      <Avatar.Group spacing={6} style={{ flex: 'none' }}>
        {shown.map((w) => (
          <Tooltip key={w.userId} label={i18n.t('watchers.since', { doing: doing(w.name, w.mode), time: formatTimestamp(w.since, now) })} withArrow>
            <Avatar
              size={22}
              radius="xl"
              color={w.mode === 'replying' ? 'orange' : 'blue'}
              variant={w.mode === 'replying' ? 'filled' : 'light'}
              data-testid="case-watcher"
              data-user-id={w.userId}
              data-mode={w.mode}
              aria-label={doing(w.name, w.mode)}
            >
              <Text span size="9px" fw={700}>
                {initials(w.name)}
              </Text>
            </Avatar>
          </Tooltip>
        ))}
        {watchers.length > shown.length && (
          <Avatar size={22} radius="xl" color="gray">
            <Text span size="9px" fw={700}>
              +{watchers.length - shown.length}
            </Text>
          </Avatar>
        )}
      </Avatar.Group>
      <Text size="xs" c={replying ? 'orange.8' : 'dimmed'} fw={replying ? 600 : undefined} truncate style={{ minWidth: 0 }} data-testid="case-watchers-text">
        {watchersText(watchers)}
      </Text>
    </Group>
  );
}
