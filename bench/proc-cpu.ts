/**
 * CPU time a process has used, its main thread apart from the others (on the
 * hub: the embedded database's worker, GC helpers, libuv's pool), read from
 * Linux's /proc. Wall-clock rates swing with whatever else the machine runs;
 * the CPU spent per event does much less, so a bench prints both. Elsewhere
 * (no /proc) it answers null and the figure is left out.
 */
import { readdir, readFile } from 'node:fs/promises';

export interface CpuTime {
  mainMs: number;
  otherMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on every Linux Node runs on.

async function threadMs(pid: number, tid: string): Promise<number> {
  const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8');
  // The command name may hold spaces: the fields after it are counted from its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

export async function cpuTime(pid: number | undefined): Promise<CpuTime | null> {
  if (pid === undefined || process.platform !== 'linux') return null;
  try {
    const tids = await readdir(`/proc/${pid}/task`);
    let mainMs = 0;
    let otherMs = 0;
    for (const tid of tids) {
      // A thread may end between the listing and the read.
      const spent = await threadMs(pid, tid).catch(() => 0);
      if (tid === String(pid)) mainMs += spent;
      else otherMs += spent;
    }
    return { mainMs, otherMs };
  } catch {
    return null;
  }
}

/** "main 1.20 + other 0.80 ms per event", from two readings around `count` events. */
export function cpuPerEvent(before: CpuTime | null, after: CpuTime | null, count: number, unit = 'event'): string {
  if (!before || !after || count === 0) return '';
  const main = (after.mainMs - before.mainMs) / count;
  const other = (after.otherMs - before.otherMs) / count;
  return `; hub CPU per ${unit}: main thread ${main.toFixed(2)} ms + other threads ${other.toFixed(2)} ms`;
}
