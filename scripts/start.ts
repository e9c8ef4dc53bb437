/**
 * `npm start`: a demo hub (unless SWITCHBOARD_HUB_URL points at one) and the
 * console — Electron when its binary is installed, else the browser shell.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { electronState } from './electron-package';
import { startHub } from '../src/hub/hub';
import { defaultDataDir } from '../src/hub/config';
import { redactCredentials } from '../src/hub/ops/redact';
import { startConsoleCoreInWorker } from '../src/main/core';
import { startBrowserShell } from '../src/main/browser/server';
import { consoleDataDir } from '../src/main/browser/paths';
import { ALLOW_INSECURE_HUB_VARIABLE, parseAllowInsecureHub } from '../src/shared/hub-address';

const root = join(import.meta.dirname, '..');

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed`);
}

async function main(): Promise<void> {
  let hubUrl = process.env.SWITCHBOARD_HUB_URL;
  let stopHub: (() => Promise<void>) | undefined;
  if (!hubUrl) {
    const hub = await startHub({ dataDir: join(defaultDataDir(), 'demo'), demo: true, demoFeed: true });
    console.log(`hub listening on ${hub.url}`);
    console.log(`mqtt listening on ${redactCredentials(hub.mqttUrl)}`);
    if (hub.smtpUrl) console.log(`smtp listening on ${hub.smtpUrl}`);
    hubUrl = hub.url;
    stopHub = () => hub.close();
  }

  const electron = electronState();
  if (electron.kind === 'installed') {
    console.log(`Starting the console in Electron (${electron.binary}).`);
    run('npx', ['tsx', 'scripts/rebuild-electron.ts']);
    run('npx', ['electron-vite', 'build']);
    const child = spawn(electron.binary, ['.'], { cwd: root, stdio: 'inherit', env: { ...process.env, SWITCHBOARD_HUB_URL: hubUrl } });
    child.on('exit', () => void stopHub?.().then(() => process.exit(0)));
    return;
  }

  console.log(`${electron.reason}.`);
  console.log('Starting the browser shell instead: the same console in your browser.');
  run('npx', ['vite', 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'error']);
  const core = await startConsoleCoreInWorker({ dataDir: consoleDataDir(), hubUrl, allowInsecureHub: parseAllowInsecureHub(process.env[ALLOW_INSECURE_HUB_VARIABLE]), log: (message) => console.error(message) });
  const shell = await startBrowserShell({ core, rendererDir: join(root, 'out', 'renderer') });
  console.log(`console listening on ${shell.url}`);
  console.log('Open that address in Chromium or Chrome; log in as ana / demo.');

  const shutdown = async () => {
    await shell.close();
    await core.close();
    await stopHub?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(redactCredentials(error instanceof Error ? error.message : String(error)));
  process.exit(1);
});
