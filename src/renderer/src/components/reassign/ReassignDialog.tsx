/**
 * Supervisors move cases: to an agent or technician and/or a queue, with an
 * optional note to the new assignee. One atomic move on the hub (all or none),
 * so it needs the hub: offline it says so and nothing moves. The moved cases
 * come back through the live feed like anyone's change.
 */
import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { Alert, Group, Modal, Progress, Select, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCheck, IconPlugConnectedX, IconSearch } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import type { ReassignRequest } from '../../../../shared/protocol';
import { TEXT_LIMITS } from '../../../../shared/domain';
import { call, errorCode } from '../../api/client';
import { useQueues, useSyncStatus, useUsers } from '../../api/queries';
import { DialogForm } from '../DialogForm';
import { assigneeGroups, casesCount, destination, NOBODY } from './people';
import { PresenceDot, usePresence } from './PresenceDot';

/** What to move and, from a drop, where to (the dialog opens pre-filled). */
export interface ReassignTarget {
  caseIds: string[];
  /** null: unassign; absent: the assignee stays (until picked here). */
  assigneeId?: string | null;
  queueId?: string;
}

interface Props {
  target: ReassignTarget | null;
  onClose: () => void;
  /** The hub moved them (their ids, for the selection to let go). */
  onMoved: (ids: string[]) => void;
}

/** The hub's or the core's error text as a sentence: capital first, full stop last. */
const sentence = (text: string): string => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

export function ReassignDialog({ target, onClose, onMoved }: Props) {
  const { t } = useTranslation();
  // While it fades out (target gone) the title keeps its count: "Reassign 0 cases" would flash.
  const [count, setCount] = useState(target?.caseIds.length ?? 0);
  if (target && target.caseIds.length !== count) setCount(target.caseIds.length);
  return (
    <Modal opened={target !== null} onClose={onClose} title={<Text fw={600}>{t('reassign.title', { count })}</Text>} size={480} data-testid="reassign-dialog">
      {/* Mounted only while open: every move starts from its own (pre-filled) form. */}
      {target && <ReassignForm target={target} onClose={onClose} onMoved={onMoved} />}
    </Modal>
  );
}

function ReassignForm({ target, onClose, onMoved }: { target: ReassignTarget; onClose: () => void; onMoved: (ids: string[]) => void }) {
  const { t } = useTranslation();
  const users = useUsers();
  const queues = useQueues();
  const online = useSyncStatus().data?.online ?? true;
  const presence = usePresence();
  // The select's value: a user id, NOBODY, or null (keep whoever has each case).
  const [assignee, setAssignee] = useState<string | null>(target.assigneeId === undefined ? null : (target.assigneeId ?? NOBODY));
  const [queueId, setQueueId] = useState<string | null>(target.queueId ?? null);
  const [note, setNote] = useState('');
  const n = target.caseIds.length;
  const prefilled = target.assigneeId !== undefined || target.queueId !== undefined;

  const assigneeName = assignee === NOBODY ? t('reassign.nobodyName') : (users.data?.find((u) => u.id === assignee)?.name ?? null);
  const queueName = queues.data?.find((q) => q.id === queueId)?.name ?? null;
  const where = destination(assignee === NOBODY ? null : assigneeName, assignee === NOBODY, queueName);

  const move = useMutation({
    mutationFn: (request: ReassignRequest) => call('cases.reassign', request),
    onSuccess: (result) => {
      const already = n - result.moved;
      notifications.show({
        color: 'teal',
        icon: <IconCheck size={16} />,
        title: where ? t('reassign.movedTo', { count: result.moved, where }) : t('reassign.moved', { count: result.moved }),
        message: (
          <span data-testid="reassign-result" data-moved={result.moved}>
            {already > 0 ? `${t('reassign.already', { count: already })} ` : ''}
            {note.trim() ? `${t('reassign.noteOnEach')} ` : ''}
            {t('reassign.everyConsole')}
          </span>
        ),
        autoClose: 6000,
        withBorder: true,
      });
      onMoved(target.caseIds);
      onClose();
    },
  });

  const submit = () => {
    if (assignee === null && queueId === null) return;
    const request: ReassignRequest = {
      caseIds: target.caseIds,
      ...(assignee === null ? {} : { assigneeId: assignee === NOBODY ? null : assignee }),
      ...(queueId === null ? {} : { queueId }),
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    move.mutate(request);
  };

  const offline = errorCode(move.error) === 'unavailable' || (!online && !move.isPending);
  return (
    <DialogForm
      onSubmit={submit}
      onCancel={onClose}
      submitLabel={t('reassign.submit', { count: n })}
      submitTestId="reassign-submit"
      busy={move.isPending}
      disabled={assignee === null && queueId === null}
      // From a drop the target is chosen: Enter confirms (or Tab to the note first).
      focusSubmit={prefilled}
    >
      <Select
        label={t('reassign.assignTo')}
        placeholder={t('reassign.keepAssignee')}
        description={assignee === null ? undefined : assignee === NOBODY ? t('reassign.backToQueue') : undefined}
        leftSection={<IconSearch size={14} />}
        data={assigneeGroups(users.data ?? [])}
        renderOption={({ option }) => (
          <Group gap={8} wrap="nowrap" style={{ flex: 1 }}>
            <Text size="sm" style={{ flex: 1 }}>
              {option.label}
            </Text>
            <PresenceDot presence={presence.get(option.value)} />
          </Group>
        )}
        value={assignee}
        onChange={setAssignee}
        searchable
        clearable
        data-autofocus={prefilled ? undefined : true}
        nothingFoundMessage={users.isError ? t('assign.listFailed') : t('assign.nobody')}
        comboboxProps={{ withinPortal: true }}
        data-testid="reassign-assignee"
      />
      <Select
        label={t('reassign.moveToQueue')}
        placeholder={t('reassign.keepQueue')}
        data={(queues.data ?? []).map((q) => ({ value: q.id, label: q.name }))}
        value={queueId}
        onChange={setQueueId}
        searchable
        clearable
        nothingFoundMessage={t('newCase.noSuchQueue')}
        comboboxProps={{ withinPortal: true }}
        data-testid="reassign-queue"
      />
      <Textarea
        label={t('reassign.note')}
        description={t('reassign.noteHint')}
        placeholder={t('reassign.notePlaceholder')}
        autosize
        minRows={2}
        maxRows={6}
        maxLength={TEXT_LIMITS.body}
        value={note}
        onChange={(event) => setNote(event.currentTarget.value)}
        data-testid="reassign-note"
      />
      {move.isPending && (
        <div data-testid="reassign-progress">
          <Text size="xs" c="dimmed" mb={4}>
            {t('reassign.moving', { count: n })}
          </Text>
          <Progress value={100} animated striped size="sm" />
        </div>
      )}
      {move.isError ? (
        <Alert
          color={offline ? 'orange' : 'red'}
          icon={offline ? <IconPlugConnectedX size={16} /> : <IconAlertTriangle size={16} />}
          title={t('reassign.nothingMoved')}
          data-testid="reassign-error"
          data-code={errorCode(move.error) ?? undefined}
        >
          {sentence(move.error.message)}
          {offline ? ` ${t('reassign.offlineRetry')}` : ''}
        </Alert>
      ) : (
        !online && (
          <Alert color="orange" icon={<IconPlugConnectedX size={16} />} data-testid="reassign-offline">
            {t('reassign.offline')}
          </Alert>
        )
      )}
      {where && !move.isError && (
        <Text size="xs" c="dimmed" data-testid="reassign-summary">
          {casesCount(n)} → {where}
        </Text>
      )}
    </DialogForm>
  );
}
