/** What the console benches share: a demo hub in its own process (as on a real network), and the console core's API as plain calls. */
import { type ConsoleCore, dispatch } from '../src/main/core';
import { runHub, waitForOutput } from '../tests/hub/processes';

export interface HubProcess {
  url: string;
  mqttUrl: string;
  stop(): Promise<void>;
}

export async function startDemoHubProcess(dataDir: string): Promise<HubProcess> {
  const run = runHub(['--port', '0', '--mqtt-port', '0', '--data-dir', dataDir, '--demo', '--log-level', 'warn']);
  const url = (await waitForOutput(run, /hub listening on (http:\/\/\S+)/, 120_000))[1]!;
  const mqttUrl = (await waitForOutput(run, /mqtt listening on (mqtt:\/\/\S+)/))[1]!;
  return {
    url,
    mqttUrl,
    async stop() {
      run.child.kill('SIGTERM');
      await run.exited;
    },
  };
}

/** Calls a core API method; a failure throws. */
export function coreCaller(core: ConsoleCore) {
  return async <T>(method: string, input: unknown): Promise<T> => {
    const result = await dispatch(core.handlers, method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value as T;
  };
}
