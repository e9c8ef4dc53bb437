/**
 * The foot of an admin form saved with a reason (SLA, Plans): the reason, then
 * what stands — the hub's refusal, else the first problem to fix, else whether
 * the draft is unsaved — then Discard and Save. Always in view under the form.
 * Above it, when another admin saved over unsaved edits, the notice with
 * Reload and Keep editing (Save waits for one of them).
 */
import { Alert, Box, Button, Group, Text, TextInput } from '@mantine/core';
import { IconDeviceFloppy, IconRefreshAlert } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

interface Props {
  /** Test ids are `<testId>-reason`, `-error`, `-problems`, `-state`, `-discard`, `-save`; `-newer`, `-reload`, `-keep`. */
  testId: string;
  reason: string;
  onReason(reason: string): void;
  reasonError?: string;
  whyExample: string;
  /** The hub refused the save: its title, and what it said. */
  refused: { title: string; text: string } | null;
  /** The first problem to fix, said in full; null when there is none. */
  problem: string | null;
  /** What the draft's state is when nothing is wrong ("Unsaved changes", or how saving works). */
  state: string;
  dirty: boolean;
  /** Whether the draft passes its checks. */
  valid: boolean;
  pending: boolean;
  onDiscard(): void;
  /** Another admin saved while the draft had edits: reload their save (the edits go) or keep editing. */
  newer?: { onReload(): void; onKeep(): void } | null;
}

export function SaveFooter({ testId, reason, onReason, reasonError, whyExample, refused, problem, state, dirty, valid, pending, onDiscard, newer }: Props) {
  const { t } = useTranslation();
  return (
    <Box px="md" py={8} style={{ borderTop: '1px solid var(--mantine-color-default-border)', background: 'var(--mantine-color-body)' }}>
      {newer && (
        <Alert color="yellow" variant="light" p="xs" mb={8} icon={<IconRefreshAlert size={18} />} role="alert" data-testid={`${testId}-newer`}>
          <Group gap="sm" wrap="wrap" justify="space-between">
            <Box style={{ flex: '1 1 320px', minWidth: 0 }}>
              <Text size="sm" fw={600}>
                {t('admin.newer.title')}
              </Text>
              <Text size="xs">{t('admin.newer.text')}</Text>
            </Box>
            <Group gap="xs" wrap="nowrap">
              <Button size="xs" onClick={newer.onReload} data-testid={`${testId}-reload`}>
                {t('admin.newer.reload')}
              </Button>
              <Button size="xs" variant="default" onClick={newer.onKeep} data-testid={`${testId}-keep`}>
                {t('admin.newer.keep')}
              </Button>
            </Group>
          </Group>
        </Alert>
      )}
      <Group gap="sm" wrap="nowrap" align="flex-end">
        <TextInput
          label={t('admin.why')}
          placeholder={whyExample}
          value={reason}
          onChange={(e) => onReason(e.currentTarget.value)}
          error={reasonError}
          maxLength={500}
          size="xs"
          style={{ flex: 1, minWidth: 160 }}
          data-testid={`${testId}-reason`}
        />
        <Box style={{ flex: 1, minWidth: 0 }}>
          {refused ? (
            <Alert color="red" variant="light" p={6} data-testid={`${testId}-error`}>
              <Text size="xs" fw={600}>
                {refused.title}
              </Text>
              <Text size="xs" style={{ whiteSpace: 'pre-wrap' }} lineClamp={3}>
                {refused.text}
              </Text>
            </Alert>
          ) : problem ? (
            <Text size="xs" c="red.7" data-testid={`${testId}-problems`} lineClamp={2}>
              {problem}
            </Text>
          ) : (
            <Text size="xs" c="dimmed" data-testid={`${testId}-state`}>
              {state}
            </Text>
          )}
        </Box>
        <Button variant="default" size="xs" disabled={!dirty || pending} onClick={onDiscard} data-testid={`${testId}-discard`}>
          {t('admin.discard')}
        </Button>
        <Button type="submit" size="xs" leftSection={<IconDeviceFloppy size={14} />} disabled={!dirty || !valid || Boolean(newer)} loading={pending} data-testid={`${testId}-save`}>
          {t('common.save')}
        </Button>
      </Group>
    </Box>
  );
}
