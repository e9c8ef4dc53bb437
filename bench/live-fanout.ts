/**
 * Live fan-out: 500 consoles connected to one hub, 100 events a second for
 * five seconds (internal notes pushed by a supervisor), measuring the delay
 * from sending each change to its arrival on each socket (so it includes the
 * hub applying the push, then the fan-out).
 * Hub and sockets share this process and its two cores, so the figures are
 * an upper bound.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { uuidv7 } from 'uuidv7';
import { startHub } from '../src/hub/hub';
import type { Case } from '../src/shared/domain';
import { loginAs, poster } from './http';
import { ms, report, summarize } from './stats';

const SOCKETS = 500;
const RATE = 100;
const SECONDS = 5;

export async function benchLiveFanout(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-live-'));
  const hub = await startHub({ dataDir: dir, port: 0, mqttPort: 0, demo: true, logLevel: 'silent' });
  try {
    const post = poster(hub.url);
    const token = await loginAs(hub.url, 'sam');
    const { cases } = (await (await fetch(new URL('/api/cases?limit=1', hub.url), { headers: { authorization: `Bearer ${token}` } })).json()) as { cases: Case[] };
    const target = cases[0]!;

    const sentAt = new Map<string, number>();
    // The worker registers tsx itself: a worker does not inherit the parent's loader.
    const clients = new URL('./fanout-clients.ts', import.meta.url).href;
    const worker = new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(clients)}); });`, {
      eval: true,
      workerData: { url: hub.url, token, count: SOCKETS },
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });

    const total = RATE * SECONDS;
    const start = Date.now();
    for (let n = 0; n < total; n++) {
      const due = start + (n * 1000) / RATE;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      const id = uuidv7();
      sentAt.set(id, Date.now());
      void post(
        '/api/sync/push',
        { mutations: [{ id, kind: 'case.note', entityId: target.id, baseVersion: 0, createdAt: new Date().toISOString(), payload: { body: `fan-out ${n}` } }] },
        token,
      );
    }
    const expected = total * SOCKETS;
    // Let the last events land, then collect what each socket saw.
    await new Promise((r) => setTimeout(r, 3000));
    const arrivals = await new Promise<[string, number][]>((resolve) => {
      worker.on('message', (m: { type: string; arrivals?: [string, number][] }) => m.type === 'arrivals' && resolve(m.arrivals!));
      worker.postMessage('collect');
    });
    await worker.terminate();
    const received = arrivals.length;
    const delays = arrivals.map(([id, at]) => at - sentAt.get(id)!);
    const s = summarize(delays);
    report(
      `live: ${RATE} events/s to ${SOCKETS} sockets for ${SECONDS} s`,
      `delivered ${received.toLocaleString('en')}/${expected.toLocaleString('en')}, p50 ${ms(s.p50)}, p99 ${ms(s.p99)}`,
      { ok: received === expected && s.p99 < 50, text: 'p99 < 50 ms' },
    );
  } finally {
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  }
}
