/**
 * `npm start` and the typecheck decide from where Electron stands: left out
 * by npm (no download possible), package without binary, or installed. Each
 * case is a real package folder, resolved the way Node resolves it.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { electronState } from '../../scripts/electron-package';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project folder with node_modules/electron as npm leaves it; returns a file URL inside the project. */
function project(electron: 'absent' | 'types-only' | 'installed'): string {
  const root = mkdtempSync(join(tmpdir(), 'switchboard-electron-state-'));
  dirs.push(root);
  if (electron !== 'absent') {
    const pkg = join(root, 'node_modules', 'electron');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '41.7.1', main: 'index.js', types: 'electron.d.ts' }));
    writeFileSync(join(pkg, 'electron.d.ts'), 'export {};\n');
    // Electron's own index.js: the binary's path from path.txt, or a throw when the download never happened.
    writeFileSync(
      join(pkg, 'index.js'),
      `const fs = require('fs'); const path = require('path');
       const file = path.join(__dirname, 'path.txt');
       if (!fs.existsSync(file)) throw new Error('Electron failed to install correctly');
       module.exports = path.join(__dirname, 'dist', fs.readFileSync(file, 'utf8'));`,
    );
    if (electron === 'installed') {
      mkdirSync(join(pkg, 'dist'));
      writeFileSync(join(pkg, 'path.txt'), 'electron');
      writeFileSync(join(pkg, 'dist', 'electron'), '#!/bin/sh\n');
      chmodSync(join(pkg, 'dist', 'electron'), 0o755);
    }
  }
  return pathToFileURL(join(root, 'scripts', 'start.ts')).href;
}

describe('where Electron stands', () => {
  it('left out by npm: the browser shell, saying the binary could not be downloaded', () => {
    const state = electronState(project('absent'));
    expect(state.kind).toBe('absent');
    expect(state.kind !== 'installed' && state.reason).toMatch(/optional dependency.*cannot be downloaded/);
  });

  it('package without binary: types for the typecheck, the browser shell to run, and how to fetch the binary', () => {
    const state = electronState(project('types-only'));
    expect(state.kind).toBe('types-only');
    expect(state.kind !== 'installed' && state.reason).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD.*install\.js/);
  });

  it('installed: the binary npm start runs', () => {
    const from = project('installed');
    const state = electronState(from);
    expect(state).toEqual({ kind: 'installed', binary: join(new URL('..', from).pathname, 'node_modules', 'electron', 'dist', 'electron') });
  });
});
