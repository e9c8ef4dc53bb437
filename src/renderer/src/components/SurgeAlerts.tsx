/**
 * Surge alerts for supervisors and admins: a card that stays until dismissed —
 * "Surge on X: 48 in 10 min (usual 3)" — with the latest arrivals (a click
 * opens the case) and a one-click move of all the surge's open, unassigned
 * cases to a queue (cases.reassign: one atomic move on the hub). A console
 * opened later shows the alerts of the last hour (surges.list).
 */
import { useTranslation } from 'react-i18next';
import { useCallback, useEffect, useState } from 'react';
import { ActionIcon, Affix, Badge, Button, CloseButton, Collapse, Group, Paper, Select, Stack, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { IconArrowRight, IconCheck, IconChevronDown, IconChevronUp, IconTrendingUp } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { Queue, Role } from '../../../shared/domain';
import { mayOversee } from '../../../shared/policy';
import type { SurgeAlert, SurgeSample } from '../../../shared/protocol';
import { api, call } from '../api/client';
import { useQueues } from '../api/queries';
import { formatTimestamp } from '../lib/time';
import { i18n } from '../i18n';
import { ChannelIcon, channelLabel, isChannel } from './ChannelIcon';
import classes from './SurgeAlerts.module.css';

/** Alerts older than this are not brought back when the console opens. */
const RECENT_MS = 60 * 60_000;
/** More alerts than this at once: the oldest wait behind a "more" line. */
const SHOWN = 2;
const DISMISSED_KEY = 'switchboard.surges.dismissed';

const dismissedIds = (): string[] => {
  try {
    const ids: unknown = JSON.parse(localStorage.getItem(DISMISSED_KEY) ?? '[]');
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
};

/** "X" for a channel, "“zephyr”" for a keyword. */
export const surgeName = (alert: Pick<SurgeAlert, 'kind' | 'key'>): string => (alert.kind === 'channel' && isChannel(alert.key) ? channelLabel(alert.key) : i18n.t('surge.keyword', { keyword: alert.key }));

/** The queue a surge most likely belongs in: one named like the keyword or channel (a "Zephyr" queue for "zephyr"); none, the supervisor picks. */
function matchingQueue(alert: SurgeAlert, queues: Queue[]): string | null {
  const words = [alert.key, surgeName(alert).replace(/[“”]/g, '')].map((w) => w.toLowerCase());
  const named = (queue: Queue) => {
    const name = queue.name.toLowerCase();
    // A word of two letters ("x") would be inside too many names.
    return words.some((w) => name === w || (w.length >= 3 && name.includes(w)));
  };
  return queues.find(named)?.id ?? null;
}

interface Props {
  role: Role;
  onOpenCase: (caseId: string) => void;
  onShowMentions?: () => void;
}

export function SurgeAlerts({ role, onOpenCase, onShowMentions }: Props) {
  const { t } = useTranslation();
  const watcher = mayOversee(role);
  const [alerts, setAlerts] = useState<SurgeAlert[]>([]);
  // One card open at a time, the newest when it comes; the others show their title only, so little of the work is hidden.
  const [openId, setOpenId] = useState<string | null>(null);

  const add = useCallback((incoming: SurgeAlert[]) => {
    const dismissed = new Set(dismissedIds());
    setAlerts((current) => {
      const known = new Set(current.map((a) => a.id));
      const fresh = incoming.filter((a) => !known.has(a.id) && !dismissed.has(a.id));
      if (fresh.length === 0) return current;
      const next = [...current, ...fresh].sort((a, b) => b.at.localeCompare(a.at) || b.id.localeCompare(a.id));
      setOpenId(next[0]!.id);
      return next;
    });
  }, []);

  useEffect(() => {
    if (!watcher) return;
    const off = api.on('surge:alert', (alert) => add([alert]));
    // The hub's word on what was raised before this console connected; offline, only what comes live.
    call('surges.list', {})
      .then((recent) => add(recent.filter((a) => Date.now() - Date.parse(a.at) < RECENT_MS)))
      .catch(() => undefined);
    return off;
  }, [watcher, add]);

  const dismiss = (id: string) => {
    localStorage.setItem(DISMISSED_KEY, JSON.stringify([id, ...dismissedIds()].slice(0, 200)));
    setAlerts((current) => current.filter((a) => a.id !== id));
  };

  if (!watcher || alerts.length === 0) return null;
  return (
    <Affix position={{ top: 104, right: 16 }} zIndex={190}>
      <Stack gap="xs" w={420} maw="calc(100vw - 32px)" data-testid="surge-alerts">
        {alerts.slice(0, SHOWN).map((alert) => (
          <SurgeCard
            key={alert.id}
            alert={alert}
            expanded={alert.id === openId}
            onToggle={() => setOpenId((current) => (current === alert.id ? null : alert.id))}
            onDismiss={() => dismiss(alert.id)}
            onOpenCase={onOpenCase}
            onShowMentions={onShowMentions}
          />
        ))}
        {alerts.length > SHOWN && (
          <Text size="xs" c="dimmed" ta="right" data-testid="surge-more">
            {t('surge.more', { count: alerts.length - SHOWN })}
          </Text>
        )}
      </Stack>
    </Affix>
  );
}

interface CardProps {
  alert: SurgeAlert;
  expanded: boolean;
  onToggle: () => void;
  onDismiss: () => void;
  onOpenCase: (id: string) => void;
  onShowMentions?: () => void;
}

function SurgeCard({ alert, expanded, onToggle, onDismiss, onOpenCase, onShowMentions }: CardProps) {
  const { t } = useTranslation();
  const queues = useQueues();
  const [queueId, setQueueId] = useState<string | null>(null);
  const chosen = queueId ?? matchingQueue(alert, queues.data ?? []);
  const n = alert.caseIds.length;
  const move = useMutation({ mutationFn: (to: string) => call('cases.reassign', { caseIds: alert.caseIds, queueId: to }) });
  const movedTo = queues.data?.find((q) => q.id === move.variables)?.name;
  const mentionsOnly = alert.sample.length > 0 && alert.sample.every((s) => s.caseId === null);

  return (
    <Paper withBorder shadow="md" radius="md" p="sm" className={classes.card} data-testid="surge-alert" data-surge-key={alert.key} data-expanded={expanded}>
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <ThemeIcon color="orange" variant="light" size="md" radius="xl">
          <IconTrendingUp size={16} />
        </ThemeIcon>
        <UnstyledButton style={{ flex: 1, minWidth: 0 }} onClick={onToggle} aria-expanded={expanded} data-testid="surge-toggle">
          <Text size="sm" fw={700} data-testid="surge-title">
            {t('surge.title', { name: surgeName(alert), count: alert.count, minutes: alert.windowMinutes, usual: formatUsual(alert.usual) })}
          </Text>
          <Text size="xs" c="dimmed">
            {alert.kind === 'keyword' ? t('surge.kindKeyword') : t('surge.kindChannel')} · {formatTimestamp(alert.at)}
            {expanded || n === 0 ? '' : ` · ${t('counts.case', { count: n })}`}
          </Text>
        </UnstyledButton>
        <ActionIcon variant="subtle" color="gray" size="sm" aria-label={expanded ? t('common.collapse') : t('common.expand')} onClick={onToggle}>
          {expanded ? <IconChevronUp size={16} /> : <IconChevronDown size={16} />}
        </ActionIcon>
        <CloseButton size="sm" aria-label={t('surge.dismiss')} onClick={onDismiss} data-testid="surge-dismiss" />
      </Group>

      <Collapse in={expanded}>
        <Stack gap={2} mt="xs">
          {alert.sample.map((item) => (
            <SampleRow key={item.caseId ?? item.mentionId ?? item.at} item={item} onOpenCase={onOpenCase} onShowMentions={onShowMentions} />
          ))}
        </Stack>

        {n > 0 ? (
          move.isSuccess ? (
            <Group gap={6} mt="sm" data-testid="surge-moved" data-moved={move.data.moved}>
              <IconCheck size={16} color="var(--mantine-color-teal-6)" />
              <Text size="sm" c="teal.7">
                {movedTo ? t('surge.movedTo', { count: move.data.moved, queue: movedTo }) : t('surge.moved', { count: move.data.moved })}
                {move.data.moved < n ? ` ${t('surge.alreadyThere', { count: n - move.data.moved })}` : ''}
              </Text>
            </Group>
          ) : (
            <Group gap="xs" mt="sm" wrap="nowrap" align="flex-end">
              <Select
                size="xs"
                style={{ flex: 1 }}
                label={t('surge.moveLabel', { count: n })}
                placeholder={t('newCase.queueRequired')}
                data={(queues.data ?? []).map((q) => ({ value: q.id, label: q.name }))}
                value={chosen}
                onChange={setQueueId}
                allowDeselect={false}
                comboboxProps={{ zIndex: 400 }}
                data-testid="surge-queue"
              />
              <Button
                size="xs"
                color="orange"
                rightSection={<IconArrowRight size={14} />}
                disabled={chosen === null}
                loading={move.isPending}
                onClick={() => chosen && move.mutate(chosen)}
                data-testid="surge-move"
              >
                {t('surge.moveAll', { count: n })}
              </Button>
            </Group>
          )
        ) : (
          <Text size="xs" c="dimmed" mt="sm">
            {mentionsOnly ? t('surge.mentionsOnly') : t('surge.nothingToMove')}
          </Text>
        )}
        {move.isError && (
          <Text size="xs" c="red" mt={4} data-testid="surge-move-error">
            {t('surge.moveFailed', { error: move.error instanceof Error ? move.error.message : t('surge.moveFailedGeneric') })}
          </Text>
        )}
      </Collapse>
    </Paper>
  );
}

function SampleRow({ item, onOpenCase, onShowMentions }: { item: SurgeSample; onOpenCase: (id: string) => void; onShowMentions?: () => void }) {
  const { t } = useTranslation();
  const open = item.caseId ? () => onOpenCase(item.caseId!) : onShowMentions;
  return (
    <UnstyledButton onClick={open} disabled={!open} data-testid="surge-sample" className={classes.sample}>
      <Group gap={6} wrap="nowrap">
        <ChannelIcon channel={item.channel} size={14} tooltip={false} />
        {item.number !== null ? (
          <Badge size="xs" variant="light" color="gray" style={{ flexShrink: 0 }}>
            #{item.number}
          </Badge>
        ) : (
          <Badge size="xs" variant="light" color="grape" style={{ flexShrink: 0 }}>
            {t('surge.mention')}
          </Badge>
        )}
        <Text size="xs" fw={500} style={{ flexShrink: 0, maxWidth: 110 }} truncate>
          {item.author}
        </Text>
        <Text size="xs" c="dimmed" truncate style={{ minWidth: 0 }}>
          {item.excerpt}
        </Text>
      </Group>
    </UnstyledButton>
  );
}

/** 0.4 → "0.4", 3 → "3", 12.6 → "13". */
const formatUsual = (usual: number): string => (usual >= 10 ? String(Math.round(usual)) : String(Math.round(usual * 10) / 10));
