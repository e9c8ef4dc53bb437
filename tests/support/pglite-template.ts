/**
 * Test hubs on embedded PGlite start from a copy of the run's migrated template
 * (pglite-template.global.ts) rather than creating a cluster each: seconds per hub.
 * Outside a run that provides the template, the dir is left empty and the hub creates it.
 */
import { cpSync, existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';

/** Puts a migrated PGlite cluster where a hub with `dataDir` looks for it, unless one is there. */
export async function seedPglite(dataDir: string): Promise<void> {
  const template = inject('pgliteTemplate');
  const target = join(dataDir, 'pgdata');
  if (!template || existsSync(target)) return;
  // The synchronous copy: fs.promises.cp copies file by file through the event loop, five times slower (~0.5 s a hub).
  cpSync(template, target, { recursive: true });
}

/** A new temporary hub data dir holding a migrated PGlite cluster. */
export async function pgliteDataDir(prefix = 'switchboard-hub-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await seedPglite(dir);
  return dir;
}
