/**
 * Fields where the hub kept another value than the user's: both shown side by
 * side, and the user decides each one. Until then the case shows the hub's
 * value and the user's is kept here, never dropped.
 */
import { useTranslation } from 'react-i18next';
import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconGitMerge } from '@tabler/icons-react';
import type { CaseConflict } from '../../../../shared/api';
import { useResolveConflict } from '../../api/mutations';
import { fieldLabel, fieldValueText } from '../../lib/fields';
import classes from './ConflictBanner.module.css';

export function ConflictBanner({ caseId, conflicts }: { caseId: string; conflicts: CaseConflict[] }) {
  const { t } = useTranslation();
  const resolve = useResolveConflict(caseId);
  if (conflicts.length === 0) return null;
  const busyId = resolve.isPending ? resolve.variables?.id : undefined;
  return (
    <Alert
      className={classes.banner}
      color="orange"
      variant="light"
      radius={0}
      icon={<IconGitMerge size={18} />}
      styles={{ title: { color: 'var(--mantine-color-orange-text)' } }}
      title={t('conflicts.title', { count: conflicts.length })}
      data-testid="conflict-banner"
    >
      <Text size="xs" c="dimmed" mb={8}>
        {t('conflicts.hint')}
      </Text>
      <Stack gap={6}>
        {conflicts.map((conflict) => (
          <Group key={conflict.id} className={classes.row} gap={10} wrap="nowrap" data-testid="conflict" data-field={conflict.field}>
            <Text size="sm" className={classes.values}>
              <span className={classes.chunk}>
                <Text span fw={600} size="sm">
                  {fieldLabel(conflict.field)}
                </Text>
                <Text span c="dimmed" size="sm">
                  {' — '}
                </Text>
              </span>
              {/* Each "who: value" wraps as a unit, so a label never ends a line without its value. */}
              <span className={classes.chunk}>
                {t('conflicts.yours')}{' '}
                <Text span fw={600} size="sm" c="indigo" data-testid="conflict-yours">
                  {fieldValueText(conflict.field, conflict.yours)}
                </Text>
                <Text span c="dimmed" size="sm">
                  {' · '}
                </Text>
              </span>
              <span className={classes.chunk}>
                {t('conflicts.theirs')}{' '}
                <Text span fw={600} size="sm" c="orange" data-testid="conflict-theirs">
                  {fieldValueText(conflict.field, conflict.theirs)}
                </Text>
              </span>
            </Text>
            <Group gap={6} wrap="nowrap" className={classes.actions}>
              <Button
                size="compact-xs"
                loading={busyId === conflict.id && resolve.variables?.keep === 'mine'}
                disabled={busyId !== undefined}
                onClick={() => resolve.mutate({ id: conflict.id, keep: 'mine' })}
                data-testid="conflict-keep-mine"
              >
                {t('conflicts.keepMine')}
              </Button>
              <Button
                size="compact-xs"
                variant="default"
                loading={busyId === conflict.id && resolve.variables?.keep === 'theirs'}
                disabled={busyId !== undefined}
                onClick={() => resolve.mutate({ id: conflict.id, keep: 'theirs' })}
                data-testid="conflict-take-theirs"
              >
                {t('conflicts.takeTheirs')}
              </Button>
            </Group>
          </Group>
        ))}
      </Stack>
    </Alert>
  );
}
