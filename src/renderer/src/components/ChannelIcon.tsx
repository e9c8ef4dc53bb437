import { Tooltip } from '@mantine/core';
import { IconBrandBluesky, IconBrandFacebook, IconBrandInstagram, IconBrandMastodon, IconBrandX, IconCpu, IconMail, IconPhone, IconWorld } from '@tabler/icons-react';
import type { Channel } from '../../../shared/domain';

const CHANNELS = {
  phone: { Icon: IconPhone, label: 'Phone', color: 'var(--mantine-color-green-7)' },
  email: { Icon: IconMail, label: 'Email', color: 'var(--mantine-color-blue-7)' },
  x: { Icon: IconBrandX, label: 'X', color: 'var(--mantine-color-dark-6)' },
  facebook: { Icon: IconBrandFacebook, label: 'Facebook', color: '#1877f2' },
  instagram: { Icon: IconBrandInstagram, label: 'Instagram', color: '#d62976' },
  mastodon: { Icon: IconBrandMastodon, label: 'Mastodon', color: '#6364ff' },
  bluesky: { Icon: IconBrandBluesky, label: 'Bluesky', color: '#1185fe' },
  web: { Icon: IconWorld, label: 'Web / community', color: 'var(--mantine-color-cyan-8)' },
  device: { Icon: IconCpu, label: 'Device alert', color: 'var(--mantine-color-orange-7)' },
} satisfies Record<Channel, unknown>;

export function ChannelIcon({ channel, size = 16, tooltip = true }: { channel: Channel; size?: number; tooltip?: boolean }) {
  const { Icon, label, color } = CHANNELS[channel];
  const icon = <Icon size={size} color={color} aria-label={label} stroke={1.7} style={{ flex: 'none', display: 'block' }} />;
  return tooltip ? <Tooltip label={label}>{icon}</Tooltip> : icon;
}

export const channelLabel = (channel: Channel): string => CHANNELS[channel].label;

export const isChannel = (name: string): name is Channel => Object.hasOwn(CHANNELS, name);
