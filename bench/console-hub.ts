/** What the console benches share: a demo hub in its own process (as on a real network), and the console core's API as plain calls. */
import { type ConsoleCore, type CoreEndpoint, coreEndpoint } from '../src/main/core';
import type { SyncStatus } from '../src/shared/api';
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
  return endpointCaller(coreEndpoint(core));
}

/** The same through an endpoint: a core in its worker thread, as the shells run it. */
export function endpointCaller(core: Pick<CoreEndpoint, 'call'>) {
  return async <T>(method: string, input: unknown): Promise<T> => {
    const result = await core.call(method, input);
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
    return result.value as T;
  };
}

/** Signs `username` in on `core` and waits until it is online with its first sync done. */
export async function signInAndSync(core: ConsoleCore, username: string): Promise<void> {
  const call = coreCaller(core);
  await call('session.login', { username, password: 'demo' });
  for (;;) {
    const status = await call<SyncStatus>('sync.status', {});
    if (status.connection === 'online' && !status.syncing) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves once `core`'s `cases:changed` events have named every one of `ids` (its cache then holds them). */
export function casesChangedAll(core: ConsoleCore, ids: Iterable<string>): Promise<void> {
  const moved = new Set(ids);
  const seen = new Set<string>();
  return new Promise((resolve) => {
    const off = core.events.on('cases:changed', ({ ids: changed }) => {
      // No ids: "reload everything" (a burst too big to list).
      for (const id of changed.length === 0 ? moved : changed) if (moved.has(id)) seen.add(id);
      if (seen.size < moved.size) return;
      off();
      resolve();
    });
  });
}
