/** A new case, from a phone call or a walk-in: it is created here at once (even offline) and opens; the hub numbers it when it syncs. */
import { useState } from 'react';
import { Button, Group, Modal, SegmentedControl, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { Queue } from '../../../shared/domain';
import { CHANNELS, type Channel, type Priority, TEXT_LIMITS } from '../../../shared/domain';
import { useApiMutation } from '../api/mutations';
import { PRIORITY_OPTIONS } from '../lib/fields';
import { channelLabel } from './ChannelIcon';

// Device cases come from device rules, not from people.
const CHANNEL_OPTIONS = CHANNELS.filter((c) => c !== 'device').map((value) => ({ value, label: channelLabel(value) }));

interface Props {
  opened: boolean;
  onClose: () => void;
  queues: Queue[];
  /** The queue the user is looking at, preselected. */
  defaultQueueId: string | null;
  onCreated: (id: string) => void;
}

export function NewCaseModal({ opened, onClose, queues, defaultQueueId, onCreated }: Props) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>New case</Text>} size={480} data-testid="new-case-modal">
      {/* Mounted only while open, so every new case starts from a clean form. */}
      {opened && <NewCaseForm queues={queues} defaultQueueId={defaultQueueId} onCancel={onClose} onCreated={onCreated} />}
    </Modal>
  );
}

function NewCaseForm({ queues, defaultQueueId, onCancel, onCreated }: Omit<Props, 'opened' | 'onClose'> & { onCancel: () => void }) {
  const [subject, setSubject] = useState('');
  const [queueId, setQueueId] = useState<string | null>(defaultQueueId ?? queues[0]?.id ?? null);
  const [priority, setPriority] = useState<Priority>('normal');
  const [channel, setChannel] = useState<Channel>('phone');
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const create = useApiMutation('cases.create', { onSuccess: (item) => onCreated(item.id), errorTitle: 'The case was not created' });

  const subjectError = touched && subject.trim() === '' ? 'What is it about?' : undefined;
  const queueError = touched && !queueId ? 'Choose a queue' : undefined;
  const submit = () => {
    setTouched(true);
    if (subject.trim() === '' || !queueId) return;
    create.mutate({ subject: subject.trim(), queueId, priority, channel, ...(note.trim() ? { note: note.trim() } : {}) });
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <Stack gap={12}>
        <TextInput
          label="Subject"
          placeholder="Short summary of the request"
          data-autofocus
          maxLength={TEXT_LIMITS.subject}
          value={subject}
          onChange={(event) => setSubject(event.currentTarget.value)}
          error={subjectError}
          data-testid="new-case-subject"
        />
        <Group grow gap={12} align="flex-start">
          <Select
            label="Queue"
            data={queues.map((q) => ({ value: q.id, label: q.name }))}
            value={queueId}
            onChange={setQueueId}
            allowDeselect={false}
            searchable
            nothingFoundMessage="No such queue"
            error={queueError}
            comboboxProps={{ withinPortal: true }}
            data-testid="new-case-queue"
          />
          <Select
            label="Channel"
            data={CHANNEL_OPTIONS}
            value={channel}
            onChange={(value) => value && setChannel(value as Channel)}
            allowDeselect={false}
            data-testid="new-case-channel"
          />
        </Group>
        <div>
          <Text size="sm" fw={500} mb={4}>
            Priority
          </Text>
          <SegmentedControl fullWidth size="xs" data={PRIORITY_OPTIONS} value={priority} onChange={(value) => setPriority(value as Priority)} data-testid="new-case-priority" />
        </div>
        <Textarea
          label="First internal note"
          description="Optional — what you know so far; only your team sees it"
          autosize
          minRows={3}
          maxRows={8}
          maxLength={TEXT_LIMITS.body}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) submit();
          }}
          data-testid="new-case-note"
        />
        {queues.length === 0 && (
          <Text size="xs" c="red.7">
            You are not a member of any queue, so there is nowhere to put a new case.
          </Text>
        )}
        <Group justify="flex-end" gap={8} mt={4}>
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} data-testid="new-case-submit">
            Create case
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
