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
import { useTranslation } from 'react-i18next';
import { Box, Group, NavLink, Paper, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconBuildingStore, IconCalendarTime, IconStack2 } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { CASE_STATUSES, PLANS, PRIORITIES, type Priority, type Queue } from '../../../../shared/domain';
import type { Plan, PlanEntitlements } from '../../../../shared/entitlements';
import { type SlaSettings, SlaSaveInputSchema } from '../../../../shared/protocol';
import { type SlaPolicy, WEEKDAYS } from '../../../../shared/sla';
import { call } from '../../api/client';
import { apiKey, useApiQuery } from '../../api/queries';
import { entitlementSummary, PLAN_NAMES } from './plans-form';
import { CalendarEditor, DurationInput, StatusesInput } from './SlaFields';
import { SaveFooter } from './SaveFooter';
import { calendarSummary, formatMinutes, hasIssuesUnder, type Issues, type Translate, weekdayLabel } from './sla-form';
import { useSettingsDraft } from './useSettingsDraft';

type Section = 'default' | Plan | 'calendars';

const TARGET_FIELDS = ['firstResponseMinutes', 'resolutionMinutes'] as const;
/** Where a section's fields sit in the document (its problems are under it). */
const pathOf = (section: Section): string => (section === 'default' ? 'policies.default' : section === 'calendars' ? 'queueCalendars' : `policies.byPlan.${section}`);

export function SlaTab({ queues }: { queues: Queue[] }) {
  const { t } = useTranslation();
  const settings = useApiQuery('admin.sla.get', {}, { retry: false });
  if (!settings.data) {
    return (
      <Text size="sm" c="dimmed" p="md">
        {settings.error ? settings.error.message : t('admin.loading')}
      </Text>
    );
  }
  // Saves here or by another admin reach the form as a new `saved` (useSettingsDraft): a draft is never thrown away.
  return <SlaForm saved={settings.data} queues={queues} />;
}

const same = (settings: SlaSettings): SlaSettings => settings;

function SlaForm({ saved, queues }: { saved: SlaSettings; queues: Queue[] }) {
  const { t } = useTranslation();
  // What each plan includes, as the hub keeps it (the Plans tab): named beside the plan.
  const entitlements = useApiQuery('admin.plans.get', {}, { retry: false }).data?.entitlements ?? null;
  const [section, setSection] = useState<Section>('default');
  const form = useSettingsDraft({
    saved,
    toDraft: same,
    toSaved: same,
    schema: SlaSaveInputSchema,
    queryKey: apiKey('admin.sla.get', {}),
    save: (document, reason, expected) => call('admin.sla.save', { ...document, reason, expected }),
    refusedTitle: t('admin.sla.refused'),
  });
  const { draft, setDraft, issues, firstProblem } = form;

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
      rightSection={hasIssuesUnder(issues, pathOf(key)) ? <IconAlertCircle size={14} color="var(--mantine-color-red-6)" aria-label={t('admin.sla.hasProblems')} /> : null}
      data-testid="sla-section"
      data-section={key}
    />
  );

  const sections = [
    navItem('default', t('admin.sla.defaultPolicy'), draft.policies.default.name, <IconBuildingStore size={16} />),
    ...PLANS.map((plan) =>
      navItem(plan, PLAN_NAMES[plan], `${entitlements ? `${entitlementSummary(entitlements[plan], t)} · ` : ''}${draft.policies.byPlan[plan] ? t('admin.sla.ownPolicyNote') : t('admin.sla.defaultPolicyNote')}`, <IconStack2 size={16} />),
    ),
    navItem('calendars', t('admin.sla.queueHours'), t('admin.sla.queueHoursNote', { own: Object.keys(draft.queueCalendars).length, count: queues.length }), <IconCalendarTime size={16} />),
  ];

  return (
    <Box style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1 }} data-testid="admin-sla">
      <form
        style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1 }}
        onSubmit={(event) => {
          event.preventDefault();
          form.submit();
        }}
      >
        <Box style={{ display: 'flex', minHeight: 0, flex: 1 }}>
          <Box w={210} py="xs" style={{ flexShrink: 0, overflow: 'auto', borderRight: '1px solid var(--mantine-color-default-border)' }}>
            {sections}
          </Box>
          <Box style={{ overflow: 'auto', minHeight: 0, flex: 1 }}>
            <Stack gap="md" p="md" maw={920}>
              {section === 'default' && <PolicyEditor path="policies.default" policy={draft.policies.default} onChange={(p) => setPolicy('default', p)} issues={issues} />}
              {section !== 'default' && section !== 'calendars' && (
                <PlanSection key={section} plan={section} entitlements={entitlements} policy={draft.policies.byPlan[section] ?? null} fallback={draft.policies.default} onChange={(p) => setPolicy(section, p)} issues={issues} />
              )}
              {section === 'calendars' && <QueueCalendars queues={queues} calendars={draft.queueCalendars} onChange={(queueCalendars) => setDraft((d) => ({ ...d, queueCalendars }))} issues={issues} />}
            </Stack>
          </Box>
        </Box>
        {/* Always in view: why, the state of the draft, Save (and another admin's save over this draft). */}
        <SaveFooter
          testId="sla"
          {...form.footer}
          whyExample={t('admin.sla.whyExample')}
          problem={firstProblem ? t('admin.problems.toFix', { count: issues.size, place: placeOf(firstProblem[0], queues, t), problem: firstProblem[1] }) : null}
          state={form.dirty ? t('admin.unsaved') : t('admin.sla.savedHint')}
        />
      </form>
    </Box>
  );
}

/** "Plus · urgent · first response" for "policies.byPlan.plus.targets.urgent.firstResponseMinutes"; a queue by its name. */
function placeOf(key: string, queues: Queue[], t: Translate): string {
  const parts = key.split('.');
  const words: Record<string, string> = {
    ...Object.fromEntries((['default', 'firstResponseMinutes', 'resolutionMinutes', 'warnLeadMinutes', 'pausedStatuses', 'timeZone', 'start', 'end', 'name', 'holidays', ...PRIORITIES] as const).map((w) => [w, t(`admin.sla.place.${w}`)])),
    ...Object.fromEntries(WEEKDAYS.map((d) => [d, weekdayLabel(d, t)])),
    ...PLAN_NAMES,
    ...Object.fromEntries(queues.map((q) => [q.id, q.name])),
  };
  return (
    parts
      .filter((p) => !['policies', 'byPlan', 'targets', 'calendar', 'week', 'queueCalendars'].includes(p) && !/^\d+$/.test(p))
      .map((p) => words[p] ?? p)
      .join(' · ') || t('admin.sla.place.everything')
  );
}

function PlanSection({ plan, entitlements, policy, fallback, onChange, issues }: { plan: Plan; entitlements: PlanEntitlements | null; policy: SlaPolicy | null; fallback: SlaPolicy; onChange: (p: SlaPolicy | null) => void; issues: Issues }) {
  const { t } = useTranslation();
  const entitlement = entitlements ? entitlementSummary(entitlements[plan], t) : null;
  return (
    <>
      <Paper withBorder radius="md" p="md">
        <Group justify="space-between" wrap="nowrap" gap="sm">
          <div>
            <Title order={5}>
              {PLAN_NAMES[plan]}{' '}
              {entitlement && (
                <Text span size="sm" c="dimmed" data-testid="sla-plan-entitlement">
                  ({entitlement})
                </Text>
              )}
            </Title>
            <Text size="xs" c="dimmed">
              {policy ? t('admin.sla.planOwn') : t('admin.sla.planDefault', { name: fallback.name, duration: formatMinutes(fallback.targets.urgent.firstResponseMinutes, t) })}
            </Text>
          </div>
          <Switch
            label={t('admin.sla.ownPolicy')}
            checked={policy !== null}
            onChange={(e) => onChange(e.currentTarget.checked ? { ...fallback, name: entitlement ? `${PLAN_NAMES[plan]} (${entitlement})` : PLAN_NAMES[plan] } : null)}
            data-testid="sla-plan-own"
          />
        </Group>
      </Paper>
      {policy && <PolicyEditor path={`policies.byPlan.${plan}`} policy={policy} onChange={onChange} issues={issues} />}
    </>
  );
}

function PolicyEditor({ path, policy, onChange, issues }: { path: string; policy: SlaPolicy; onChange: (p: SlaPolicy) => void; issues: Issues }) {
  const { t } = useTranslation();
  const setTarget = (priority: Priority, field: 'firstResponseMinutes' | 'resolutionMinutes', minutes: number) =>
    onChange({ ...policy, targets: { ...policy.targets, [priority]: { ...policy.targets[priority], [field]: minutes } } });
  return (
    <>
      <Paper withBorder radius="md" p="md">
        <Group align="flex-start" gap="md" wrap="wrap">
          <TextInput label={t('admin.sla.name')} value={policy.name} onChange={(e) => onChange({ ...policy, name: e.currentTarget.value })} error={issues.get(`${path}.name`)} maxLength={100} w={260} data-testid="sla-policy-name" />
          <DurationInput label={t('admin.sla.warn')} description={t('admin.sla.warnHint')} minutes={policy.warnLeadMinutes} onChange={(warnLeadMinutes) => onChange({ ...policy, warnLeadMinutes })} error={issues.get(`${path}.warnLeadMinutes`)} testId="sla-warn" />
          <StatusesInput value={policy.pausedStatuses} options={CASE_STATUSES} onChange={(pausedStatuses) => onChange({ ...policy, pausedStatuses })} error={issues.get(`${path}.pausedStatuses`)} />
        </Group>
      </Paper>
      <Paper withBorder radius="md" p="md">
        <Title order={6}>{t('admin.sla.targets')}</Title>
        <Text size="xs" c="dimmed" mb="xs">
          {t('admin.sla.targetsHint')}
        </Text>
        <Table verticalSpacing={4} withRowBorders={false} data-testid="sla-targets">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={90}>{t('fields.priority')}</Table.Th>
              <Table.Th>{t('sla.firstResponse')}</Table.Th>
              <Table.Th>{t('sla.resolution')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {PRIORITIES.map((priority) => (
              <Table.Tr key={priority} data-priority={priority}>
                <Table.Td fw={500} style={{ verticalAlign: 'top', paddingTop: 10 }}>
                  {t(`priority.${priority}`)}
                </Table.Td>
                {TARGET_FIELDS.map((field) => (
                  <Table.Td key={field} style={{ verticalAlign: 'top' }}>
                    <DurationInput
                      aria-label={t(field === 'firstResponseMinutes' ? 'admin.sla.targetFirst' : 'admin.sla.targetResolution', { priority: t(`priority.${priority}`) })}
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
        <Title order={6}>{t('admin.sla.calendar')}</Title>
        <Text size="xs" c="dimmed" mb="xs">
          {t('admin.sla.calendarHint', { summary: calendarSummary(policy.calendar, t) })}
        </Text>
        <CalendarEditor path={`${path}.calendar`} calendar={policy.calendar} onChange={(calendar) => onChange({ ...policy, calendar })} issues={issues} />
      </Paper>
    </>
  );
}

function QueueCalendars({ queues, calendars, onChange, issues }: { queues: Queue[]; calendars: SlaSettings['queueCalendars']; onChange: (c: SlaSettings['queueCalendars']) => void; issues: Issues }) {
  const { t } = useTranslation();
  const set = (queueId: string, calendar: SlaSettings['queueCalendars'][string] | null) => {
    const next = { ...calendars };
    if (calendar) next[queueId] = calendar;
    else delete next[queueId];
    onChange(next);
  };
  return (
    <>
      <Text size="xs" c="dimmed">
        {t('admin.sla.queueHoursHint')}
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
                    {calendar ? calendarSummary(calendar, t) : t('admin.sla.planCalendar')}
                  </Text>
                </div>
                <Switch label={t('admin.sla.ownHours')} checked={calendar !== undefined} onChange={(e) => set(queue.id, e.currentTarget.checked ? { kind: 'always' } : null)} data-testid="sla-queue-own" />
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
