/**
 * Consoles reach a hub outside this computer over https only (wss for the
 * live socket follows): plain http:// is refused unless the shell's
 * configuration allows it (SWITCHBOARD_ALLOW_INSECURE_HUB=1). One rule
 * (src/shared/hub-address.ts), enforced where a hub address enters the core —
 * the default, a login's, a stored session's — and so in every shell: the
 * Electron shell, the browser shell's CLI and the headless console.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import { type ConsoleCore, CoreError, createConsoleCore, dispatch } from '../../src/main/core';
import { parseHeadlessArgs, UsageError } from '../../src/main/headless/args';
import { hubAddressProblem, parseAllowInsecureHub } from '../../src/shared/hub-address';
import { startDemoHub } from '../core/hub-fixture';
import { aUser, tempDir } from '../core/fixtures';

const REPO = join(import.meta.dirname, '..', '..');
const strict = { allowInsecure: false };
const REFUSED = /refusing the hub at http:\/\/10\.0\.0\.5: plain http:\/\/ would send passwords, tokens and customers' data unencrypted.*https:\/\/.*SWITCHBOARD_ALLOW_INSECURE_HUB=1/;

describe('the hub address rule', () => {
  it('refuses plain http to another computer, with a message that says why and what to do', () => {
    expect(hubAddressProblem('http://10.0.0.5', strict)).toMatch(REFUSED);
    for (const url of ['http://hub.example:4710', 'http://192.168.1.20:4710', 'http://[2001:db8::1]/', 'http://localhost.evil.example', 'http://127.0.0.1.evil.example/', 'http://0.0.0.0:4710']) {
      expect(hubAddressProblem(url, strict), url).toMatch(/^refusing the hub/);
    }
    expect(hubAddressProblem('ftp://hub.example', strict)).toMatch(/must be https:\/\//);
    expect(hubAddressProblem('not a url', strict)).toMatch(/not a hub address/);
  });

  it('accepts https anywhere and http to loopback: localhost, 127.0.0.0/8, ::1', () => {
    for (const url of ['https://hub.example', 'https://10.0.0.5:8443/', 'http://127.0.0.1:4710', 'http://localhost', 'http://LOCALHOST:4710/', 'http://127.9.8.7', 'http://[::1]:4710', 'http://2130706433/']) {
      expect(hubAddressProblem(url, strict), url).toBeNull();
    }
  });

  it('accepts plain http to another computer when the configuration allows it', () => {
    expect(hubAddressProblem('http://10.0.0.5', { allowInsecure: true })).toBeNull();
  });

  it('never repeats a password the address carries', () => {
    expect(hubAddressProblem('http://ops:hunter2@10.0.0.5/', strict)).not.toContain('hunter2');
  });

  it('reads SWITCHBOARD_ALLOW_INSECURE_HUB strictly: 1 allows, unset, empty or 0 do not, anything else is an error', () => {
    expect(parseAllowInsecureHub('1')).toBe(true);
    for (const value of [undefined, '', '0']) expect(parseAllowInsecureHub(value)).toBe(false);
    for (const value of ['yes', 'true', '2']) expect(() => parseAllowInsecureHub(value), value).toThrow(/SWITCHBOARD_ALLOW_INSECURE_HUB must be 1/);
  });
});

describe('the console core', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  const cores: ConsoleCore[] = [];
  const open = async (name: string, opts: { hubUrl?: string; allowInsecureHub?: boolean; log?: (message: string) => void } = {}) => {
    const core = await createConsoleCore({ dataDir: join(dir.path, name), ...opts });
    cores.push(core);
    return core;
  };

  beforeAll(async () => {
    dir = await tempDir('switchboard-hub-address-');
    hub = await startDemoHub(dir.path);
  });
  afterAll(async () => {
    for (const core of cores) await core.close();
    await hub?.close();
    await dir?.remove();
  });

  it('refuses to start with an http:// default hub on another computer, before opening anything', async () => {
    const refused = createConsoleCore({ dataDir: join(dir.path, 'refused'), hubUrl: 'http://10.0.0.5' });
    await expect(refused).rejects.toThrow(CoreError);
    await expect(refused).rejects.toThrow(REFUSED);
    expect(existsSync(join(dir.path, 'refused'))).toBe(false);
  });

  it('starts with an https hub, a loopback http hub, and an http hub the configuration allows', async () => {
    await open('https', { hubUrl: 'https://hub.example' });
    await open('loopback', { hubUrl: 'http://127.0.0.1:4710' });
    await open('localhost', { hubUrl: 'http://localhost' });
    await open('allowed', { hubUrl: 'http://10.0.0.5', allowInsecureHub: true });
  });

  it('refuses a login naming an http:// hub on another computer, and logs in to the loopback hub', async () => {
    const core = await open('login', { hubUrl: hub.url });
    const refused = await dispatch(core.handlers, 'session.login', { hubUrl: 'http://10.0.0.5:4710', username: 'ana', password: 'demo' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/^refusing the hub at http:\/\/10\.0\.0\.5:4710/) } });
    expect(await dispatch(core.handlers, 'session.current', {})).toEqual({ ok: true, value: null });

    expect(await dispatch(core.handlers, 'session.login', { hubUrl: hub.url, username: 'ana', password: 'demo' })).toMatchObject({ ok: true, value: { user: { username: 'ana' } } });
  });

  it('ends a stored session with an http:// hub on another computer instead of sending its token there', async () => {
    const seed = await open('stored', { hubUrl: hub.url });
    seed.cache.meta.set('hubUrl', 'http://10.0.0.5:4710');
    seed.cache.meta.set('user', JSON.stringify(aUser()));
    seed.cache.meta.set('token', 'a-token-from-before');
    await seed.close();

    const logged: string[] = [];
    const core = await open('stored', { hubUrl: hub.url, log: (message) => logged.push(message) });
    expect(await dispatch(core.handlers, 'session.current', {})).toEqual({ ok: true, value: null });
    expect(core.cache.meta.get('token')).toBeNull();
    expect(logged.join('\n')).toMatch(/logged out: refusing the hub at http:\/\/10\.0\.0\.5:4710/);
  });
});

/** Runs a console CLI until it exits or prints `until`; then stops it. */
function runCli(script: string, args: string[], env: Record<string, string>, until?: RegExp): Promise<{ code: number | null; output: string; matched: boolean }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.SWITCHBOARD_HUB_URL;
  if (!('SWITCHBOARD_ALLOW_INSECURE_HUB' in env)) delete childEnv.SWITCHBOARD_ALLOW_INSECURE_HUB;
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, script), ...args], { cwd: REPO, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let matched = false;
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (until && !matched && until.test(output)) {
      matched = true;
      child.kill('SIGTERM');
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output, matched })));
}

describe('the shells’ command lines', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir('switchboard-hub-address-cli-');
  });
  afterAll(async () => {
    await dir?.remove();
  });

  it('headless: reads SWITCHBOARD_ALLOW_INSECURE_HUB, and a bad value is a usage error', () => {
    expect(parseHeadlessArgs(['--data', '/tmp/x'], { SWITCHBOARD_ALLOW_INSECURE_HUB: '1' })).toMatchObject({ allowInsecureHub: true });
    expect(parseHeadlessArgs(['--data', '/tmp/x'], {})).not.toHaveProperty('allowInsecureHub');
    expect(() => parseHeadlessArgs(['--data', '/tmp/x'], { SWITCHBOARD_ALLOW_INSECURE_HUB: 'yes' })).toThrow(UsageError);
  });

  // Each case starts a real CLI process (tsx): slow on a busy machine.
  it('headless: refuses --hub http://10.0.0.5 (exit 1, the reason on stderr) unless allowed', { timeout: 90_000 }, async () => {
    // A console that starts anyway is stopped at once, so the test fails fast.
    const refused = await runCli('src/main/headless/cli.ts', ['--data', join(dir.path, 'headless'), '--hub', 'http://10.0.0.5'], {}, /headless console ready/);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(REFUSED);

    const allowed = await runCli('src/main/headless/cli.ts', ['--data', join(dir.path, 'headless'), '--hub', 'http://10.0.0.5'], { SWITCHBOARD_ALLOW_INSECURE_HUB: '1' }, /headless console ready/);
    expect(allowed.matched).toBe(true);
  });

  it('browser shell: refuses --hub http://10.0.0.5 (exit 1, the reason on stderr) unless allowed', { timeout: 90_000 }, async () => {
    const args = ['--data', join(dir.path, 'browser'), '--hub', 'http://10.0.0.5', '--port', '0'];
    const refused = await runCli('src/main/browser/cli.ts', args, {}, /console listening on/);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(REFUSED);

    const allowed = await runCli('src/main/browser/cli.ts', args, { SWITCHBOARD_ALLOW_INSECURE_HUB: '1' }, /console listening on http:\/\/127\.0\.0\.1:\d+\//);
    expect(allowed.matched).toBe(true);
  });
});
