/**
 * What each customer plan includes (admins; the hub refuses everyone else):
 * no support, per-incident support with so many incidents per contract
 * year, a support package or premium support — which decides whether a new
 * case to Support stays there or goes to Sales. Checked as the admin types
 * with the schema the hub checks with; saved with a reason (audited
 * `plans.update`); the hub's refusal is shown at its field.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge, Box, Group, NumberInput, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { PLANS } from '../../../../shared/domain';
import { ENTITLEMENT_KINDS, type EntitlementKind, type Plan, type PlansSettings, PlansSaveInputSchema } from '../../../../shared/entitlements';
import { call } from '../../api/client';
import { apiKey, useApiQuery } from '../../api/queries';
import { type DraftTable, draftOf, kindLabel, PLAN_NAMES, routingSummary, tableOf } from './plans-form';
import { SaveFooter } from './SaveFooter';
import { hubIssues, type Issues, localIssues, type Translate } from './sla-form';


export function PlansTab() {
  const { t } = useTranslation();
  const plans = useApiQuery('admin.plans.get', {}, { retry: false });
  if (!plans.data) {
    return (
      <Text size="sm" c="dimmed" p="md">
        {plans.error ? plans.error.message : t('admin.loading')}
      </Text>
    );
  }
  // A save (here or by another admin) starts the form again from what the hub keeps.
  return <PlansForm key={JSON.stringify(plans.data)} saved={plans.data} />;
}

function PlansForm({ saved }: { saved: PlansSettings }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [draft, setDraftState] = useState<DraftTable>(() => draftOf(saved.entitlements));
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: () => call('admin.plans.save', { entitlements: tableOf(draft), reason: reason.trim() || undefined }),
    // The SLA tab names each plan's entitlement from the same query.
    onSuccess: (value) => client.setQueryData(apiKey('admin.plans.get', {}), value),
  });
  // An edit makes the hub's last refusal stale: the schema's live check speaks again.
  const setPlan = (plan: Plan, change: Partial<DraftTable[Plan]>) => {
    setDraftState((d) => ({ ...d, [plan]: { ...d[plan], ...change } }));
    if (save.error) save.reset();
  };
  const table = tableOf(draft);
  const dirty = JSON.stringify(table) !== JSON.stringify(saved.entitlements);
  const local = localIssues(PlansSaveInputSchema.safeParse({ entitlements: table, reason }).error, t);
  const hub = save.error ? hubIssues(save.error.message) : new Map<string, string>();
  const issues: Issues = new Map([...hub, ...local]);
  const firstProblem = [...issues.entries()][0];
  const reasonError = issues.get('reason');

  return (
    <Box style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1 }} data-testid="admin-plans">
      <form
        style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1 }}
        onSubmit={(event) => {
          event.preventDefault();
          if (dirty && local.size === 0 && !save.isPending) save.mutate();
        }}
      >
        <Box style={{ overflow: 'auto', minHeight: 0, flex: 1 }}>
          <Stack gap="sm" p="md" maw={920}>
            <Text size="xs" c="dimmed">
              {t('admin.plans.hint')}
            </Text>
            {PLANS.map((plan) => (
              <PlanRow key={plan} plan={plan} value={draft[plan]} changed={JSON.stringify(table[plan]) !== JSON.stringify(saved.entitlements[plan])} onChange={(change) => setPlan(plan, change)} issues={issues} />
            ))}
          </Stack>
        </Box>
        {/* Always in view: why, the state of the draft, Save. */}
        <SaveFooter
          testId="plans"
          reason={reason}
          onReason={setReason}
          reasonError={reasonError}
          whyExample={t('admin.plans.whyExample')}
          refused={save.error ? { title: t('admin.plans.refused'), text: [...new Set(hub.values())].join('; ') || save.error.message } : null}
          problem={firstProblem ? t('admin.problems.toFix', { count: issues.size, place: placeOf(firstProblem[0], t), problem: firstProblem[1] }) : null}
          state={dirty ? t('admin.unsaved') : t('admin.plans.savedHint')}
          dirty={dirty}
          valid={local.size === 0}
          pending={save.isPending}
          onDiscard={() => (setDraftState(draftOf(saved.entitlements)), setReason(''), save.reset())}
        />
      </form>
    </Box>
  );
}

/** "Plus · incidents per contract year" for "entitlements.plus.incidentsPerTerm". */
function placeOf(key: string, t: Translate): string {
  const words: Record<string, string> = { ...PLAN_NAMES, kind: t('admin.plans.place.kind'), incidentsPerTerm: t('admin.plans.place.incidentsPerTerm'), reason: t('admin.plans.place.reason') };
  return (
    key
      .split('.')
      .filter((p) => p !== 'entitlements')
      .map((p) => words[p] ?? p)
      .join(' · ') || t('admin.plans.place.everything')
  );
}

function PlanRow({ plan, value, changed, onChange, issues }: { plan: Plan; value: DraftTable[Plan]; changed: boolean; onChange: (change: Partial<DraftTable[Plan]>) => void; issues: Issues }) {
  const { t } = useTranslation();
  const path = `entitlements.${plan}`;
  // A problem with the plan as a whole (the hub's "expected object") is shown at its select.
  const kindError = issues.get(`${path}.kind`) ?? issues.get(path);
  const summary = routingSummary(value.kind === 'per-incident' ? { kind: value.kind, incidentsPerTerm: value.incidentsPerTerm } : { kind: value.kind }, t);
  return (
    <Paper withBorder radius="md" p="md" data-testid="plan-row" data-plan={plan}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="md">
        <Box style={{ flex: '1 1 260px', minWidth: 0 }}>
          <Group gap={8}>
            <Title order={5}>{PLAN_NAMES[plan]}</Title>
            {changed && (
              <Badge size="xs" variant="light" color="yellow" data-testid="plan-changed">
                {t('admin.plans.changed')}
              </Badge>
            )}
          </Group>
          <Text size="xs" c="dimmed" mt={4} data-testid="plan-summary">
            {summary}
          </Text>
        </Box>
        {/* As wide with or without the number: every plan's select in one column (wide enough for the longest name in every language). */}
        <Group gap="sm" align="flex-start" wrap="nowrap" w={432}>
          <Select
            label={t('admin.plans.entitlement')}
            data={ENTITLEMENT_KINDS.map((kind) => ({ value: kind, label: kindLabel(kind, t) }))}
            value={value.kind}
            onChange={(kind) => kind && onChange({ kind: kind as EntitlementKind })}
            allowDeselect={false}
            error={kindError}
            w={230}
            comboboxProps={{ withinPortal: true }}
            data-testid="plan-kind"
          />
          {value.kind === 'per-incident' && (
            <NumberInput
              label={t('admin.plans.incidents')}
              value={Number.isFinite(value.incidentsPerTerm) ? value.incidentsPerTerm : ''}
              onChange={(n) => onChange({ incidentsPerTerm: n === '' ? Number.NaN : Number(n) })}
              error={issues.get(`${path}.incidentsPerTerm`)}
              allowDecimal={false}
              allowNegative={false}
              w={190}
              data-testid="plan-incidents"
            />
          )}
        </Group>
      </Group>
    </Paper>
  );
}
