/**
 * What each customer plan includes (admins; the hub refuses everyone else):
 * no support, per-incident support with so many incidents per contract
 * year, a support package or premium support — which decides whether a new
 * case to Support stays there or goes to Sales. Checked as the admin types
 * with the schema the hub checks with; saved with a reason (audited
 * `plans.update`); the hub's refusal is shown at its field.
 */
import { useTranslation } from 'react-i18next';
import { Badge, Box, Group, NumberInput, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { PLANS } from '../../../../shared/domain';
import { ENTITLEMENT_KINDS, type EntitlementKind, type Plan, type PlansSettings, PlansSaveInputSchema } from '../../../../shared/entitlements';
import { call } from '../../api/client';
import { apiKey, useApiQuery } from '../../api/queries';
import { type DraftTable, draftOf, kindLabel, PLAN_NAMES, routingSummary, tableOf } from './plans-form';
import { SaveFooter } from './SaveFooter';
import { type Issues, type Translate } from './sla-form';
import { useSettingsDraft } from './useSettingsDraft';


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
  // Saves here or by another admin reach the form as a new `saved` (useSettingsDraft): a draft is never thrown away.
  return <PlansForm saved={plans.data} />;
}

const toDraft = (saved: PlansSettings): DraftTable => draftOf(saved.entitlements);
const toSaved = (draft: DraftTable): PlansSettings => ({ entitlements: tableOf(draft) });

function PlansForm({ saved }: { saved: PlansSettings }) {
  const { t } = useTranslation();
  const form = useSettingsDraft({
    saved,
    toDraft,
    toSaved,
    schema: PlansSaveInputSchema,
    // The SLA tab names each plan's entitlement from the same query.
    queryKey: apiKey('admin.plans.get', {}),
    save: (document, reason, expected) => call('admin.plans.save', { ...document, reason, expected }),
    refusedTitle: t('admin.plans.refused'),
  });
  const { draft, issues, firstProblem } = form;
  const setPlan = (plan: Plan, change: Partial<DraftTable[Plan]>) => form.setDraft((d) => ({ ...d, [plan]: { ...d[plan], ...change } }));
  const table = tableOf(draft);

  return (
    <Box style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1 }} data-testid="admin-plans">
      <form
        style={{ display: 'flex', flexDirection: 'column', minHeight: 0, flex: 1 }}
        onSubmit={(event) => {
          event.preventDefault();
          form.submit();
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
        {/* Always in view: why, the state of the draft, Save (and another admin's save over this draft). */}
        <SaveFooter
          testId="plans"
          {...form.footer}
          whyExample={t('admin.plans.whyExample')}
          problem={firstProblem ? t('admin.problems.toFix', { count: issues.size, place: placeOf(firstProblem[0], t), problem: firstProblem[1] }) : null}
          state={form.dirty ? t('admin.unsaved') : t('admin.plans.savedHint')}
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
