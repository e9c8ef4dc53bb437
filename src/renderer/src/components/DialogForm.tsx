/** The form inside a dialog: its fields, then Cancel and the submit button. Enter submits. */
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import { Button, Group, Stack } from '@mantine/core';

interface Props {
  children: ReactNode;
  onSubmit: () => void;
  onCancel: () => void;
  submitLabel: string;
  submitTestId: string;
  busy: boolean;
  disabled?: boolean;
  /** The submit button takes the focus when the dialog opens (when no field does). */
  focusSubmit?: boolean;
}

export function DialogForm({ children, onSubmit, onCancel, submitLabel, submitTestId, busy, disabled, focusSubmit }: Props) {
  const { t } = useTranslation();
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <Stack gap={12}>
        {children}
        <Group justify="flex-end" gap={8} mt={4}>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" disabled={disabled} loading={busy} data-autofocus={focusSubmit || undefined} data-testid={submitTestId}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
