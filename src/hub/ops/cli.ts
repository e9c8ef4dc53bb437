/** `npm run hub:backup -- --data-dir DIR --out FILE` and `npm run hub:restore -- --data-dir DIR --from FILE`. */
import { parseArgs } from 'node:util';
import { defaultHubDataDir } from '../config';
import { backupEmbedded, restoreEmbedded } from './backup';

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({
    args: rest,
    options: { 'data-dir': { type: 'string' }, out: { type: 'string' }, from: { type: 'string' } },
    strict: true,
  });
  const dataDir = values['data-dir'] ?? process.env.SWITCHBOARD_DATA_DIR ?? defaultHubDataDir();
  if (command === 'backup') {
    const out = values.out ?? `switchboard-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.tar.gz`;
    const { bytes } = await backupEmbedded(dataDir, out);
    console.log(`backup of ${dataDir} written to ${out} (${bytes} bytes)`);
  } else if (command === 'restore') {
    if (!values.from) throw new Error('--from FILE is required');
    const { keptAside } = await restoreEmbedded(dataDir, values.from);
    console.log(`restored ${values.from} into ${dataDir}${keptAside ? `; the previous database is kept at ${keptAside}` : ''}`);
  } else {
    throw new Error('usage: backup --data-dir DIR [--out FILE] | restore --data-dir DIR --from FILE');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
