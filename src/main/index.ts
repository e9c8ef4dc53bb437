/**
 * The Electron shell: app lifecycle, the window and its security settings,
 * and the IPC binding. Everything else lives in ./core, which never imports
 * electron and also runs in the browser shell and in tests.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, session } from 'electron';
import { CONTENT_SECURITY_POLICY } from './browser/csp';
import { type ConsoleCore, createConsoleCore, DEFAULT_HUB_URL, type SecretBox } from './core';
import { bindIpc } from './ipc';

const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '..', 'renderer');
const preloadPath = join(here, '..', 'preload', 'index.cjs');
/** Set by `electron-vite dev`; absent in a built app. */
const devServerUrl = process.env.ELECTRON_RENDERER_URL;

let core: ConsoleCore | null = null;

/** The SQLite addon (better-sqlite3-multiple-ciphers) built for Electron's ABI by `npm run rebuild:electron`, kept apart from node_modules' Node build. */
function electronNativeBinding(): string | undefined {
  const path = join(app.getAppPath(), '.native', 'electron', 'better_sqlite3.node');
  return existsSync(path) ? path : undefined;
}

/** The cache's key and the session token are sealed with the OS keychain where one is available. */
function osSecretBox(): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  return {
    seal: (plain) => safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
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
      spellcheck: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(join(rendererDir, 'index.html'));
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
  // The header covers the dev server; the <meta> in index.html covers file://, which has no headers.
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

  core = await createConsoleCore({
    dataDir: app.getPath('userData'),
    hubUrl: process.env.SWITCHBOARD_HUB_URL ?? DEFAULT_HUB_URL,
    nativeBinding: electronNativeBinding(),
    secrets: osSecretBox(),
    log: (message) => console.error(message),
  });
  bindIpc(ipcMain, core, () => BrowserWindow.getAllWindows(), {
    urlPrefixes: [devServerUrl ? `${new URL(devServerUrl).origin}/` : `${pathToFileURL(rendererDir).href}/`],
  });

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
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
    const message = error instanceof Error ? error.message : String(error);
    console.error(`Switchboard failed to start: ${message}`);
    // E.g. a cache from a newer version, or one whose key the keychain no longer has: say so on screen.
    if (app.isReady()) dialog.showErrorBox('Switchboard cannot start', message);
    app.exit(1);
  });
}
