/**
 * The SLA tab's inputs: a duration (a number and its unit, kept as minutes),
 * the statuses that stop the clock, and a business calendar (24/7, or a time
 * zone with hours per weekday and holidays). Each shows its problem (from the
 * schema or the hub) where it is.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionIcon, Box, Group, Input, MultiSelect, NumberInput, SegmentedControl, Select, Stack, Switch, TagsInput, Text, TextInput, Tooltip } from '@mantine/core';
import { IconMinus, IconPlus } from '@tabler/icons-react';
import { type BusinessCalendar, type HoursRange, WEEKDAYS, type Weekday } from '../../../../shared/sla';
import type { CaseStatus } from '../../../../shared/domain';
import { type Issues, officeHours, toMinutes, type Unit, unitFor, UNITS, weekdayLabel } from './sla-form';

interface DurationProps {
  label?: string;
  description?: string;
  'aria-label'?: string;
  minutes: number;
  onChange: (minutes: number) => void;
  error?: string;
  testId: string;
}

/** A number in minutes, hours or days; what is stored is minutes (NaN while empty, which the schema refuses). */
export function DurationInput({ label, description, minutes, onChange, error, testId, ...rest }: DurationProps) {
  const { t } = useTranslation();
  const [unit, setUnit] = useState<Unit>(() => unitFor(minutes));
  // What is being typed ("1." on the way to 1.5) until the value changes from outside (Discard).
  const [text, setText] = useState<number | string>(() => (Number.isFinite(minutes) ? minutes / UNITS[unit] : ''));
  const shown = Object.is(toMinutes(text, unit), minutes) ? text : Number.isFinite(minutes) ? minutes / UNITS[unit] : '';
  return (
    <Input.Wrapper label={label} description={description} error={error} data-testid={`${testId}-field`}>
      <Group gap={4} wrap="nowrap">
        <NumberInput
          value={shown}
          onChange={(value) => {
            setText(value);
            onChange(toMinutes(value, unit));
          }}
          min={0}
          decimalScale={3}
          hideControls
          w={76}
          error={Boolean(error)}
          aria-label={rest['aria-label'] ?? label}
          data-testid={testId}
        />
        {/* Another unit keeps the number typed: "4" then "hours" is four hours. */}
        <Select
          value={unit}
          onChange={(value) => {
            if (!value) return;
            setUnit(value as Unit);
            setText(shown);
            onChange(toMinutes(shown, value as Unit));
          }}
          data={(Object.keys(UNITS) as Unit[]).map((value) => ({ value, label: t(`admin.duration.units.${value}`) }))}
          allowDeselect={false}
          w={100}
          aria-label={t('admin.duration.unit')}
          comboboxProps={{ withinPortal: true }}
          data-testid={`${testId}-unit`}
        />
      </Group>
    </Input.Wrapper>
  );
}

export function StatusesInput({ value, options, onChange, error }: { value: CaseStatus[]; options: readonly CaseStatus[]; onChange: (v: CaseStatus[]) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <MultiSelect
      label={t('admin.sla.paused')}
      description={t('admin.sla.pausedHint')}
      data={options.map((s) => ({ value: s, label: t(`status.${s}`) }))}
      value={value}
      onChange={(v) => onChange(v as CaseStatus[])}
      error={error}
      w={260}
      comboboxProps={{ withinPortal: true }}
      data-testid="sla-paused"
    />
  );
}

/** Every IANA zone the browser knows (the schema accepts what Intl accepts), the current one first when it is not listed. */
function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const all = known.includes('UTC') ? known : ['UTC', ...known];
  return current && !all.includes(current) ? [current, ...all] : all;
}

export function CalendarEditor({ path, calendar, onChange, issues }: { path: string; calendar: BusinessCalendar; onChange: (c: BusinessCalendar) => void; issues: Issues }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid="sla-calendar">
      <SegmentedControl
        size="xs"
        value={calendar.kind}
        onChange={(kind) => onChange(kind === 'always' ? { kind: 'always' } : officeHours())}
        data={[
          { value: 'always', label: t('admin.calendar.aroundTheClock') },
          { value: 'business', label: t('admin.calendar.business') },
        ]}
        style={{ alignSelf: 'flex-start' }}
        data-testid="sla-calendar-kind"
      />
      {calendar.kind === 'business' && <BusinessHours path={path} calendar={calendar} onChange={onChange} issues={issues} />}
    </Stack>
  );
}

type Business = Extract<BusinessCalendar, { kind: 'business' }>;

function BusinessHours({ path, calendar, onChange, issues }: { path: string; calendar: Business; onChange: (c: Business) => void; issues: Issues }) {
  const { t } = useTranslation();
  const setDay = (day: Weekday, ranges: HoursRange[]) => onChange({ ...calendar, week: { ...calendar.week, [day]: ranges } });
  const weekError = issues.get(`${path}.week`);
  return (
    <Stack gap="sm">
      <Select
        label={t('admin.calendar.timeZone')}
        description={t('admin.calendar.timeZoneHint')}
        data={timeZones(calendar.timeZone)}
        value={calendar.timeZone}
        onChange={(timeZone) => timeZone && onChange({ ...calendar, timeZone })}
        error={issues.get(`${path}.timeZone`)}
        searchable
        allowDeselect={false}
        limit={50}
        maxDropdownHeight={260}
        w={320}
        comboboxProps={{ withinPortal: true }}
        data-testid="sla-timezone"
      />
      <Input.Wrapper label={t('admin.calendar.hours')} description={t('admin.calendar.hoursHint')} error={weekError}>
        <Stack gap={6} mt={6}>
          {WEEKDAYS.map((day) => {
            const ranges = calendar.week[day] ?? [];
            const dayError = issues.get(`${path}.week.${day}`);
            return (
              <Group key={day} gap="xs" wrap="nowrap" align="flex-start" data-testid="sla-day" data-day={day}>
                <Switch
                  label={weekdayLabel(day, t)}
                  checked={ranges.length > 0}
                  onChange={(e) => setDay(day, e.currentTarget.checked ? [{ start: '09:00', end: '17:00' }] : [])}
                  w={130}
                  mt={6}
                  size="xs"
                  data-testid="sla-day-open"
                />
                <Stack gap={4} style={{ flex: 1 }}>
                  {ranges.length === 0 && (
                    <Text size="xs" c="dimmed" mt={6}>
                      {t('admin.calendar.closed')}
                    </Text>
                  )}
                  {ranges.map((range, i) => {
                    const at = `${path}.week.${day}.${i}`;
                    const error = issues.get(`${at}.start`) ?? issues.get(`${at}.end`) ?? issues.get(at);
                    const set = (patch: Partial<HoursRange>) => setDay(day, ranges.map((r, j) => (j === i ? { ...r, ...patch } : r)));
                    return (
                      <Box key={i}>
                        <Group gap={4} wrap="nowrap">
                          <TextInput size="xs" w={64} value={range.start} onChange={(e) => set({ start: e.currentTarget.value })} placeholder="09:00" maxLength={5} error={Boolean(issues.get(`${at}.start`))} aria-label={t('admin.calendar.opens', { day: weekdayLabel(day, t) })} data-testid="sla-range-start" />
                          <Text size="xs">–</Text>
                          <TextInput size="xs" w={64} value={range.end} onChange={(e) => set({ end: e.currentTarget.value })} placeholder="17:00" maxLength={5} error={Boolean(issues.get(`${at}.end`))} aria-label={t('admin.calendar.closes', { day: weekdayLabel(day, t) })} data-testid="sla-range-end" />
                          <Tooltip label={t('admin.calendar.remove')}>
                            <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('admin.calendar.remove')} onClick={() => setDay(day, ranges.filter((_, j) => j !== i))}>
                              <IconMinus size={14} />
                            </ActionIcon>
                          </Tooltip>
                          {i === ranges.length - 1 && ranges.length < 8 && (
                            <Tooltip label={t('admin.calendar.addTitle')}>
                              <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('admin.calendar.add')} onClick={() => setDay(day, [...ranges, { start: range.end, end: '24:00' }])}>
                                <IconPlus size={14} />
                              </ActionIcon>
                            </Tooltip>
                          )}
                        </Group>
                        {error && (
                          <Text size="xs" c="red.7" data-testid="sla-range-error">
                            {error}
                          </Text>
                        )}
                      </Box>
                    );
                  })}
                  {dayError && (
                    <Text size="xs" c="red.7" data-testid="sla-range-error">
                      {dayError}
                    </Text>
                  )}
                </Stack>
              </Group>
            );
          })}
        </Stack>
      </Input.Wrapper>
      <TagsInput
        label={t('admin.calendar.holidaysLabel')}
        description={t('admin.calendar.holidaysHint')}
        value={calendar.holidays}
        onChange={(holidays) => onChange({ ...calendar, holidays })}
        splitChars={[',', ' ']}
        error={issues.get(`${path}.holidays`)}
        clearable
        maw={560}
        data-testid="sla-holidays-input"
        wrapperProps={{ 'data-testid': 'sla-holidays' }}
      />
    </Stack>
  );
}
