/**
 * How one queue hands out work (admins; audited as a queue change): push
 * (offered to one available agent at a time, for so many seconds), pull
 * ("Next case") or manual, and the skills its agents need. Checked as the
 * admin types with the schema the hub checks with; the admin may say why
 * (kept with the audit row).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NumberInput, SegmentedControl, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import type { Queue } from '../../../../shared/domain';
import type { QueueRoutingView } from '../../../../shared/protocol';
import { type QueueRouting, QueueRoutingSchema, type RoutingMode } from '../../../../shared/routing';
import { DialogForm } from '../DialogForm';
import { FormError } from './UserDialogs';
import { localIssues } from './sla-form';
import { useAdminMutation } from './useAdminMutation';


export function RoutingForm({ queue, current, skills, onClose }: { queue: Queue; current: QueueRoutingView; skills: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<QueueRouting>({ routing: current.routing, offerSeconds: current.offerSeconds, requiredSkills: current.requiredSkills });
  const [reason, setReason] = useState('');
  const save = useAdminMutation('admin.queues.setRouting', { onSuccess: onClose });
  const issues = localIssues(QueueRoutingSchema.safeParse(draft).error, t);
  const offerError = issues.get('offerSeconds') && t('admin.routing.offerProblem');
  const skillsError = issues.get('requiredSkills');
  const unchanged = JSON.stringify(draft) === JSON.stringify({ routing: current.routing, offerSeconds: current.offerSeconds, requiredSkills: current.requiredSkills });
  return (
    <DialogForm
      onSubmit={() => issues.size === 0 && save.mutate({ id: queue.id, routing: draft, reason: reason.trim() || undefined })}
      onCancel={onClose}
      submitLabel={t('admin.routing.submit')}
      submitTestId="admin-routing-submit"
      busy={save.isPending}
      disabled={unchanged || issues.size > 0}
    >
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {t('admin.routing.mode')}
        </Text>
        <SegmentedControl
          value={draft.routing}
          onChange={(routing) => setDraft((d) => ({ ...d, routing: routing as RoutingMode }))}
          data={(['push', 'pull', 'manual'] as const).map((mode) => ({ value: mode, label: t(`admin.routing.modes.${mode}`) }))}
          fullWidth
          data-testid="admin-routing-mode"
        />
        <Text size="xs" c="dimmed">
          {t(`admin.routing.explain.${draft.routing}`)}
        </Text>
      </Stack>
      <NumberInput
        label={t('admin.routing.offer')}
        description={draft.routing === 'push' ? t('admin.routing.offerHint') : t('admin.routing.offerUnused')}
        value={Number.isFinite(draft.offerSeconds) ? draft.offerSeconds : ''}
        onChange={(value) => setDraft((d) => ({ ...d, offerSeconds: value === '' ? Number.NaN : Number(value) }))}
        error={offerError}
        allowDecimal={false}
        hideControls
        w={200}
        data-testid="admin-routing-offer"
      />
      <TagsInput
        label={t('admin.routing.skills')}
        description={t('admin.routing.skillsHint')}
        data={skills}
        value={draft.requiredSkills}
        onChange={(requiredSkills) => setDraft((d) => ({ ...d, requiredSkills }))}
        error={skillsError}
        clearable
        comboboxProps={{ withinPortal: true }}
        data-testid="admin-routing-skills-input"
      />
      <TextInput
        label={t('admin.why')}
        placeholder={t('admin.routing.whyExample')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        maxLength={500}
        data-testid="admin-routing-reason"
      />
      <FormError error={save.error} />
    </DialogForm>
  );
}
