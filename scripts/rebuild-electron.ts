/**
 * `npm run rebuild:electron`: builds the SQLite addon (better-sqlite3-multiple-ciphers) for Electron's ABI into
 * `.native/electron/better_sqlite3.node`, which the Electron shell hands to
 * it as `nativeBinding`. node_modules keeps its Node build, so
 * tests, the browser shell and the hub work whether Electron is installed or not.
 * Without Electron's binary (CI, headless servers) there is nothing to build for.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { electronBinary } from './electron-package';

const root = join(import.meta.dirname, '..');
// better-sqlite3 with SQLite3MultipleCiphers: the console's cache is encrypted at rest.
const ADDON = 'better-sqlite3-multiple-ciphers';
const require = createRequire(import.meta.url);
const outDir = join(root, '.native', 'electron');
const target = join(outDir, 'better_sqlite3.node');
const stampFile = join(outDir, 'build-stamp.json');

function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  if (!electronBinary()) {
    console.log('rebuild:electron: the Electron binary is not installed here, so there is nothing to build for.');
    console.log('rebuild:electron: tests, the hub and the browser shell use the Node build in node_modules; skipping.');
    return;
  }

  const stamp = { electron: versionOf('electron'), addon: versionOf(ADDON), platform: process.platform, arch: process.arch };
  if (existsSync(target) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === JSON.stringify(stamp)) {
    console.log(`rebuild:electron: ${relative(root, target)} is up to date (Electron ${stamp.electron}).`);
    return;
  }

  // Build a copy in a scratch project: @electron/rebuild rebuilds in place, and node_modules must keep its Node build.
  const work = mkdtempSync(join(tmpdir(), 'switchboard-electron-rebuild-'));
  try {
    const source = dirname(require.resolve(`${ADDON}/package.json`));
    const copy = join(work, 'node_modules', ADDON);
    cpSync(source, copy, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });
    writeFileSync(
      join(work, 'package.json'),
      JSON.stringify({ name: 'switchboard-electron-native', private: true, dependencies: { [ADDON]: stamp.addon } }),
    );

    console.log(`rebuild:electron: building ${ADDON} ${stamp.addon} for Electron ${stamp.electron} (${process.platform}-${process.arch})…`);
    const { rebuild } = await import('@electron/rebuild');
    await rebuild({ buildPath: work, electronVersion: stamp.electron, onlyModules: [ADDON], force: true });

    const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
    if (!existsSync(built)) throw new Error(`the rebuild finished but ${built} is missing`);
    mkdirSync(outDir, { recursive: true });
    copyFileSync(built, target);
    writeFileSync(stampFile, JSON.stringify(stamp));
    console.log(`rebuild:electron: wrote ${relative(root, target)}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`rebuild:electron failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
