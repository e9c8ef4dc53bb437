/** The case subject as the title; click it (or the pencil) to edit in place. Enter or leaving the field saves, Esc cancels. */
import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { ActionIcon, Group, TextInput, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { TEXT_LIMITS } from '../../../../shared/domain';
import classes from './SubjectEditor.module.css';

interface Props {
  subject: string;
  language: string;
  onSave: (subject: string) => void;
}

export function SubjectEditor({ subject, language, onSave }: Props) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<string | null>(null);

  const finish = (save: boolean) => {
    const value = editing?.trim() ?? '';
    setEditing(null);
    if (save && value && value !== subject) onSave(value);
  };

  if (editing !== null) {
    return (
      <TextInput
        autoFocus
        mt={4}
        size="sm"
        value={editing}
        maxLength={TEXT_LIMITS.subject}
        aria-label={t('fields.subject')}
        onChange={(event) => setEditing(event.currentTarget.value)}
        onBlur={() => finish(true)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') finish(true);
          else if (event.key === 'Escape') {
            event.preventDefault();
            finish(false);
          }
        }}
        error={editing.trim() === '' ? t('subject.required') : undefined}
        data-testid="case-subject-input"
        styles={{ input: { fontSize: 16, fontWeight: 600 } }}
      />
    );
  }
  return (
    <Group gap={4} wrap="nowrap" align="flex-start" mt={4} className={classes.view}>
      <UnstyledButton onClick={() => setEditing(subject)} className={classes.title} title={t('subject.clickToEdit')}>
        <Title order={4} fz={17} lh={1.3} data-testid="case-subject" lang={language} style={{ overflowWrap: 'anywhere' }}>
          {subject}
        </Title>
      </UnstyledButton>
      <Tooltip label={t('subject.edit')}>
        <ActionIcon variant="subtle" color="gray" size="sm" className={classes.pencil} onClick={() => setEditing(subject)} aria-label={t('subject.edit')} data-testid="case-subject-edit">
          <IconPencil size={14} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
