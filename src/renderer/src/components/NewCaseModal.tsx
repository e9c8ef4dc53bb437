/**
 * A new case, from a phone call or a walk-in: it is created here at once (even
 * offline) and opens; the hub numbers it when it syncs. The customer is picked
 * by name, email, phone or handle and then one of their devices, both from the
 * local cache, so the form works offline too.
 */
import { useTranslation } from 'react-i18next';
import { useState } from 'react';
import { Group, Modal, SegmentedControl, Select, Text, Textarea, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { Customer, Queue } from '../../../shared/domain';
import { CHANNELS, type Channel, type Priority, TEXT_LIMITS } from '../../../shared/domain';
import { useApiMutation } from '../api/mutations';
import { useCustomerDevices, useCustomerSearch } from '../api/queries';
import { priorityOptions } from '../lib/fields';
import { channelLabel } from './ChannelIcon';
import { DialogForm } from './DialogForm';

// Device cases come from device rules, not from people.
const channelOptions = () => CHANNELS.filter((c) => c !== 'device').map((value) => ({ value, label: channelLabel(value) }));

interface Props {
  opened: boolean;
  onClose: () => void;
  queues: Queue[];
  /** The queue the user is looking at, preselected. */
  defaultQueueId: string | null;
  onCreated: (id: string) => void;
  /** A caller the screen pop did not know: their number, to find or note them by. */
  callerPhone?: string | null;
}

export function NewCaseModal({ opened, onClose, queues, defaultQueueId, onCreated, callerPhone = null }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{t('case.newCase')}</Text>} size={520} data-testid="new-case-modal">
      {/* Mounted only while open, so every new case starts from a clean form. */}
      {opened && <NewCaseForm queues={queues} defaultQueueId={defaultQueueId} onCancel={onClose} onCreated={onCreated} callerPhone={callerPhone} />}
    </Modal>
  );
}

function customerLine(c: Customer): string {
  return [c.email, c.phone, ...Object.values(c.handles)].filter(Boolean).join(' · ');
}

function NewCaseForm({ queues, defaultQueueId, onCancel, onCreated, callerPhone }: Omit<Props, 'opened' | 'onClose'> & { onCancel: () => void }) {
  const { t } = useTranslation();
  const [subject, setSubject] = useState(callerPhone ? t('newCase.callFrom', { phone: callerPhone }) : '');
  const [queueId, setQueueId] = useState<string | null>(defaultQueueId ?? queues[0]?.id ?? null);
  const [priority, setPriority] = useState<Priority>('normal');
  const [channel, setChannel] = useState<Channel>('phone');
  const [note, setNote] = useState(callerPhone ? t('newCase.caller', { phone: callerPhone }) : '');
  const [touched, setTouched] = useState(false);
  const [customerSearch, setCustomerSearch] = useState(callerPhone ?? '');
  const [debouncedSearch] = useDebouncedValue(customerSearch, 150);
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const found = useCustomerSearch(debouncedSearch).data ?? [];
  // The chosen one stays an option while the search text shows its name.
  const customers = customer && !found.some((c) => c.id === customer.id) ? [customer, ...found] : found;
  const devices = useCustomerDevices(customer?.id ?? null).data ?? [];
  const create = useApiMutation('cases.create', { onSuccess: (item) => onCreated(item.id), errorTitle: t('newCase.failed') });

  const subjectError = touched && subject.trim() === '' ? t('newCase.subjectRequired') : undefined;
  const queueError = touched && !queueId ? t('newCase.queueRequired') : undefined;
  const submit = () => {
    setTouched(true);
    if (subject.trim() === '' || !queueId) return;
    create.mutate({ subject: subject.trim(), queueId, priority, channel, customerId: customer?.id ?? null, deviceId, ...(note.trim() ? { note: note.trim() } : {}) });
  };

  return (
    <DialogForm onSubmit={submit} onCancel={onCancel} submitLabel={t('newCase.submit')} submitTestId="new-case-submit" busy={create.isPending}>
      <TextInput
        label={t('fields.subject')}
        placeholder={t('newCase.subjectPlaceholder')}
        data-autofocus
        maxLength={TEXT_LIMITS.subject}
        value={subject}
        onChange={(event) => setSubject(event.currentTarget.value)}
        error={subjectError}
        data-testid="new-case-subject"
      />
      <Select
        label={t('customer.title')}
        placeholder={t('newCase.customerPlaceholder')}
        description={customer ? customerLine(customer) : callerPhone && found.length === 0 ? t('newCase.noCustomerForNumber') : undefined}
        searchable
        clearable
        searchValue={customerSearch}
        onSearchChange={setCustomerSearch}
        data={customers.map((c) => ({ value: c.id, label: c.name }))}
        renderOption={({ option }) => {
          const c = customers.find((x) => x.id === option.value);
          return (
            <div>
              <Text size="sm">{option.label}</Text>
              {c && (
                <Text size="xs" c="dimmed">
                  {customerLine(c)}
                </Text>
              )}
            </div>
          );
        }}
        value={customer?.id ?? null}
        onChange={(id) => {
          setCustomer(customers.find((c) => c.id === id) ?? null);
          setDeviceId(null);
        }}
        // The core searched name, email, phone and handles: show what it found.
        filter={({ options }) => options}
        nothingFoundMessage={debouncedSearch.trim() ? t('newCase.noCustomerMatch') : t('newCase.typeToSearch')}
        comboboxProps={{ withinPortal: true }}
        data-testid="new-case-customer"
      />
      <Select
        label={t('customer.device')}
        placeholder={!customer ? t('newCase.pickCustomerFirst') : devices.length === 0 ? t('newCase.noDevices') : t('newCase.noDevice')}
        disabled={!customer || devices.length === 0}
        clearable
        data={devices.map((d) => ({ value: d.id, label: `${d.model} · ${d.serial}` }))}
        value={deviceId}
        onChange={setDeviceId}
        comboboxProps={{ withinPortal: true }}
        data-testid="new-case-device"
      />
      <Group grow gap={12} align="flex-start">
        <Select
          label={t('case.facts.queue')}
          data={queues.map((q) => ({ value: q.id, label: q.name }))}
          value={queueId}
          onChange={setQueueId}
          allowDeselect={false}
          searchable
          nothingFoundMessage={t('newCase.noSuchQueue')}
          error={queueError}
          comboboxProps={{ withinPortal: true }}
          data-testid="new-case-queue"
        />
        <Select
          label={t('case.facts.channel')}
          data={channelOptions()}
          value={channel}
          onChange={(value) => value && setChannel(value as Channel)}
          allowDeselect={false}
          data-testid="new-case-channel"
        />
      </Group>
      <div>
        <Text size="sm" fw={500} mb={4}>
          {t('fields.priority')}
        </Text>
        <SegmentedControl fullWidth size="xs" data={priorityOptions()} value={priority} onChange={(value) => setPriority(value as Priority)} data-testid="new-case-priority" />
      </div>
      <Textarea
        label={t('newCase.firstNote')}
        description={t('newCase.firstNoteHint')}
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
        <Text size="xs" c="red">
          {t('newCase.noQueue')}
        </Text>
      )}
    </DialogForm>
  );
}
