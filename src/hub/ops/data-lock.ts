/**
 * An embedded database belongs to one process at a time. The hub marks its
 * data dir with its pid while it runs; backup and restore refuse to touch a
 * dir whose hub is alive.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'hub.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of a live hub using this dir, or null. A stale mark from a crashed hub counts as free. */
export function hubUsing(dataDir: string): number | null {
  const file = join(dataDir, LOCK_FILE);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8'));
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
}

/** Marks the dir as used by this process; the returned function releases it. */
export function claimDataDir(dataDir: string): () => void {
  const owner = hubUsing(dataDir);
  // Tests run several hubs in one process on different dirs; the same pid may reclaim after a close.
  if (owner !== null && owner !== process.pid) throw new Error(`the data dir ${dataDir} is in use by a running hub (pid ${owner})`);
  const file = join(dataDir, LOCK_FILE);
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}
