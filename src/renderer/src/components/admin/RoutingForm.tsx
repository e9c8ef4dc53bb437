/**
 * How one queue hands out work (admins; audited as a queue change): push
 * (offered to one available agent at a time, for so many seconds), pull
 * ("Next case") or manual, and the skills its agents need. Checked as the
 * admin types with the schema the hub checks with.
 */
import { useState } from 'react';
import { NumberInput, SegmentedControl, Stack, TagsInput, Text } from '@mantine/core';
import type { Queue } from '../../../../shared/domain';
import type { QueueRoutingView } from '../../../../shared/protocol';
import { type QueueRouting, QueueRoutingSchema, type RoutingMode } from '../../../../shared/routing';
import { DialogForm } from '../DialogForm';
import { FormError } from './UserDialogs';
import { localIssues } from './sla-form';
import { useAdminMutation } from './useAdminMutation';

export const ROUTING_NAMES: Record<RoutingMode, string> = { push: 'Push', pull: 'Pull', manual: 'Manual' };
const EXPLAIN: Record<RoutingMode, string> = {
  push: 'Each waiting case is offered to one available agent with the skills and room for it, who accepts or declines before the offer lapses; then the next agent.',
  pull: 'Agents take the best waiting case themselves with “Next case”; two agents pressing at once get two different cases.',
  manual: 'Agents pick from the queue and supervisors assign; nothing is offered.',
};

export function RoutingForm({ queue, current, skills, onClose }: { queue: Queue; current: QueueRoutingView; skills: string[]; onClose: () => void }) {
  const [draft, setDraft] = useState<QueueRouting>({ routing: current.routing, offerSeconds: current.offerSeconds, requiredSkills: current.requiredSkills });
  const save = useAdminMutation('admin.queues.setRouting', { onSuccess: onClose });
  const issues = localIssues(QueueRoutingSchema.safeParse(draft).error);
  const unchanged = JSON.stringify(draft) === JSON.stringify({ routing: current.routing, offerSeconds: current.offerSeconds, requiredSkills: current.requiredSkills });
  return (
    <DialogForm
      onSubmit={() => issues.size === 0 && save.mutate({ id: queue.id, routing: draft })}
      onCancel={onClose}
      submitLabel="Save routing"
      submitTestId="admin-routing-submit"
      busy={save.isPending}
      disabled={unchanged || issues.size > 0}
    >
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          Mode
        </Text>
        <SegmentedControl
          value={draft.routing}
          onChange={(routing) => setDraft((d) => ({ ...d, routing: routing as RoutingMode }))}
          data={(['push', 'pull', 'manual'] as const).map((mode) => ({ value: mode, label: ROUTING_NAMES[mode] }))}
          fullWidth
          data-testid="admin-routing-mode"
        />
        <Text size="xs" c="dimmed">
          {EXPLAIN[draft.routing]}
        </Text>
      </Stack>
      <NumberInput
        label="Offer time (seconds)"
        description={draft.routing === 'push' ? 'How long an offer waits for its agent before it goes to the next' : 'Used when the queue routes by push'}
        value={Number.isFinite(draft.offerSeconds) ? draft.offerSeconds : ''}
        onChange={(value) => setDraft((d) => ({ ...d, offerSeconds: value === '' ? Number.NaN : Number(value) }))}
        error={issues.get('offerSeconds') && 'must be a whole number of seconds from 5 to 600'}
        allowDecimal={false}
        hideControls
        w={200}
        data-testid="admin-routing-offer"
      />
      <TagsInput
        label="Required skills"
        description="Only agents with every one of these are offered the queue's work"
        data={skills}
        value={draft.requiredSkills}
        onChange={(requiredSkills) => setDraft((d) => ({ ...d, requiredSkills }))}
        error={issues.get('requiredSkills')}
        clearable
        comboboxProps={{ withinPortal: true }}
        data-testid="admin-routing-skills-input"
      />
      <FormError error={save.error} />
    </DialogForm>
  );
}
