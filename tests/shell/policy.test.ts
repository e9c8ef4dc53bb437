/**
 * The managed-workstation policy (src/main/policy): where each OS keeps it,
 * what a valid one says, that one which is there but malformed stops the
 * start (never silently ignored), and the precedence policy > user setting >
 * default for the hub and for auto-update; the one loader every shell uses
 * (and its test override, honoured only where the OS has no policy). Then the
 * hub lock, enforced by the console core, against a real demo hub: a login
 * goes to the policy's hub whatever the renderer sends, one naming another is
 * refused with a worded error, and a session left on another hub is ended.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import { type ConsoleCore, createConsoleCore, dispatch } from '../../src/main/core';
import {
  loadConsoleSettings,
  loadPolicy,
  type Policy,
  PolicyError,
  policyPath,
  readPolicy,
  resolveAutoUpdate,
  resolveHub,
  sameHub,
  userSettingsFromEnv,
} from '../../src/main/policy';
import { startDemoHub } from '../core/hub-fixture';
import { tempDir } from '../core/fixtures';

const DEFAULT_HUB = 'http://127.0.0.1:4710';
const readText = (path: string) => readFileSync(path, 'utf8');

describe('where the policy file is', () => {
  it('is in the folder only administrators write, per OS', () => {
    expect(policyPath('linux')).toBe('/etc/switchboard/policy.json');
    expect(policyPath('win32')).toBe('C:\\ProgramData\\Switchboard\\policy.json');
    expect(policyPath('darwin')).toBe('/Library/Application Support/Switchboard/policy.json');
    // Other Unixes follow Linux.
    expect(policyPath('freebsd')).toBe('/etc/switchboard/policy.json');
  });

  it('is looked up at that path for the OS asked about', () => {
    const asked: string[] = [];
    const none = (path: string): string => {
      asked.push(path);
      throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    };
    for (const platform of ['linux', 'win32', 'darwin'] as const) expect(loadPolicy({ platform, readText: none })).toBeNull();
    expect(asked).toEqual(['/etc/switchboard/policy.json', 'C:\\ProgramData\\Switchboard\\policy.json', '/Library/Application Support/Switchboard/policy.json']);
  });
});

describe('reading a policy file', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let n = 0;
  /** Writes `content` as a policy file of its own and reads it back. */
  const policyFile = (content: string) => {
    const path = join(dir.path, `policy-${++n}.json`);
    writeFileSync(path, content);
    return readPolicy(path, readText);
  };

  beforeAll(async () => {
    dir = await tempDir('switchboard-policy-');
  });
  afterAll(async () => {
    await dir?.remove();
  });

  it('no file is no policy', () => {
    expect(readPolicy(join(dir.path, 'absent.json'), readText)).toEqual({ kind: 'none', path: join(dir.path, 'absent.json') });
  });

  it('reads a full policy, and an empty one that fixes nothing', () => {
    const full = { hubUrl: 'https://hub.corp.example', autoUpdate: { enabled: true, feedUrl: 'https://updates.corp.example/switchboard/' } };
    expect(policyFile(JSON.stringify(full))).toMatchObject({ kind: 'policy', policy: full });
    expect(policyFile(JSON.stringify({ autoUpdate: { enabled: false } }))).toMatchObject({ kind: 'policy', policy: { autoUpdate: { enabled: false } } });
    expect(policyFile('{}')).toMatchObject({ kind: 'policy', policy: {} });
    // A trusted lab network: the administrator allows plain http to their hub.
    expect(policyFile(JSON.stringify({ hubUrl: 'http://10.0.0.5:4710', allowInsecureHub: true }))).toMatchObject({ kind: 'policy' });
  });

  it('reports a malformed file with the file and what is wrong in it', () => {
    const cases: [string, RegExp][] = [
      ['{"hubUrl": "https://hub.corp.example",', /not JSON/],
      ['["https://hub.corp.example"]', /expected object/],
      // A misspelt key would otherwise be a lock that silently locks nothing.
      ['{"hubURL": "https://hub.corp.example"}', /^Unrecognized key: "hubURL"$/],
      ['{"hubUrl": "hub.corp.example"}', /hubUrl: must be an http\(s\) URL/],
      ['{"hubUrl": "ftp://hub.corp.example"}', /hubUrl: must be an http\(s\) URL/],
      ['{"hubUrl": "http://10.0.0.5:4710"}', /hubUrl: refusing the hub at http:\/\/10\.0\.0\.5:4710/],
      ['{"autoUpdate": false}', /autoUpdate: must be \{"enabled": false\}/],
      ['{"autoUpdate": {"enabled": "no"}}', /autoUpdate/],
      ['{"autoUpdate": {"enabled": false, "feedUrl": "https://updates.corp.example/"}}', /feedUrl/],
      ['{"autoUpdate": {"enabled": true, "feedUrl": "http://updates.corp.example/"}}', /autoUpdate\.feedUrl: must be https:\/\//],
      ['{"allowInsecureHub": "yes"}', /allowInsecureHub/],
    ];
    for (const [content, problem] of cases) {
      const reading = policyFile(content);
      expect(reading.kind, content).toBe('invalid');
      if (reading.kind === 'invalid') expect(reading.problem, content).toMatch(problem);
    }
  });

  it('a file that is there but cannot be read is invalid, not absent', () => {
    const denied = (): string => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    };
    expect(readPolicy('/etc/switchboard/policy.json', denied)).toEqual({ kind: 'invalid', path: '/etc/switchboard/policy.json', problem: 'it cannot be read (EACCES)' });
    // A folder where the file should be.
    const folder = join(dir.path, 'policy-folder.json');
    mkdirSync(folder);
    expect(readPolicy(folder, readText)).toMatchObject({ kind: 'invalid', problem: 'it cannot be read (EISDIR)' });
    if (process.getuid?.() !== 0) {
      const unreadable = join(dir.path, 'unreadable.json');
      writeFileSync(unreadable, '{}');
      chmodSync(unreadable, 0o000);
      expect(readPolicy(unreadable, readText)).toMatchObject({ kind: 'invalid', problem: 'it cannot be read (EACCES)' });
    }
  });

  it('stops the start with a message that names the file, the problem and who can fix it', () => {
    const path = join(dir.path, 'broken.json');
    writeFileSync(path, '{"hubUrl": 42}');
    let thrown: unknown;
    try {
      loadPolicy({ platform: 'linux', readText, path });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PolicyError);
    expect((thrown as PolicyError).message).toMatch(new RegExp(`^The administrator's policy file ${path} is not valid: hubUrl: .*ask your administrator`));
    writeFileSync(path, '{"hubUrl": "https://hub.corp.example"}');
    expect(loadPolicy({ platform: 'linux', readText, path })).toEqual({ path, policy: { hubUrl: 'https://hub.corp.example' } });
  });
});

describe('precedence: policy > user setting > default', () => {
  const policy: Policy = { hubUrl: 'https://hub.corp.example' };

  it('the hub', () => {
    const user = { hubUrl: 'https://my-own-hub.example' };
    expect(resolveHub(policy, user, DEFAULT_HUB)).toEqual({ hubUrl: 'https://hub.corp.example', locked: true, allowInsecureHub: false, source: 'policy' });
    expect(resolveHub({}, user, DEFAULT_HUB)).toEqual({ hubUrl: 'https://my-own-hub.example', locked: false, allowInsecureHub: false, source: 'user' });
    expect(resolveHub(null, user, DEFAULT_HUB)).toMatchObject({ hubUrl: 'https://my-own-hub.example', locked: false, source: 'user' });
    expect(resolveHub(null, {}, DEFAULT_HUB)).toEqual({ hubUrl: DEFAULT_HUB, locked: false, allowInsecureHub: false, source: 'default' });
  });

  it('the plain-http allowance: the policy wins both ways', () => {
    expect(resolveHub({ allowInsecureHub: false }, { allowInsecureHub: true }, DEFAULT_HUB).allowInsecureHub).toBe(false);
    expect(resolveHub({ allowInsecureHub: true }, { allowInsecureHub: false }, DEFAULT_HUB).allowInsecureHub).toBe(true);
    expect(resolveHub({}, { allowInsecureHub: true }, DEFAULT_HUB).allowInsecureHub).toBe(true);
    expect(resolveHub(null, {}, DEFAULT_HUB).allowInsecureHub).toBe(false);
  });

  it('auto-update', () => {
    const packaged = { packaged: true, builtInFeed: true };
    const userFeed = { updateFeedUrl: 'https://mirror.example/switchboard/' };
    // Policy off beats a user who wants updates; policy on beats a user who turned them off.
    expect(resolveAutoUpdate({ autoUpdate: { enabled: false } }, { autoUpdate: true, ...userFeed }, packaged)).toMatchObject({ enabled: false, reason: /administrator's policy/ });
    expect(resolveAutoUpdate({ autoUpdate: { enabled: true } }, { autoUpdate: false }, packaged)).toEqual({ enabled: true, feedUrl: null, source: 'policy' });
    // The policy's internal feed beats the user's and the build's.
    expect(resolveAutoUpdate({ autoUpdate: { enabled: true, feedUrl: 'https://updates.corp.example/' } }, userFeed, packaged)).toEqual({ enabled: true, feedUrl: 'https://updates.corp.example/', source: 'policy' });
    // Policy on without a feed: the user's feed, else the build's.
    expect(resolveAutoUpdate({ autoUpdate: { enabled: true } }, userFeed, packaged)).toEqual({ enabled: true, feedUrl: userFeed.updateFeedUrl, source: 'policy' });
    expect(resolveAutoUpdate({ autoUpdate: { enabled: true } }, {}, { packaged: true, builtInFeed: false })).toMatchObject({ enabled: false, reason: /no.*feed|neither/ });
    // A policy silent on updates leaves them to the user.
    expect(resolveAutoUpdate(policy, { autoUpdate: false }, packaged)).toMatchObject({ enabled: false, reason: /SWITCHBOARD_AUTO_UPDATE=0/ });
    expect(resolveAutoUpdate(policy, userFeed, packaged)).toEqual({ enabled: true, feedUrl: userFeed.updateFeedUrl, source: 'user' });
    // The default: the feed built into the installer, if it has one.
    expect(resolveAutoUpdate(null, {}, packaged)).toEqual({ enabled: true, feedUrl: null, source: 'default' });
    expect(resolveAutoUpdate(null, {}, { packaged: true, builtInFeed: false })).toMatchObject({ enabled: false, reason: /no update feed/ });
    // A development run never updates itself, whatever anyone says.
    expect(resolveAutoUpdate({ autoUpdate: { enabled: true, feedUrl: 'https://updates.corp.example/' } }, {}, { packaged: false, builtInFeed: true })).toMatchObject({ enabled: false, reason: /not a packaged app/ });
  });

  it("the user's settings come from the environment, and a malformed one names its variable", () => {
    expect(userSettingsFromEnv({})).toEqual({});
    expect(
      userSettingsFromEnv({
        SWITCHBOARD_HUB_URL: ' https://hub.example ',
        SWITCHBOARD_ALLOW_INSECURE_HUB: '1',
        SWITCHBOARD_AUTO_UPDATE: '0',
        SWITCHBOARD_UPDATE_FEED_URL: 'https://mirror.example/switchboard/',
      }),
    ).toEqual({ hubUrl: 'https://hub.example', allowInsecureHub: true, autoUpdate: false, updateFeedUrl: 'https://mirror.example/switchboard/' });
    expect(userSettingsFromEnv({ SWITCHBOARD_HUB_URL: '', SWITCHBOARD_AUTO_UPDATE: '' })).toEqual({});
    expect(() => userSettingsFromEnv({ SWITCHBOARD_AUTO_UPDATE: 'off' })).toThrow(/SWITCHBOARD_AUTO_UPDATE must be 0/);
    expect(() => userSettingsFromEnv({ SWITCHBOARD_UPDATE_FEED_URL: 'http://mirror.example/' })).toThrow(/SWITCHBOARD_UPDATE_FEED_URL must be https/);
    expect(() => userSettingsFromEnv({ SWITCHBOARD_ALLOW_INSECURE_HUB: 'yes' })).toThrow(/SWITCHBOARD_ALLOW_INSECURE_HUB must be 1/);
  });
});

describe('the one loader of the shells', () => {
  const files: Record<string, string> = {};
  const fakeRead = (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return text;
  };
  const load = (env: Record<string, string>, hubUrl?: string) => loadConsoleSettings({ platform: 'linux', env, readText: fakeRead, defaultHubUrl: DEFAULT_HUB, hubUrl });

  it('passes the policy’s hub to the core as locked, over the environment and the shell’s flag', () => {
    files['/etc/switchboard/policy.json'] = JSON.stringify({ hubUrl: 'https://hub.corp.example' });
    const settings = load({ SWITCHBOARD_HUB_URL: 'https://mine.example' }, 'https://flag.example');
    expect(settings.core).toEqual({ hubUrl: 'https://hub.corp.example', allowInsecureHub: false, lockedHubUrl: 'https://hub.corp.example' });
    expect(settings.policy?.path).toBe('/etc/switchboard/policy.json');
    delete files['/etc/switchboard/policy.json'];
  });

  it('without a policy: the flag over the environment, nothing locked', () => {
    expect(load({ SWITCHBOARD_HUB_URL: 'https://mine.example' }, 'https://flag.example').core).toEqual({ hubUrl: 'https://flag.example', allowInsecureHub: false });
    expect(load({ SWITCHBOARD_HUB_URL: 'https://mine.example' }).core).toEqual({ hubUrl: 'https://mine.example', allowInsecureHub: false });
  });

  it('reads SWITCHBOARD_POLICY_FILE only where the OS has no policy file, so it can never loosen one', () => {
    files['/tmp/test-policy.json'] = JSON.stringify({ hubUrl: 'https://test-hub.example' });
    expect(load({ SWITCHBOARD_POLICY_FILE: '/tmp/test-policy.json' }).core.lockedHubUrl).toBe('https://test-hub.example');
    // An OS policy that fixes nothing still rules: the override is not read.
    files['/etc/switchboard/policy.json'] = '{}';
    expect(load({ SWITCHBOARD_POLICY_FILE: '/tmp/test-policy.json' }).core.lockedHubUrl).toBeUndefined();
    files['/etc/switchboard/policy.json'] = JSON.stringify({ hubUrl: 'https://hub.corp.example' });
    expect(load({ SWITCHBOARD_POLICY_FILE: '/tmp/test-policy.json' }).core.lockedHubUrl).toBe('https://hub.corp.example');
    delete files['/etc/switchboard/policy.json'];
    // An invalid override stops the start like an invalid OS policy.
    files['/tmp/bad-policy.json'] = '{"hubURL": "https://typo.example"}';
    expect(() => load({ SWITCHBOARD_POLICY_FILE: '/tmp/bad-policy.json' })).toThrow(PolicyError);
  });

  it('tells one hub from another', () => {
    expect(sameHub('https://hub.example', 'https://HUB.example/')).toBe(true);
    expect(sameHub('https://hub.example:443', 'https://hub.example')).toBe(true);
    expect(sameHub('https://hub.example', 'https://hub.example:8443')).toBe(false);
    expect(sameHub('http://hub.example', 'https://hub.example')).toBe(false);
  });
});

describe('the hub lock, enforced by the console core, on a real demo hub', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  const cores: ConsoleCore[] = [];
  const open = async (opts: { hubUrl?: string; lockedHubUrl?: string }) => {
    const core = await createConsoleCore({ dataDir: join(dir.path, 'console'), ...opts });
    cores.push(core);
    return core;
  };

  beforeAll(async () => {
    dir = await tempDir('switchboard-policy-lock-');
    hub = await startDemoHub(dir.path);
  });
  afterAll(async () => {
    for (const core of cores) await core.close();
    await hub?.close();
    await dir?.remove();
  });

  it('ends a session signed in on another hub before the policy, and signs in only to the locked hub', async () => {
    // Two spellings of the one demo hub stand for two hubs: the user's earlier one and the policy's.
    const earlierHub = hub.url;
    const lockedHub = hub.url.replace('127.0.0.1', 'localhost');
    expect(sameHub(earlierHub, lockedHub)).toBe(false);

    const before = await open({ hubUrl: earlierHub });
    expect(await dispatch(before.handlers, 'session.login', { username: 'ana', password: 'demo' })).toMatchObject({ ok: true, value: { hubUrl: earlierHub } });
    expect(await dispatch(before.handlers, 'session.hub', {})).toEqual({ ok: true, value: { hubUrl: earlierHub, lockedByPolicy: false } });
    await before.close();

    // The policy now fixes the other hub: the restored session is ended at start.
    const core = await open({ hubUrl: earlierHub, lockedHubUrl: lockedHub });
    expect(await dispatch(core.handlers, 'session.current', {})).toEqual({ ok: true, value: null });
    // The renderer learns of the lock through the API.
    expect(await dispatch(core.handlers, 'session.hub', {})).toEqual({ ok: true, value: { hubUrl: lockedHub, lockedByPolicy: true } });

    // A sign-in naming another hub is refused, in English and as a key the window words.
    const refused = await dispatch(core.handlers, 'session.login', { username: 'ana', password: 'demo', hubUrl: earlierHub });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/policy fixes the hub to http:\/\/localhost/), wording: { key: 'policy.hubLocked', params: { hubUrl: lockedHub } } },
    });
    // Another spelling of the locked hub is the locked hub; no address at all goes there too (not to the hub the cache remembers).
    expect(await dispatch(core.handlers, 'session.login', { username: 'ana', password: 'demo', hubUrl: lockedHub.replace('localhost', 'LOCALHOST') })).toMatchObject({ ok: true, value: { hubUrl: lockedHub } });
    expect(await dispatch(core.handlers, 'session.logout', {})).toEqual({ ok: true, value: null });
    expect(await dispatch(core.handlers, 'session.login', { username: 'ana', password: 'demo' })).toMatchObject({ ok: true, value: { hubUrl: lockedHub, user: { username: 'ana' } } });
  });
});
