import { Tooltip } from '@mantine/core';
import { IconBrandFacebook, IconBrandMastodon, IconBrandX, IconDeviceDesktopAnalytics, IconMail, IconPhone, IconWorld } from '@tabler/icons-react';
import type { Channel } from '../../../shared/domain';

const ICONS = {
  phone: { Icon: IconPhone, label: 'Phone', color: '#2f9e44' },
  email: { Icon: IconMail, label: 'Email', color: '#1c7ed6' },
  x: { Icon: IconBrandX, label: 'X', color: '#212529' },
  facebook: { Icon: IconBrandFacebook, label: 'Facebook', color: '#1864ab' },
  mastodon: { Icon: IconBrandMastodon, label: 'Mastodon', color: '#6741d9' },
  web: { Icon: IconWorld, label: 'Web', color: '#495057' },
  device: { Icon: IconDeviceDesktopAnalytics, label: 'Device alert', color: '#e8590c' },
} satisfies Record<Channel, unknown>;

export function ChannelIcon({ channel, size = 16 }: { channel: Channel; size?: number }) {
  const { Icon, label, color } = ICONS[channel];
  return (
    <Tooltip label={label} withArrow openDelay={400}>
      <Icon size={size} color={color} aria-label={label} stroke={1.8} />
    </Tooltip>
  );
}

export const channelLabel = (channel: Channel) => ICONS[channel].label;
