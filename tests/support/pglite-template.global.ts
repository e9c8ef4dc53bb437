/**
 * Vitest global set-up: one migrated embedded-PGlite data dir for the whole run. Creating a PGlite
 * cluster (initdb in WebAssembly) costs about 5 s on this kind of machine, each time; a test hub on
 * PGlite starts from a copy of this one instead (pglite-template.ts), and the hub's own migration
 * then finds nothing to do. What a hub does on a truly empty dir is still tested where that is the point.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/hub/db/connect';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-pglite-template-'));
  const database = await openDatabase({ dataDir: dir });
  await database.close();
  project.provide('pgliteTemplate', join(dir, 'pgdata'));
  return () => rm(dir, { recursive: true, force: true });
}
