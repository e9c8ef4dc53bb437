/** The conversation: customer messages left, replies right, internal notes in yellow across. */
import { useEffect, useRef } from 'react';
import { Group, Text } from '@mantine/core';
import { IconClockUp, IconLock, IconMessages } from '@tabler/icons-react';
import type { Message } from '../../../shared/domain';
import { formatTimestamp, fullTimestamp } from '../lib/time';
import { ChannelIcon, channelLabel } from './ChannelIcon';
import { EmptyState } from './States';
import classes from './MessageTimeline.module.css';

interface Props {
  messages: Message[];
  language: string;
  caseId: string;
  /** Whether the hub is reachable: a local message is then being sent, otherwise queued. */
  online: boolean;
}

export function MessageTimeline({ messages, language, caseId, online }: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  // Open at the latest message, and follow new ones as they arrive.
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [caseId, messages.length]);

  return (
    <div ref={scroller} className={classes.scroller}>
      <div className={classes.timeline} data-testid="message-timeline" lang={language}>
        {messages.length === 0 ? (
          <EmptyState icon={<IconMessages size={20} />} title="No messages yet" />
        ) : (
          messages.map((message) => <MessageItem key={message.id} message={message} online={online} />)
        )}
      </div>
    </div>
  );
}

function directionLabel({ direction, channel }: Message): string {
  if (direction === 'note') return 'Internal note';
  return direction === 'out' ? `Reply via ${channelLabel(channel)}` : `via ${channelLabel(channel)}`;
}

function MessageItem({ message, online }: { message: Message; online: boolean }) {
  // rev 0: written here, not confirmed by the hub yet.
  const local = message.rev === 0;
  return (
    <div className={classes.message} data-direction={message.direction} data-local={local || undefined} data-testid="message">
      <Group gap={6} wrap="nowrap" mb={4}>
        {message.direction === 'note' ? <IconLock size={13} color="var(--mantine-color-yellow-8)" /> : <ChannelIcon channel={message.channel} size={13} />}
        <Text size="xs" fw={600} truncate style={{ flex: '0 1 auto', minWidth: 40 }}>
          {message.author}
        </Text>
        <Text size="xs" c="dimmed" truncate style={{ flex: '0 100 auto', minWidth: 0 }}>
          {directionLabel(message)}
        </Text>
        {local ? (
          <Text
            size="xs"
            c={online ? 'dimmed' : 'orange.8'}
            ml="auto"
            pl={8}
            className={classes.pending}
            title={online ? 'Being sent to the hub' : 'Saved here; it is sent when the hub is reachable'}
            data-testid="message-pending"
          >
            <IconClockUp size={12} />
            {online ? 'Sending…' : 'Queued'}
          </Text>
        ) : (
          <Text size="xs" c="dimmed" ml="auto" pl={8} style={{ whiteSpace: 'nowrap' }} title={fullTimestamp(message.createdAt)}>
            {formatTimestamp(message.createdAt)}
          </Text>
        )}
      </Group>
      <Text size="sm" className={classes.body}>
        {message.body}
      </Text>
    </div>
  );
}
