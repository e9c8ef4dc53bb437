/**
 * Bulk reassignment: a supervisor moves 1,000 cases at once (one
 * `cases.reassign`, one transaction on the hub) from the Social queue to Ivan
 * in Billing, while 50 console cores are connected — agents who lose the
 * cases, agents who gain them, supervisors who see them change. Timed from the
 * call until each console's cache holds the change (its `cases:changed` has
 * named every moved case); the caches are checked afterwards.
 *
 * Then the same 50 consoles as bare sockets (bench/reassign-sockets.ts, in a
 * process of their own, as consoles are other machines): the 1,000 cases
 * move back to Social, to Dewi, timed until every socket's `cases:batch`
 * events have named every case (arrived or left its scope). The first figure
 * holds 50 console caches applying the move on this one Node thread; the
 * second is what the hub delivers to 50 consoles.
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
import { coreCaller, startDemoHubProcess } from './console-hub';
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
    const call = coreCaller(core);
    await call('session.login', { username, password: 'demo' });
    while ((await call<SyncStatus>('sync.status', {})).connection !== 'online' || (await call<SyncStatus>('sync.status', {})).syncing) await new Promise((r) => setTimeout(r, 20));
    return { core, call };
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
    const watching = consoles.map(({ core }) => {
      const seen = new Set<string>();
      return new Promise<void>((resolve) => {
        const off = core.events.on('cases:changed', ({ ids: changed }) => {
          // No ids: "reload everything" (a burst too big to list).
          for (const id of changed.length === 0 ? moved : changed) if (moved.has(id)) seen.add(id);
          if (seen.size < moved.size) return;
          done.push(performance.now());
          off();
          resolve();
        });
      });
    });

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
      `bulk reassign ${CASES} cases → ${consoles.length} consoles`,
      `hub answered in ${ms(answered)} (moved ${answer.moved}); every console: p50 ${ms(p50)}, last ${ms(max)}`,
      { ok: max < 1_000, text: 'last console < 1 s' },
    );

    // The consoles' sockets alone: the cores go (their apply would share this thread with nothing to measure).
    const dewi = (await supervisor.call<User[]>('users.list', {})).find((u) => u.username === 'dewi')!.id;
    await Promise.all(cores.splice(0).map((core) => core.close()));
    const tokens = new Map<string, string>();
    for (const username of new Set(CONSOLES)) tokens.set(username, await loginAs(hub.url, username));
    await socketsSeeMove(hub.url, CONSOLES.map((u) => tokens.get(u)!), ids, () => poster(hub.url)('/api/cases/reassign', { caseIds: ids, assigneeId: dewi, queueId: social }, tokens.get('sam')));
  } finally {
    await Promise.all(cores.map((core) => core.close()));
    await hub.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** 50 sockets in a child process; `move` runs once they watch the ids; prints when each had seen every case change. */
async function socketsSeeMove(url: string, tokens: string[], ids: string[], move: () => Promise<Response>): Promise<void> {
  const child = fork(fileURLToPath(new URL('./reassign-sockets.ts', import.meta.url)), [JSON.stringify({ url, tokens })], { execArgv: ['--import', 'tsx'] });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the sockets' process sent no ${type} within 60 s`)), 60_000);
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(m as T);
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`the sockets' process exited with ${code}`)));
    });
  try {
    await next('ready');
    child.send({ type: 'watch', ids });
    await next('watching');
    const done = next<{ at: number[] }>('done');
    const started = Date.now();
    const response = await move();
    const answered = Date.now() - started;
    if (!response.ok) throw new Error(`reassign: ${response.status} ${await response.text()}`);
    const { moved } = (await response.json()) as ReassignResponse;
    const samples = (await done).at.map((at) => at - started);
    const { p50, max } = summarize(samples);
    report(
      `bulk reassign ${ids.length} cases → ${tokens.length} consoles' sockets`,
      `hub answered in ${ms(answered)} (moved ${moved}); every socket had every case: p50 ${ms(p50)}, last ${ms(max)}`,
      { ok: max < 1_000, text: 'last console < 1 s' },
    );
  } finally {
    if (child.connected) child.send({ type: 'close' });
  }
}
