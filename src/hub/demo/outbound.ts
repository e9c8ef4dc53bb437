/**
 * With `--demo`, every provider the options leave unconfigured is played by
 * a local provider simulator (provider-simulator.ts): replies really leave
 * the hub and show as sent, and the Mastodon and Bluesky streams listen to
 * its instance and Jetstream (where `--demo-feed` posts). A channel
 * configured for real keeps its configuration. Started before the channel
 * streams, which connect to it.
 */
import type { HubOptions } from '../config';
import type { DemoNetworks } from '../channels/channels';
import type { SenderOptions } from '../channels/senders';
import { DEMO_OUTBOUND, demoOutboundOptions, type ProviderSimulator, startProviderSimulator } from './provider-simulator';

/** What the demo's Bluesky stream looks for besides the brand's handle: words the demo texts use (resources/demo/texts.json). */
export const DEMO_BLUESKY_KEYWORDS = ['switchboard', 'switchboard_help', 'thermostat'];

export interface DemoProviders {
  /** The running simulator (the demo feed posts through it). */
  simulator: ProviderSimulator;
  /** The inbound streams of the networks it plays (`channelConfigs` uses them when the options configure none). */
  networks: DemoNetworks;
  senderOptions: SenderOptions;
  close(): Promise<void>;
}

export async function startDemoProviders(opts: HubOptions, host: string): Promise<DemoProviders> {
  const sim = await startProviderSimulator({ port: 0, smtpPort: 0, host });
  const demo = demoOutboundOptions(sim);
  const senderOptions: SenderOptions = {
    mailAddresses: opts.mailAddresses,
    smtpRelayUrl: opts.smtpRelayUrl ?? demo.smtpRelayUrl,
    ...(opts.xToken ? { xApiUrl: opts.xApiUrl, xToken: opts.xToken } : { xApiUrl: demo.xApiUrl, xToken: demo.xToken }),
    ...(opts.metaPageToken ? { metaApiUrl: opts.metaApiUrl, metaPageToken: opts.metaPageToken } : { metaApiUrl: demo.metaApiUrl, metaPageToken: demo.metaPageToken }),
    ...(opts.mastodonToken ? { mastodonUrl: opts.mastodonUrl, mastodonToken: opts.mastodonToken } : { mastodonUrl: demo.mastodonUrl, mastodonToken: demo.mastodonToken }),
    ...(opts.blueskyAppPassword
      ? { blueskyPdsUrl: opts.blueskyPdsUrl, blueskyHandle: opts.blueskyHandle, blueskyAppPassword: opts.blueskyAppPassword }
      : { blueskyPdsUrl: demo.blueskyPdsUrl, blueskyHandle: demo.blueskyHandle, blueskyAppPassword: demo.blueskyAppPassword }),
  };
  const networks: DemoNetworks = {
    mastodon: { url: sim.url, token: DEMO_OUTBOUND.mastodonToken },
    bluesky: { jetstreamUrl: sim.jetstreamUrl, handle: DEMO_OUTBOUND.blueskyHandle, pdsUrl: sim.url, keywords: DEMO_BLUESKY_KEYWORDS },
  };
  return { simulator: sim, networks, senderOptions, close: () => sim.close() };
}
