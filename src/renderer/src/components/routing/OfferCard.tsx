/**
 * A case push routing offers this agent: a strip across the top of the work
 * area, in the flow (it pushes the list down rather than lying over the
 * queue's first rows or the composer; toasts are bottom-left, surge alerts
 * top-right). It says what the case is and why it comes now, counts down to
 * the deadline, and takes Accept (y) or Decline (Shift+D). Accepted, the case
 * opens; declined or lapsed, the strip leaves. A second offer waits behind
 * the first.
 */
import { Badge, Button, Group, Kbd, Paper, RingProgress, Text, VisuallyHidden } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { OfferItem } from '../../../../shared/api';
import { useAcceptOffer, useDeclineOffer } from '../../api/mutations';
import { useNow } from '../../lib/useNow';
import { PriorityBadge } from '../Badges';
import { ChannelIcon } from '../ChannelIcon';
import { ACCEPT_KEY, DECLINE_KEY, keyLabel, useRoutingKey } from './keys';
import classes from './OfferCard.module.css';
import { useOffers } from './useOffers';
import { priorityWhyText } from '../../lib/priority-why';

/** Below this share of the time left the ring turns orange, then red. */
const HURRY = 0.5;
const LAST_CALL = 0.25;

export function OfferStrip({ enabled, onOpenCase }: { enabled: boolean; onOpenCase: (id: string) => void }) {
  const { t } = useTranslation();
  const offers = useOffers(enabled);
  const first = offers[0];
  return (
    <>
      {/* Always mounted, so a screen reader announces each new offer (a region that mounts with its text is not read). */}
      <VisuallyHidden role="status">{first ? t('routing.offer.announce', { number: first.case.number, subject: first.case.subject }) : ''}</VisuallyHidden>
      {/* No clock ticking while nothing is on offer. */}
      {first && <Counting offers={offers} onOpenCase={onOpenCase} />}
    </>
  );
}

function Counting({ offers, onOpenCase }: { offers: OfferItem[]; onOpenCase: (id: string) => void }) {
  const now = useNow(250);
  // The core drops a lapsed offer at its deadline; between two ticks it is simply not shown.
  const open = offers.filter((offer) => Date.parse(offer.expiresAt) > now);
  const offer = open[0];
  if (!offer) return null;
  return <OfferCard key={offer.case.id} offer={offer} behind={open.length - 1} now={now} onOpenCase={onOpenCase} />;
}

function OfferCard({ offer, behind, now, onOpenCase }: { offer: OfferItem; behind: number; now: number; onOpenCase: (id: string) => void }) {
  const { t } = useTranslation();
  const accept = useAcceptOffer((item) => onOpenCase(item.id));
  const decline = useDeclineOffer();
  const busy = accept.isPending || decline.isPending;
  const answer = (yes: boolean) => {
    if (busy) return;
    if (yes) accept.mutate({ caseId: offer.case.id });
    else decline.mutate({ caseId: offer.case.id });
  };
  useRoutingKey(ACCEPT_KEY, () => answer(true), true);
  useRoutingKey(DECLINE_KEY, () => answer(false), true);

  const expires = Date.parse(offer.expiresAt);
  const total = Math.max(1, expires - Date.parse(offer.receivedAt));
  const left = Math.max(0, expires - now);
  const share = Math.min(1, left / total);
  const seconds = Math.ceil(left / 1000);
  const color = share > HURRY ? 'indigo' : share > LAST_CALL ? 'orange' : 'red';
  const c = offer.case;

  return (
    <Paper
      radius={0}
      className={classes.strip}
      role="region"
      aria-label={t('routing.offer.region', { number: c.number })}
      data-testid="offer-card"
      data-case-id={c.id}
      data-seconds-left={seconds}
    >
      <Group gap={12} wrap="nowrap" align="center">
        <RingProgress
          size={40}
          thickness={4}
          roundCaps
          sections={[{ value: share * 100, color }]}
          label={
            <Text ta="center" size="xs" fw={700} className="tabular" c={color === 'indigo' ? undefined : color} data-testid="offer-countdown">
              {t('units.second', { n: seconds })}
            </Text>
          }
          title={t('routing.offer.secondsLeft', { seconds })}
          style={{ flex: 'none' }}
        />
        <div style={{ flex: 1, minWidth: 0 }}>
          <Group gap={8} wrap="nowrap">
            <Text size="11px" fw={700} c="indigo" tt="uppercase" style={{ letterSpacing: '0.05em', whiteSpace: 'nowrap' }}>
              {t('routing.offer.heading')}
            </Text>
            <ChannelIcon channel={c.channel} size={15} />
            <Text size="sm" c="dimmed" className="tabular" style={{ flex: 'none' }} data-testid="offer-number">
              #{c.number}
            </Text>
            <Text size="sm" fw={600} truncate data-testid="offer-subject" title={c.subject}>
              {c.subject}
            </Text>
            <PriorityBadge priority={c.priority} />
          </Group>
          <Text size="xs" c="dimmed" truncate mt={2} data-testid="offer-why">
            {[offer.customerName ?? t('routing.offer.unknownCustomer'), offer.queueName].filter(Boolean).join(' · ')}
            {' — '}
            <Text span size="xs" c="dimmed" inherit>
              {offer.whyParts.length > 0 ? priorityWhyText(offer.whyParts) : offer.why}
            </Text>
          </Text>
        </div>
        {behind > 0 && (
          <Badge variant="light" color="gray" style={{ flex: 'none' }} title={t('routing.offer.behind', { count: behind })} data-testid="offer-behind">
            +{behind}
          </Badge>
        )}
        <Group gap={6} wrap="nowrap" style={{ flex: 'none' }}>
          <Button
            size="xs"
            variant="default"
            onClick={() => answer(false)}
            loading={decline.isPending}
            disabled={accept.isPending}
            rightSection={<Kbd size="xs">{keyLabel(DECLINE_KEY)}</Kbd>}
            aria-keyshortcuts="Shift+D"
            data-testid="offer-decline"
          >
            {t('routing.offer.decline')}
          </Button>
          <Button
            size="xs"
            color="indigo"
            leftSection={<IconInbox size={14} />}
            onClick={() => answer(true)}
            loading={accept.isPending}
            disabled={decline.isPending}
            rightSection={<Kbd size="xs">{keyLabel(ACCEPT_KEY)}</Kbd>}
            aria-keyshortcuts="y"
            data-testid="offer-accept"
          >
            {t('routing.offer.accept')}
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
