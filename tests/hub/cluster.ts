/**
 * Hubs as a cluster: demo hub processes on ephemeral ports sharing the running
 * Postgres (a database of their own), Redis and Mosquitto, as the
 * architecture's scale-out runs them. `use()` in a describe block starts them
 * before its tests and stops them after.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { backends } from './backends';
import { runHub, waitForOutput, type Run } from './processes';

export const REDIS_URL = process.env.SWITCHBOARD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const MQTT_URL = process.env.SWITCHBOARD_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

export interface Cluster {
  hubs: { run: Run; url: string }[];
  databaseUrl(): string;
}

export function useCluster(size = 2, name = 'test'): Cluster {
  const cluster = `${name}-${process.pid}-${Date.now().toString(36)}`;
  // Hubs sharing one database share the key its token-signing key is wrapped with.
  const wrapKey = randomBytes(32).toString('base64');
  let storage: Awaited<ReturnType<(typeof backends)[number]['storage']>> | undefined;
  const hubs: Cluster['hubs'] = [];

  beforeAll(async () => {
    storage = await backends.find((b) => b.name === 'postgres')!.storage();
    for (let i = 0; i < size; i++) {
      const run = runHub(['--port', '0', '--mqtt-url', MQTT_URL, '--demo'], {
        SWITCHBOARD_DATABASE_URL: storage.options.databaseUrl!,
        SWITCHBOARD_REDIS_URL: REDIS_URL,
        SWITCHBOARD_CLUSTER: cluster,
        SWITCHBOARD_TOKEN_WRAP_KEY: wrapKey,
      });
      hubs.push({ run, url: '' });
      const [, url] = await waitForOutput(run, /hub listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
      hubs[i]!.url = url!;
    }
  }, 120_000);

  afterAll(async () => {
    for (const { run } of hubs) {
      run.child.kill('SIGTERM');
      await run.exited;
    }
    await storage?.dispose();
  });

  return { hubs, databaseUrl: () => storage!.options.databaseUrl! };
}
