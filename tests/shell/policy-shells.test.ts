/**
 * The shells read the workstation's policy the same way (one loader,
 * src/main/policy/console-settings.ts) and the core enforces it: the real
 * headless console, under a policy that fixes the hub (given by
 * SWITCHBOARD_POLICY_FILE, read only where the OS has no policy file), signs
 * in to the policy's hub whatever `--hub` says, refuses a sign-in naming
 * another hub with a worded error, and tells its caller the hub is locked.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import { HeadlessConsole } from '../headless/headless-process';
import { tempDir } from '../core/fixtures';
import { startDemoHub } from '../core/hub-fixture';

describe('the headless console under a policy', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let headless: HeadlessConsole | null = null;

  beforeAll(async () => {
    dir = await tempDir('switchboard-policy-shells-');
    hub = await startDemoHub(dir.path);
  });
  afterAll(async () => {
    headless?.signal('SIGTERM');
    await headless?.exited;
    delete process.env.SWITCHBOARD_POLICY_FILE;
    await hub?.close();
    await dir?.remove();
  });

  it('signs in only to the policy’s hub, over --hub', { timeout: 90_000 }, async () => {
    const policyFile = join(dir.path, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ hubUrl: hub.url }));
    // The child inherits it (HeadlessConsole passes this process's environment on).
    process.env.SWITCHBOARD_POLICY_FILE = policyFile;
    headless = new HeadlessConsole(['--data', join(dir.path, 'headless'), '--hub', 'https://my-own-hub.example']);

    expect(await headless.ok('session.hub')).toEqual({ hubUrl: hub.url, lockedByPolicy: true });
    const refused = await headless.call('session.login', { username: 'ana', password: 'demo', hubUrl: 'https://my-own-hub.example' });
    expect(refused.error).toMatchObject({ data: { code: 'invalid_input', wording: { key: 'policy.hubLocked', params: { hubUrl: hub.url } } } });
    expect(await headless.ok('session.login', { username: 'ana', password: 'demo' })).toMatchObject({ hubUrl: hub.url, user: { username: 'ana' } });
    expect(headless.stderr).toMatch(/fixed by the policy/);
  });
});
