/**
 * The bottom of the case: a reply to the customer on the case's channel, or an
 * internal note. Each is a draft saved as it is typed (and when the case
 * closes), so switching cases, a crash or a restart never loses it; the
 * knowledge panel inserts articles into the reply through the same draft.
 * Ctrl/Cmd+Enter sends.
 */
import { type Ref, useImperativeHandle, useRef, useState } from 'react';
import { Button, Group, Kbd, Tabs, Text, Textarea } from '@mantine/core';
import { IconLock, IconMessageReply, IconSend } from '@tabler/icons-react';
import type { QueueItem } from '../../../../shared/api';
import { TEXT_LIMITS } from '../../../../shared/domain';
import { useAddNote, useReply } from '../../api/mutations';
import { channelLabel } from '../ChannelIcon';
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
  customerName: string | null;
  ref?: Ref<ComposerHandle>;
}

/** A dot on the other tab when it holds text not sent yet. */
const unsent = (text: string, hidden: boolean) => (hidden && text.trim() ? <span className={classes.unsent} title="Not sent yet" /> : null);

const draftText = (state: DraftState, idle: string): string =>
  state === 'saving' ? 'Saving draft…' : state === 'saved' ? 'Draft saved' : state === 'failed' ? 'Draft not saved — keep this window open' : idle;

export function Composer({ item, draft, noteDraft, customerName, ref }: Props) {
  // An internal note being written when the case opens is what the user was doing last.
  const [tab, setTab] = useState<Tab>(!draft && noteDraft ? 'note' : 'reply');
  const reply = useDraft(item.id, 'reply', draft);
  const note = useDraft(item.id, 'note', noteDraft);
  const input = useRef<HTMLTextAreaElement>(null);
  const replyMutation = useReply(item.id);
  const noteMutation = useAddNote(item.id);

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

  const current = tab === 'reply' ? reply : note;
  const text = current.text;
  const busy = replyMutation.isPending || noteMutation.isPending;
  const canSend = text.trim() !== '' && !busy;

  const send = () => {
    if (!canSend) return;
    const body = text.trim();
    const target = current;
    target.hold();
    const callbacks = { onSuccess: () => target.sent(), onError: () => target.failed() };
    if (tab === 'reply') replyMutation.mutate({ id: item.id, body, channel: item.channel }, callbacks);
    else noteMutation.mutate({ id: item.id, body }, callbacks);
  };

  const to = customerName ? ` to ${customerName}` : '';
  return (
    <div className={classes.root} data-testid="composer" data-tab={tab}>
      <Tabs value={tab} onChange={(value) => value && setTab(value as Tab)} variant="default" classNames={{ list: classes.tabs }}>
        <Tabs.List>
          <Tabs.Tab value="reply" leftSection={<IconMessageReply size={14} />} rightSection={unsent(reply.text, tab !== 'reply')} data-testid="composer-tab-reply">
            Reply
          </Tabs.Tab>
          <Tabs.Tab value="note" leftSection={<IconLock size={14} />} rightSection={unsent(note.text, tab !== 'note')} data-testid="composer-tab-note">
            Internal note
          </Tabs.Tab>
        </Tabs.List>
      </Tabs>
      <Textarea
        className={classes.input}
        data-kind={tab}
        autosize
        minRows={2}
        maxRows={8}
        maxLength={TEXT_LIMITS.body}
        placeholder={tab === 'reply' ? `Reply${to} via ${channelLabel(item.channel)}…` : 'Only your team sees internal notes…'}
        aria-label={tab === 'reply' ? 'Reply' : 'Internal note'}
        value={text}
        onChange={(event) => current.setText(event.currentTarget.value)}
        ref={input}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            send();
          }
        }}
        data-testid="composer-input"
      />
      <Group justify="space-between" wrap="nowrap" gap={8} mt={6}>
        <Text size="11px" c="dimmed" truncate style={{ minWidth: 0 }} data-testid="composer-draft-state">
          {tab === 'reply' ? draftText(reply.state, `Goes to the customer via ${channelLabel(item.channel)}`) : draftText(note.state, 'Visible to your team only')}
        </Text>
        <Group gap={8} wrap="nowrap" style={{ flex: 'none' }}>
          <Text size="11px" c="dimmed" className={classes.hint}>
            <Kbd size="xs">{isMac ? '⌘' : 'Ctrl'}</Kbd> + <Kbd size="xs">Enter</Kbd>
          </Text>
          <Button
            size="compact-sm"
            color={tab === 'note' ? 'yellow.7' : undefined}
            leftSection={tab === 'reply' ? <IconSend size={14} /> : <IconLock size={14} />}
            disabled={!canSend}
            loading={busy}
            onClick={send}
            data-testid="composer-send"
          >
            {tab === 'reply' ? 'Send reply' : 'Add note'}
          </Button>
        </Group>
      </Group>
    </div>
  );
}
