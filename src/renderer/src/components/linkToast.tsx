/** A live-event toast (a device alert, a mention) with a link that closes it and goes where the event is. */
import type { ReactNode } from 'react';
import { Anchor, type MantineColor, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';

interface LinkToast {
  id: string;
  title: string;
  text: string;
  color: MantineColor;
  icon: ReactNode;
  autoClose: number;
  /** At most this many lines of `text`. */
  lineClamp?: number;
  /** The toast's body, for tests to find. */
  testId?: string;
  link: { label: string; testId: string; onClick: () => void };
}

export function showLinkToast({ id, title, text, color, icon, autoClose, lineClamp, testId, link }: LinkToast): void {
  notifications.show({
    id,
    title,
    color,
    icon,
    autoClose,
    withBorder: true,
    message: (
      <div data-testid={testId}>
        <Text size="xs" lineClamp={lineClamp}>
          {text}
        </Text>
        <Anchor
          component="button"
          size="xs"
          fw={600}
          mt={4}
          data-testid={link.testId}
          onClick={() => {
            notifications.hide(id);
            link.onClick();
          }}
        >
          {link.label}
        </Anchor>
      </div>
    ),
  });
}
