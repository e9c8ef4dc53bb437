/**
 * With `--demo`, replies need somewhere to go: every outbound channel the
 * options leave unconfigured is pointed at a local provider simulator
 * (provider-simulator.ts), so a demo reply really leaves the hub and shows as
 * sent. A channel configured for real keeps its configuration.
 */
import type { HubOptions } from '../config';
import type { SenderOptions } from '../channels/senders';
import { demoOutboundOptions, startProviderSimulator } from './provider-simulator';

export async function startDemoOutbound(opts: HubOptions, host: string): Promise<{ options: SenderOptions; url: string; smtpUrl: string; close(): Promise<void> }> {
  const sim = await startProviderSimulator({ port: 0, smtpPort: 0, host });
  const demo = demoOutboundOptions(sim);
  const options: SenderOptions = {
    mailAddresses: opts.mailAddresses,
    smtpRelayUrl: opts.smtpRelayUrl ?? demo.smtpRelayUrl,
    ...(opts.xToken ? { xApiUrl: opts.xApiUrl, xToken: opts.xToken } : { xApiUrl: demo.xApiUrl, xToken: demo.xToken }),
    ...(opts.metaPageToken ? { metaApiUrl: opts.metaApiUrl, metaPageToken: opts.metaPageToken } : { metaApiUrl: demo.metaApiUrl, metaPageToken: demo.metaPageToken }),
    ...(opts.mastodonToken ? { mastodonUrl: opts.mastodonUrl, mastodonToken: opts.mastodonToken } : { mastodonUrl: demo.mastodonUrl, mastodonToken: demo.mastodonToken }),
    ...(opts.blueskyAppPassword
      ? { blueskyPdsUrl: opts.blueskyPdsUrl, blueskyHandle: opts.blueskyHandle, blueskyAppPassword: opts.blueskyAppPassword }
      : { blueskyPdsUrl: demo.blueskyPdsUrl, blueskyHandle: demo.blueskyHandle, blueskyAppPassword: demo.blueskyAppPassword }),
  };
  return { options, url: sim.url, smtpUrl: sim.smtpUrl, close: () => sim.close() };
}
