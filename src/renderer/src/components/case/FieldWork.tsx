/** What a technician records on site: the resolution (saved on leaving the field or with Save) and the parts used. */
import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import type { QueueItem } from '../../../../shared/api';
import { useUpdateCase } from '../../api/mutations';
import { PartsEditor } from './PartsEditor';
import { SideSection } from './SideSection';

export function FieldWork({ item }: { item: QueueItem }) {
  const { t } = useTranslation();
  const update = useUpdateCase(item.id);
  // null while not edited: the field then follows the case (a sync or a resolved conflict may change it).
  const [editing, setEditing] = useState<string | null>(null);
  const value = editing ?? item.resolution ?? '';
  const dirty = editing !== null && editing.trim() !== (item.resolution ?? '');

  const saveResolution = () => {
    if (editing === null) return;
    const next = editing.trim() === '' ? null : editing.trim();
    setEditing(null);
    if (next !== item.resolution) update.mutate({ id: item.id, fields: { resolution: next } });
  };

  return (
    <SideSection title={t('fieldWork.title')} testId="field-work">
      <Stack gap={10}>
        <div>
          <Textarea
            size="xs"
            label={t('fields.resolution')}
            placeholder={t('fieldWork.resolutionPlaceholder')}
            autosize
            minRows={3}
            maxRows={10}
            maxLength={20_000}
            value={value}
            onChange={(event) => setEditing(event.currentTarget.value)}
            onBlur={saveResolution}
            onKeyDown={(event) => {
              if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) saveResolution();
            }}
            styles={{ label: { fontSize: 11, fontWeight: 600, color: 'var(--mantine-color-dimmed)', marginBottom: 2 } }}
            data-testid="case-resolution"
          />
          {dirty && (
            <Group justify="space-between" mt={4} wrap="nowrap">
              <Text size="11px" c="dimmed">
                {t('fieldWork.savedOnLeave')}
              </Text>
              <Button size="compact-xs" onMouseDown={(event) => event.preventDefault()} onClick={saveResolution} data-testid="case-resolution-save">
                {t('common.save')}
              </Button>
            </Group>
          )}
        </div>
        <PartsEditor parts={item.parts} onChange={(parts) => update.mutate({ id: item.id, fields: { parts } })} />
      </Stack>
    </SideSection>
  );
}
