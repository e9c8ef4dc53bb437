/** `npm run hub:backup -- --data-dir DIR --out FILE` and `npm run hub:restore -- --data-dir DIR --from FILE`. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TOKEN_WRAP_KEY_FILE, TOKEN_WRAP_KEY_VARIABLE } from '../auth/token-key';
import { defaultHubDataDir } from '../config';
import { backupEmbedded, restoreEmbedded } from './backup';

const wrapKeyWhere = (dataDir: string) => (process.env[TOKEN_WRAP_KEY_VARIABLE] ? TOKEN_WRAP_KEY_VARIABLE : join(dataDir, TOKEN_WRAP_KEY_FILE));

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
    console.log(`it holds the token-signing key wrapped, not the wrap key (${wrapKeyWhere(dataDir)}): keep that apart from the backup; a restore on another machine needs it`);
  } else if (command === 'restore') {
    if (!values.from) throw new Error('--from FILE is required');
    const { keptAside } = await restoreEmbedded(dataDir, values.from);
    console.log(`restored ${values.from} into ${dataDir}${keptAside ? `; the previous database is kept at ${keptAside}` : ''}`);
    if (!process.env[TOKEN_WRAP_KEY_VARIABLE] && !existsSync(join(dataDir, TOKEN_WRAP_KEY_FILE))) {
      console.log(`before starting the hub, bring the backed-up hub's wrap key: its ${TOKEN_WRAP_KEY_FILE} into ${dataDir}, or ${TOKEN_WRAP_KEY_VARIABLE}`);
    }
  } else {
    throw new Error('usage: backup --data-dir DIR [--out FILE] | restore --data-dir DIR --from FILE');
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
