/**
 * The shortcut sheet: `?` (anywhere but a text field) lists the console's keys.
 * It only documents them — each key is handled where it acts (lib/useQueueKeys,
 * the composer, the dialogs).
 */
import { Fragment } from 'react';
import { Kbd, Modal, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useWindowEvent } from '@mantine/hooks';

interface Shortcut {
  keys: string[];
  what: string;
}

const SECTIONS: { title: string; shortcuts: Shortcut[] }[] = [
  {
    title: 'Queue',
    shortcuts: [
      { keys: ['↑ ↓'], what: 'Move through the cases' },
      { keys: ['Enter'], what: 'Open the case' },
      { keys: ['/'], what: 'Search' },
      { keys: ['n'], what: 'New case' },
      { keys: ['Esc'], what: 'Close the case (none open: clear the selection)' },
    ],
  },
  {
    title: 'Routing (agents)',
    shortcuts: [
      { keys: ['y'], what: 'Accept the case offered to you (it opens)' },
      { keys: ['Shift', 'D'], what: 'Decline the offer' },
      { keys: ['Shift', 'N'], what: 'Next case: take the best waiting case (pull queues)' },
    ],
  },
  {
    title: 'Picking cases (supervisors)',
    shortcuts: [
      { keys: ['x'], what: 'Pick the case under the cursor' },
      { keys: ['Shift', '↑ ↓'], what: 'Pick the cases passed' },
      { keys: ['a'], what: 'Reassign the picked cases' },
    ],
  },
  {
    title: 'Mentions',
    shortcuts: [
      { keys: ['c'], what: 'Convert the mention to a case' },
      { keys: ['d'], what: 'Dismiss the mention' },
    ],
  },
  {
    title: 'Writing',
    shortcuts: [
      { keys: ['Ctrl', 'Enter'], what: 'Send the reply or note, create the case (⌘ on a Mac)' },
      { keys: ['Tab'], what: 'Next control; Shift+Tab the one before' },
      { keys: ['Esc'], what: 'Close a dialog, menu or drawer (focus goes back where it was)' },
      { keys: ['?'], what: 'This sheet' },
    ],
  },
];

const isTyping = (el: EventTarget | null): boolean =>
  el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

export function ShortcutsDialog() {
  const [opened, { open, close }] = useDisclosure(false);
  useWindowEvent('keydown', (event) => {
    if (event.key !== '?' || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    event.preventDefault();
    open();
  });
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Keyboard shortcuts</Text>} size={560} data-testid="shortcuts-dialog">
      <Stack gap="md">
        {SECTIONS.map((section) => (
          <section key={section.title}>
            <Title order={3} size="sm" mb={6}>
              {section.title}
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
                    {shortcut.what}
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
