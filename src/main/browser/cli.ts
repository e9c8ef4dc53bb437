/** `npm run start:browser`: the console core (in a worker thread) plus the browser shell, pointed at a hub. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_HUB_URL, parsePullPageSize, startConsoleCoreInWorker } from '../core';
import { loadConsoleSettings } from '../policy';
import { startBrowserShell } from './server';
import { consoleDataDir } from './paths';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { hub: { type: 'string' }, data: { type: 'string' }, port: { type: 'string' }, 'pull-page-size': { type: 'string' } },
    strict: true,
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got ${values.port}`);
  const pageSize = values['pull-page-size'];
  const pullPageSize = pageSize === undefined ? undefined : parsePullPageSize(pageSize);
  // The workstation's policy wins over --hub and the environment (an invalid policy file stops the start); the core enforces it.
  const settings = loadConsoleSettings({ platform: process.platform, env: process.env, readText: (path) => readFileSync(path, 'utf8'), defaultHubUrl: DEFAULT_HUB_URL, hubUrl: values.hub });
  if (settings.hub.locked) console.log(`hub ${settings.hub.hubUrl}, fixed by the policy in ${settings.policy?.path}`);
  const core = await startConsoleCoreInWorker({
    dataDir: values.data ?? consoleDataDir(),
    ...settings.core,
    pullPageSize,
    log: (message) => console.error(message),
  });
  const shell = await startBrowserShell({ core, rendererDir: join(import.meta.dirname, '..', '..', '..', 'out', 'renderer'), port });
  console.log(`console listening on ${shell.url}`);
  const shutdown = () => void shell.close().then(() => core.close()).then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`console failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
