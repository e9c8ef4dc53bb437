/**
 * The audit log (supervisors and admins): who changed what, when, from what
 * to what and why — newest first, filtered by who, what kind of change, a
 * case and a date range, and exported as CSV with the same filter.
 */
import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { Badge, Button, Group, Select, Text, TextInput, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData } from '@tanstack/react-query';
import { IconDownload, IconHistory } from '@tabler/icons-react';
import dayjs from 'dayjs';
import type { ApiInput } from '../../../../shared/api';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntry } from '../../../../shared/audit';
import { call } from '../../api/client';
import { useApiQuery, useUsers } from '../../api/queries';
import { ViewToolbar } from '../ListView';
import { EmptyState } from '../States';
import { LoadingRows, skeletonWidth, TableRow, VirtualTable } from '../VirtualTable';
import { currentLocale } from '../../i18n';
import { translatedRecord } from '../../i18n/labels';
import { fullTimestamp, preciseTimestamp } from '../../lib/time';
import classes from './AuditLog.module.css';
import { changeOf } from './describe';
import { awayReasonLabel } from '../../i18n/presence';

/** The audit row's reason; a presence change's is an away reason, a usual one shown in the reader's language. */
const reasonOf = (entry: Pick<AuditEntry, 'action' | 'reason'>): string | null => (entry.reason && entry.action.startsWith('presence.') ? awayReasonLabel(entry.reason) : entry.reason);

const ROW = 36;
const PAGE = 500;

/** Each action's name in the current language (keys: the action with its dots as underscores). */
export const ACTION_LABELS: Readonly<Record<AuditAction, string>> = translatedRecord('audit.actions', AUDIT_ACTIONS, (action) => action.replace('.', '_'));
const ACTION_COLOR: Partial<Record<AuditAction, string>> = { 'case.assign': 'indigo', 'consent.override': 'red', 'user.sign_out': 'red', 'presence.override': 'yellow', 'queue.members': 'teal' };

/** A local date (yyyy-mm-dd) as the start of that day, or of the next one (an "until" date includes its day). */
const dayStart = (date: string, next = false) => (date ? dayjs(date).add(next ? 1 : 0, 'day').startOf('day').toISOString() : undefined);

export function AuditLog() {
  const { t } = useTranslation();
  const [actor, setActor] = useState<string | null>(null);
  const [action, setAction] = useState<AuditAction | null>(null);
  const [caseRef, setCaseRef] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [limit, setLimit] = useState(PAGE);
  const [exporting, setExporting] = useState(false);
  const [debouncedCase] = useDebouncedValue(caseRef.trim(), 300);
  const users = useUsers().data ?? [];

  const filter: ApiInput<'audit.list'> = {
    ...(actor ? { actor } : {}),
    ...(action ? { action } : {}),
    ...(debouncedCase ? { case: debouncedCase } : {}),
    ...(from ? { since: dayStart(from) } : {}),
    ...(to ? { until: dayStart(to, true) } : {}),
    limit,
  };
  const audit = useApiQuery('audit.list', filter, { placeholderData: keepPreviousData, retry: false });
  const entries = audit.data?.entries ?? [];
  const names = audit.data?.names ?? {};
  const name = (id: string | null) => (id === null ? t('audit.theHub') : (names[id] ?? `${id.slice(0, 8)}…`));
  const filtered = Boolean(actor || action || debouncedCase || from || to);

  async function exportCsv() {
    setExporting(true);
    try {
      const { limit: _shown, ...rest } = filter;
      const csv = await call('audit.export', rest);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      link.download = `audit-${dayjs().format('YYYY-MM-DD-HHmm')}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (error) {
      notifications.show({ color: 'red', title: t('audit.exportFailed'), message: error instanceof Error ? error.message : String(error) });
    } finally {
      setExporting(false);
    }
  }

  return (
    <div data-testid="audit-log" style={{ display: 'flex', flexDirection: 'column', minHeight: 0, height: '100%' }}>
      <ViewToolbar
        title={t('audit.title')}
        total={audit.data ? entries.length : undefined}
        noun="change"
        hint={
          audit.data?.more ? (
            <Text size="xs" c="dimmed">
              {t('audit.more')}
            </Text>
          ) : undefined
        }
      >
        <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} loading={exporting} onClick={() => void exportCsv()} data-testid="audit-export">
          {t('audit.export')}
        </Button>
      </ViewToolbar>
      <Group gap={8} px="md" py={8} wrap="wrap" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Select
          size="xs"
          w={150}
          placeholder={t('audit.anyone')}
          aria-label={t('audit.columns.who')}
          data={[...users].sort((a, b) => a.name.localeCompare(b.name, currentLocale())).map((u) => ({ value: u.id, label: u.name }))}
          value={actor}
          onChange={(value) => {
            setActor(value);
            setLimit(PAGE);
          }}
          searchable
          clearable
          data-testid="audit-filter-actor"
        />
        <Select
          size="xs"
          w={175}
          placeholder={t('audit.anyChange')}
          aria-label={t('audit.columns.action')}
          data={AUDIT_ACTIONS.map((value) => ({ value, label: ACTION_LABELS[value] }))}
          value={action}
          onChange={(value) => {
            setAction(value as AuditAction | null);
            setLimit(PAGE);
          }}
          clearable
          data-testid="audit-filter-action"
        />
        <TextInput size="xs" w={120} placeholder={t('audit.casePlaceholder')} aria-label={t('convert.case')} value={caseRef} onChange={(e) => setCaseRef(e.currentTarget.value)} data-testid="audit-filter-case" />
        <Group gap={4} wrap="nowrap">
          <TextInput size="xs" w={128} type="date" aria-label={t('audit.from')} value={from} max={to || undefined} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="audit-filter-from" />
          <Text size="xs" c="dimmed">
            {t('audit.to')}
          </Text>
          <TextInput size="xs" w={128} type="date" aria-label={t('audit.toLabel')} value={to} min={from || undefined} onChange={(e) => setTo(e.currentTarget.value)} data-testid="audit-filter-to" />
        </Group>
        {filtered && (
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            onClick={() => {
              setActor(null);
              setAction(null);
              setCaseRef('');
              setFrom('');
              setTo('');
              setLimit(PAGE);
            }}
          >
            {t('selection.clear')}
          </Button>
        )}
      </Group>
      <div style={{ flex: 1, minHeight: 0 }}>
        <VirtualTable<AuditEntry>
          testId="audit-table"
          className={classes.table}
          label={t('audit.title')}
          accent="indigo"
          items={entries}
          rowHeight={ROW}
          selectedId={null}
          headerClassName={classes.columns}
          header={
            <>
              <span className={classes.cell}>{t('audit.columns.when')}</span>
              <span className={classes.cell}>{t('audit.columns.who')}</span>
              <span className={classes.cell}>{t('audit.columns.action')}</span>
              <span className={classes.cell}>{t('audit.columns.what')}</span>
              <span className={classes.cell}>{t('audit.columns.change')}</span>
              <span className={`${classes.cell} ${classes.wide}`}>{t('audit.columns.why')}</span>
            </>
          }
          loading={audit.isLoading}
          error={audit.error}
          errorTitle={t('audit.loadFailed')}
          onRetry={() => void audit.refetch()}
          skeleton={<LoadingRows count={10} height={ROW} cells={(i) => <Text size="xs" c="light-dark(var(--mantine-color-gray-3), var(--mantine-color-dark-4))" w={skeletonWidth(i)}>…</Text>} />}
          empty={<EmptyState icon={<IconHistory size={20} />} title={filtered ? t('audit.noMatch') : t('audit.empty')} testId="audit-empty" />}
          renderRow={(entry, top) => {
            const change = changeOf(entry, name);
            return (
              <TableRow key={entry.id} top={top} height={ROW} selected={false} fresh={false} className={classes.columns} data-testid="audit-row" data-action={entry.action}>
                <span className={`${classes.cell} tabular`} title={fullTimestamp(entry.at)}>
                  {preciseTimestamp(entry.at)}
                </span>
                <span className={classes.cell} title={name(entry.actorId)} data-testid="audit-row-actor">
                  {name(entry.actorId)}
                </span>
                <span className={classes.cell}>
                  <Badge size="sm" variant="light" color={ACTION_COLOR[entry.action] ?? 'gray'} tt="none" data-testid="audit-row-action">
                    {ACTION_LABELS[entry.action]}
                  </Badge>
                </span>
                <span className={classes.cell} title={`${t(`audit.entities.${entry.entity}`, { defaultValue: entry.entity })} ${entry.entityId}`} data-testid="audit-row-target">
                  <Text span size="xs" c="dimmed">
                    {t(`audit.entities.${entry.entity}`, { defaultValue: entry.entity })}{' '}
                  </Text>
                  {name(entry.entityId)}
                </span>
                <Tooltip label={change.text} disabled={!change.text} multiline maw={420} openDelay={400}>
                  <span className={classes.change} data-testid="audit-row-change">
                    {change.parts.length === 0 ? (
                      <Text span size="xs" c="dimmed">
                        —
                      </Text>
                    ) : (
                      change.parts.map((part, i) => (
                        <span key={part.key}>
                          {i > 0 && '; '}
                          <Text span size="xs" c="dimmed">
                            {t('notices.fieldLabel', { field: part.key })}{' '}
                          </Text>
                          {part.from !== null && <span className={classes.from}>{part.from}</span>}
                          {part.from !== null && ' → '}
                          {part.to}
                        </span>
                      ))
                    )}
                  </span>
                </Tooltip>
                {/* A presence change's reason is the away reason: a usual one in the reader's language. */}
                <span className={`${classes.cell} ${classes.wide}`} title={reasonOf(entry) ?? undefined} data-testid="audit-row-reason">
                  {reasonOf(entry) ?? ''}
                </span>
              </TableRow>
            );
          }}
        />
      </div>
      {audit.data?.more && limit < 10_000 && (
        <Group justify="center" py={6} style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
          <Button size="compact-xs" variant="subtle" onClick={() => setLimit((n) => Math.min(10_000, n + PAGE * 2))} loading={audit.isFetching} data-testid="audit-more">
            {t('audit.older')}
          </Button>
        </Group>
      )}
    </div>
  );
}
