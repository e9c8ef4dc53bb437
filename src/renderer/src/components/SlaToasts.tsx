import { useEffect } from 'react';
import { IconAlarm } from '@tabler/icons-react';
import type { SlaAlert } from '../../../shared/protocol';
import { api } from '../api/client';
import { i18n } from '../i18n';
import { formatTimestamp } from '../lib/time';
import { showLinkToast } from './linkToast';

/** Alerts arriving this close together are one batch (a hub's look tells them all at once). */
const BATCH_MS = 500;
/** More than this in one batch: one summary toast instead of a stack the agent has to close one by one. */
const SHOWN = 2;

function showOne(alert: SlaAlert, onOpenCase: (caseId: string) => void): void {
  const breach = alert.kind === 'breach';
  showLinkToast({
    id: `sla-${alert.caseId}-${alert.target}-${alert.kind}`,
    title: i18n.t(breach ? 'sla.breachedTitle' : 'sla.dueSoonTitle', { number: alert.caseNumber }),
    text: i18n.t(`sla.${breach ? 'wasDue' : 'isDue'}.${alert.target}`, { time: formatTimestamp(alert.dueAt), subject: alert.subject }),
    color: breach ? 'red' : 'orange',
    icon: <IconAlarm size={16} />,
    autoClose: breach ? 60_000 : 15_000,
    link: { label: i18n.t('common.openCase'), testId: 'sla-open-case', onClick: () => onOpenCase(alert.caseId) },
  });
}

function showSummary(batch: SlaAlert[], onOpenCase: (caseId: string) => void): void {
  const breaches = batch.filter((a) => a.kind === 'breach').length;
  const warnings = batch.length - breaches;
  const parts = [breaches > 0 ? i18n.t('sla.breachedCount', { count: breaches }) : null, warnings > 0 ? i18n.t('sla.dueSoonCount', { count: warnings }) : null].filter(Boolean);
  const first = [...batch].sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0]!;
  showLinkToast({
    id: `sla-batch-${first.id}`,
    title: i18n.t('sla.summaryTitle', { parts: parts.join(', ') }),
    text: i18n.t(batch.length > 6 ? 'sla.summaryMore' : 'sla.summary', { cases: batch.slice(0, 6).map((a) => `#${a.caseNumber}`).join(', '), more: batch.length - 6 }),
    color: breaches > 0 ? 'red' : 'orange',
    icon: <IconAlarm size={16} />,
    autoClose: 60_000,
    link: { label: i18n.t('sla.openNumber', { number: first.caseNumber }), testId: 'sla-open-case', onClick: () => onOpenCase(first.caseId) },
  });
}

/**
 * A toast for each SLA warning and breach the hub's watcher sends (to the
 * assignee and those who oversee): a warning for 15 s, a breach for a minute,
 * both leading to the case; many at once (a supervisor's first look at a busy
 * day) are one summary toast.
 */
export function SlaToasts({ onOpenCase }: { onOpenCase: (caseId: string) => void }) {
  useEffect(() => {
    let batch: SlaAlert[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const now = batch;
      batch = [];
      if (now.length > SHOWN) showSummary(now, onOpenCase);
      else for (const alert of now) showOne(alert, onOpenCase);
    };
    const off = api.on('sla:alert', (alert) => {
      batch.push(alert);
      timer ??= setTimeout(flush, BATCH_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [onOpenCase]);
  return null;
}
