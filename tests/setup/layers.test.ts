/**
 * The layers lint enforces (eslint.config.js, eslint-plugin-boundaries): each
 * layer imports only what its allow-list names — other layers, packages, Node
 * built-ins — by any kind of import. Each case lints a few lines as if they
 * were a file of that layer (nothing is written) and expects the verdict.
 */
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

/** The boundaries rule's messages for `code` linted as the file `path`. */
async function layerErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return result!.messages.filter((m) => m.ruleId === 'boundaries/dependencies').map((m) => m.message);
}

describe('layers', () => {
  it.each([
    ['the console core imports the hub', 'src/main/core/probe.ts', "import { loadConfig } from '../../hub/config';\nexport const x = loadConfig;", /core.*hub/],
    ['the console core imports the hub by import()', 'src/main/core/probe.ts', "export const load = () => import('../../hub/hub');", /core.*hub/],
    ['the browser shell imports the hub', 'src/main/browser/probe.ts', "export { startHub } from '../../hub/hub';", /browser-shell.*hub/],
    ['the Electron shell imports the hub', 'src/main/probe.ts', "import { startHub } from '../hub/hub';\nexport const x = startHub;", /electron-shell.*hub/],
    ['preload imports the core', 'src/preload/probe.ts', "import { createConsoleCore } from '../main/core';\nexport const x = createConsoleCore;", /preload.*core/],
    ['preload uses Node', 'src/preload/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", /preload.*node:fs/],
    ['the renderer uses Node', 'src/renderer/src/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", /renderer.*node:fs/],
    ['the renderer imports the core', 'src/renderer/src/probe.ts', "import { createConsoleCore } from '../../main/core';\nexport const x = createConsoleCore;", /renderer.*core/],
    ['shared uses a package besides zod', 'src/shared/probe.ts', "import pino from 'pino';\nexport const x = pino;", /shared.*pino/],
    ['the core imports electron', 'src/main/core/probe.ts', "import { app } from 'electron';\nexport const x = app;", /electron.*core/],
    ['the hub requires the renderer', 'src/hub/probe.ts', "export const x = () => import('../renderer/src/App');", /hub.*renderer/],
    ['the core imports a file outside every layer', 'src/main/core/probe.ts', "import { x as y } from '../../../scripts/start';\nexport const x = y;", /core/],
  ])('refuses: %s', async (_what, path, code, expected) => {
    const errors = await layerErrors(path, code);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(expected);
  });

  it.each([
    ['shared uses zod', 'src/shared/probe.ts', "import { z } from 'zod';\nexport const x = z;"],
    ['the hub uses shared, its own files, packages and Node', 'src/hub/probe.ts', "import { z } from 'zod';\nimport { join } from 'node:path';\nimport { loadConfig } from './config';\nimport { ROLES } from '../shared/domain';\nexport const x = [z, join, loadConfig, ROLES];"],
    ['the Electron shell uses electron, the core and shared', 'src/main/probe.ts', "import { app } from 'electron';\nimport { createConsoleCore } from './core';\nimport { CONTENT_SECURITY_POLICY } from '../shared/csp';\nexport const x = [app, createConsoleCore, CONTENT_SECURITY_POLICY];"],
    ['preload uses electron and shared', 'src/preload/probe.ts', "import { contextBridge } from 'electron';\nimport { IPC_INVOKE_CHANNEL } from '../shared/api';\nexport const x = [contextBridge, IPC_INVOKE_CHANNEL];"],
    ['the renderer uses React and shared', 'src/renderer/src/probe.ts', "import { useState } from 'react';\nimport { ROLES } from '../../shared/domain';\nexport const x = [useState, ROLES];"],
  ])('allows: %s', async (_what, path, code) => {
    expect(await layerErrors(path, code)).toEqual([]);
  });
});
