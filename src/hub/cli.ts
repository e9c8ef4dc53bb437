/** `npm run hub`: flags mirror the SWITCHBOARD_* variables (see README). */
import { hubOptionsFromCli } from './config';
import { startHub } from './hub';

async function main(): Promise<void> {
  const hub = await startHub(hubOptionsFromCli(process.argv.slice(2), process.env));
  console.log(`hub listening on ${hub.url}`);
  console.log(`mqtt listening on ${hub.mqttUrl}`);
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    void hub.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`hub failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
