/**
 * Starts one of the core's worker threads. Built (electron-vite's `main`
 * inputs), its file is a .js beside this bundle's chunks; from source it is
 * the .ts, which the thread loads through tsx registered in it (a worker does
 * not apply the parent's `--import tsx` to its entry).
 */
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
