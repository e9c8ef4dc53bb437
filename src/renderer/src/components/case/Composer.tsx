/**
 * The bottom of the case: a reply to the customer on the case's channel, or an
 * internal note. The reply is a draft saved as it is typed (and when the case
 * closes), so switching cases, a crash or a restart never loses it.
 * Ctrl/Cmd+Enter sends.
 */
import { useEffect, useRef, useState } from 'react';
import { Button, Group, Kbd, Tabs, Text, Textarea } from '@mantine/core';
import { IconLock, IconMessageReply, IconSend } from '@tabler/icons-react';
import type { QueueItem } from '../../../../shared/api';
import { useAddNote, useReply, useSaveDraft } from '../../api/mutations';
import { channelLabel } from '../ChannelIcon';
import classes from './Composer.module.css';

const DRAFT_SAVE_MS = 300;
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

type Tab = 'reply' | 'note';

export function Composer({ item, draft, customerName }: { item: QueueItem; draft: string | null; customerName: string | null }) {
  const [tab, setTab] = useState<Tab>('reply');
  const [reply, setReply] = useState(draft ?? '');
  const [note, setNote] = useState('');
  const [draftState, setDraftState] = useState<'saved' | 'saving' | 'failed' | null>(draft ? 'saved' : null);
  const saved = useRef(draft ?? '');
  const latest = useRef(reply);
  useEffect(() => {
    latest.current = reply;
  }, [reply]);
  const replyMutation = useReply(item.id);
  const noteMutation = useAddNote(item.id);
  const saveDraft = useSaveDraft(item.id);
  const saveRef = useRef(saveDraft);
  useEffect(() => {
    saveRef.current = saveDraft;
  }, [saveDraft]);

  // The draft follows the typing, debounced.
  useEffect(() => {
    if (reply === saved.current) return;
    setDraftState('saving');
    const timer = setTimeout(() => {
      saved.current = reply;
      void saveRef.current(reply).then((ok) => setDraftState(ok ? (reply ? 'saved' : null) : 'failed'));
    }, DRAFT_SAVE_MS);
    return () => clearTimeout(timer);
  }, [reply]);

  // Closing the case (or the window) within the debounce still keeps what was typed.
  useEffect(() => {
    const flush = () => {
      if (latest.current !== saved.current) {
        saved.current = latest.current;
        void saveRef.current(latest.current);
      }
    };
    window.addEventListener('beforeunload', flush);
    return () => {
      window.removeEventListener('beforeunload', flush);
      flush();
    };
  }, []);

  const text = tab === 'reply' ? reply : note;
  const busy = replyMutation.isPending || noteMutation.isPending;
  const canSend = text.trim() !== '' && !busy;

  const send = () => {
    if (!canSend) return;
    const body = text.trim();
    if (tab === 'reply') {
      replyMutation.mutate(
        { id: item.id, body, channel: item.channel },
        {
          onSuccess: () => {
            // The core dropped the draft in the same transaction as the reply.
            saved.current = '';
            setReply('');
            setDraftState(null);
          },
        },
      );
    } else noteMutation.mutate({ id: item.id, body }, { onSuccess: () => setNote('') });
  };

  const to = customerName ? ` to ${customerName}` : '';
  return (
    <div className={classes.root} data-testid="composer" data-tab={tab}>
      <Tabs value={tab} onChange={(value) => value && setTab(value as Tab)} variant="default" classNames={{ list: classes.tabs }}>
        <Tabs.List>
          <Tabs.Tab value="reply" leftSection={<IconMessageReply size={14} />} data-testid="composer-tab-reply">
            Reply
          </Tabs.Tab>
          <Tabs.Tab value="note" leftSection={<IconLock size={14} />} data-testid="composer-tab-note">
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
        maxLength={20_000}
        placeholder={tab === 'reply' ? `Reply${to} via ${channelLabel(item.channel)}…` : 'Only your team sees internal notes…'}
        aria-label={tab === 'reply' ? 'Reply' : 'Internal note'}
        value={text}
        onChange={(event) => (tab === 'reply' ? setReply : setNote)(event.currentTarget.value)}
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
          {tab === 'reply' ? (draftState === 'saving' ? 'Saving draft…' : draftState === 'saved' ? 'Draft saved' : draftState === 'failed' ? 'Draft not saved — keep this window open' : `Goes to the customer via ${channelLabel(item.channel)}`) : 'Visible to your team only'}
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
