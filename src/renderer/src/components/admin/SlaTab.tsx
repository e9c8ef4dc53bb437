/**
 * SLA policies (admins; the hub refuses everyone else): for the default and
 * each plan, first-response and resolution targets per priority edited as
 * durations, the warning lead, the statuses that stop the clock and the
 * business calendar (time zone, hours per weekday, holidays); and the queues
 * that run on business hours of their own. Checked as the admin types with
 * the schema the hub checks with; saved with a reason (audited `sla.update`);
 * the hub's refusal is shown at its field.
 */
import { useState } from 'react';
import { Alert, Box, Button, Group, NavLink, Paper, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconBuildingStore, IconCalendarTime, IconDeviceFloppy, IconStack2 } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { CASE_STATUSES, PLANS, PRIORITIES, type Priority, type Queue } from '../../../../shared/domain';
import { DEFAULT_PLAN_ENTITLEMENTS, ENTITLEMENT_LABELS, type Plan } from '../../../../shared/entitlements';
import { type SlaSettings, SlaSaveInputSchema } from '../../../../shared/protocol';
import type { SlaPolicy } from '../../../../shared/sla';
import { call } from '../../api/client';
import { apiKey, useApiQuery } from '../../api/queries';
import { CalendarEditor, DurationInput, StatusesInput } from './SlaFields';
import { calendarSummary, formatMinutes, hasIssuesUnder, hubIssues, type Issues, localIssues, WEEKDAY_LABELS } from './sla-form';

type Section = 'default' | Plan | 'calendars';

const PLAN_NAMES: Record<Plan, string> = { basic: 'Basic', plus: 'Plus', premium: 'Premium', enterprise: 'Enterprise' };
const PRIORITY_NAMES: Record<Priority, string> = { urgent: 'Urgent', high: 'High', normal: 'Normal', low: 'Low' };
/** Where a section's fields sit in the document (its problems are under it). */
const pathOf = (section: Section): string => (section === 'default' ? 'policies.default' : section === 'calendars' ? 'queueCalendars' : `policies.byPlan.${section}`);

export function SlaTab({ queues }: { queues: Queue[] }) {
  const settings = useApiQuery('admin.sla.get', {}, { retry: false });
  if (!settings.data) {
    return (
      <Text size="sm" c="dimmed" p="md">
        {settings.error ? settings.error.message : 'Loading…'}
      </Text>
    );
  }
  // A save (here or by another admin) starts the form again from what the hub keeps.
  return <SlaForm key={JSON.stringify(settings.data)} saved={settings.data} queues={queues} />;
}

function SlaForm({ saved, queues }: { saved: SlaSettings; queues: Queue[] }) {
  const client = useQueryClient();
  const [draft, setDraftState] = useState<SlaSettings>(saved);
  const [section, setSection] = useState<Section>('default');
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: () => call('admin.sla.save', { ...draft, reason: reason.trim() || undefined }),
    onSuccess: (value) => client.setQueryData(apiKey('admin.sla.get', {}), value),
  });
  // An edit makes the hub's last refusal stale: the schema's live check speaks again.
  const setDraft = (update: (d: SlaSettings) => SlaSettings) => {
    setDraftState(update);
    if (save.error) save.reset();
  };
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const local = localIssues(SlaSaveInputSchema.safeParse({ ...draft, reason }).error);
  const hub = save.error ? hubIssues(save.error.message) : new Map<string, string>();
  const issues: Issues = new Map([...hub, ...local]);
  const firstProblem = [...issues.entries()][0];

  const setPolicy = (key: 'default' | Plan, policy: SlaPolicy | null) =>
    setDraft((d) => {
      if (key === 'default') return { ...d, policies: { ...d.policies, default: policy! } };
      const byPlan = { ...d.policies.byPlan };
      if (policy) byPlan[key] = policy;
      else delete byPlan[key];
      return { ...d, policies: { ...d.policies, byPlan } };
    });

  const navItem = (key: Section, label: string, description: string, icon: ReactNode) => (
    <NavLink
      key={key}
      active={section === key}
      onClick={() => setSection(key)}
      label={label}
      description={description}
      leftSection={icon}
      rightSection={hasIssuesUnder(issues, pathOf(key)) ? <IconAlertCircle size={14} color="var(--mantine-color-red-6)" aria-label="has problems" /> : null}
      data-testid="sla-section"
      data-section={key}
    />
  );

  return (
    <Box style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1 }} data-testid="admin-sla">
      <form
        style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1 }}
        onSubmit={(event) => {
          event.preventDefault();
          if (dirty && local.size === 0 && !save.isPending) save.mutate();
        }}
      >
        <Box style={{ display: 'flex', minHeight: 0, flex: 1 }}>
          <Box w={210} py="xs" style={{ flexShrink: 0, overflow: 'auto', borderRight: '1px solid var(--mantine-color-default-border)' }}>
            {navItem('default', 'Default policy', draft.policies.default.name, <IconBuildingStore size={16} />)}
            {PLANS.map((plan) =>
              navItem(plan, PLAN_NAMES[plan], `${ENTITLEMENT_LABELS[DEFAULT_PLAN_ENTITLEMENTS[plan].kind]} · ${draft.policies.byPlan[plan] ? 'own policy' : 'default policy'}`, <IconStack2 size={16} />),
            )}
            {navItem('calendars', 'Queue hours', `${Object.keys(draft.queueCalendars).length} of ${queues.length} queues with their own`, <IconCalendarTime size={16} />)}
          </Box>
          <Box style={{ overflow: 'auto', minHeight: 0, flex: 1 }}>
            <Stack gap="md" p="md" maw={920}>
              {section === 'default' && <PolicyEditor path="policies.default" policy={draft.policies.default} onChange={(p) => setPolicy('default', p)} issues={issues} />}
              {section !== 'default' && section !== 'calendars' && (
                <PlanSection key={section} plan={section} policy={draft.policies.byPlan[section] ?? null} fallback={draft.policies.default} onChange={(p) => setPolicy(section, p)} issues={issues} />
              )}
              {section === 'calendars' && <QueueCalendars queues={queues} calendars={draft.queueCalendars} onChange={(queueCalendars) => setDraft((d) => ({ ...d, queueCalendars }))} issues={issues} />}
            </Stack>
          </Box>
        </Box>
        {/* Always in view: why, the state of the draft, Save. */}
        <Box px="md" py={8} style={{ borderTop: '1px solid var(--mantine-color-default-border)', background: 'var(--mantine-color-body)' }}>
          <Group gap="sm" wrap="nowrap" align="flex-end">
            <TextInput
              label="Why (kept in the audit log)"
              placeholder="e.g. premium customers get a 30-minute first response"
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              maxLength={500}
              size="xs"
              style={{ flex: 1, minWidth: 160 }}
              data-testid="sla-reason"
            />
            <Box style={{ flex: 1, minWidth: 0 }}>
              {save.error ? (
                <Alert color="red" variant="light" p={6} data-testid="sla-error">
                  <Text size="xs" fw={600}>
                    The hub refused the policies
                  </Text>
                  <Text size="xs" style={{ whiteSpace: 'pre-wrap' }} lineClamp={3}>
                    {[...new Set(hub.values())].join('; ') || save.error.message}
                  </Text>
                </Alert>
              ) : firstProblem ? (
                <Text size="xs" c="red.7" data-testid="sla-problems" lineClamp={2}>
                  {issues.size} problem{issues.size === 1 ? '' : 's'} to fix before saving — {placeOf(firstProblem[0], queues)}: {firstProblem[1]}
                </Text>
              ) : (
                <Text size="xs" c="dimmed" data-testid="sla-state">
                  {dirty ? 'Unsaved changes' : 'New cases get these targets as soon as they are saved'}
                </Text>
              )}
            </Box>
            <Button variant="default" size="xs" disabled={!dirty || save.isPending} onClick={() => (setDraftState(saved), setReason(''), save.reset())} data-testid="sla-discard">
              Discard
            </Button>
            <Button type="submit" size="xs" leftSection={<IconDeviceFloppy size={14} />} disabled={!dirty || local.size > 0} loading={save.isPending} data-testid="sla-save">
              Save
            </Button>
          </Group>
        </Box>
      </form>
    </Box>
  );
}

/** "Plus · urgent · first response" for "policies.byPlan.plus.targets.urgent.firstResponseMinutes"; a queue by its name. */
function placeOf(key: string, queues: Queue[]): string {
  const parts = key.split('.');
  const words: Record<string, string> = { default: 'Default', firstResponseMinutes: 'first response', resolutionMinutes: 'resolution', warnLeadMinutes: 'warning', pausedStatuses: 'paused statuses', timeZone: 'time zone', start: 'opens', end: 'closes', ...WEEKDAY_LABELS, ...PLAN_NAMES, ...Object.fromEntries(queues.map((q) => [q.id, q.name])) };
  return (
    parts
      .filter((p) => !['policies', 'byPlan', 'targets', 'calendar', 'week', 'queueCalendars'].includes(p) && !/^\d+$/.test(p))
      .map((p) => words[p] ?? p)
      .join(' · ') || 'the policies'
  );
}

function PlanSection({ plan, policy, fallback, onChange, issues }: { plan: Plan; policy: SlaPolicy | null; fallback: SlaPolicy; onChange: (p: SlaPolicy | null) => void; issues: Issues }) {
  const entitlement = ENTITLEMENT_LABELS[DEFAULT_PLAN_ENTITLEMENTS[plan].kind];
  return (
    <>
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" wrap="nowrap" gap="sm">
          <div>
            <Title order={5}>
              {PLAN_NAMES[plan]} <Text span size="sm" c="dimmed">({entitlement})</Text>
            </Title>
            <Text size="xs" c="dimmed">
              {policy ? 'Customers on this plan get the targets below.' : `Customers on this plan get the default policy, “${fallback.name}”: urgent first response in ${formatMinutes(fallback.targets.urgent.firstResponseMinutes)}.`}
            </Text>
          </div>
          <Switch
            label="Own policy"
            checked={policy !== null}
            onChange={(e) => onChange(e.currentTarget.checked ? { ...fallback, name: `${PLAN_NAMES[plan]} (${entitlement})` } : null)}
            data-testid="sla-plan-own"
          />
        </Group>
      </Paper>
      {policy && <PolicyEditor path={`policies.byPlan.${plan}`} policy={policy} onChange={onChange} issues={issues} />}
    </>
  );
}

function PolicyEditor({ path, policy, onChange, issues }: { path: string; policy: SlaPolicy; onChange: (p: SlaPolicy) => void; issues: Issues }) {
  const setTarget = (priority: Priority, field: 'firstResponseMinutes' | 'resolutionMinutes', minutes: number) =>
    onChange({ ...policy, targets: { ...policy.targets, [priority]: { ...policy.targets[priority], [field]: minutes } } });
  return (
    <>
      <Paper withBorder radius="md" p="md">
        <Group align="flex-start" gap="md" wrap="wrap">
          <TextInput label="Name" value={policy.name} onChange={(e) => onChange({ ...policy, name: e.currentTarget.value })} error={issues.get(`${path}.name`)} maxLength={100} w={260} data-testid="sla-policy-name" />
          <DurationInput label="Warn before a breach" description="Supervisors see “at risk” this long before" minutes={policy.warnLeadMinutes} onChange={(warnLeadMinutes) => onChange({ ...policy, warnLeadMinutes })} error={issues.get(`${path}.warnLeadMinutes`)} testId="sla-warn" />
          <StatusesInput value={policy.pausedStatuses} options={CASE_STATUSES} onChange={(pausedStatuses) => onChange({ ...policy, pausedStatuses })} error={issues.get(`${path}.pausedStatuses`)} />
        </Group>
      </Paper>
      <Paper withBorder radius="md" p="md">
        <Title order={6}>Targets by priority</Title>
        <Text size="xs" c="dimmed" mb="xs">
          Business time, counted on the calendar below (a queue with hours of its own uses those), with the clock stopped while a case waits on the customer.
        </Text>
        <Table verticalSpacing={4} withRowBorders={false} data-testid="sla-targets">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={90}>Priority</Table.Th>
              <Table.Th>First response</Table.Th>
              <Table.Th>Resolution</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {PRIORITIES.map((priority) => (
              <Table.Tr key={priority} data-priority={priority}>
                <Table.Td fw={500} style={{ verticalAlign: 'top', paddingTop: 10 }}>
                  {PRIORITY_NAMES[priority]}
                </Table.Td>
                {(['firstResponseMinutes', 'resolutionMinutes'] as const).map((field) => (
                  <Table.Td key={field} style={{ verticalAlign: 'top' }}>
                    <DurationInput
                      aria-label={`${PRIORITY_NAMES[priority]} ${field === 'firstResponseMinutes' ? 'first response' : 'resolution'}`}
                      minutes={policy.targets[priority][field]}
                      onChange={(minutes) => setTarget(priority, field, minutes)}
                      error={issues.get(`${path}.targets.${priority}.${field}`)}
                      testId={`sla-target-${priority}-${field === 'firstResponseMinutes' ? 'first' : 'resolution'}`}
                    />
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Paper>
      <Paper withBorder radius="md" p="md">
        <Title order={6}>Business calendar</Title>
        <Text size="xs" c="dimmed" mb="xs">
          When the clock runs for this policy: {calendarSummary(policy.calendar)}
        </Text>
        <CalendarEditor path={`${path}.calendar`} calendar={policy.calendar} onChange={(calendar) => onChange({ ...policy, calendar })} issues={issues} />
      </Paper>
    </>
  );
}

function QueueCalendars({ queues, calendars, onChange, issues }: { queues: Queue[]; calendars: SlaSettings['queueCalendars']; onChange: (c: SlaSettings['queueCalendars']) => void; issues: Issues }) {
  const set = (queueId: string, calendar: SlaSettings['queueCalendars'][string] | null) => {
    const next = { ...calendars };
    if (calendar) next[queueId] = calendar;
    else delete next[queueId];
    onChange(next);
  };
  return (
    <>
      <Text size="xs" c="dimmed">
        A queue with hours of its own (a team in another time zone, a weekday-only desk) counts its cases&apos; targets on them instead of the plan policy&apos;s calendar.
      </Text>
      {[...queues]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((queue) => {
          const calendar = calendars[queue.id];
          return (
            <Paper key={queue.id} withBorder radius="md" px="md" py="xs" data-testid="sla-queue" data-queue={queue.name}>
              <Group justify="space-between" wrap="nowrap" gap="sm">
                <div>
                  <Text fw={600} size="sm">
                    {queue.name}
                  </Text>
                  <Text size="xs" c="dimmed" data-testid="sla-queue-summary">
                    {calendar ? calendarSummary(calendar) : "The plan policy's calendar"}
                  </Text>
                </div>
                <Switch label="Own hours" checked={calendar !== undefined} onChange={(e) => set(queue.id, e.currentTarget.checked ? { kind: 'always' } : null)} data-testid="sla-queue-own" />
              </Group>
              {calendar && (
                <Box mt="sm">
                  <CalendarEditor path={`queueCalendars.${queue.id}`} calendar={calendar} onChange={(c) => set(queue.id, c)} issues={issues} />
                </Box>
              )}
            </Paper>
          );
        })}
    </>
  );
}
