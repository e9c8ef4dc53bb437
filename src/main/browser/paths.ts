import { homedir } from 'node:os';
import { join } from 'node:path';

/** The console's per-user data folder outside Electron (Electron uses app.getPath('userData')). */
export function consoleDataDir(): string {
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Switchboard');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Switchboard');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Switchboard');
}
