/** A toast for each mention that arrives live, with a way to the inbox. */
import { useEffect } from 'react';
import { Anchor, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ChannelIcon, channelLabel } from '../ChannelIcon';
import { api } from '../../api/client';

/** More than this at once is a feed catching up: one toast says how many. */
const MAX_TOASTS = 3;

export function MentionToasts({ onShowMentions }: { onShowMentions: () => void }) {
  useEffect(
    () =>
      api.on('mentions:changed', ({ arrived }) => {
        const show = (id: string, title: string, text: string, icon = arrived[0] ? <ChannelIcon channel={arrived[0].channel} tooltip={false} /> : null) =>
          notifications.show({
            id,
            title,
            color: 'grape',
            icon,
            autoClose: 8_000,
            withBorder: true,
            message: (
              <div data-testid="mention-toast">
                <Text size="xs" lineClamp={2}>
                  {text}
                </Text>
                <Anchor
                  component="button"
                  size="xs"
                  fw={600}
                  mt={4}
                  data-testid="mention-toast-open"
                  onClick={() => {
                    notifications.hide(id);
                    onShowMentions();
                  }}
                >
                  Show mentions
                </Anchor>
              </div>
            ),
          });
        if (arrived.length > MAX_TOASTS) {
          show(`mentions-${arrived[0]!.id}`, `${arrived.length} new mentions`, arrived.map((m) => m.author).join(', '));
          return;
        }
        for (const mention of arrived) {
          show(`mention-${mention.id}`, `New mention on ${channelLabel(mention.channel)} · ${mention.author}`, mention.body, <ChannelIcon channel={mention.channel} tooltip={false} />);
        }
      }),
    [onShowMentions],
  );
  return null;
}
