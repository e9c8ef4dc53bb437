/** The customer at a glance: entitlement, value, reach, how to reach them, their device and other cases. */
import type { ReactNode } from 'react';
import { ActionIcon, Avatar, Badge, Group, Menu, Progress, SimpleGrid, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconAt, IconCheck, IconDots, IconMail, IconPhone, IconUserOff } from '@tabler/icons-react';
import { useSetConsent } from '../api/mutations';
import type { CaseView } from '../../../shared/api';
import type { Customer, Device } from '../../../shared/domain';
import { formatMoney, initials, languageName } from '../lib/format';
import { formatTimestamp, fullTimestamp } from '../lib/time';
import { StatusBadge } from './Badges';
import { ChannelIcon, channelLabel, isChannel } from './ChannelIcon';
import { EmptyState } from './States';
import classes from './CustomerSummary.module.css';

const HEALTH = { ok: { color: 'teal', label: 'Healthy' }, warning: { color: 'orange', label: 'Warning' }, critical: { color: 'red', label: 'Critical' } } as const;
const PLAN_COLORS = { basic: 'gray', plus: 'blue', premium: 'violet', enterprise: 'grape' } as const;

interface Props {
  customer: Customer | null;
  device: Device | null;
  otherCases: CaseView['customerCases'];
  onOpenCase: (id: string) => void;
}

export function CustomerSummary({ customer, device, otherCases, onOpenCase }: Props) {
  return (
    <Stack gap={0} data-testid="customer-summary">
      <Section title="Customer">
        {customer ? <CustomerCard customer={customer} /> : <EmptyState icon={<IconUserOff size={20} />} title="No customer linked" />}
      </Section>
      {device && (
        <Section title="Device">
          <DeviceCard device={device} />
        </Section>
      )}
      {customer && (
        <Section title={`Other cases (${otherCases.length})`}>
          {otherCases.length === 0 ? (
            <Text size="xs" c="dimmed">
              No other cases.
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
  const identities: { key: string; icon: ReactNode; label: string; value: string }[] = [
    ...(customer.email ? [{ key: 'email', icon: <IconMail size={14} color="var(--mantine-color-gray-6)" />, label: 'Email', value: customer.email }] : []),
    ...(customer.phone ? [{ key: 'phone', icon: <IconPhone size={14} color="var(--mantine-color-gray-6)" />, label: 'Phone', value: customer.phone }] : []),
    ...Object.entries(customer.handles).map(([network, handle]) => ({
      key: network,
      icon: isChannel(network) ? <ChannelIcon channel={network} size={14} tooltip={false} /> : <IconAt size={14} color="var(--mantine-color-gray-6)" />,
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
            <Badge size="xs" color={PLAN_COLORS[customer.plan]} variant="light" title="Plan / entitlement">
              {customer.plan}
            </Badge>
            {customer.doNotEngage ? (
              <Badge size="xs" variant="filled" color="red" tt="none" title="Asked not to be contacted: replies need a supervisor's override" data-testid="do-not-engage">
                do not engage
              </Badge>
            ) : (
              !customer.consent && (
                <Badge size="xs" variant="outline" color="red" tt="none" title="Has not consented to being contacted proactively">
                  no consent
                </Badge>
              )
            )}
          </Group>
        </div>
        <ConsentMenu customer={customer} />
      </Group>
      <SimpleGrid cols={2} spacing={10} verticalSpacing={10}>
        <Stat label="Lifetime value">
          <span className="tabular">{formatMoney(customer.lifetimeValue)}</span>
        </Stat>
        <Stat label="Influence">
          <Group gap={6} wrap="nowrap">
            <span className="tabular">{Math.round(customer.influence)}</span>
            <Progress value={customer.influence} size={4} color={customer.influence >= 70 ? 'orange' : 'indigo'} style={{ flex: 1 }} aria-label="Influence" />
          </Group>
        </Stat>
        <Stat label="Language">{languageName(customer.language)}</Stat>
        <Stat label="Prefers">
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
  const health = HEALTH[device.health];
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
      <Field label="Model">{device.model}</Field>
      <Field label="Serial">
        <span style={{ fontFamily: 'var(--mantine-font-family-monospace)' }}>{device.serial}</span>
      </Field>
      <Field label="Last telemetry">
        {device.lastTelemetryAt ? <span title={fullTimestamp(device.lastTelemetryAt)}>{formatTimestamp(device.lastTelemetryAt)}</span> : 'none received'}
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
  const setConsent = useSetConsent();
  const toggle = (field: 'consent' | 'doNotEngage') => setConsent.mutate({ id: customer.id, [field]: !customer[field] });
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" ml="auto" aria-label="Consent" data-testid="consent-menu">
          <IconDots size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>The customer agreed to</Menu.Label>
        <Menu.Item leftSection={customer.consent ? <IconCheck size={14} /> : <span style={{ width: 14 }} />} onClick={() => toggle('consent')}>
          Being contacted first (opted in)
        </Menu.Item>
        <Menu.Item leftSection={customer.doNotEngage ? <IconCheck size={14} /> : <span style={{ width: 14 }} />} onClick={() => toggle('doNotEngage')} color="red">
          Do not engage
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
