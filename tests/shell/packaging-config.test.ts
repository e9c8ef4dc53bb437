/**
 * The installers' configuration (electron-builder.yml), read and checked by
 * electron-builder's own code — its loader, its schema, its file matchers and
 * its fuse mapping — since building the installers needs Electron's binary,
 * which these tests do without. Plus the beforePack hook that refuses to
 * package an SQLite addon built for another target, and the npm side: no
 * install step that would download anything.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FuseV1Options } from '@electron/fuses';
import type { Configuration } from 'app-builder-lib';
import { PlatformPackager } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { Arch, DebugLogger } from 'builder-util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../core/fixtures';
// @ts-expect-error -- a plain ESM hook for electron-builder, without types
import beforePack, { ARCH_NAMES, nativeAddonProblem } from '../../build/before-pack.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const ADDON = '.native/electron/better_sqlite3.node';

type Filter = (file: string, stat: { isDirectory(): boolean; moduleFullFilePath?: string }) => boolean;
interface Matcher {
  createFilter(): Filter;
}
/** electron-builder's internal file matchers (exported, not in its typings). */
const matchers = (await import('app-builder-lib/out/fileMatcher.js')) as unknown as {
  FileMatcher: new (from: string, to: string, macroExpander: (pattern: string) => string, patterns?: string[]) => Matcher;
  getMainFileMatchers(appDir: string, destination: string, macroExpander: (p: string) => string, options: object, packager: object, outDir: string, isElectronCompile: boolean): Matcher[];
  getNodeModuleFileMatcher(appDir: string, destination: string, macroExpander: (p: string) => string, options: object, packager: object): Matcher;
};

let config: Configuration;
beforeAll(async () => {
  config = await getConfig(ROOT, null, null);
});

const file = (filter: Filter, path: string) => filter(join(ROOT, path), { isDirectory: () => false });
const moduleFile = (filter: Filter, path: string) => filter(join(ROOT, path), { isDirectory: () => false, moduleFullFilePath: path });

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema, which refuses a misspelt key", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, electronFuse: config.electronFuses } as Configuration, new DebugLogger(false))).rejects.toThrow(/electronFuse/);
  });

  it('names the app', () => {
    expect(config.appId).toBe('com.switchboard.console');
    expect(config.productName).toBe('Switchboard');
  });

  it('flips the fuses: no run-as-node, no NODE_OPTIONS or --inspect, encrypted cookies, the app only from an integrity-checked asar', async () => {
    // The fuse wire electron-builder writes into the Electron binary, from its own mapping of the config.
    const fuses = await (PlatformPackager.prototype as unknown as { generateFuseConfig(f: unknown): Promise<Record<number, boolean>> }).generateFuseConfig.call(null, config.electronFuses);
    expect(fuses).toMatchObject({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    });
  });

  it('packs the app into asar with the SQLite addon built for Electron, unpacked', () => {
    expect(config.asar).toBe(true);
    const identity = (pattern: string) => pattern;
    const packager = { info: { projectDir: ROOT, buildResourcesDir: 'build', config, isPrepackedAppAsar: false, debugLogger: new DebugLogger(false) } };
    const [main] = matchers.getMainFileMatchers(ROOT, join(ROOT, 'dist', 'app'), identity, {}, packager, join(ROOT, 'dist'), false);
    const app = main!.createFilter();
    for (const path of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json', ADDON]) expect(file(app, path), path).toBe(true);
    // Not the sources, the tests, the build resources or the tooling.
    for (const path of ['src/main/index.ts', 'tests/shell/policy.test.ts', 'build/icon.png', 'electron-builder.yml', 'scripts/start.ts']) expect(file(app, path), path).toBe(false);

    const modules = matchers.getNodeModuleFileMatcher(ROOT, join(ROOT, 'dist', 'app'), identity, {}, packager.info).createFilter();
    expect(moduleFile(modules, 'node_modules/better-sqlite3-multiple-ciphers/lib/index.js')).toBe(true);
    expect(moduleFile(modules, 'node_modules/electron-updater/out/main.js')).toBe(true);
    // The Node-ABI build of the addon and Electron's own package (an optional dependency) stay out.
    expect(moduleFile(modules, 'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node')).toBe(false);
    expect(moduleFile(modules, 'node_modules/electron/dist/electron')).toBe(false);

    const unpack = new matchers.FileMatcher(ROOT, ROOT, identity, config.asarUnpack as string[]).createFilter();
    expect(file(unpack, ADDON)).toBe(true);
    expect(file(unpack, 'out/main/index.js')).toBe(false);
    // electron-builder would rebuild node_modules in place for Electron: the Node build must stay for tests and the hub.
    expect(config.npmRebuild).toBe(false);
    expect(config.beforePack).toBe('./build/before-pack.mjs');
  });

  it('builds NSIS (per machine) and MSI for Windows, AppImage and deb for Linux, a dmg for macOS', () => {
    const targets = (value: unknown) => (Array.isArray(value) ? value : [value]).map((t) => (typeof t === 'string' ? t : (t as { target: string }).target));
    expect(targets(config.win?.target)).toEqual(['nsis', 'msi']);
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false });
    expect(config.msi).toMatchObject({ perMachine: true });
    expect(targets(config.linux?.target)).toEqual(['AppImage', 'deb']);
    expect(targets(config.mac?.target)).toEqual(['dmg']);
  });

  it('has an icon big enough for every OS (512×512 or more)', () => {
    for (const icon of [config.win?.icon, config.linux?.icon, config.mac?.icon]) expect(icon).toBe('build/icon.png');
    const png = readFileSync(join(ROOT, 'build', 'icon.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBe(png.readUInt32BE(16));
  });

  it('publishes update metadata for a generic https feed', () => {
    expect(config.publish).toMatchObject({ provider: 'generic', url: expect.stringMatching(/^https:\/\//) });
  });
});

describe('the beforePack hook', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const target = { platform: 'linux', arch: 'x64', electronVersion: '41.7.1' };
  const stamp = (fields: object) => {
    const native = join(dir.path, '.native', 'electron');
    mkdirSync(native, { recursive: true });
    writeFileSync(join(native, 'better_sqlite3.node'), 'addon');
    writeFileSync(join(native, 'build-stamp.json'), JSON.stringify({ electron: '41.7.1', addon: '12.9.0', platform: 'linux', arch: 'x64', ...fields }));
  };

  beforeAll(async () => {
    dir = await tempDir('switchboard-before-pack-');
  });
  afterAll(async () => {
    await dir?.remove();
  });

  it('refuses a missing addon, or one built for another OS, CPU or Electron', async () => {
    expect(nativeAddonProblem({ projectDir: dir.path, ...target })).toMatch(/better_sqlite3\.node is missing: run `npm run rebuild:electron`/);
    stamp({ platform: 'win32' });
    expect(nativeAddonProblem({ projectDir: dir.path, ...target })).toMatch(/built for another target: platform win32 \(this package needs linux\)/);
    stamp({ arch: 'arm64', electron: '40.0.0' });
    expect(nativeAddonProblem({ projectDir: dir.path, ...target })).toMatch(/arch arm64 \(this package needs x64\), electron 40\.0\.0 \(this package needs 41\.7\.1\)/);
    const context = { packager: { projectDir: dir.path, info: { framework: { version: '41.7.1' } } }, electronPlatformName: 'darwin', arch: Arch.arm64 };
    await expect(beforePack(context)).rejects.toThrow(/Switchboard packaging: .*platform linux \(this package needs darwin\)/);
  });

  it('lets the matching addon through', async () => {
    stamp({});
    expect(nativeAddonProblem({ projectDir: dir.path, ...target })).toBeNull();
    await expect(beforePack({ packager: { projectDir: dir.path, info: { framework: { version: '41.7.1' } } }, electronPlatformName: 'linux', arch: Arch.x64 })).resolves.toBeUndefined();
  });

  it("names the CPUs as electron-builder's Arch does", () => {
    for (const name of ['ia32', 'x64', 'armv7l', 'arm64', 'universal'] as const) expect(ARCH_NAMES[Arch[name]]).toBe(name);
  });
});

describe('package.json', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    main: string;
    scripts: Record<string, string>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
    optionalDependencies: Record<string, string>;
  };

  it('builds the installers with `npm run dist`, after the app and the addon', () => {
    expect(pkg.scripts.dist).toBe('npm run build && npm run rebuild:electron && electron-builder');
    expect(pkg.main).toBe('./out/main/index.js');
  });

  it('installs without downloading anything: no install-app-deps, Electron optional, electron-builder a dev tool', () => {
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts[hook], hook).toBeUndefined();
    expect(pkg.optionalDependencies.electron).toBeDefined();
    expect(pkg.dependencies.electron).toBeUndefined();
    expect(pkg.dependencies['electron-updater']).toBeDefined();
    expect(pkg.devDependencies['electron-builder']).toBeDefined();
    expect(pkg.devDependencies['@electron/fuses']).toBeDefined();
    expect(pkg.dependencies['electron-builder']).toBeUndefined();
  });
});
