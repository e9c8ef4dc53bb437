/**
 * The conversation: customer messages left, replies right, internal notes in
 * yellow across. Each reply says where its delivery is (queued, sent with the
 * provider's id, failed with the provider's reason and a Retry), and any
 * consent override it went out under; attachments are listed and downloaded
 * from the hub on demand.
 */
import { useTranslation } from 'react-i18next';
import { useEffect, useRef } from 'react';
import { Badge, Button, Group, Loader, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconClockUp, IconLock, IconMessages, IconShieldExclamation } from '@tabler/icons-react';
import type { Message } from '../../../shared/domain';
import { useRetryReply } from '../api/mutations';
import { formatTimestamp, fullTimestamp } from '../lib/time';
import { Attachments } from './Attachments';
import { i18n } from '../i18n';
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
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  // Open at the latest message, and follow new ones as they arrive.
  useEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [caseId, messages.length]);

  return (
    // Focusable, so the keyboard can scroll the conversation; a log, so a screen reader hears what arrives.
    <div ref={scroller} className={classes.scroller} tabIndex={0} role="log" aria-label={t('timeline.label')}>
      <div className={classes.timeline} data-testid="message-timeline" lang={language}>
        {messages.length === 0 ? (
          <EmptyState icon={<IconMessages size={20} />} title={t('timeline.empty')} />
        ) : (
          messages.map((message) => <MessageItem key={message.id} message={message} online={online} />)
        )}
      </div>
    </div>
  );
}

function directionLabel({ direction, channel }: Message): string {
  if (direction === 'note') return i18n.t('composer.note');
  return i18n.t(direction === 'out' ? 'timeline.replyVia' : 'timeline.via', { channel: channelLabel(channel) });
}

function MessageItem({ message, online }: { message: Message; online: boolean }) {
  // rev 0: written here, not confirmed by the hub yet.
  const { t } = useTranslation();
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
            title={online ? t('timeline.sendingHelp') : t('timeline.queuedHelp')}
            data-testid="message-pending"
          >
            <IconClockUp size={12} />
            {online ? t('timeline.sending') : t('timeline.queued')}
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
      {message.attachments.length > 0 && <Attachments caseId={message.caseId} attachments={message.attachments} />}
      {message.direction === 'out' && !local && message.delivery && <DeliveryState message={message} delivery={message.delivery} />}
      {message.delivery?.consentOverride && (
        <Tooltip label={t('timeline.overrideHelp', { reason: message.delivery.consentOverride })} multiline w={280}>
          <Badge size="xs" mt={6} variant="light" color="orange" tt="none" leftSection={<IconShieldExclamation size={11} />} data-testid="message-override">
            {t('timeline.override', { reason: message.delivery.consentOverride })}
          </Badge>
        </Tooltip>
      )}
    </div>
  );
}

/** Where a reply is on its channel. */
function DeliveryState({ message, delivery }: { message: Message; delivery: NonNullable<Message['delivery']> }) {
  const { t } = useTranslation();
  const retry = useRetryReply(message.caseId);
  const attempts = delivery.attempts > 1 ? ` · ${t('timeline.attempts', { count: delivery.attempts })}` : '';
  if (delivery.status === 'queued') {
    return (
      <Group gap={6} mt={6} wrap="nowrap" data-testid="message-delivery" data-status="queued" title={delivery.reason ? t('timeline.lastAttempt', { reason: delivery.reason }) : undefined}>
        <Loader size={10} color="gray" />
        <Text size="xs" c="dimmed">
          {message.channel === 'email' ? t('timeline.queuedSending') : t('timeline.queuedPosting')}
          {attempts}
        </Text>
      </Group>
    );
  }
  if (delivery.status === 'sent') {
    return (
      <Group gap={4} mt={6} wrap="nowrap" data-testid="message-delivery" data-status="sent" title={delivery.externalId ? t('timeline.providerId', { id: delivery.externalId }) : t('timeline.sentTitle')}>
        <IconCheck size={12} color="var(--mantine-color-teal-7)" />
        <Text size="xs" c="teal">
          {t('timeline.sent', { time: formatTimestamp(delivery.at) })}
        </Text>
      </Group>
    );
  }
  return (
    <Group gap={8} mt={6} wrap="nowrap" justify="space-between" data-testid="message-delivery" data-status="failed">
      <Text size="xs" c="red" style={{ minWidth: 0, overflowWrap: 'anywhere' }} data-testid="message-delivery-reason">
        {delivery.reason ? t('timeline.notDeliveredBecause', { reason: delivery.reason }) : t('timeline.notDelivered')}
        {attempts}
      </Text>
      <Button size="compact-xs" variant="light" color="red" style={{ flex: 'none' }} loading={retry.isPending} onClick={() => retry.mutate({ id: message.id })} data-testid="message-retry">
        {t('common.retry')}
      </Button>
    </Group>
  );
}
