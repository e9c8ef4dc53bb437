/**
 * Live fan-out: 500 consoles connected to one hub, 100 events a second for
 * five seconds (internal notes pushed by a supervisor), measuring the delay
 * from sending each change to its arrival on each socket (so it includes the
 * hub applying the push, then the fan-out).
 * The hub has this process's main thread to itself, as it would in
 * production; the pusher and the sockets (real socket.io clients, split over
 * two threads) run in worker threads. They all share the machine's cores, so
 * the figures are an upper bound.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { startHub } from '../src/hub/hub';
import type { Case } from '../src/shared/domain';
import { loginAs } from './http';
import { ms, report, summarize } from './stats';

const SOCKETS = 500;
const RATE = 100;
const SECONDS = 5;
/** 500 socket.io clients receiving 50,000 messages a second need more than one thread (~20–30 µs of CPU a message here). */
const CLIENT_THREADS = 2;

/** A worker running a bench module; it registers tsx itself (a worker does not inherit the parent's loader). */
function startWorker(file: string, workerData: unknown): Worker {
  const href = new URL(file, import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(href)}); });`, { eval: true, workerData });
}

function reply<T>(worker: Worker, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string }) => {
      if (m.type !== type) return;
      worker.off('message', onMessage);
      resolve(m as T);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}

export async function benchLiveFanout(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-live-'));
  const hub = await startHub({ dataDir: dir, port: 0, mqttPort: 0, demo: true, logLevel: 'silent' });
  const workers: Worker[] = [];
  try {
    const token = await loginAs(hub.url, 'sam');
    const { cases } = (await (await fetch(new URL('/api/cases?limit=1', hub.url), { headers: { authorization: `Bearer ${token}` } })).json()) as { cases: Case[] };
    const target = cases[0]!;

    const clients = Array.from({ length: CLIENT_THREADS }, (_, i) => {
      const count = Math.floor(SOCKETS / CLIENT_THREADS) + (i < SOCKETS % CLIENT_THREADS ? 1 : 0);
      return startWorker('./fanout-clients.ts', { url: hub.url, token, count });
    });
    workers.push(...clients);
    await Promise.all(clients.map((w) => reply(w, 'ready')));

    const total = RATE * SECONDS;
    const sender = startWorker('./fanout-sender.ts', { url: hub.url, token, caseId: target.id, rate: RATE, count: total });
    workers.push(sender);
    const pushed = reply<{ sentAt: [string, number][]; answeredIn: number[] }>(sender, 'sent');
    sender.postMessage('go');
    const { answeredIn } = await pushed;
    const sentAt = new Map((await pushed).sentAt);

    // Every push has been answered, so every event has been emitted: let the last ones land, then collect.
    await new Promise((r) => setTimeout(r, 3000));
    const arrivals = (
      await Promise.all(
        clients.map((w) => {
          const collected = reply<{ arrivals: [string, number][] }>(w, 'arrivals');
          w.postMessage('collect');
          return collected;
        }),
      )
    ).flatMap((m) => m.arrivals);
    const expected = total * SOCKETS;
    const delays = arrivals.map(([id, at]) => at - sentAt.get(id)!);
    const s = summarize(delays);
    report(
      `live: ${RATE} events/s to ${SOCKETS} sockets for ${SECONDS} s`,
      `delivered ${arrivals.length.toLocaleString('en')}/${expected.toLocaleString('en')}, p50 ${ms(s.p50)}, p99 ${ms(s.p99)}`,
      { ok: arrivals.length === expected && s.p99 < 50, text: 'p99 < 50 ms' },
    );
    // Where the delay starts: a push answered late was applied late, before any fan-out.
    const answered = summarize(answeredIn);
    report('live: pushes answered by the hub', `p50 ${ms(answered.p50)}, p99 ${ms(answered.p99)}`);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  }
}
