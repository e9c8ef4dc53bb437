/**
 * Backup and restore of the embedded database: one gzip'd tarball of the
 * PGlite data dir. Both need the hub stopped (see data-lock). With Postgres,
 * use pg_dump / pg_restore instead.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../db/connect';
import { hubUsing } from './data-lock';

const pgdata = (dataDir: string) => join(dataDir, 'pgdata');

function refuseWhileRunning(dataDir: string): void {
  const pid = hubUsing(dataDir);
  if (pid !== null) throw new Error(`stop the hub first: pid ${pid} is using ${dataDir}`);
}

export async function backupEmbedded(dataDir: string, outFile: string): Promise<{ bytes: number }> {
  refuseWhileRunning(dataDir);
  if (!existsSync(pgdata(dataDir))) throw new Error(`no embedded database in ${dataDir}`);
  const db = await PGlite.create(pgdata(dataDir));
  try {
    const archive = await db.dumpDataDir('gzip');
    const bytes = Buffer.from(await archive.arrayBuffer());
    await writeFile(outFile, bytes);
    return { bytes: bytes.length };
  } finally {
    await db.close();
  }
}

/** Restores into dataDir; an existing database there is kept aside as pgdata.before-restore-<time>. */
export async function restoreEmbedded(dataDir: string, fromFile: string): Promise<{ keptAside: string | null }> {
  refuseWhileRunning(dataDir);
  const archive = new Blob([await readFile(fromFile)]);
  mkdirSync(dataDir, { recursive: true });
  let keptAside: string | null = null;
  if (existsSync(pgdata(dataDir))) {
    keptAside = `${pgdata(dataDir)}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(pgdata(dataDir), keptAside);
  }
  const db = await PGlite.create(pgdata(dataDir), { loadDataDir: archive });
  await db.close();
  // Opening it as the hub does proves the archive is a database this hub can use (and migrates it).
  const check = await openDatabase({ dataDir });
  await check.close();
  return { keptAside };
}
