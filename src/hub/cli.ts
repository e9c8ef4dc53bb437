/** `npm run hub`: flags mirror the SWITCHBOARD_* variables (see README). */
import { hubOptionsFromCli } from './config';
import { startHub } from './hub';
import { redactCredentials } from './ops/redact';

async function main(): Promise<void> {
  const hub = await startHub(hubOptionsFromCli(process.argv.slice(2), process.env));
  console.log(`hub listening on ${hub.url}`);
  console.log(`mqtt listening on ${redactCredentials(hub.mqttUrl)}`);
  if (hub.smtpUrl) console.log(`smtp listening on ${hub.smtpUrl}`);
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    // A second signal means "now": skip the graceful close.
    if (closing) process.exit(130);
    closing = true;
    console.log(`hub stopping (${signal})`);
    // A close that hangs (a stuck socket, an unreachable Postgres) must not keep the process alive forever.
    setTimeout(() => {
      console.error('hub did not close within 10 s; exiting');
      process.exit(1);
    }, 10_000).unref();
    void hub.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  // A library's message may quote a URL it was given.
  console.error(`hub failed to start: ${redactCredentials(error instanceof Error ? error.message : String(error))}`);
  process.exit(1);
});
