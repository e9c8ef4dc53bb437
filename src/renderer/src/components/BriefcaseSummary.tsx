/** Above the briefcase list: what this laptop holds for working offline, and how fresh it is. */
import { useTranslation } from 'react-i18next';
import { Group, Text } from '@mantine/core';
import { IconBook2, IconBriefcase, IconCloudUpload, IconRefresh } from '@tabler/icons-react';
import type { SyncStatus } from '../../../shared/api';
import { agoText, fullTimestamp } from '../lib/time';
import { useNow } from '../lib/useNow';
import classes from './BriefcaseSummary.module.css';

export function BriefcaseSummary({ status }: { status: SyncStatus | undefined }) {
  const { t } = useTranslation();
  const now = useNow(5000);
  const lastSync = status?.lastSyncAt ?? null;
  const pending = status?.pending ?? 0;
  return (
    <div className={classes.root} data-testid="briefcase-summary">
      <Group gap={18} wrap="wrap">
        <Group gap={6} wrap="nowrap">
          <IconBriefcase size={16} color="var(--mantine-color-indigo-6)" />
          <Text size="sm">
            <Text span fw={600} className="tabular" data-testid="briefcase-cached">
              {status?.cachedCases ?? '…'}
            </Text>{' '}
            {t('briefcase.casesOffline', { count: status?.cachedCases ?? 0 })}
          </Text>
        </Group>
        <Group gap={6} wrap="nowrap">
          <IconBook2 size={16} color="var(--mantine-color-indigo-6)" />
          <Text size="sm" data-testid="briefcase-articles" data-count={status?.cachedArticles}>
            <Text span fw={600} className="tabular">
              {status?.cachedArticles ?? '…'}
            </Text>{' '}
            {t('briefcase.articles', { count: status?.cachedArticles ?? 0 })}
          </Text>
        </Group>
        <Group gap={6} wrap="nowrap">
          <IconCloudUpload size={16} color={pending > 0 ? 'var(--mantine-color-orange-7)' : 'var(--mantine-color-dimmed)'} />
          <Text size="sm" c={pending > 0 ? 'orange.8' : undefined} data-testid="briefcase-pending" data-count={pending}>
            {pending > 0 ? t('briefcase.pending', { count: pending }) : t('connection.allSynced')}
          </Text>
        </Group>
        <Group gap={6} wrap="nowrap">
          <IconRefresh size={16} color="var(--mantine-color-dimmed)" />
          <Text size="sm" c="dimmed" title={lastSync ? fullTimestamp(lastSync) : undefined} data-testid="briefcase-last-sync">
            {lastSync ? t('briefcase.lastSynced', { ago: agoText(lastSync, now) }) : t('briefcase.neverSynced')}
          </Text>
        </Group>
      </Group>
      <Text size="xs" c="dimmed" mt={4}>
        {t('briefcase.hint')}
      </Text>
    </div>
  );
}
