/**
 * Queues and who works them: create, rename, describe, set the members (live
 * on their consoles) and how each hands out work (push, pull or manual, offer
 * time, required skills); each queue's business hours as the SLA tab sets them.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionIcon, Badge, Box, Button, Group, Modal, MultiSelect, Stack, Table, Text, Textarea, TextInput, Tooltip } from '@mantine/core';
import { IconPencil, IconPlus, IconRoute, IconUsersGroup } from '@tabler/icons-react';
import { useApiQuery } from '../../api/queries';
import type { QueueRoutingView } from '../../../../shared/protocol';
import { calendarSummary } from './sla-form';
import { RoutingForm } from './RoutingForm';
import type { UseQueryResult } from '@tanstack/react-query';
import type { AdminUser } from '../../../../shared/admin';
import type { Queue } from '../../../../shared/domain';
import { DialogForm } from '../DialogForm';
import { FormError } from './UserDialogs';
import { useAdminMutation } from './useAdminMutation';

/** A badge's name whole, never cut to an ellipsis (longer in other languages): the table makes room. */
const WHOLE_LABEL = { label: { overflow: 'visible' } } as const;

type Dialog = { kind: 'create' } | { kind: 'edit' | 'members'; queue: Queue } | { kind: 'routing'; queue: Queue; routing: QueueRoutingView } | null;

export function QueuesTab({ users, queues }: { users: UseQueryResult<AdminUser[], Error>; queues: Queue[] }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const all = users.data ?? [];
  const membersOf = (queueId: string) => all.filter((u) => u.queueIds.includes(queueId));
  const routing = useApiQuery('admin.queues.routing', {}, { retry: false });
  const sla = useApiQuery('admin.sla.get', {}, { retry: false });
  const routingOf = (queueId: string) => routing.data?.find((r) => r.queueId === queueId);

  return (
    <>
      <Group justify="space-between" px="md" py={8}>
        <Text size="xs" c="dimmed">
          {t('admin.queues.hint')}
        </Text>
        <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setDialog({ kind: 'create' })} data-testid="admin-create-queue">
          {t('admin.queues.create')}
        </Button>
      </Group>
      <Box style={{ overflow: 'auto', minHeight: 0, flex: 1 }}>
        <Table striped highlightOnHover stickyHeader verticalSpacing={6} fz="sm" data-testid="admin-queues">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.queues.columns.queue')}</Table.Th>
              <Table.Th>{t('admin.queues.columns.description')}</Table.Th>
              <Table.Th>{t('admin.queues.columns.members')}</Table.Th>
              <Table.Th>{t('admin.queues.columns.routing')}</Table.Th>
              <Table.Th>{t('admin.queues.columns.hours')}</Table.Th>
              <Table.Th w={110} aria-label={t('admin.actions')} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[...queues]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((queue) => {
                const members = membersOf(queue.id);
                const routes = routingOf(queue.id);
                const calendar = sla.data?.queueCalendars[queue.id];
                return (
                  <Table.Tr key={queue.id} data-testid="admin-queue-row" data-queue={queue.name}>
                    <Table.Td fw={600} style={{ whiteSpace: 'nowrap' }}>
                      {queue.name}
                    </Table.Td>
                    <Table.Td c={queue.description ? undefined : 'dimmed'} maw={360}>
                      <Text size="sm" lineClamp={2}>
                        {queue.description || '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td data-testid="admin-queue-members">
                      <Text size="xs" c={members.length ? undefined : 'dimmed'}>
                        {members.length ? members.map((u) => u.name).join(', ') : users.isLoading ? '…' : t('admin.queues.nobody')}
                      </Text>
                    </Table.Td>
                    <Table.Td data-testid="admin-queue-routing" data-routing={routes?.routing} miw={96}>
                      {routes ? (
                        <Stack gap={2} align="flex-start">
                          <Badge size="sm" variant="light" color={routes.routing === 'push' ? 'blue' : routes.routing === 'pull' ? 'teal' : 'gray'} styles={WHOLE_LABEL} style={{ flexShrink: 0 }}>
                            {t(`admin.routing.modes.${routes.routing}`)}
                          </Badge>
                          {(routes.routing === 'push' || routes.requiredSkills.length > 0) && (
                            <Text size="xs" c="dimmed" lineClamp={2}>
                              {[routes.routing === 'push' ? t('admin.queues.offer', { seconds: routes.offerSeconds }) : '', routes.requiredSkills.length ? t('admin.queues.skills', { skills: routes.requiredSkills.join(', ') }) : ''].filter(Boolean).join(' · ')}
                            </Text>
                          )}
                        </Stack>
                      ) : (
                        <Text size="xs" c="dimmed">
                          {routing.error ? t('admin.queues.unavailable') : '…'}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td data-testid="admin-queue-hours">
                      <Text size="xs" c={calendar ? undefined : 'dimmed'} lineClamp={2}>
                        {calendar ? calendarSummary(calendar, t) : t('admin.queues.policyCalendar')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={2} wrap="nowrap">
                        <Tooltip label={t('admin.queues.columns.routing')}>
                          <ActionIcon variant="subtle" color="gray" aria-label={t('admin.queues.routingOf', { name: queue.name })} disabled={!routes} onClick={() => routes && setDialog({ kind: 'routing', queue, routing: routes })} data-testid="admin-queue-routing-edit">
                            <IconRoute size={16} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label={t('admin.queues.columns.members')}>
                          <ActionIcon variant="subtle" color="gray" aria-label={t('admin.queues.membersOf', { name: queue.name })} onClick={() => setDialog({ kind: 'members', queue })} data-testid="admin-queue-members-edit">
                            <IconUsersGroup size={16} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label={t('admin.queues.renameDescribe')}>
                          <ActionIcon variant="subtle" color="gray" aria-label={t('admin.editTitle', { name: queue.name })} onClick={() => setDialog({ kind: 'edit', queue })} data-testid="admin-queue-edit">
                            <IconPencil size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
          </Table.Tbody>
        </Table>
      </Box>
      <Modal opened={dialog?.kind === 'create' || dialog?.kind === 'edit'} onClose={close} title={<Text fw={600} size="sm">{dialog?.kind === 'edit' ? t('admin.editTitle', { name: dialog.queue.name }) : t('admin.queues.create')}</Text>} size={460} data-testid="admin-queue-dialog">
        {(dialog?.kind === 'create' || dialog?.kind === 'edit') && <QueueForm queue={dialog.kind === 'edit' ? dialog.queue : null} onClose={close} />}
      </Modal>
      <Modal opened={dialog?.kind === 'members'} onClose={close} title={<Text fw={600} size="sm">{dialog?.kind === 'members' ? t('admin.queues.membersOf', { name: dialog.queue.name }) : ''}</Text>} size={520} data-testid="admin-members-dialog">
        {dialog?.kind === 'members' && <MembersForm queue={dialog.queue} users={all} onClose={close} />}
      </Modal>
      <Modal opened={dialog?.kind === 'routing'} onClose={close} title={<Text fw={600} size="sm">{dialog?.kind === 'routing' ? t('admin.queues.routingOf', { name: dialog.queue.name }) : ''}</Text>} size={520} data-testid="admin-routing-dialog">
        {dialog?.kind === 'routing' && <RoutingForm queue={dialog.queue} current={dialog.routing} skills={[...new Set(all.flatMap((u) => u.skills))]} onClose={close} />}
      </Modal>
    </>
  );
}

function QueueForm({ queue, onClose }: { queue: Queue | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(queue?.name ?? '');
  const [description, setDescription] = useState(queue?.description ?? '');
  const create = useAdminMutation('admin.queues.create', { onSuccess: onClose });
  const update = useAdminMutation('admin.queues.update', { onSuccess: onClose });
  const mutation = queue ? update : create;
  const patch = queue ? { ...(name.trim() !== queue.name ? { name: name.trim() } : {}), ...(description !== queue.description ? { description } : {}) } : {};
  return (
    <DialogForm
      onSubmit={() => (queue ? update.mutate({ id: queue.id, patch }) : create.mutate({ name: name.trim(), description }))}
      onCancel={onClose}
      submitLabel={queue ? t('common.save') : t('admin.queues.createSubmit')}
      submitTestId="admin-queue-submit"
      busy={mutation.isPending}
      disabled={!name.trim() || (queue !== null && Object.keys(patch).length === 0)}
    >
      <TextInput label={t('admin.users.columns.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={60} required data-autofocus data-testid="admin-queue-name" />
      <Textarea label={t('admin.queues.columns.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} maxLength={500} autosize minRows={2} maxRows={5} data-testid="admin-queue-description" />
      <FormError error={mutation.error} />
    </DialogForm>
  );
}

function MembersForm({ queue, users, onClose }: { queue: Queue; users: AdminUser[]; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [userIds, setUserIds] = useState<string[]>(users.filter((u) => u.queueIds.includes(queue.id)).map((u) => u.id));
  const save = useAdminMutation('admin.queues.setMembers', { onSuccess: onClose });
  // Agents work queues; supervisors and admins see every queue anyway, technicians their own cases: offered last.
  const options = [...users]
    .sort((a, b) => Number(a.role !== 'agent') - Number(b.role !== 'agent') || a.name.localeCompare(b.name))
    .map((u) => ({ value: u.id, label: u.role === 'agent' ? t('admin.queues.member', { name: u.name, username: u.username }) : t('admin.queues.memberWithRole', { name: u.name, username: u.username, role: t(`roles.${u.role}`).toLocaleLowerCase(i18n.language) }) }));
  return (
    <DialogForm onSubmit={() => save.mutate({ id: queue.id, userIds })} onCancel={onClose} submitLabel={t('admin.queues.saveMembers')} submitTestId="admin-members-submit" busy={save.isPending}>
      <MultiSelect
        label={t('admin.queues.columns.members')}
        description={t('admin.queues.membersHint')}
        data={options}
        value={userIds}
        onChange={setUserIds}
        searchable
        clearable
        hidePickedOptions
        nothingFoundMessage={t('admin.queues.noSuchUser')}
        maxDropdownHeight={260}
        comboboxProps={{ withinPortal: true }}
        data-testid="admin-members-select"
      />
      <FormError error={save.error} />
    </DialogForm>
  );
}
