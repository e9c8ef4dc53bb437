/**
 * Device alert to console: from publishing the reading that crosses a device
 * rule (MQTT, QoS 1) until the case it opens is in an agent's console cache
 * (the core's `cases:changed`, after the live event is applied). Each trial
 * solves the case from the console, so the next one opens a fresh case; the
 * first two are not timed (a hub's first firing compiles its code). The
 * hub runs in its own process with its embedded broker, as on a real network.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import mqtt from 'mqtt';
import { demoDeviceToken } from '../src/hub/demo/dataset';
import { createConsoleCore } from '../src/main/core';
import type { CaseView, SyncStatus } from '../src/shared/api';
import { coreCaller, startDemoHubProcess } from './console-hub';
import { ms, report, summarize } from './stats';

const TRIALS = 20;
/** Cases opened before the timed ones: a hub's first firing compiles the rules path; a hub runs for days. */
const WARM_UP = 2;
const DEVICE = 'car-0001';

export async function benchDeviceAlert(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-alert-'));
  const hub = await startDemoHubProcess(join(dir, 'hub'));
  const core = await createConsoleCore({ dataDir: join(dir, 'console'), hubUrl: hub.url, resyncIntervalMs: 3_600_000 });
  const call = coreCaller(core);
  const device = await mqtt.connectAsync(hub.mqttUrl, { reconnectPeriod: 0, username: DEVICE, password: demoDeviceToken(DEVICE) });
  const publish = (value: number) =>
    device.publishAsync(`devices/${DEVICE}/telemetry`, JSON.stringify({ metric: 'engine_temp', value, ts: new Date().toISOString() }), { qos: 1 });
  try {
    await call('session.login', { username: 'ana', password: 'demo' });
    while ((await call<SyncStatus>('sync.status', {})).connection !== 'online') await new Promise((r) => setTimeout(r, 20));

    const known = new Set((await call<{ items: { id: string }[] }>('cases.list', { limit: 10_000 })).items.map((i) => i.id));
    const arrivals: { at: number; ids: string[] }[] = [];
    core.events.on('cases:changed', ({ ids }) => arrivals.push({ at: performance.now(), ids }));

    const samples: number[] = [];
    for (let trial = 0; trial < WARM_UP + TRIALS; trial++) {
      await publish(112);
      await publish(113);
      arrivals.length = 0;
      const sent = performance.now();
      await publish(115);
      const opened = await firstNewDeviceCase(arrivals, known, (id) => call<CaseView | null>('cases.get', { id }));
      if (trial >= WARM_UP) samples.push(opened.at - sent);
      known.add(opened.id);
      // Solved, the rule may open the next case for this device.
      await call('cases.update', { id: opened.id, fields: { status: 'solved' } });
      while ((await call<SyncStatus>('sync.now', {})).pending > 0);
    }
    const { p50, p95, p99, max } = summarize(samples);
    report(`device alert → agent's console (${TRIALS} cases)`, `p50 ${ms(p50)}, p95 ${ms(p95)}, p99 ${ms(p99)}, max ${ms(max)}`, {
      ok: p50 < 10 && p99 < 50 && max < 1_000,
      text: 'p50 < 10 ms, p99 < 50 ms, every one < 1 s',
    });
  } finally {
    await device.endAsync();
    await core.close();
    await hub.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The first arrival that carries a case of the device the console did not have before. */
async function firstNewDeviceCase(
  arrivals: { at: number; ids: string[] }[],
  known: Set<string>,
  get: (id: string) => Promise<CaseView | null>,
): Promise<{ id: string; at: number }> {
  const until = performance.now() + 30_000;
  for (let checked = 0; performance.now() < until; ) {
    for (; checked < arrivals.length; checked++) {
      const { at, ids } = arrivals[checked]!;
      for (const id of ids.filter((i) => !known.has(i))) if ((await get(id))?.case.deviceId === DEVICE) return { id, at };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`no case for ${DEVICE} reached the console within 30 s`);
}
