/**
 * Where Electron stands on this machine. It is an optional dependency: npm
 * drops the whole package when its install script cannot download the
 * binary, and keeps the package (types, no binary) when
 * ELECTRON_SKIP_BINARY_DOWNLOAD is set.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronState =
  | { kind: 'installed'; binary: string }
  | { kind: 'types-only'; reason: string }
  | { kind: 'absent'; reason: string };

export function electronState(resolveFrom: string = import.meta.url): ElectronState {
  const require = createRequire(resolveFrom);
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return {
      kind: 'absent',
      reason: "Electron is not installed: it is an optional dependency, and npm leaves it out when its binary cannot be downloaded (as on networks that reach only the npm registry)",
    };
  }
  // The package's index answers the binary's path, or throws when the binary is missing.
  try {
    const binary = require('electron') as unknown;
    if (typeof binary === 'string' && existsSync(binary)) return { kind: 'installed', binary };
  } catch {
    // Falls through to types-only.
  }
  return {
    kind: 'types-only',
    reason: `Electron's package is installed without its binary (${join(packageDir, 'dist')} is missing: ELECTRON_SKIP_BINARY_DOWNLOAD was set, or the download failed); \`node node_modules/electron/install.js\` fetches it where it can be downloaded`,
  };
}

/** The Electron executable, or null when it cannot run here. */
export function electronBinary(): string | null {
  const state = electronState();
  return state.kind === 'installed' ? state.binary : null;
}
