/** A toast for each mention that arrives live, with a way to the inbox. */
import { type ReactNode, useEffect } from 'react';
import { i18n } from '../../i18n';
import { ChannelIcon, channelLabel } from '../ChannelIcon';
import { api } from '../../api/client';
import { showLinkToast } from '../linkToast';

/** More than this at once is a feed catching up: one toast says how many. */
const MAX_TOASTS = 3;

export function MentionToasts({ onShowMentions }: { onShowMentions: () => void }) {
  useEffect(
    () =>
      api.on('mentions:changed', ({ arrived }) => {
        const show = (id: string, title: string, text: string, icon: ReactNode) =>
          showLinkToast({
            id,
            title,
            text,
            color: 'grape',
            icon,
            autoClose: 8_000,
            lineClamp: 2,
            testId: 'mention-toast',
            link: { label: i18n.t('mentions.show'), testId: 'mention-toast-open', onClick: onShowMentions },
          });
        if (arrived.length > MAX_TOASTS) {
          show(`mentions-${arrived[0]!.id}`, i18n.t('mentions.arrived', { count: arrived.length }), arrived.map((m) => m.author).join(', '), <ChannelIcon channel={arrived[0]!.channel} tooltip={false} />);
          return;
        }
        for (const mention of arrived) {
          show(`mention-${mention.id}`, i18n.t('mentions.newOn', { channel: channelLabel(mention.channel), author: mention.author }), mention.body, <ChannelIcon channel={mention.channel} tooltip={false} />);
        }
      }),
    [onShowMentions],
  );
  return null;
}
