/** The case's editable properties in the side panel: status, priority, tags and who has it. Each change is saved at once. */
import { Group, Select, Stack, TagsInput, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { QueueItem } from '../../../../shared/api';
import { type CaseStatus, type Priority, TEXT_LIMITS, type User } from '../../../../shared/domain';
import { useUpdateCase } from '../../api/mutations';
import { priorityOptions, statusOptions } from '../../lib/fields';
import { AssignControls } from './AssignControls';
import { SideSection } from './SideSection';

const LABEL_STYLES = { label: { fontSize: 11, fontWeight: 600, color: 'var(--mantine-color-dimmed)', marginBottom: 2 } };

export function CaseProperties({ item, me }: { item: QueueItem; me: User }) {
  const { t } = useTranslation();
  const update = useUpdateCase(item.id);
  const save = (fields: Parameters<typeof update.mutate>[0]['fields']) => update.mutate({ id: item.id, fields });
  return (
    <SideSection title={t('properties.title')} testId="case-properties">
      <Stack gap={10}>
        <Group gap={8} grow wrap="nowrap">
          <Select
            size="xs"
            label={t('fields.status')}
            data={statusOptions()}
            value={item.status}
            allowDeselect={false}
            checkIconPosition="right"
            onChange={(value) => value && save({ status: value as CaseStatus })}
            styles={LABEL_STYLES}
            data-testid="case-status"
          />
          <Select
            size="xs"
            label={t('fields.priority')}
            data={priorityOptions()}
            value={item.priority}
            allowDeselect={false}
            checkIconPosition="right"
            onChange={(value) => value && save({ priority: value as Priority })}
            styles={LABEL_STYLES}
            data-testid="case-priority"
          />
        </Group>
        <TagsInput
          size="xs"
          label={t('fields.tags')}
          placeholder={item.tags.length === 0 ? t('properties.addTag') : undefined}
          value={item.tags}
          maxTags={TEXT_LIMITS.tags}
          clearable
          acceptValueOnBlur
          splitChars={[',']}
          onChange={(tags) => save({ tags: tags.map((tag) => tag.trim()).filter(Boolean) })}
          styles={LABEL_STYLES}
          data-testid="case-tags"
        />
        <div>
          <Text size="11px" fw={600} c="dimmed" mb={4}>
            {t('case.facts.assignee')}
          </Text>
          <AssignControls item={item} me={me} />
        </div>
      </Stack>
    </SideSection>
  );
}
