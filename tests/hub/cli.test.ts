/** `npm run hub` as a real process: what it prints, how it fails, how it stops. */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runHub, waitForOutput, type Run } from './processes';
import { pgliteDataDir } from '../support/pglite-template';

const DEFAULT_MQTT_PORT = 1883;

/** Holds a port so the hub finds it taken; when someone else (Mosquitto) already has it, nothing to do. */
async function holdPort(port: number): Promise<Server | null> {
  const server = createServer();
  return new Promise((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? done(null) : fail(error)));
    server.listen(port, '127.0.0.1', () => done(server));
  });
}

describe('hub command line', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A data dir; `migrated`: holding the run's migrated PGlite template (the first test starts on a bare one, as a new install does). */
  async function tempDir(migrated = false) {
    const dir = migrated ? await pgliteDataDir('switchboard-cli-') : await mkdtemp(join(tmpdir(), 'switchboard-cli-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  function track(run: Run): Run {
    cleanups.push(async () => {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      await run.exited;
    });
    return run;
  }

  it('prints its real ports, serves, falls back from a taken default MQTT port and stops cleanly on SIGTERM', async () => {
    const held = await holdPort(DEFAULT_MQTT_PORT);
    if (held) cleanups.push(() => new Promise((r) => held.close(r)));
    const run = track(runHub(['--port', '0', '--data-dir', await tempDir()]));
    // A bare data dir: the hub creates its database first (seconds of initdb on a busy machine).
    const [, hubUrl] = await waitForOutput(run, /^hub listening on (http:\/\/127\.0\.0\.1:\d+)$/m, 55_000);
    const [, mqttPort] = await waitForOutput(run, /^mqtt listening on mqtt:\/\/127\.0\.0\.1:(\d+)$/m);
    expect(Number(mqttPort)).not.toBe(DEFAULT_MQTT_PORT);
    expect(run.output()).toContain(`default port ${DEFAULT_MQTT_PORT} is taken`);
    expect(await (await fetch(`${hubUrl}/health`)).json()).toMatchObject({ status: 'ok', db: { backend: 'pglite', ok: true }, mqtt: { connected: true } });
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('hub stopping (SIGTERM)');
  });

  it('fails with a clear message when an explicitly requested port is taken', async () => {
    const held = await holdPort(0);
    cleanups.push(() => new Promise((r) => held!.close(r)));
    const port = (held!.address() as { port: number }).port;
    const run = track(runHub(['--mqtt-port', '0', '--data-dir', await tempDir(true)], { SWITCHBOARD_HUB_PORT: String(port) }));
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`hub failed to start: hub: port ${port} is already in use`);
  });

  it('refuses a bad configuration before touching anything', async () => {
    const run = track(runHub(['--port', 'eighty']));
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/hub failed to start: invalid hub configuration[\s\S]*port/);
  });
});
