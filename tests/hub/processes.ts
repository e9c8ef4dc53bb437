/** Hubs as real processes (`npm run hub`), for tests of the CLI and of several hubs together. */
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface Run {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function runHub(args: string[], env: Record<string, string> = {}): Run {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SWITCHBOARD_')));
  // Node itself with tsx's loader, not the tsx wrapper: a signal the test sends reaches the hub, not a relay
  // that on a loaded machine may deliver it twice or die of it.
  const child = spawn(process.execPath, [...(process.env.HUB_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.HUB_PROF] : []), '--import', 'tsx', 'src/hub/cli.ts', ...args], { cwd: ROOT, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, output: () => output, exited };
}

export async function waitForOutput(run: Run, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(run.output());
    if (match) return match;
    if (run.child.exitCode !== null || Date.now() > until) throw new Error(`no ${pattern} in output:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

