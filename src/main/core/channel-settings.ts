/**
 * The hub's channel settings (src/shared/channel-settings.ts) as this console
 * last heard them: fetched on every (re)connect, replaced by each
 * `settings:changed`, kept in the cache's meta so an offline console still
 * applies the consent policy it last knew. Before the first fetch: today's
 * rule and no handles.
 */
import { type ChannelSettings, ChannelSettingsAnswerSchema, ChannelSettingsSchema, type ConsentPolicy, DEFAULT_CONSENT_POLICY, NO_HANDLES } from '../../shared/channel-settings';
import type { Cache } from './cache';
import type { HubClient } from './hub-client';

const META_KEY = 'channelSettings';

export const NO_CHANNEL_SETTINGS: ChannelSettings = { handles: NO_HANDLES, listeningKeywords: [], surgeKeywords: [], consent: DEFAULT_CONSENT_POLICY };

export function storedChannelSettings(cache: Pick<Cache, 'meta'>): ChannelSettings {
  const raw = cache.meta.get(META_KEY);
  if (!raw) return NO_CHANNEL_SETTINGS;
  try {
    return ChannelSettingsSchema.parse(JSON.parse(raw));
  } catch {
    return NO_CHANNEL_SETTINGS;
  }
}

/** The consent policy the reply rules apply here. */
export const consentPolicyOf = (cache: Pick<Cache, 'meta'>): ConsentPolicy => storedChannelSettings(cache).consent;

/** Stores the settings; true when they differ from what was stored. */
export function keepChannelSettings(cache: Pick<Cache, 'meta'>, settings: ChannelSettings): boolean {
  const value = JSON.stringify(settings);
  if (cache.meta.get(META_KEY) === value) return false;
  cache.meta.set(META_KEY, value);
  return true;
}

export async function fetchChannelSettings(hub: HubClient): Promise<ChannelSettings> {
  return (await hub.json('GET', '/api/settings/channels', ChannelSettingsAnswerSchema)).channels;
}
