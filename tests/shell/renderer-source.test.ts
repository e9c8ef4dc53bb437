/**
 * Where the Electron window loads the renderer from: electron-vite's dev
 * server variable counts in development only; a packaged app loads its own
 * files, and its IPC accepts only them.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rendererSource } from '../../src/main/renderer-source';

const rendererDir = '/opt/switchboard/resources/app/out/renderer';
const ownFile = { kind: 'file', path: join(rendererDir, 'index.html'), allowedUrlPrefix: `${pathToFileURL(rendererDir).href}/` };

describe('the renderer a window loads', () => {
  it('packaged, with ELECTRON_RENDERER_URL set: its own files (and IPC from them only), saying the variable is ignored', () => {
    const { source, warning } = rendererSource({ isPackaged: true, devServerUrl: 'http://attacker.example:5173/', rendererDir });
    expect(source).toEqual(ownFile);
    expect(warning).toMatch(/ELECTRON_RENDERER_URL .*ignored/);
  });

  it('in development, with ELECTRON_RENDERER_URL set: the dev server, and IPC from its origin', () => {
    const { source, warning } = rendererSource({ isPackaged: false, devServerUrl: 'http://localhost:5173', rendererDir });
    expect(source).toEqual({ kind: 'url', url: 'http://localhost:5173/', allowedUrlPrefix: 'http://localhost:5173/' });
    expect(warning).toBeNull();
  });

  it('without the variable (or with it empty): its own files, in development and packaged', () => {
    for (const isPackaged of [false, true]) {
      for (const devServerUrl of [undefined, '']) {
        expect(rendererSource({ isPackaged, devServerUrl, rendererDir })).toEqual({ source: ownFile, warning: null });
      }
    }
  });

  it('in development, refuses a variable that is not the dev server’s http(s) address', () => {
    expect(() => rendererSource({ isPackaged: false, devServerUrl: 'not a url', rendererDir })).toThrow(/ELECTRON_RENDERER_URL is not a URL/);
    expect(() => rendererSource({ isPackaged: false, devServerUrl: 'file:///tmp/evil.html', rendererDir })).toThrow(/http\(s\)/);
  });
});
