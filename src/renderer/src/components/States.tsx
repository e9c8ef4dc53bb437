/** Empty and error placeholders, so every panel says what is going on. */
import type { ReactNode } from 'react';
import { Button, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

export function EmptyState({ icon, title, hint, testId }: { icon: ReactNode; title: string; hint?: string; testId?: string }) {
  return (
    <Stack align="center" gap={6} py={48} px="md" data-testid={testId}>
      <ThemeIcon variant="light" color="gray" size={40} radius="xl">
        {icon}
      </ThemeIcon>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed" ta="center" maw={320}>
          {hint}
        </Text>
      )}
    </Stack>
  );
}

export function ErrorState({ title, error, onRetry }: { title: string; error: Error; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack align="center" gap={6} py={48} px="md" data-testid="error-state">
      <ThemeIcon variant="light" color="red" size={40} radius="xl">
        <IconAlertTriangle size={22} />
      </ThemeIcon>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      <Text size="xs" c="dimmed" ta="center" maw={360}>
        {error.message}
      </Text>
      {onRetry && (
        <Button size="compact-xs" variant="default" mt={4} onClick={onRetry}>
          {t('common.tryAgain')}
        </Button>
      )}
    </Stack>
  );
}
