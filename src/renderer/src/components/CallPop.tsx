/**
 * The screen pop: a call ringing for this agent, in front of everything —
 * who is calling, the customer the number belongs to (name, plan, contact)
 * and their open cases, one click from each; an unknown number offers a new
 * case for the caller. Answer tells the hub this agent took the call (the
 * first of those it rang for keeps it): while it lasts, no other work is
 * offered to them. Esc or the close button dismisses it.
 */
import { useTranslation } from 'react-i18next';
import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Group, Modal, Stack, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { IconPhone, IconPhoneCall, IconPlus } from '@tabler/icons-react';
import type { CallOffered } from '../../../shared/protocol';
import { api } from '../api/client';
import { useApiMutation } from '../api/mutations';
import { formatMoney } from '../lib/format';
import { formatTimestamp } from '../lib/time';
import { isDone } from '../../../shared/policy';
import { PriorityBadge, StatusBadge } from './Badges';
import { ChannelIcon } from './ChannelIcon';

interface Props {
  onOpenCase: (caseId: string) => void;
  /** An unknown caller: a new case, the form prefilled with their number. */
  onNewCustomer: (phone: string) => void;
}

export function CallPop({ onOpenCase, onNewCustomer }: Props) {
  const { t } = useTranslation();
  const [offer, setOffer] = useState<CallOffered | null>(null);
  /** The call this agent answered (the pop stays, with the caller's cases, while they talk). */
  const [answeredSid, setAnsweredSid] = useState<string | null>(null);
  // The latest call wins: a second ring replaces the first pop.
  useEffect(() => api.on('call:offered', setOffer), []);
  // A colleague answered it, or the caller hung up: it no longer rings here. The call this agent took stays in front of them.
  useEffect(() => api.on('call:gone', (gone) => setOffer((shown) => (shown?.callSid === gone.callSid && answeredSid !== gone.callSid ? null : shown))), [answeredSid]);
  const close = () => setOffer(null);
  const answer = useApiMutation('calls.answer', { onSuccess: (call) => setAnsweredSid(call.callSid), errorTitle: t('call.answerFailed') });
  const answered = offer !== null && answeredSid === offer.callSid;
  const open = offer?.cases.filter((c) => !isDone(c.status)) ?? [];
  const customer = offer?.customer ?? null;

  return (
    <Modal
      opened={offer !== null}
      onClose={close}
      size={520}
      withOverlay
      overlayProps={{ backgroundOpacity: 0.35 }}
      // Unmissable: a ringing phone, not just another dialog.
      styles={{ content: { borderTop: '4px solid var(--mantine-color-green-6)' } }}
      title={
        <Group gap={10} wrap="nowrap">
          <ThemeIcon color="green" radius="xl" size={32}>
            <IconPhoneCall size={18} />
          </ThemeIcon>
          <div>
            <Text fw={700} size="md">
              {t('call.incoming')}
            </Text>
            <Text size="sm" className="tabular" data-testid="call-pop-from">
              {offer?.from}
            </Text>
          </div>
        </Group>
      }
      data-testid="call-pop"
    >
      {offer && (
        <Stack gap={12} data-call-sid={offer.callSid}>
          {customer ? (
            <div data-testid="call-pop-customer">
              <Group gap={8}>
                <Text fw={600} size="lg" data-testid="call-pop-customer-name">
                  {customer.name}
                </Text>
                <Badge variant="light" color="indigo" tt="capitalize" data-testid="call-pop-plan">
                  {customer.plan}
                </Badge>
                {customer.doNotEngage && (
                  <Badge variant="light" color="red">
                    {t('customer.doNotEngageItem')}
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed">
                {[customer.email, customer.phone, t('call.lifetimeValue', { value: formatMoney(customer.lifetimeValue) })].filter(Boolean).join(' · ')}
              </Text>
            </div>
          ) : (
            <Stack gap={6} data-testid="call-pop-unknown">
              <Text size="sm">{t('call.unknown')}</Text>
              <Button
                leftSection={<IconPlus size={14} />}
                variant="light"
                onClick={() => {
                  close();
                  onNewCustomer(offer.from);
                }}
                data-testid="call-pop-new-customer"
              >
                {t('call.newCustomerCase')}
              </Button>
            </Stack>
          )}
          {customer && (
            <div>
              <Text size="11px" c="dimmed" tt="uppercase" fw={600} mb={4} style={{ letterSpacing: '0.04em' }}>
                {t('call.openCases')}
              </Text>
              {open.length === 0 ? (
                <Text size="sm" c="dimmed" data-testid="call-pop-no-cases">
                  {t('call.noneOpen')}
                </Text>
              ) : (
                <Stack gap={2}>
                  {open.map((c) => (
                    <UnstyledButton
                      key={c.id}
                      onClick={() => {
                        close();
                        onOpenCase(c.id);
                      }}
                      p={6}
                      style={{ borderRadius: 4, border: '1px solid var(--mantine-color-default-border)' }}
                      data-testid="call-pop-case"
                      data-case-id={c.id}
                    >
                      <Group gap={8} wrap="nowrap">
                        <ChannelIcon channel={c.channel} size={14} tooltip={false} />
                        <Text size="xs" c="dimmed" className="tabular">
                          #{c.number}
                        </Text>
                        <Text size="sm" truncate style={{ flex: 1 }}>
                          {c.subject}
                        </Text>
                        <PriorityBadge priority={c.priority} />
                        <StatusBadge status={c.status} />
                        <Text size="xs" c="dimmed">
                          {formatTimestamp(c.createdAt)}
                        </Text>
                      </Group>
                    </UnstyledButton>
                  ))}
                </Stack>
              )}
            </div>
          )}
          {answered && (
            <Alert color="green" variant="light" icon={<IconPhone size={16} />} p="xs" data-testid="call-pop-answered">
              <Text size="sm">{t('call.answered')}</Text>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close} data-testid="call-pop-dismiss">
              {answered ? t('call.close') : t('common.dismiss')}
            </Button>
            {!answered && (
              <Button color="green" leftSection={<IconPhone size={14} />} loading={answer.isPending} onClick={() => answer.mutate({ callSid: offer.callSid })} data-testid="call-pop-answer">
                {t('call.answer')}
              </Button>
            )}
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
