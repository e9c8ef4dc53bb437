/**
 * `npm run console:headless -- --data DIR [--hub URL]`: the console core with
 * no UI, speaking JSON-RPC 2.0 on stdin/stdout, one message per line. Exit
 * codes: 0 after stdin ends or SIGTERM/SIGINT, 1 when the core cannot start,
 * 2 on bad arguments.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { createConsoleCore, DEFAULT_HUB_URL } from '../core';
import { loadConsoleSettings } from '../policy';
import { parseHeadlessArgs, USAGE, UsageError } from './args';
import { forwardEvents, handleRpcLine } from './rpc';

const logError = (message: string) => process.stderr.write(`${message}\n`);

async function main(): Promise<void> {
  let args;
  try {
    args = parseHeadlessArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    logError(`console:headless: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return;
  }

  // stdout is the protocol stream: whatever a library prints goes to stderr instead.
  console.log = console.info = console.debug = console.error;

  // The workstation's policy, read as the other shells read it: it wins over --hub and the environment, and the core enforces it.
  const settings = loadConsoleSettings({ platform: process.platform, env: process.env, readText: (path) => readFileSync(path, 'utf8'), defaultHubUrl: DEFAULT_HUB_URL, hubUrl: args.hubUrl });
  if (settings.hub.locked) logError(`hub ${settings.hub.hubUrl}, fixed by the policy in ${settings.policy?.path}`);
  const core = await createConsoleCore({
    dataDir: args.dataDir,
    ...settings.core,
    pullPageSize: args.pullPageSize,
    log: logError,
  });
  let stopping: Promise<void> | null = null;
  // One write per message, so concurrent answers never interleave within a line.
  const write = (line: string) => {
    if (!process.stdout.destroyed) process.stdout.write(`${line}\n`);
  };
  const stopEvents = forwardEvents(core.events, write);
  const inFlight = new Set<Promise<void>>();

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  lines.on('line', (line) => {
    if (stopping) return;
    const done = handleRpcLine(core.handlers, line).then((response) => {
      if (response !== undefined) write(response);
    });
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  });

  /** Stdin's end lets the calls already read finish; a signal or a closed stdout does not wait. */
  const stop = (why: string, drain: boolean) => {
    stopping ??= (async () => {
      logError(`headless console stopping: ${why}`);
      lines.close();
      if (drain) await Promise.allSettled([...inFlight]);
      stopEvents();
      let code = 0;
      try {
        await core.close();
      } catch (error) {
        logError(`closing the core failed: ${error instanceof Error ? error.message : String(error)}`);
        code = 1;
      }
      if (!process.stdout.destroyed) await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
      process.exit(code);
    })();
  };
  lines.once('close', () => stop('stdin closed', true));
  process.once('SIGTERM', () => stop('SIGTERM', false));
  process.once('SIGINT', () => stop('SIGINT', false));
  // The reader went away (EPIPE): nobody is left to answer.
  process.stdout.on('error', () => stop('stdout closed', false));
  logError(`headless console ready (data ${args.dataDir})`);
}

main().catch((error: unknown) => {
  logError(`console:headless failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
