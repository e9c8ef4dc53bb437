/**
 * What both fan-out benches share: the consoles' sockets in child processes
 * (bench/fanout-clients.ts; real consoles are other machines, here they are
 * at least other processes) and the arrivals they collect.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Case } from '../src/shared/domain';
import { loginAs, noteMutation, poster } from './http';
import { ms, report, summarize } from './stats';

export const SOCKETS = 500;
/** The rates tried, each for a warm-up second and then STEP_SECONDS, until one is not sustained. */
export const RATES = [10, 15, 20, 30, 40, 60, 80, 120, 160, 200, 240, 280, 320, 400] as const;
export const STEP_SECONDS = 3;
/** Delivery p99 under this, every event on every socket: the rate is sustained. */
export const TARGET_P99_MS = 50;
/** Pushes answered one by one before the sockets connect. */
const WARMUP_PUSHES = 300;
/** 500 sockets receiving 50,000 messages a second need more than one thread. */
const CLIENT_PROCESSES = 2;

/** A worker running a bench module; it registers tsx itself (a worker does not inherit the parent's loader). */
function startWorker(file: string, workerData: unknown): Worker {
  const href = new URL(file, import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(href)}); });`, { eval: true, workerData });
}

function reply<T>(worker: Worker | ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    // Both listeners go once either fires: a process asked many times (a drain per step) keeps none behind.
    const onMessage = (m: { type: string }) => {
      if (m.type !== type) return;
      worker.off('message', onMessage);
      worker.off('error', onError);
      resolve(m as T);
    };
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(error);
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
  });
}

interface Consoles {
  processes: ChildProcess[];
  /** Every arrival since the last drain, [message id, time]; the sockets stay connected. */
  drain(): Promise<[string, number][]>;
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
    async drain() {
      const replies = await Promise.all(
        processes.map((p) => {
          const drained = reply<{ arrivals: [string, number][] }>(p, 'arrivals');
          p.send('drain');
          return drained;
        }),
      );
      return replies.flatMap((m) => m.arrivals);
    },
  };
}

export interface Delivery {
  /** Every measured event reached every socket. */
  complete: boolean;
  delivered: number;
  expected: number;
  p50: number;
  p99: number;
}

/** Delivery from sending to arrival of the measured events (`sentAt`; warm-up events left out). */
export function deliveryOf(arrivals: [string, number][], sentAt: Map<string, number>): Delivery {
  const expected = sentAt.size * SOCKETS;
  const measured = arrivals.filter(([id]) => sentAt.has(id));
  const s = summarize(measured.map(([id, at]) => at - sentAt.get(id)!));
  return { complete: measured.length === expected, delivered: measured.length, expected, p50: s.p50, p99: s.p99 };
}

const sustained = (d: Delivery) => d.complete && d.p99 < TARGET_P99_MS;

/**
 * The highest of RATES a server sustains to SOCKETS sockets (every event delivered, p99 under
 * TARGET_P99_MS), trying them in turn until one is not; each step's figures printed. 0: not even the first.
 */
export async function highestSustainedRate(name: string, step: (rate: number) => Promise<Delivery & { note?: string }>): Promise<number> {
  let best = 0;
  for (const rate of RATES) {
    const d = await step(rate);
    const line = `delivered ${d.delivered.toLocaleString('en')}/${d.expected.toLocaleString('en')}, p50 ${ms(d.p50)}, p99 ${ms(d.p99)}${d.note ? `, ${d.note}` : ''}`;
    report(`${name}: ${rate} events/s`, line, { ok: sustained(d), text: `p99 < ${TARGET_P99_MS} ms, all delivered` });
    if (!sustained(d)) break;
    best = rate;
  }
  report(`${name}: highest rate sustained`, best === 0 ? `none of ${RATES.join(', ')} events/s` : `${best} events/s${best === RATES.at(-1) ? ' (the highest tried)' : ''}`);
  return best;
}

/** The floor's figure, measured once per run: each hub line is set against it. */
let floorRate: Promise<number> | null = null;
export function floorOnce(measure: () => Promise<number>): Promise<number> {
  return (floorRate ??= measure());
}

/** The issue's figure: a hub's sustained rate over the bare floor's, in the same run (target at least 0.5). */
export function reportRatio(name: string, rate: number, floor: number): void {
  const ratio = floor === 0 ? Number.NaN : rate / floor;
  report(`${name}: ratio to the floor`, `${rate} / ${floor} events/s = ${ratio.toFixed(2)}`, { ok: ratio >= 0.5, text: '≥ 0.5' });
}

/**
 * The load the hub benches put on: SOCKETS consoles of a supervisor spread over the hubs, and the supervisor
 * pushing notes to the first hub at each of RATES (from a worker thread, one request each, every one awaited)
 * for a warm-up second and then STEP_SECONDS, until a rate is not sustained. Each step prints delivery from
 * sending to arrival and how fast the pushes were answered (a push answered late was applied late, before
 * any fan-out); `whilePushing` runs when a step's pushes start and its result (a note) when they are answered.
 */
export async function pushNotesToConsoles(urls: string[], name: string, whilePushing?: () => () => string): Promise<number> {
  const token = await loginAs(urls[0]!, 'sam');
  const { cases } = (await (await fetch(new URL('/api/cases?limit=1', urls[0]), { headers: { authorization: `Bearer ${token}` } })).json()) as { cases: Case[] };
  let consoles: Consoles | undefined;
  try {
    // A hub runs for days: its first pushes compile its code and the database's WebAssembly. Warmed up first.
    const post = poster(urls[0]!);
    for (let n = 0; n < WARMUP_PUSHES; n++) {
      const r = await post('/api/sync/push', { mutations: [noteMutation(cases[0]!.id, `warm-up ${n}`)] }, token);
      if (!r.ok) throw new Error(`warm-up push: ${r.status} ${await r.text()}`);
      await r.text();
    }
    consoles = await connectConsoles(urls, token);
    const connected = consoles;
    return await highestSustainedRate(name, async (rate) => {
      const sender = startWorker('./fanout-sender.ts', { url: urls[0], token, caseId: cases[0]!.id, rate, count: rate * STEP_SECONDS, warmup: rate });
      try {
        const pushed = reply<{ sentAt: [string, number][]; answeredIn: number[] }>(sender, 'sent');
        const done = whilePushing?.();
        sender.postMessage('go');
        const { sentAt, answeredIn } = await pushed;
        const busy = done?.();
        // Every push has been answered, so every event has been emitted: let the last ones land, then read them.
        await new Promise((r) => setTimeout(r, 1000));
        const answered = summarize(answeredIn);
        return { ...deliveryOf(await connected.drain(), new Map(sentAt)), note: `pushes answered p99 ${ms(answered.p99)}${busy ? `, ${busy}` : ''}` };
      } finally {
        await sender.terminate();
      }
    });
  } finally {
    for (const p of consoles?.processes ?? []) p.kill();
  }
}
