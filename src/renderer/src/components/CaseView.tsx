/** One case: header, message timeline and the customer at a glance. */
import { Badge, Box, Center, Group, Loader, Paper, ScrollArea, Stack, Text, Title } from '@mantine/core';
import type { CaseView as CaseViewData } from '../../../shared/api';
import type { Message } from '../../../shared/domain';
import { useCaseView } from '../api/hooks';
import { formatTimestamp } from '../lib/time';
import { useNow } from '../lib/useNow';
import { ChannelIcon, channelLabel } from './ChannelIcon';
import { CustomerSummary } from './CustomerSummary';
import { PriorityBadge, StatusBadge } from './PriorityBadge';
import { SlaCountdown } from './SlaCountdown';

export function CaseView({ caseId }: { caseId: string }) {
  const { data, isPending, error } = useCaseView(caseId);
  if (isPending) return <Center h="100%"><Loader size="sm" /></Center>;
  if (error) return <Center h="100%"><Text c="red" size="sm">{error.message}</Text></Center>;
  if (!data) return <Center h="100%"><Text c="dimmed" size="sm">This case is not available offline.</Text></Center>;
  return <CaseDetail view={data} />;
}

function CaseDetail({ view }: { view: CaseViewData }) {
  const now = useNow(1000);
  const c = view.case;
  return (
    <Box data-testid="case-view" style={{ display: 'flex', height: '100%', minHeight: 0 }}>
      <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
        <Box px="md" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
          <Group gap={8} mb={4}>
            <ChannelIcon channel={c.channel} size={18} />
            <Text size="xs" c="dimmed">#{c.number} · {channelLabel(c.channel)} · {c.queueName}</Text>
          </Group>
          <Title order={4} fw={600} data-testid="case-subject" lh={1.3}>{c.subject}</Title>
          <Group gap="xs" mt={8}>
            <StatusBadge status={c.status} />
            <PriorityBadge priority={c.priority} />
            <Badge size="xs" variant="outline" color="gray" radius="sm">{c.assigneeName ?? 'Unassigned'}</Badge>
            <Group gap={4}><Text size="xs" c="dimmed">SLA</Text><SlaCountdown dueAt={c.slaDueAt} now={now} closed={c.status === 'solved' || c.status === 'closed'} /></Group>
            {c.tags.map((tag) => <Badge key={tag} size="xs" variant="light" color="gray" radius="sm" tt="none">{tag}</Badge>)}
          </Group>
        </Box>
        <ScrollArea style={{ flex: 1 }} px="md" py="sm">
          <Stack gap="sm" data-testid="message-timeline">
            {view.messages.length === 0 && <Text c="dimmed" size="sm">No messages yet.</Text>}
            {view.messages.map((message) => <MessageBubble key={message.id} message={message} />)}
          </Stack>
        </ScrollArea>
      </Stack>
      <Box w={300} style={{ borderLeft: '1px solid var(--mantine-color-gray-3)', flex: 'none' }}>
        <ScrollArea h="100%">
          <CustomerSummary customer={view.customer} device={view.device} otherCases={view.customerCases} />
        </ScrollArea>
      </Box>
    </Box>
  );
}

const BUBBLE = {
  in: { align: 'flex-start', bg: 'var(--mantine-color-gray-0)', border: 'var(--mantine-color-gray-3)', label: '' },
  out: { align: 'flex-end', bg: 'var(--mantine-color-blue-0)', border: 'var(--mantine-color-blue-2)', label: 'Reply' },
  note: { align: 'stretch', bg: 'var(--mantine-color-yellow-0)', border: 'var(--mantine-color-yellow-3)', label: 'Internal note' },
} as const;

function MessageBubble({ message }: { message: Message }) {
  const look = BUBBLE[message.direction];
  return (
    <Paper
      data-direction={message.direction}
      p="xs"
      px="sm"
      radius="md"
      maw={message.direction === 'note' ? undefined : '85%'}
      style={{ alignSelf: look.align, background: look.bg, border: `1px solid ${look.border}` }}
    >
      <Group gap={6} mb={2} justify="space-between">
        <Text size="xs" fw={600}>{message.author}</Text>
        <Text size="xs" c="dimmed">{look.label ? `${look.label} · ` : ''}{formatTimestamp(message.createdAt)}</Text>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{message.body}</Text>
    </Paper>
  );
}
