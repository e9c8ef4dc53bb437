import { join } from 'node:path';

/** Where `npm run rebuild:electron` puts better-sqlite3 built for Electron's ABI. */
export function electronNativeBinding(dir: string): string {
  return join(dir, 'better_sqlite3.node');
}
