/**
 * Starts one of the core's worker threads. Built (electron-vite's `main`
 * inputs), its file is a .js beside this bundle's chunks; from source it is
 * the .ts, which the thread loads through tsx registered in it (a worker does
 * not apply the parent's `--import tsx` to its entry).
 */
import { setPriority } from 'node:os';
import { type TransferListItem, Worker } from 'node:worker_threads';

export interface ThreadFile {
  /** The entry from source, beside this file. */
  source: string;
  /** Its name once built (electron.vite.config.ts). */
  built: string;
}

export function startThread(file: ThreadFile, workerData: unknown, transferList: TransferListItem[] = []): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(file.built, import.meta.url), { workerData, transferList });
  const entry = new URL(file.source, import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData, transferList });
}

/** A nice value for bulk work: below everything that answers a user, above nothing else the machine runs. */
const BACKGROUND_NICE = 10;

/**
 * Lowers the calling thread's scheduling priority, for a thread of bulk work
 * (the pull thread): on a machine of few cores the threads that answer the
 * user then get a core first. Only on Linux, where setpriority applies to the
 * calling thread alone; elsewhere it would lower the whole process, so nothing
 * changes there. Answers whether it was lowered.
 */
export function runInBackground(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    setPriority(BACKGROUND_NICE);
    return true;
  } catch {
    // A sandbox may refuse; the thread then simply runs as before.
    return false;
  }
}
