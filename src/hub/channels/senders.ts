/**
 * The outbound senders the hub's configuration allows: one per reply channel
 * whose outbound options are all set (a token, an account, a relay); a channel
 * without them has no sender: the delivery worker fails its replies with that reason. The provider
 * URLs of X, Meta and Bluesky default to the public services.
 */
import { DEFAULT_MAIL_ADDRESSES, type HubOptions } from '../config';
import type { ReplyChannel } from '../../shared/replies';
import type { ChannelSender } from './outbound';
import { createBlueskySender } from './bluesky/send';
import { createEmailSender } from './email/send';
import { createMastodonSender } from './mastodon/send';
import { createMetaSender } from './meta/send';
import { createXSender } from './x/send';

export const DEFAULT_X_API_URL = 'https://api.x.com';
export const DEFAULT_META_API_URL = 'https://graph.facebook.com';
export const DEFAULT_BLUESKY_PDS_URL = 'https://bsky.social';

export type SenderOptions = Pick<
  HubOptions,
  'smtpRelayUrl' | 'mailAddresses' | 'xApiUrl' | 'xToken' | 'metaApiUrl' | 'metaPageToken' | 'mastodonUrl' | 'mastodonToken' | 'blueskyPdsUrl' | 'blueskyHandle' | 'blueskyAppPassword'
>;

export interface SendersLog {
  info(obj: object, message: string): void;
  warn(obj: object, message: string): void;
}

export function createSenders(opts: SenderOptions, log: SendersLog): Partial<Record<ReplyChannel, ChannelSender>> {
  const senders: Partial<Record<ReplyChannel, ChannelSender>> = {};
  /** Set options without the rest are a mistake worth a line in the log, not a failure. */
  const incomplete = (channel: string, missing: string[]) => log.warn({ channel, missing }, `${channel} replies are off: set ${missing.join(' and ')}`);

  if (opts.smtpRelayUrl) {
    senders.email = createEmailSender({ relayUrl: opts.smtpRelayUrl, from: opts.mailAddresses?.[0] ?? DEFAULT_MAIL_ADDRESSES[0]! });
  }
  if (opts.xToken) senders.x = createXSender({ apiUrl: opts.xApiUrl ?? DEFAULT_X_API_URL, token: opts.xToken });
  else if (opts.xApiUrl) incomplete('x', ['xToken']);

  if (opts.metaPageToken) {
    const config = { apiUrl: opts.metaApiUrl ?? DEFAULT_META_API_URL, pageToken: opts.metaPageToken };
    senders.facebook = createMetaSender('facebook', config);
    senders.instagram = createMetaSender('instagram', config);
  } else if (opts.metaApiUrl) incomplete('facebook/instagram', ['metaPageToken']);

  if (opts.mastodonUrl && opts.mastodonToken) senders.mastodon = createMastodonSender({ url: opts.mastodonUrl, token: opts.mastodonToken });
  else if (opts.mastodonToken) incomplete('mastodon', ['mastodonUrl']);
  // mastodonUrl alone is the inbound stream's instance: no warning.

  if (opts.blueskyHandle && opts.blueskyAppPassword) {
    senders.bluesky = createBlueskySender({ pdsUrl: opts.blueskyPdsUrl ?? DEFAULT_BLUESKY_PDS_URL, handle: opts.blueskyHandle, appPassword: opts.blueskyAppPassword });
  } else if (opts.blueskyAppPassword || opts.blueskyPdsUrl) incomplete('bluesky', [...(opts.blueskyHandle ? [] : ['blueskyHandle']), ...(opts.blueskyAppPassword ? [] : ['blueskyAppPassword'])]);

  log.info({ channels: Object.keys(senders) }, 'reply senders');
  return senders;
}
