/** The customer at a glance: entitlement, value, reach, how to reach them, their device and other cases. */
import { useTranslation } from 'react-i18next';
import type { ReactNode } from 'react';
import { ActionIcon, Avatar, Badge, Group, Menu, Progress, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconAt, IconCheck, IconDots, IconMail, IconPhone, IconUserOff } from '@tabler/icons-react';
import { useSetConsent } from '../api/mutations';
import type { CaseView } from '../../../shared/api';
import type { Customer, Device } from '../../../shared/domain';
import { formatMoney, formatNumber, initials, languageName } from '../lib/format';
import { formatTimestamp, fullTimestamp } from '../lib/time';
import { StatusBadge } from './Badges';
import { ChannelIcon, channelLabel, isChannel } from './ChannelIcon';
import { EmptyState } from './States';
import classes from './CustomerSummary.module.css';

const HEALTH_COLORS = { ok: 'teal', warning: 'orange', critical: 'red' } as const;
const PLAN_COLORS = { basic: 'gray', plus: 'blue', premium: 'violet', enterprise: 'grape' } as const;

interface Props {
  customer: Customer | null;
  device: Device | null;
  otherCases: CaseView['customerCases'];
  onOpenCase: (id: string) => void;
}

export function CustomerSummary({ customer, device, otherCases, onOpenCase }: Props) {
  const { t } = useTranslation();
  return (
    <Stack gap={0} data-testid="customer-summary">
      <Section title={t('customer.title')}>
        {customer ? <CustomerCard customer={customer} /> : <EmptyState icon={<IconUserOff size={20} />} title={t('customer.none')} />}
      </Section>
      {device && (
        <Section title={t('customer.device')}>
          <DeviceCard device={device} />
        </Section>
      )}
      {customer && (
        <Section title={t('customer.otherCases', { count: otherCases.length })}>
          {otherCases.length === 0 ? (
            <Text size="xs" c="dimmed">
              {t('customer.noOtherCases')}
            </Text>
          ) : (
            <Stack gap={2} data-testid="customer-cases">
              {otherCases.map((c) => (
                <UnstyledButton key={c.id} className={classes.caseLink} onClick={() => onOpenCase(c.id)} title={c.subject}>
                  <Group gap={6} wrap="nowrap">
                    <ChannelIcon channel={c.channel} size={13} tooltip={false} />
                    <Text span size="xs" c="dimmed" className="tabular">
                      #{c.number}
                    </Text>
                    <Text span size="xs" truncate style={{ flex: 1 }}>
                      {c.subject}
                    </Text>
                    <StatusBadge status={c.status} />
                  </Group>
                </UnstyledButton>
              ))}
            </Stack>
          )}
        </Section>
      )}
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className={classes.section}>
      <Text size="11px" fw={700} c="dimmed" tt="uppercase" mb={8} style={{ letterSpacing: '0.05em' }}>
        {title}
      </Text>
      {children}
    </div>
  );
}

function CustomerCard({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const identities: { key: string; icon: ReactNode; label: string; value: string }[] = [
    ...(customer.email ? [{ key: 'email', icon: <IconMail size={14} color="var(--mantine-color-dimmed)" />, label: t('channels.email'), value: customer.email }] : []),
    ...(customer.phone ? [{ key: 'phone', icon: <IconPhone size={14} color="var(--mantine-color-dimmed)" />, label: t('channels.phone'), value: customer.phone }] : []),
    ...Object.entries(customer.handles).map(([network, handle]) => ({
      key: network,
      icon: isChannel(network) ? <ChannelIcon channel={network} size={14} tooltip={false} /> : <IconAt size={14} color="var(--mantine-color-dimmed)" />,
      label: isChannel(network) ? channelLabel(network) : network,
      value: handle,
    })),
  ];
  return (
    <Stack gap={12}>
      <Group gap={10} wrap="nowrap">
        <Avatar radius="xl" size={38} color="indigo">
          {initials(customer.name)}
        </Avatar>
        <div style={{ minWidth: 0 }}>
          <Text fw={600} size="sm" truncate data-testid="customer-name">
            {customer.name}
          </Text>
          <Group gap={4} mt={2}>
            <Badge size="xs" color={PLAN_COLORS[customer.plan]} variant="light" title={t('customer.plan')}>
              {t(`plans.${customer.plan}`)}
            </Badge>
            {customer.doNotEngage ? (
              <Badge size="xs" variant="filled" color="red" tt="none" title={t('customer.doNotEngageHelp')} data-testid="do-not-engage">
                {t('customer.doNotEngage')}
              </Badge>
            ) : (
              !customer.consent && (
                <Badge size="xs" variant="outline" color="red" tt="none" title={t('customer.noConsentHelp')}>
                  {t('customer.noConsent')}
                </Badge>
              )
            )}
          </Group>
        </div>
        <ConsentMenu customer={customer} />
      </Group>
      <SimpleGrid cols={2} spacing={10} verticalSpacing={10}>
        <Stat label={t('customer.lifetimeValue')}>
          <span className="tabular">{formatMoney(customer.lifetimeValue)}</span>
        </Stat>
        <Stat label={t('customer.influence')}>
          <Group gap={6} wrap="nowrap">
            <span className="tabular">{formatNumber(Math.round(customer.influence))}</span>
            <Progress value={customer.influence} size={4} color={customer.influence >= 70 ? 'orange' : 'indigo'} style={{ flex: 1 }} aria-label={t('customer.influence')} />
          </Group>
        </Stat>
        <Stat label={t('case.facts.language')}>{languageName(customer.language)}</Stat>
        <Stat label={t('customer.prefers')}>
          <Group gap={5} wrap="nowrap">
            <ChannelIcon channel={customer.preferredChannel} size={13} tooltip={false} />
            {channelLabel(customer.preferredChannel)}
          </Group>
        </Stat>
      </SimpleGrid>
      {identities.length > 0 && (
        <Stack gap={5} data-testid="customer-identities">
          {identities.map((identity) => (
            <Group key={identity.key} gap={8} wrap="nowrap" title={identity.label}>
              {identity.icon}
              <Text size="xs" truncate style={{ userSelect: 'text' }}>
                {identity.value}
              </Text>
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function DeviceCard({ device }: { device: Device }) {
  const { t } = useTranslation();
  const health = { color: HEALTH_COLORS[device.health], label: t(`health.${device.health}`) };
  return (
    <Stack gap={6} data-testid="customer-device">
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" fw={600} ff="monospace" truncate>
          {device.id}
        </Text>
        <Badge size="xs" color={health.color} variant="light" data-health={device.health}>
          {health.label}
        </Badge>
      </Group>
      <Field label={t('customer.model')}>{device.model}</Field>
      <Field label={t('customer.serial')}>
        <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{device.serial}</span>
      </Field>
      <Field label={t('customer.lastTelemetry')}>
        {device.lastTelemetryAt ? <span title={fullTimestamp(device.lastTelemetryAt)}>{formatTimestamp(device.lastTelemetryAt)}</span> : t('customer.noTelemetry')}
      </Field>
    </Stack>
  );
}

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="11px" c="dimmed">
        {label}
      </Text>
      <Text component="div" size="sm" fw={500} truncate>
        {children}
      </Text>
    </div>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap">
      <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
        {label}
      </Text>
      <Text size="xs" ta="right" truncate>
        {children}
      </Text>
    </Group>
  );
}

/** What the customer agreed to, as they told an agent: opted in to being contacted, or not to be contacted at all. */
function ConsentMenu({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const setConsent = useSetConsent();
  const toggle = (field: 'consent' | 'doNotEngage') => setConsent.mutate({ id: customer.id, [field]: !customer[field] });
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" ml="auto" aria-label={t('customer.consent')} data-testid="consent-menu">
          <IconDots size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('customer.agreedTo')}</Menu.Label>
        <Menu.Item leftSection={customer.consent ? <IconCheck size={14} /> : <span style={{ width: 14 }} />} onClick={() => toggle('consent')}>
          {t('customer.optedIn')}
        </Menu.Item>
        <Menu.Item leftSection={customer.doNotEngage ? <IconCheck size={14} /> : <span style={{ width: 14 }} />} onClick={() => toggle('doNotEngage')} color="var(--mantine-color-red-text)">
          {t('customer.doNotEngageItem')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
