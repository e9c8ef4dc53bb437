/**
 * src/main/policy is a layer of its own in the lint's allow-lists
 * (eslint.config.js): both shells may use it, it never imports electron or
 * a shell, so it runs in the browser shell and in plain-Node tests. Only the
 * Electron shell updates itself (electron-updater).
 */
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return result!.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

describe('the policy layer', () => {
  it.each([
    ['the policy imports electron', 'src/main/policy/probe.ts', "import { app } from 'electron';\nexport const x = app;", /electron.*policy/],
    ['the policy imports electron-updater', 'src/main/policy/probe.ts', "export const load = () => import('electron-updater');", /electron-updater.*policy/],
    ['the policy imports the browser shell', 'src/main/policy/probe.ts', "import { startBrowserShell } from '../browser/server';\nexport const x = startBrowserShell;", /policy.*browser-shell/],
    ['the policy imports the Electron shell', 'src/main/policy/probe.ts', "import { bindIpc } from '../ipc';\nexport const x = bindIpc;", /policy.*electron-shell/],
    ['the browser shell updates itself', 'src/main/browser/probe.ts', "import electronUpdater from 'electron-updater';\nexport const x = electronUpdater;", /electron-updater.*browser-shell/],
    ['the core imports the policy', 'src/main/core/probe.ts', "import { loadPolicy } from '../policy';\nexport const x = loadPolicy;", /core.*policy/],
  ])('refuses: %s', async (_what, path, code, expected) => {
    const errors = await layerErrors(path, code);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(expected);
  });

  it.each([
    ['the policy uses zod, Node, the core and shared', 'src/main/policy/probe.ts', "import { z } from 'zod';\nimport { posix } from 'node:path';\nimport { CoreError } from '../core/errors';\nimport { hubAddressProblem } from '../../shared/hub-address';\nexport const x = [z, posix, CoreError, hubAddressProblem];"],
    ['the browser shell uses the policy', 'src/main/browser/probe.ts', "import { loadPolicy } from '../policy';\nexport const x = loadPolicy;"],
    ['the Electron shell uses the policy and electron-updater', 'src/main/probe.ts', "import electronUpdater from 'electron-updater';\nimport { loadPolicy } from './policy';\nexport const x = [electronUpdater, loadPolicy];"],
  ])('allows: %s', async (_what, path, code) => {
    expect(await layerErrors(path, code)).toEqual([]);
  });
});
