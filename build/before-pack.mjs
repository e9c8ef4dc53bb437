/**
 * electron-builder's beforePack hook. The app ships the SQLite addon that
 * `npm run rebuild:electron` built for Electron's ABI (.native/electron);
 * node_modules holds the Node build, which Electron cannot load. A missing
 * addon, or one built for another OS, CPU or Electron version, would make an
 * installer that cannot open its cache: the build stops here instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** electron-builder's Arch enum (builder-util), by number. */
export const ARCH_NAMES = { 0: 'ia32', 1: 'x64', 2: 'armv7l', 3: 'arm64', 4: 'universal' };

/** Why the addon cannot go into this package, or null when it can. */
export function nativeAddonProblem({ projectDir, platform, arch, electronVersion }) {
  const dir = join(projectDir, '.native', 'electron');
  const addon = join(dir, 'better_sqlite3.node');
  const stampFile = join(dir, 'build-stamp.json');
  if (!existsSync(addon) || !existsSync(stampFile)) return `${addon} is missing: run \`npm run rebuild:electron\` (needs Electron's binary)`;
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  const wanted = { platform, arch, electron: electronVersion };
  const differs = Object.entries(wanted).filter(([key, value]) => stamp[key] !== value);
  if (differs.length === 0) return null;
  const what = differs.map(([key, value]) => `${key} ${stamp[key]} (this package needs ${value})`).join(', ');
  return `${addon} was built for another target: ${what}. Build each OS's installers on that OS, after \`npm run rebuild:electron\``;
}

export default async function beforePack(context) {
  const problem = nativeAddonProblem({
    projectDir: context.packager.projectDir,
    platform: context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName,
    arch: ARCH_NAMES[context.arch] ?? String(context.arch),
    electronVersion: context.packager.info.framework.version,
  });
  if (problem) throw new Error(`Switchboard packaging: ${problem}`);
}
