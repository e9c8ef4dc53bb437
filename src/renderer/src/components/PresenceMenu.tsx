/**
 * The user's presence in the top bar: available, busy, or away with a reason
 * (the usual ones in the user's language, stored as stable keys; or their own
 * words, stored as typed). Own words are typed in a small dialog opened by
 * "Other reason…": a menu (role="menu") may hold only menu items, so no field
 * sits in it. It shows at once and goes to the hub
 * like every change; what the hub says (other consoles of the user, the
 * sockets coming and going) comes back as `presence:changed`.
 */
import { useEffect, useRef, useState } from 'react';
import { Box, Button, Group, Menu, Modal, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconPencil } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Presence, PresenceState } from '../../../shared/protocol';
import { api, call } from '../api/client';
import { awayReasonLabel, awayReasonOptions, awayReasonToStore } from '../i18n/presence';
import { DialogForm } from './DialogForm';
import { compactDuration } from '../lib/time';
import { useNow } from '../lib/useNow';

const LOOK: Record<Presence, { color: string }> = {
  available: { color: 'var(--mantine-color-teal-5)' },
  busy: { color: 'var(--mantine-color-orange-5)' },
  away: { color: 'var(--mantine-color-yellow-5)' },
  offline: { color: 'var(--mantine-color-gray-5)' },
};

const Dot = ({ presence }: { presence: Presence }) => <Box w={9} h={9} style={{ borderRadius: '50%', background: LOOK[presence].color, flex: 'none' }} />;

export function PresenceMenu() {
  const { t } = useTranslation();
  const [state, setState] = useState<PresenceState | null>(null);
  const [other, setOther] = useState('');
  const [asking, setAsking] = useState(false);
  const target = useRef<HTMLButtonElement>(null);
  /** "Other reason…" was picked: the dialog opens once the menu has gone (closing, the menu gives focus back to its button, which would take it from the dialog's field). */
  const otherPicked = useRef(false);
  const now = useNow(30_000);
  useEffect(() => {
    void call('presence.get', {}).then((current) => current && setState(current));
    return api.on('presence:changed', setState);
  }, []);
  const choose = (presence: Presence, reason?: string) => void call('presence.set', { presence, ...(reason ? { reason } : {}) }).then(setState);
  // Own words: stored as typed, unless they are a usual reason's (in the user's language).
  const chooseOther = () => {
    if (other.trim() === '') return;
    choose('away', awayReasonToStore(other));
    setAsking(false);
  };
  const presence = state?.presence ?? 'offline';
  const since = state ? compactDuration(Math.max(0, now - Date.parse(state.since))) : '';

  return (
    <>
      <Menu
        position="bottom-end"
        width={230}
        shadow="md"
        closeOnItemClick
        onExitTransitionEnd={() => {
          if (!otherPicked.current) return;
          otherPicked.current = false;
          setOther('');
          setAsking(true);
        }}
      >
        <Menu.Target>
          <UnstyledButton ref={target} data-testid="presence-menu" data-presence={presence} aria-label={t('presence.menuLabel', { presence: t(`presence.${presence}`) })} style={{ color: 'white' }}>
            <Group gap={6} wrap="nowrap">
              <Dot presence={presence} />
              <Text size="xs" c="gray.3" data-testid="presence-label" truncate maw={170}>
                {t(`presence.${presence}`)}
                {state?.reason ? ` · ${awayReasonLabel(state.reason)}` : ''}
                {since ? ` · ${since}` : ''}
              </Text>
              <IconChevronDown size={12} color="var(--mantine-color-gray-5)" />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<Dot presence="available" />} onClick={() => choose('available')} data-testid="presence-available">
            {t('presence.available')}
          </Menu.Item>
          <Menu.Item leftSection={<Dot presence="busy" />} onClick={() => choose('busy')} data-testid="presence-busy">
            {t('presence.busy')}
          </Menu.Item>
          <Menu.Label>{t('presence.away')}</Menu.Label>
          {/* Shown in the user's language, stored as the reason's stable key (translated again wherever it is shown). */}
          {awayReasonOptions().map(({ value, label }) => (
            <Menu.Item key={value} leftSection={<Dot presence="away" />} onClick={() => choose('away', value)} data-testid="presence-away" data-reason={value}>
              {label}
            </Menu.Item>
          ))}
          <Menu.Item leftSection={<IconPencil size={12} />} onClick={() => (otherPicked.current = true)} data-testid="presence-away-other">
            {t('presence.otherReasonItem')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {/* Focus goes back to the presence button (the menu item that opened the dialog is gone by then). */}
      <Modal opened={asking} onClose={() => setAsking(false)} title={t('presence.otherReasonLabel')} size="sm" returnFocus={false} onExitTransitionEnd={() => target.current?.focus()} data-testid="presence-other-dialog">
        <DialogForm onSubmit={chooseOther} onCancel={() => setAsking(false)} submitLabel={t('presence.away')} submitTestId="presence-other-submit" busy={false} disabled={other.trim() === ''}>
          <TextInput
            label={t('presence.otherReason')}
            placeholder={t('presence.otherReasonPlaceholder')}
            value={other}
            onChange={(event) => setOther(event.currentTarget.value)}
            maxLength={100}
            data-autofocus
            data-testid="presence-other-reason"
          />
          {/* The usual reasons still at hand, in the user's language (a pick fills the field; typed, they store as the usual reason).
              Buttons, not an autocomplete list: that list would cover the dialog's Away button. */}
          <Group gap={6}>
            {awayReasonOptions().map(({ value, label }) => (
              <Button key={value} size="compact-xs" variant="light" onClick={() => setOther(label)} data-testid="presence-other-suggestion" data-reason={value}>
                {label}
              </Button>
            ))}
          </Group>
        </DialogForm>
      </Modal>
    </>
  );
}
