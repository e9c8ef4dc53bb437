/** The customer at a glance: value, entitlement, reach, identities, device, history. */
import { Badge, Divider, Group, Stack, Text } from '@mantine/core';
import type { CaseView } from '../../../shared/api';
import type { Customer, Device } from '../../../shared/domain';
import { formatTimestamp } from '../lib/time';
import { ChannelIcon, channelLabel } from './ChannelIcon';
import { StatusBadge } from './PriorityBadge';

const HEALTH_COLORS: Record<Device['health'], string> = { ok: 'teal', warning: 'orange', critical: 'red' };
const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap">
      <Text size="xs" c="dimmed">{label}</Text>
      <Text size="xs" ta="right" truncate>{children}</Text>
    </Group>
  );
}

export function CustomerSummary({ customer, device, otherCases }: { customer: Customer | null; device: Device | null; otherCases: CaseView['customerCases'] }) {
  return (
    <Stack gap="xs" p="md" data-testid="customer-summary">
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">Customer</Text>
      {customer ? (
        <>
          <Text fw={600}>{customer.name}</Text>
          <Group gap={6}>
            <Badge size="xs" radius="sm" color={customer.plan === 'enterprise' || customer.plan === 'premium' ? 'violet' : 'gray'}>{customer.plan}</Badge>
            <Badge size="xs" radius="sm" variant="light" color="gray" tt="none">{customer.language.toUpperCase()}</Badge>
            {!customer.consent && <Badge size="xs" radius="sm" variant="outline" color="red" tt="none">no marketing consent</Badge>}
          </Group>
          <Field label="Lifetime value">{money.format(customer.lifetimeValue)}</Field>
          <Field label="Influence">{Math.round(customer.influence)} / 100</Field>
          <Field label="Prefers">{channelLabel(customer.preferredChannel)}</Field>
          {customer.email && <Field label="Email">{customer.email}</Field>}
          {customer.phone && <Field label="Phone">{customer.phone}</Field>}
          {Object.entries(customer.handles).map(([network, handle]) => <Field key={network} label={network === 'x' ? 'X' : network}>{handle}</Field>)}
        </>
      ) : (
        <Text size="sm" c="dimmed">No customer linked.</Text>
      )}
      {device && (
        <>
          <Divider my={4} />
          <Text size="xs" fw={700} c="dimmed" tt="uppercase">Device</Text>
          <Group justify="space-between">
            <Text size="sm" fw={500}>{device.id}</Text>
            <Badge size="xs" radius="sm" color={HEALTH_COLORS[device.health]}>{device.health}</Badge>
          </Group>
          <Field label="Model">{device.model}</Field>
          <Field label="Serial">{device.serial}</Field>
          <Field label="Last telemetry">{device.lastTelemetryAt ? formatTimestamp(device.lastTelemetryAt) : '—'}</Field>
        </>
      )}
      {otherCases.length > 0 && (
        <>
          <Divider my={4} />
          <Text size="xs" fw={700} c="dimmed" tt="uppercase">Other cases</Text>
          {otherCases.slice(0, 8).map((c) => (
            <Group key={c.id} gap={6} wrap="nowrap">
              <ChannelIcon channel={c.channel} size={14} />
              <Text size="xs" c="dimmed">#{c.number}</Text>
              <Text size="xs" truncate style={{ flex: 1 }}>{c.subject}</Text>
              <StatusBadge status={c.status} />
            </Group>
          ))}
        </>
      )}
    </Stack>
  );
}
