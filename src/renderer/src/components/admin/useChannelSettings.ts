/**
 * The hub's channel settings (brand handles, keywords, consent policy) as the
 * console core holds them — the last known, offline too — and kept current by
 * `settings:changed`: the composer's consent hint and the Channels tab read it.
 */
import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ChannelSettings } from '../../../../shared/channel-settings';
import { api } from '../../api/client';
import { apiKey, useApiQuery } from '../../api/queries';

export function useChannelSettings() {
  const client = useQueryClient();
  useEffect(() => api.on('settings:changed', (settings) => client.setQueryData<ChannelSettings>(apiKey('settings.channels', {}), settings)), [client]);
  return useApiQuery('settings.channels', {}, { staleTime: Infinity });
}
