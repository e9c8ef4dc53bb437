/**
 * Auto-update of the packaged Electron app with electron-updater, as
 * resolveAutoUpdate (./policy) decided: off, the feed built into the
 * installer, or a generic feed by URL (policy or user setting). Only the
 * Electron shell imports this; the browser shell never updates itself.
 */
import electronUpdater, { type AppUpdater } from 'electron-updater';
import type { AutoUpdate } from './policy';

/** How often a running console looks for a new version (besides at start). */
export const CHECK_EVERY_MS = 6 * 60 * 60 * 1000;

/** The parts of electron-updater's AppUpdater used here (a test passes a stand-in). */
export type Updater = Pick<AppUpdater, 'setFeedURL' | 'checkForUpdates' | 'on' | 'autoDownload' | 'autoInstallOnAppQuit' | 'allowDowngrade' | 'logger'>;

/** Starts checking for updates when the decision says so; returns the stop. */
export function startAutoUpdate(decision: AutoUpdate, log: (message: string) => void, updater: Updater = electronUpdater.autoUpdater): () => void {
  if (!decision.enabled) {
    log(`auto-update off: ${decision.reason}`);
    return () => undefined;
  }
  if (decision.feedUrl) updater.setFeedURL({ provider: 'generic', url: decision.feedUrl });
  // Downloaded in the background, installed when the user quits: never a restart in the middle of a call.
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = true;
  updater.allowDowngrade = false;
  updater.logger = { info: log, warn: log, error: log, debug: () => undefined };
  // An unreachable feed (an offline field laptop) is logged, never shown.
  updater.on('error', (error) => log(`auto-update: ${error.message}`));
  updater.on('update-downloaded', (info) => log(`auto-update: ${info.version} downloaded, installed when Switchboard quits`));
  const check = () => void updater.checkForUpdates().catch((error: unknown) => log(`auto-update: ${error instanceof Error ? error.message : String(error)}`));
  log(`auto-update from ${decision.feedUrl ?? 'the feed built into this installer'} (${decision.source})`);
  check();
  const timer = setInterval(check, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
