/**
 * Live fan-out: 500 consoles connected to one hub, internal notes pushed by a
 * supervisor at each rate in turn (a warm-up second, then three), measuring
 * the delay from sending each change to its arrival on each socket (so it
 * includes the hub applying the push, then the fan-out); the highest rate
 * sustained is set against the bare floor's in the same run.
 * The hub has this process's main thread to itself, as it would in
 * production; the pusher runs in a worker thread, the sockets in two child
 * processes. They all share the machine's cores (see bench/fanout-floor.ts
 * for what the machine can do with no hub at all).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startHub } from '../src/hub/hub';
import { fanoutFloorRate } from './fanout-floor';
import { pushNotesToConsoles, reportRatio, SOCKETS } from './fanout-harness';

export async function benchLiveFanout(): Promise<void> {
  const floor = await fanoutFloorRate();
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-live-'));
  const hub = await startHub({ dataDir: dir, port: 0, mqttPort: 0, smtpPort: 0, demo: true, logLevel: 'silent' });
  try {
    const name = `live: one hub, ${SOCKETS} sockets`;
    const rate = await pushNotesToConsoles([hub.url], name, () => {
      const busy = performance.eventLoopUtilization();
      // Near 100 %, the hub's one thread is the bottleneck: events queue behind each other whatever the network does.
      return () => `hub thread busy ${Math.round(performance.eventLoopUtilization(busy).utilization * 100)} %`;
    });
    reportRatio(name, rate, floor);
  } finally {
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  }
}
