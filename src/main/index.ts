/**
 * The Electron shell: app lifecycle, the window and its security settings,
 * and the IPC binding. Everything else lives in ./core, which never imports
 * electron and also runs in the browser shell and in tests; here it runs in a
 * worker thread, so this thread only relays (and seals with safeStorage).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, nativeTheme, safeStorage, session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';
import { CacheKeyError, type CoreEndpoint, DEFAULT_HUB_URL, type SecretBox, startConsoleCoreInWorker } from './core';
import { unsealCacheKeyFile } from './core/cache/key';
import { bindIpc } from './ipc';
import { keySealing } from './key-sealing';
import { loadConsoleSettings, resolveAutoUpdate } from './policy';
import { type RendererSource, rendererSource } from './renderer-source';
import { startAutoUpdate } from './updates';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '..', 'renderer');
const preloadPath = join(here, '..', 'preload', 'index.cjs');

let core: CoreEndpoint | null = null;
/** Why the cache key is not sealed, when it is not: repeated if the cache then cannot be opened. */
let sealingWarning: string | null = null;

/** The SQLite addon (better-sqlite3-multiple-ciphers) built for Electron's ABI by `npm run rebuild:electron`, kept apart from node_modules' Node build. */
function electronNativeBinding(): string | undefined {
  // Packaged, the addon sits beside the archive (electron-builder's asarUnpack): a native library is not loaded from inside an asar.
  const appDir = app.getAppPath().replace(/app\.asar$/, 'app.asar.unpacked');
  const path = join(appDir, '.native', 'electron', 'better_sqlite3.node');
  return existsSync(path) ? path : undefined;
}

/** The cache's key and the session token are sealed with the OS keychain where one really seals (see key-sealing.ts). */
function osSecretBox(dataDir: string): SecretBox | undefined {
  const box: SecretBox = {
    seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
  const encryptionAvailable = safeStorage.isEncryptionAvailable();
  const decision = keySealing({
    platform: process.platform,
    backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
    encryptionAvailable,
  });
  if (decision.seal) return box;
  sealingWarning = decision.warning;
  console.warn(`Switchboard: ${decision.warning}`);
  if (encryptionAvailable) {
    // A key an earlier version sealed with this same store: unsealed once, so the cache still opens.
    try {
      if (unsealCacheKeyFile(dataDir, box)) console.warn('Switchboard: the cache key sealed by an earlier version is now kept unsealed (mode 0600)');
    } catch (error) {
      console.warn(`Switchboard: the sealed cache key cannot be opened in this session (${error instanceof Error ? error.message : String(error)}); it is left as it was`);
    }
  }
  return undefined;
}

/** The page's background before it paints and while it resizes: Mantine's body colour in the OS's scheme (the renderer follows the OS too). */
const windowBackground = (): string => (nativeTheme.shouldUseDarkColors ? '#242424' : '#ffffff');

function createWindow(renderer: RendererSource): BrowserWindow {
  const window = new BrowserWindow({
    backgroundColor: windowBackground(),
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    title: 'Switchboard',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // Middle-click opens no window either (setWindowOpenHandler denies them all anyway).
      disableBlinkFeatures: 'Auxclick',
      spellcheck: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  const followTheme = () => window.setBackgroundColor(windowBackground());
  nativeTheme.on('updated', followTheme);
  window.once('closed', () => nativeTheme.off('updated', followTheme));
  if (renderer.kind === 'url') void window.loadURL(renderer.url);
  else void window.loadFile(renderer.path);
  return window;
}

/** Every web contents, present and future: no navigation, no new windows, no webviews. */
function lockDownWebContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

function secureSession(): void {
  // The header covers the dev server; the <meta> the build writes into index.html covers file://, which has no headers.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}

async function start(): Promise<void> {
  lockDownWebContents();
  await app.whenReady();
  secureSession();
  // electron-vite's dev server variable counts only outside a packaged app.
  const renderer = rendererSource({ isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL, rendererDir });
  if (renderer.warning) console.warn(`Switchboard: ${renderer.warning}`);
  // The workstation's policy wins over the user's settings; a policy file that is there but invalid stops the start (the dialog below).
  const settings = loadConsoleSettings({ platform: process.platform, env: process.env, readText: (path) => readFileSync(path, 'utf8'), defaultHubUrl: DEFAULT_HUB_URL });
  const { policy, user, hub } = settings;
  if (policy) console.log(`Switchboard: policy ${policy.path}${hub.locked ? `, hub fixed to ${hub.hubUrl}` : ''}`);

  const dataDir = app.getPath('userData');
  // The core and its SQLite in a worker thread; safeStorage (main thread only) seals for it through a synchronous bridge.
  core = await startConsoleCoreInWorker({
    dataDir,
    // The core enforces a hub the policy fixes (sign-ins, a session from another hub).
    ...settings.core,
    nativeBinding: electronNativeBinding(),
    secrets: osSecretBox(dataDir),
    log: (message) => console.error(message),
  });
  bindIpc(ipcMain, core, () => BrowserWindow.getAllWindows(), { urlPrefixes: [renderer.source.allowedUrlPrefix] });

  createWindow(renderer.source);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(renderer.source);
  });
  // electron-builder's `publish` writes app-update.yml into the resources: the feed built into the installer.
  const builtInFeed = app.isPackaged && existsSync(join(process.resourcesPath, 'app-update.yml'));
  startAutoUpdate(resolveAutoUpdate(policy?.policy ?? null, user, { packaged: app.isPackaged, builtInFeed }), (message) => console.log(`Switchboard: ${message}`));
}

// One console per user profile: two would fight over the same cache and session.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', (event) => {
    if (!core) return;
    // Close the cache cleanly (WAL checkpoint) before the process goes.
    event.preventDefault();
    const closing = core;
    core = null;
    void closing.close().finally(() => app.quit());
  });
  start().catch((error: unknown) => {
    let message = error instanceof Error ? error.message : String(error);
    if (error instanceof CacheKeyError && sealingWarning) message += `\n\nNote: ${sealingWarning}.`;
    console.error(`Switchboard failed to start: ${message}`);
    // E.g. a cache from a newer version, or one whose key the keychain no longer has: say so on screen.
    if (app.isReady()) dialog.showErrorBox('Switchboard cannot start', message);
    app.exit(1);
  });
}
