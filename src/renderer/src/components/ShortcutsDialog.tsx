/**
 * The shortcut sheet: `?` (anywhere but a text field) lists the console's keys.
 * It only documents them — each key is handled where it acts (lib/useQueueKeys,
 * the composer, the dialogs).
 */
import { Fragment } from 'react';
import { Kbd, Modal, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useWindowEvent } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type en from '../i18n/locales/en.json';

/** Key caps name keys (not translated); `what` and `title` are keys under `shortcuts.` in the locales. */
interface Shortcut {
  keys: string[];
  what: ShortcutText;
}

type ShortcutText = Exclude<keyof typeof en.shortcuts, 'title'>;

const SECTIONS: { title: ShortcutText; shortcuts: Shortcut[] }[] = [
  {
    title: 'queue',
    shortcuts: [
      { keys: ['↑ ↓'], what: 'move' },
      { keys: ['Enter'], what: 'open' },
      { keys: ['/'], what: 'search' },
      { keys: ['n'], what: 'newCase' },
      { keys: ['Esc'], what: 'close' },
    ],
  },
  {
    title: 'routing',
    shortcuts: [
      { keys: ['y'], what: 'accept' },
      { keys: ['Shift', 'D'], what: 'decline' },
      { keys: ['Shift', 'N'], what: 'next' },
    ],
  },
  {
    title: 'picking',
    shortcuts: [
      { keys: ['x'], what: 'pick' },
      { keys: ['Shift', '↑ ↓'], what: 'pickPassed' },
      { keys: ['a'], what: 'reassign' },
    ],
  },
  {
    title: 'mentions',
    shortcuts: [
      { keys: ['c'], what: 'convert' },
      { keys: ['d'], what: 'dismiss' },
    ],
  },
  {
    title: 'writing',
    shortcuts: [
      { keys: ['Ctrl', 'Enter'], what: 'send' },
      { keys: ['Tab'], what: 'tab' },
      { keys: ['Esc'], what: 'escape' },
      { keys: ['?'], what: 'sheet' },
    ],
  },
];

const isTyping = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

export function ShortcutsDialog() {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  useWindowEvent('keydown', (event) => {
    if (event.key !== '?' || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    event.preventDefault();
    open();
  });
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>{t('shortcuts.title')}</Text>} size={560} data-testid="shortcuts-dialog">
      <Stack gap="md">
        {SECTIONS.map((section) => (
          <section key={section.title}>
            <Title order={3} size="sm" mb={6}>
              {t(`shortcuts.${section.title}`)}
            </Title>
            <SimpleGrid cols={2} spacing={8} verticalSpacing={6} style={{ gridTemplateColumns: '150px 1fr' }}>
              {section.shortcuts.map((shortcut) => (
                <Fragment key={shortcut.what}>
                  <Text span size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {shortcut.keys.map((key, i) => (
                      <Fragment key={key}>
                        {i > 0 && ' + '}
                        <Kbd size="xs">{key}</Kbd>
                      </Fragment>
                    ))}
                  </Text>
                  <Text span size="sm">
                    {t(`shortcuts.${shortcut.what}`)}
                  </Text>
                </Fragment>
              ))}
            </SimpleGrid>
          </section>
        ))}
      </Stack>
    </Modal>
  );
}
