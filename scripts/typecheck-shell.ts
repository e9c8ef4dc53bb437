/**
 * `npm run typecheck` (last step): the Electron shell against Electron's
 * types, which come with its optional package. Where npm left Electron out,
 * the check is skipped with the reason, unless SWITCHBOARD_REQUIRE_ELECTRON_TYPES
 * is set (CI sets it: there the shell is always checked).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { electronState } from './electron-package';

const root = join(import.meta.dirname, '..');
const state = electronState();

if (state.kind === 'absent') {
  if (process.env.SWITCHBOARD_REQUIRE_ELECTRON_TYPES) {
    console.error(`typecheck: the Electron shell cannot be checked. ${state.reason}.`);
    console.error('typecheck: install with ELECTRON_SKIP_BINARY_DOWNLOAD=1 to get its types without the binary.');
    process.exit(1);
  }
  console.log(`typecheck: skipping the Electron shell (src/main/index.ts, src/main/ipc.ts, src/preload). ${state.reason}.`);
  process.exit(0);
}

const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.shell.json', '--noEmit'], { cwd: root, stdio: 'inherit' });
process.exit(tsc.status ?? 1);
