import { Tooltip } from '@mantine/core';
import { IconBrandBluesky, IconBrandFacebook, IconBrandInstagram, IconBrandMastodon, IconBrandX, IconCpu, IconMail, IconPhone, IconWorld } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Channel } from '../../../shared/domain';
import { i18n } from '../i18n';

const CHANNELS = {
  phone: { Icon: IconPhone, color: 'var(--mantine-color-green-7)' },
  email: { Icon: IconMail, color: 'var(--mantine-color-blue-7)' },
  x: { Icon: IconBrandX, color: 'var(--mantine-color-text)' },
  facebook: { Icon: IconBrandFacebook, color: '#1877f2' },
  instagram: { Icon: IconBrandInstagram, color: '#d62976' },
  mastodon: { Icon: IconBrandMastodon, color: '#6364ff' },
  bluesky: { Icon: IconBrandBluesky, color: '#1185fe' },
  web: { Icon: IconWorld, color: 'var(--mantine-color-cyan-8)' },
  device: { Icon: IconCpu, color: 'var(--mantine-color-orange-7)' },
} satisfies Record<Channel, unknown>;

export function ChannelIcon({ channel, size = 16, tooltip = true }: { channel: Channel; size?: number; tooltip?: boolean }) {
  useTranslation(); // shown again when the language changes
  const { Icon, color } = CHANNELS[channel];
  const label = channelLabel(channel);
  const icon = <Icon size={size} color={color} aria-label={label} stroke={1.7} style={{ flex: 'none', display: 'block' }} />;
  return tooltip ? <Tooltip label={label}>{icon}</Tooltip> : icon;
}

/** The channel's name in the current language. */
export const channelLabel = (channel: Channel): string => i18n.t(`channels.${channel}`);

export const isChannel = (name: string): name is Channel => Object.hasOwn(CHANNELS, name);
