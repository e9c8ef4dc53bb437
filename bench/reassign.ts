/**
 * Bulk reassignment: a supervisor moves 1,000 cases at once (one
 * `cases.reassign`, one transaction on the hub) while 50 consoles are
 * connected — agents who lose the cases, agents who gain them, supervisors
 * who see them change.
 *
 * The target's figure: each console on its own machine, as consoles are. ONE
 * real console core in a process of its own (bench/reassign-console.ts: its
 * encrypted cache, its socket, its sync), signed in as the agent who gains
 * the cases — the one with the most to apply — beside the other 49 consoles'
 * live sockets in another process (bench/reassign-sockets.ts). Timed from the
 * call until the real console's cache holds the move and every socket's
 * `cases:batch` events have named every case; the real cache is checked
 * afterwards.
 *
 * Printed before it, without a target: the same move applied by 50 console
 * cores in ONE Node process (this one) — 50 caches taking turns on one
 * thread, which no deployment has.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createConsoleCore, type ConsoleCore } from '../src/main/core';
import type { QueueItem, SyncStatus } from '../src/shared/api';
import type { Queue, User } from '../src/shared/domain';
import type { ReassignResponse } from '../src/shared/protocol';
import { casesChangedAll, coreCaller, signInAndSync, startDemoHubProcess } from './console-hub';
import { loginAs, poster } from './http';
import { ms, report, summarize } from './stats';

const CASES = 1_000;
/** Who the 50 consoles belong to: Social agents lose the cases, Billing agents gain them, supervisors see every change. */
const CONSOLES = ['ana', 'dewi', 'ivan', 'jon', 'sam'].flatMap((username) => Array.from({ length: 10 }, () => username));

export async function benchReassign(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-reassign-'));
  const hub = await startDemoHubProcess(join(dir, 'hub'));
  const cores: ConsoleCore[] = [];
  const open = async (name: string, username: string) => {
    const core = await createConsoleCore({ dataDir: join(dir, name), hubUrl: hub.url, resyncIntervalMs: 3_600_000 });
    cores.push(core);
    await signInAndSync(core, username);
    return { core, call: coreCaller(core) };
  };
  try {
    const supervisor = await open('supervisor', 'sam');
    const queues = await supervisor.call<Queue[]>('queues.list', {});
    const [social, billing] = [queues.find((q) => q.name === 'Social')!.id, queues.find((q) => q.name === 'Billing')!.id];
    const ivan = (await supervisor.call<User[]>('users.list', {})).find((u) => u.username === 'ivan')!.id;
    const ids: string[] = [];
    for (let i = 0; i < CASES; i++) ids.push((await supervisor.call<QueueItem>('cases.create', { subject: `Storm about the X200 #${i}`, channel: 'x', queueId: social })).id);
    while ((await supervisor.call<SyncStatus>('sync.now', {})).pending > 0);

    // One after another: 50 sign-ins at once from one address look like an attack to the hub's login throttle.
    const consoles: Awaited<ReturnType<typeof open>>[] = [];
    for (const [i, username] of CONSOLES.entries()) consoles.push(await open(`console-${i}`, username));
    const moved = new Set(ids);
    const done: number[] = [];
    const watching = consoles.map(({ core }) => casesChangedAll(core, moved).then(() => void done.push(performance.now())));

    const started = performance.now();
    const answer = await supervisor.call<ReassignResponse>('cases.reassign', { caseIds: ids, assigneeId: ivan, queueId: billing, note: 'Storm: yours.' });
    const answered = performance.now() - started;
    await Promise.race([Promise.all(watching), new Promise((_, reject) => setTimeout(() => reject(new Error('not every console saw the move within 60 s')), 60_000))]);
    const samples = done.map((at) => at - started);

    // What each console now holds: gainers see all 1,000 as Ivan's, losers none, supervisors all in Billing.
    for (const [i, { call }] of consoles.entries()) {
      const billed = (await call<{ items: QueueItem[] }>('cases.list', { queueId: billing, limit: 10_000 })).items.filter((c) => moved.has(c.id) && c.assigneeId === ivan).length;
      const stillSocial = (await call<{ items: QueueItem[] }>('cases.list', { queueId: social, limit: 10_000 })).items.filter((c) => moved.has(c.id)).length;
      const expected = CONSOLES[i] === 'ana' || CONSOLES[i] === 'dewi' ? 0 : CASES;
      if (billed !== expected || stillSocial !== 0) throw new Error(`console ${i} (${CONSOLES[i]}) holds ${billed} moved cases in Billing and ${stillSocial} in Social`);
    }
    const { p50, max } = summarize(samples);
    report(
      `bulk reassign ${CASES} cases → ${consoles.length} console cores in ONE process`,
      `hub answered in ${ms(answered)} (moved ${answer.moved}); every console: p50 ${ms(p50)}, last ${ms(max)} (50 caches taking turns on one thread: no target)`,
    );

    // Each console on its own: one real core in its own process (Dewi, who gains the cases back), the other 49 as sockets.
    const dewi = (await supervisor.call<User[]>('users.list', {})).find((u) => u.username === 'dewi')!.id;
    await Promise.all(cores.splice(0).map((core) => core.close()));
    const tokens = new Map<string, string>();
    for (const username of new Set(CONSOLES)) tokens.set(username, await loginAs(hub.url, username));
    const others = [...CONSOLES];
    others.splice(others.indexOf('dewi'), 1);
    await consolesSeeMove(
      { url: hub.url, username: 'dewi', dataDir: join(dir, 'dewi-alone'), check: { queueId: social, assigneeId: dewi } },
      others.map((u) => tokens.get(u)!),
      ids,
      () => poster(hub.url)('/api/cases/reassign', { caseIds: ids, assigneeId: dewi, queueId: social }, tokens.get('sam')),
    );
  } finally {
    await Promise.all(cores.map((core) => core.close()));
    await hub.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

interface Child {
  next<T>(type: string): Promise<T>;
  send(message: object): void;
}

/** A bench child process (tsx), and its messages by type. */
function child(script: string, arg: object): Child {
  const forked = fork(fileURLToPath(new URL(script, import.meta.url)), [JSON.stringify(arg)], { execArgv: ['--import', 'tsx'] });
  return {
    next: <T>(type: string) =>
      new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${script} sent no ${type} within 120 s`)), 120_000);
        const onMessage = (m: { type: string }) => {
          if (m.type !== type) return;
          clearTimeout(timer);
          forked.off('message', onMessage);
          resolve(m as T);
        };
        forked.on('message', onMessage);
        forked.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
      }),
    send: (message) => {
      if (forked.connected) forked.send(message);
    },
  };
}

/**
 * One real console core and `tokens.length` sockets, each in a child process; `move` runs once all watch the
 * ids; prints when the console's cache and every socket had every case change.
 */
async function consolesSeeMove(real: { url: string; username: string; dataDir: string; check: { queueId: string; assigneeId: string } }, tokens: string[], ids: string[], move: () => Promise<Response>): Promise<void> {
  const sockets = child('./reassign-sockets.ts', { url: real.url, tokens });
  const alone = child('./reassign-console.ts', { url: real.url, username: real.username, dataDir: real.dataDir });
  try {
    await Promise.all([sockets.next('ready'), alone.next('ready')]);
    sockets.send({ type: 'watch', ids });
    alone.send({ type: 'watch', ids });
    await Promise.all([sockets.next('watching'), alone.next('watching')]);
    const socketsDone = sockets.next<{ at: number[] }>('done');
    const consoleDone = alone.next<{ at: number }>('done');
    const started = Date.now();
    const response = await move();
    const answered = Date.now() - started;
    if (!response.ok) throw new Error(`reassign: ${response.status} ${await response.text()}`);
    const { moved } = (await response.json()) as ReassignResponse;
    const socketTimes = (await socketsDone).at.map((at) => at - started);
    const consoleTime = (await consoleDone).at - started;
    alone.send({ type: 'check', ids, ...real.check });
    const { holds } = await alone.next<{ holds: number }>('checked');
    if (holds !== ids.length) throw new Error(`the console holds ${holds} of the ${ids.length} moved cases as ${real.username}'s`);
    const { p50, max } = summarize([...socketTimes, consoleTime]);
    const last = Math.max(max, consoleTime);
    report(
      `bulk reassign ${ids.length} cases → 50 consoles, each on its own`,
      `hub answered in ${ms(answered)} (moved ${moved}); a real console (${real.username}, gaining all ${ids.length}) applied it in ${ms(consoleTime)}, the other ${tokens.length} consoles' sockets had every case by p50 ${ms(summarize(socketTimes).p50)}; all 50: p50 ${ms(p50)}, last ${ms(last)}`,
      { ok: last < 1_000, text: 'last console < 1 s' },
    );
  } finally {
    sockets.send({ type: 'close' });
    alone.send({ type: 'close' });
  }
}
