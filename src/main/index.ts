/**
 * The Electron shell: window, security settings and the IPC binding. All
 * logic lives in ./core, which never imports electron.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { createConsoleCore, type ConsoleCore } from './core';
import { CONTENT_SECURITY_POLICY } from './browser/csp';
import { bindIpc } from './ipc';
import { electronNativeBinding } from './native';

const devServerUrl = process.env.ELECTRON_RENDERER_URL;
let core: ConsoleCore | null = null;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    title: 'Switchboard',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  // No navigation away from the console and no new windows; links open in the system browser.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const nativeBinding = electronNativeBinding(join(app.getAppPath(), '.native', 'electron'));
  core = await createConsoleCore({
    dataDir: app.getPath('userData'),
    hubUrl: process.env.SWITCHBOARD_HUB_URL,
    nativeBinding: existsSync(nativeBinding) ? nativeBinding : undefined,
    log: (message) => console.error(message),
  });
  bindIpc(ipcMain, core, {
    allowedOrigins: devServerUrl ? [new URL(devServerUrl).origin] : ['file://'],
    targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => void core?.close());

start().catch((error: unknown) => {
  console.error(error);
  app.exit(1);
});
