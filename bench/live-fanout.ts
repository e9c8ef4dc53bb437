/**
 * Live fan-out: 500 consoles connected to one hub, 100 events a second for
 * five seconds after a one-second warm-up (internal notes pushed by a
 * supervisor), measuring the delay from sending each change to its arrival
 * on each socket (so it includes the hub applying the push, then the
 * fan-out).
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
import { RATE, SECONDS, SOCKETS, pushNotesToConsoles } from './fanout-harness';
import { report } from './stats';

export async function benchLiveFanout(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-live-'));
  const hub = await startHub({ dataDir: dir, port: 0, mqttPort: 0, smtpPort: 0, demo: true, logLevel: 'silent' });
  try {
    let utilization = Number.NaN;
    await pushNotesToConsoles([hub.url], { delivery: `live: ${RATE} events/s to ${SOCKETS} sockets for ${SECONDS} s`, answered: 'live: pushes answered by the hub' }, () => {
      const busy = performance.eventLoopUtilization();
      return () => (utilization = performance.eventLoopUtilization(busy).utilization);
    });
    // Near 100 %, the hub's one thread is the bottleneck: events queue behind each other whatever the network does.
    report('live: hub thread busy while pushed to', `${Math.round(utilization * 100)} %`);
  } finally {
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  }
}
