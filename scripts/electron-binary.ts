import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The Electron executable, or null when only the package (types) is installed: require('electron') throws then. */
export function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}
