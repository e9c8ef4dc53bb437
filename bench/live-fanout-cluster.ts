/**
 * Live fan-out scaled out, as the architecture runs a large site: two hub
 * processes on one Postgres, Redis (socket.io adapter) and Mosquitto, the
 * 500 consoles split between them, a supervisor pushing notes to the first
 * at each rate in turn. The same load and figures as bench/live-fanout.ts,
 * set against the bare floor's in the same run. Needs the
 * services of this machine (SWITCHBOARD_TEST_PG_URL, _REDIS_URL, _MQTT_URL
 * as in the tests); on a machine without them it says so and moves on.
 */
import { randomBytes } from 'node:crypto';
import { backends } from '../tests/hub/backends';
import { runHub, waitForOutput, type Run } from '../tests/hub/processes';
import { fanoutFloorRate } from './fanout-floor';
import { pushNotesToConsoles, reportRatio, SOCKETS } from './fanout-harness';
import { report } from './stats';

const REDIS_URL = process.env.SWITCHBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const MQTT_URL = process.env.SWITCHBOARD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
const HUBS = 2;

export async function benchLiveFanoutCluster(): Promise<void> {
  const name = `live: ${HUBS} hubs (Postgres, Redis, Mosquitto)`;
  const floor = await fanoutFloorRate();
  let storage: Awaited<ReturnType<(typeof backends)[number]['storage']>>;
  try {
    storage = await backends.find((b) => b.name === 'postgres')!.storage();
  } catch (error) {
    report(name, `skipped: no Postgres (${error instanceof Error ? error.message : String(error)})`);
    return;
  }
  const runs: Run[] = [];
  try {
    const env = {
      SWITCHBOARD_DATABASE_URL: storage.options.databaseUrl!,
      SWITCHBOARD_REDIS_URL: REDIS_URL,
      SWITCHBOARD_CLUSTER: `bench-${process.pid}`,
      // Hubs sharing one database share the key its token-signing key is wrapped with.
      SWITCHBOARD_TOKEN_WRAP_KEY: randomBytes(32).toString('base64'),
    };
    // Request logs off (warn): 100 pushes a second would otherwise log 200 lines a second per hub.
    for (let i = 0; i < HUBS; i++) runs.push(runHub(['--port', '0', '--mqtt-url', MQTT_URL, '--demo', '--log-level', 'warn'], env));
    const urls: string[] = [];
    for (const run of runs) urls.push((await waitForOutput(run, /hub listening on (http:\/\/\S+)/, 120_000))[1]!);

    const rate = await pushNotesToConsoles(urls, `${name}, ${SOCKETS} sockets`);
    reportRatio(name, rate, floor);
  } finally {
    for (const run of runs) {
      run.child.kill('SIGTERM');
      await run.exited;
    }
    await storage.dispose();
  }
}
