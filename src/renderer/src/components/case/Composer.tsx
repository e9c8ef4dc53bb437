/**
 * The bottom of the case: a reply to the customer, or an internal note. Each
 * is a draft saved as it is typed (and when the case closes), so switching
 * cases, a crash or a restart never loses it; the knowledge panel inserts
 * articles into the reply through the same draft. Ctrl/Cmd+Enter sends.
 *
 * A reply goes on one of the channels the customer can be answered on
 * (src/shared/replies.ts, the case's own first), counted against that
 * channel's limit, and the consent rule is said before sending: a supervisor
 * may send anyway, with a reason kept beside the reply.
 */
import { type Ref, useEffect, useId, useImperativeHandle, useRef, useState } from 'react';
import { Alert, Button, Checkbox, Group, Kbd, Select, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconLock, IconMessageReply, IconSend } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { QueueItem } from '../../../../shared/api';
import { type Customer, type Message, TEXT_LIMITS, type User } from '../../../../shared/domain';
import { absorbOwnChange, changedWhileWriting, replyBasis, type ReplyBasis, type WhileWriting } from '../../../../shared/collision';
import { canOverrideConsent, ConsentOverrideSchema, consentRefusal, REPLY_LIMITS, type ReplyChannel, replyChannels, replyLength } from '../../../../shared/replies';
import { useAddNote, useReply } from '../../api/mutations';
import { consentText } from '../../i18n/consent';
import { issueWords } from '../../i18n/wording';
import { ChannelIcon, channelLabel } from '../ChannelIcon';
import { StaleReplyWarning } from './StaleReplyWarning';
import { useChannelSettings } from '../admin/useChannelSettings';
import { type DraftState, useDraft } from './useDraft';
import classes from './Composer.module.css';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

type Tab = 'reply' | 'note';

/** What the rest of the case view may do to the composer. */
export interface ComposerHandle {
  /** Appends a block (a knowledge article) to the reply, shows the reply and puts the cursor after it. */
  insertInReply(block: string): void;
}

interface Props {
  item: QueueItem;
  draft: string | null;
  noteDraft: string | null;
  customer: Customer | null;
  /** The conversation: a reply answers the latest inbound message on its channel (the consent rule). */
  messages: Message[];
  me: User;
  ref?: Ref<ComposerHandle>;
  /** A reply is being written (text in it, or the cursor): others on the case see "replying". */
  onReplyingChange?: (replying: boolean) => void;
}

/** A dot on the other tab when it holds text not sent yet. */
const unsent = (text: string, hidden: boolean, t: TFunction) => (hidden && text.trim() ? <span className={classes.unsent} title={t('composer.notSent')} /> : null);

const draftText = (state: DraftState, idle: string, t: TFunction): string =>
  state === 'saving' ? t('composer.draft.saving') : state === 'saved' ? t('composer.draft.saved') : state === 'failed' ? t('composer.draft.failed') : idle;

export function Composer({ item, draft, noteDraft, customer, messages, me, ref, onReplyingChange }: Props) {
  const { t, i18n } = useTranslation();
  const customerName = customer?.name ?? null;
  const channels = replyChannels(item.channel, customer);
  const [picked, setPicked] = useState<ReplyChannel | null>(null);
  const channel = picked && channels.includes(picked) ? picked : (channels[0] ?? null);
  const [overriding, setOverriding] = useState(false);
  const [overrideReason, setOverrideReason] = useState('');
  // An internal note being written when the case opens is what the user was doing last.
  const [tab, setTab] = useState<Tab>(!draft && noteDraft ? 'note' : 'reply');
  const reply = useDraft(item.id, 'reply', draft);
  const note = useDraft(item.id, 'note', noteDraft);
  const input = useRef<HTMLTextAreaElement>(null);
  // Both tabs switch what the one text box writes: it is the panel they control.
  const inputId = useId();
  const replyMutation = useReply(item.id);
  const noteMutation = useAddNote(item.id);
  // The admin's consent policy, as the core and the hub apply it (today's rule until it is known).
  const channelSettings = useChannelSettings().data;

  const appendReply = reply.append;
  useImperativeHandle(
    ref,
    () => ({
      insertInReply(block: string) {
        setTab('reply');
        appendReply(block);
        // After the text is in: focus the reply with the cursor at its end, scrolled to it.
        requestAnimationFrame(() => {
          const el = input.current;
          if (!el) return;
          el.focus();
          el.setSelectionRange(el.value.length, el.value.length);
          el.scrollTop = el.scrollHeight;
        });
      },
    }),
    [appendReply],
  );

  // Collision detection: what the case looked like when the reply was started, to warn before sending it on a case that moved on.
  const [focused, setFocused] = useState(false);
  const replying = tab === 'reply' && (focused || reply.text.trim() !== '');
  useEffect(() => onReplyingChange?.(replying), [replying, onReplyingChange]);
  const basis = useRef<ReplyBasis | null>(null);
  const seenItem = useRef(item);
  const [stale, setStale] = useState<WhileWriting[] | null>(null);
  useEffect(() => {
    // This console's own change of the case is part of what the writer knows, not news.
    if (basis.current) basis.current = absorbOwnChange(basis.current, seenItem.current, item);
    seenItem.current = item;
  }, [item]);
  const writing = reply.text.trim() !== '';
  useEffect(() => {
    // A draft found when the case opens was written against a view of it no older than now: the basis starts here.
    if (writing && !basis.current) basis.current = replyBasis(seenItem.current, messages);
    if (!writing) basis.current = null;
  }, [writing, messages]);

  const current = tab === 'reply' ? reply : note;
  const text = current.text;
  const busy = replyMutation.isPending || noteMutation.isPending;

  // The reply's rules, as the core and the hub apply them.
  const limit = channel ? REPLY_LIMITS[channel] : null;
  const length = replyLength(text.trim());
  const tooLong = limit !== null && length > limit;
  const answered = channel ? messages.filter((m) => m.direction === 'in' && m.channel === channel).at(-1) : undefined;
  const consent = channel ? (consentRefusal({ channel, customer, answers: answered ? { addressed: answered.addressed } : null, policy: channelSettings?.consent }) ?? null) : null;
  const mayOverride = canOverrideConsent(me.role);
  const reason = ConsentOverrideSchema.safeParse({ reason: overrideReason });
  const replyBlocked = !channel || tooLong || (consent !== null && !(mayOverride && overriding && reason.success));
  const canSend = text.trim() !== '' && !busy && (tab === 'note' || !replyBlocked);

  const send = (checked = false) => {
    if (!canSend) return;
    if (tab === 'reply' && !checked && basis.current) {
      const changes = changedWhileWriting(basis.current, item, messages, me);
      if (changes.length > 0) return setStale(changes);
    }
    const body = text.trim();
    const target = current;
    target.hold();
    const callbacks = {
      onSuccess: () => {
        target.sent();
        if (target === reply) basis.current = null;
        setOverriding(false);
        setOverrideReason('');
      },
      onError: () => target.failed(),
    };
    if (tab === 'reply' && channel) {
      const override = consent && overriding && reason.success ? { override: reason.data } : {};
      replyMutation.mutate({ id: item.id, body, channel, ...override }, callbacks);
    } else if (tab === 'note') noteMutation.mutate({ id: item.id, body }, callbacks);
  };

  const via = channel ? channelLabel(channel) : null;
  return (
    <div className={classes.root} data-testid="composer" data-tab={tab}>
      <StaleReplyWarning
        changes={stale}
        onSendAnyway={() => {
          setStale(null);
          send(true);
        }}
        onReview={() => {
          // What was there is now seen: the next Send warns only of what comes after it.
          basis.current = replyBasis(item, messages);
          setStale(null);
        }}
      />
      <Tabs value={tab} onChange={(value) => value && setTab(value as Tab)} variant="default" classNames={{ list: classes.tabs }}>
        <Tabs.List>
          <Tabs.Tab value="reply" leftSection={<IconMessageReply size={14} />} rightSection={unsent(reply.text, tab !== 'reply', t)} aria-controls={inputId} data-testid="composer-tab-reply">
            {t('composer.reply')}
          </Tabs.Tab>
          <Tabs.Tab value="note" leftSection={<IconLock size={14} />} rightSection={unsent(note.text, tab !== 'note', t)} aria-controls={inputId} data-testid="composer-tab-note">
            {t('composer.note')}
          </Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <Textarea
        className={classes.input}
        id={inputId}
        data-kind={tab}
        autosize
        minRows={2}
        maxRows={8}
        maxLength={TEXT_LIMITS.body}
        placeholder={tab === 'note' ? t('composer.notePlaceholder') : via ? (customerName ? t('composer.replyToPlaceholder', { name: customerName, channel: via }) : t('composer.replyPlaceholder', { channel: via })) : t('composer.noChannelPlaceholder')}
        aria-label={tab === 'reply' ? t('composer.reply') : t('composer.note')}
        value={text}
        onChange={(event) => current.setText(event.currentTarget.value)}
        ref={input}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            send();
          }
        }}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        data-testid="composer-input"
      />
      {tab === 'reply' && !channel && (
        <Alert color="gray" variant="light" p={8} mt={6} data-testid="composer-no-channel">
          <Text size="xs">
            {customer
              ? t('composer.noChannel', { channel: channelLabel(item.channel).toLocaleLowerCase(), name: customer.name })
              : t('composer.noChannelNoCustomer', { channel: channelLabel(item.channel).toLocaleLowerCase() })}
          </Text>
        </Alert>
      )}
      {tab === 'reply' && consent && (
        <Alert color={overriding ? 'orange' : 'yellow'} variant="light" p={8} mt={6} icon={<IconAlertTriangle size={16} />} data-testid="composer-consent" data-reason={consent.text}>
          <Text size="xs" fw={600}>
            {t('composer.consent', { reason: consentText(consent) })}
          </Text>
          {mayOverride ? (
            <Group gap={8} mt={6} wrap="wrap" align="center">
              <Checkbox size="xs" label={t('collision.sendAnyway')} checked={overriding} onChange={(event) => setOverriding(event.currentTarget.checked)} data-testid="composer-override" />
              {overriding && (
                <TextInput
                  size="xs"
                  style={{ flex: '1 1 200px' }}
                  placeholder={t('composer.overridePlaceholder')}
                  aria-label={t('composer.overrideLabel')}
                  value={overrideReason}
                  onChange={(event) => setOverrideReason(event.currentTarget.value)}
                  error={overrideReason && !reason.success ? issueWords(i18n, reason.error.issues[0]) : undefined}
                  data-testid="composer-override-reason"
                />
              )}
            </Group>
          ) : (
            <Text size="xs" mt={2}>
              {t('composer.supervisorOnly')}
            </Text>
          )}
        </Alert>
      )}
      <Group justify="space-between" wrap="wrap" gap={8} mt={6}>
        {tab === 'reply' && channel ? (
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0, flex: '1 1 160px' }}>
            <Select
              size="xs"
              className={classes.channel}
              data={channels.map((value) => ({ value, label: channelLabel(value) }))}
              value={channel}
              onChange={(value) => value && setPicked(value as ReplyChannel)}
              allowDeselect={false}
              leftSection={<ChannelIcon channel={channel} size={14} tooltip={false} />}
              aria-label={t('composer.channel')}
              comboboxProps={{ withinPortal: true }}
              data-testid="composer-channel"
            />
            <Text size="11px" c={tooLong ? 'red' : 'dimmed'} fw={tooLong ? 700 : undefined} className={`tabular ${classes.counter}`} data-testid="composer-counter" data-over={tooLong || undefined}>
              {t('composer.counter', { length, limit: limit! })}
            </Text>
            <Text size="11px" c="dimmed" truncate className={classes.draftState} data-testid="composer-draft-state">
              {draftText(reply.state, '', t)}
            </Text>
          </Group>
        ) : (
          <Text size="11px" c="dimmed" truncate style={{ minWidth: 0 }} data-testid="composer-draft-state">
            {tab === 'reply' ? draftText(reply.state, '', t) : draftText(note.state, t('composer.noteVisibility'), t)}
          </Text>
        )}
        <Group gap={8} wrap="nowrap" style={{ flex: 'none' }}>
          <Text size="11px" c="dimmed" className={classes.hint}>
            <Kbd size="xs">{isMac ? '⌘' : t('keys.ctrl')}</Kbd> + <Kbd size="xs">{t('keys.enter')}</Kbd>
          </Text>
          <Button
            size="compact-sm"
            color={tab === 'note' ? 'yellow.7' : undefined}
            leftSection={tab === 'reply' ? <IconSend size={14} /> : <IconLock size={14} />}
            disabled={!canSend}
            loading={busy}
            onClick={() => send()}
            data-testid="composer-send"
          >
            {tab === 'reply' ? (consent && overriding ? t('collision.sendAnyway') : t('composer.sendReply')) : t('composer.addNote')}
          </Button>
        </Group>
      </Group>
    </div>
  );
}
