/**
 * What both fan-out benches share: the consoles' sockets in child processes
 * (bench/fanout-clients.ts; real consoles are other machines, here they are
 * at least other processes) and the arrivals they collect.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Case } from '../src/shared/domain';
import { loginAs } from './http';
import { ms, report, summarize } from './stats';

export const SOCKETS = 500;
export const RATE = 100;
export const SECONDS = 5;
/** Sent first on the same schedule and left out of the figures: the first second runs on code V8 has not optimised yet. */
export const WARMUP_EVENTS = RATE;
/** 500 sockets receiving 50,000 messages a second need more than one thread. */
const CLIENT_PROCESSES = 2;

/** A worker running a bench module; it registers tsx itself (a worker does not inherit the parent's loader). */
function startWorker(file: string, workerData: unknown): Worker {
  const href = new URL(file, import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(href)}); });`, { eval: true, workerData });
}

function reply<T>(worker: Worker | ChildProcess, type: string): Promise<T> {
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

interface Consoles {
  processes: ChildProcess[];
  /** Closes the sockets and returns every arrival: [message id, time]. */
  collect(): Promise<[string, number][]>;
}

/** SOCKETS sockets of one user, connected and in their rooms when this resolves; spread over the hubs given. */
export async function connectConsoles(urls: string | string[], token: string): Promise<Consoles> {
  const hubs = typeof urls === 'string' ? [urls] : urls;
  const script = fileURLToPath(new URL('./fanout-clients.ts', import.meta.url));
  const processes = Array.from({ length: CLIENT_PROCESSES }, (_, i) => {
    const count = Math.floor(SOCKETS / CLIENT_PROCESSES) + (i < SOCKETS % CLIENT_PROCESSES ? 1 : 0);
    return fork(script, [JSON.stringify({ url: hubs[i % hubs.length], token, count })], { execArgv: ['--import', 'tsx'] });
  });
  await Promise.all(processes.map((p) => reply(p, 'ready')));
  return {
    processes,
    async collect() {
      const replies = await Promise.all(
        processes.map((p) => {
          const collected = reply<{ arrivals: [string, number][] }>(p, 'arrivals');
          p.send('collect');
          return collected;
        }),
      );
      return replies.flatMap((m) => m.arrivals);
    },
  };
}

/** Prints delivery against the target: every measured event on every socket, p99 under 50 ms (warm-up events left out). */
export function reportDelivery(name: string, arrivals: [string, number][], sentAt: Map<string, number>, events: number): void {
  const expected = events * SOCKETS;
  const measured = arrivals.filter(([id]) => sentAt.has(id));
  const s = summarize(measured.map(([id, at]) => at - sentAt.get(id)!));
  report(name, `delivered ${measured.length.toLocaleString('en')}/${expected.toLocaleString('en')}, p50 ${ms(s.p50)}, p99 ${ms(s.p99)}`, {
    ok: measured.length === expected && s.p99 < 50,
    text: 'p99 < 50 ms',
  });
}

/**
 * The load both hub benches put on: SOCKETS consoles of a supervisor spread
 * over the hubs, and the supervisor pushing RATE notes a second to the first
 * hub (from a worker thread, one request each, every one awaited) for a warm-up
 * and then SECONDS. Prints delivery from sending to arrival, and how fast the
 * pushes were answered (a push answered late was applied late, before any
 * fan-out). `whilePushing` runs when the pushes start and its result when
 * they have all been answered.
 */
export async function pushNotesToConsoles(urls: string[], names: { delivery: string; answered: string }, whilePushing?: () => () => void): Promise<void> {
  const token = await loginAs(urls[0]!, 'sam');
  const { cases } = (await (await fetch(new URL('/api/cases?limit=1', urls[0]), { headers: { authorization: `Bearer ${token}` } })).json()) as { cases: Case[] };
  let consoles: Consoles | undefined;
  let sender: Worker | undefined;
  try {
    consoles = await connectConsoles(urls, token);
    const total = RATE * SECONDS;
    sender = startWorker('./fanout-sender.ts', { url: urls[0], token, caseId: cases[0]!.id, rate: RATE, count: total, warmup: WARMUP_EVENTS });
    const pushed = reply<{ sentAt: [string, number][]; answeredIn: number[] }>(sender, 'sent');
    const done = whilePushing?.();
    sender.postMessage('go');
    const { sentAt, answeredIn } = await pushed;
    done?.();
    // Every push has been answered, so every event has been emitted: let the last ones land, then collect.
    await new Promise((r) => setTimeout(r, 3000));
    reportDelivery(names.delivery, await consoles.collect(), new Map(sentAt), total);
    const answered = summarize(answeredIn);
    report(names.answered, `p50 ${ms(answered.p50)}, p99 ${ms(answered.p99)}`);
  } finally {
    await sender?.terminate();
    for (const p of consoles?.processes ?? []) p.kill();
  }
}
