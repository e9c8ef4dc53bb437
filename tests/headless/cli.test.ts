/**
 * The real headless CLI as a child process against a real demo hub: argument
 * errors, login and reads over JSON-RPC on stdin/stdout, events as
 * notifications, a clean exit on stdin's end and on SIGTERM, and a restart on
 * the same data folder that is still logged in and answers from its cache
 * with the hub gone.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import { parseHeadlessArgs, UsageError } from '../../src/main/headless/args';
import type { CaseView, QueueItem, SessionInfo, SyncStatus } from '../../src/shared/api';
import { tempDir } from '../core/fixtures';
import { HeadlessConsole } from './headless-process';
import { hubCases, hubToken, startDemoHub, waitFor } from '../core/hub-fixture';

describe('headless CLI arguments', () => {
  it('parses --data and --hub, requires --data, and checks the hub URL', () => {
    expect(parseHeadlessArgs(['--data', '/tmp/x', '--hub', 'http://127.0.0.1:1234'], {})).toEqual({ help: false, dataDir: '/tmp/x', hubUrl: 'http://127.0.0.1:1234' });
    expect(parseHeadlessArgs(['--data', '/tmp/x'], {})).toEqual({ help: false, dataDir: '/tmp/x', hubUrl: undefined });
    expect(parseHeadlessArgs(['--data', '/tmp/x'], { SWITCHBOARD_HUB_URL: 'http://hub:1' })).toMatchObject({ hubUrl: 'http://hub:1' });
    expect(parseHeadlessArgs(['--help'], {})).toEqual({ help: true });
    expect(parseHeadlessArgs(['--data', '/tmp/x', '--pull-page-size', '40'], {})).toMatchObject({ pullPageSize: 40 });
    for (const size of ['0', '5001', '1.5', 'many']) expect(() => parseHeadlessArgs(['--data', '/x', '--pull-page-size', size], {}), size).toThrow(UsageError);
    for (const argv of [[], ['--hub', 'http://127.0.0.1:1'], ['--data'], ['--data', '/x', '--hub', 'not a url'], ['--data', '/x', '--hub', 'ftp://h/'], ['--data', '/x', '--bogus'], ['--data', '/x', 'extra']]) {
      expect(() => parseHeadlessArgs(argv, {}), argv.join(' ')).toThrow(UsageError);
    }
  });

  it('exits 2 with the usage on stderr and nothing on stdout', async () => {
    for (const args of [[], ['--data', '/tmp/never', '--hub', 'nope']]) {
      const cli = new HeadlessConsole(args);
      try {
        expect(await cli.exited).toEqual({ code: 2, signal: null });
        expect(cli.stderr).toContain('usage: npm run console:headless');
        expect(cli.lines).toEqual([]);
      } finally {
        cli.kill();
      }
    }
  });
});

describe('headless CLI with a real hub', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub | null;
  let hubUrl: string;
  const running: HeadlessConsole[] = [];
  const consoleDir = () => join(dir.path, 'console');
  const start = () => {
    const cli = new HeadlessConsole(['--hub', hubUrl, '--data', consoleDir()]);
    running.push(cli);
    return cli;
  };
  let tessCaseIds: string[] = [];

  beforeAll(async () => {
    dir = await tempDir('switchboard-headless-');
    hub = await startDemoHub(dir.path);
    hubUrl = hub.url;
  });

  afterAll(async () => {
    for (const cli of running) cli.kill();
    await hub?.close();
    await dir?.remove();
  });

  it('logs in, lists and opens her cases, syncs, pushes events, and exits 0 when stdin ends', async () => {
    const cli = start();
    const session = await cli.ok<SessionInfo>('session.login', { username: 'tess', password: 'demo' });
    expect(session.user).toMatchObject({ username: 'tess', role: 'technician' });
    expect(session.hubUrl).toBe(hubUrl);
    await waitFor(() => cli.notifications.find((n) => n.params?.name === 'session:changed'), { what: 'the session:changed notification' });
    expect(cli.notifications.find((n) => n.params?.name === 'session:changed')?.params?.payload).toMatchObject({ user: { username: 'tess' } });

    const fromHub = await hubCases(hubUrl, await hubToken(hubUrl, 'tess'));
    expect(fromHub.length).toBeGreaterThanOrEqual(5);
    const list = await cli.ok<{ items: QueueItem[]; total: number }>('cases.list', {});
    expect(list.total).toBe(fromHub.length);
    tessCaseIds = list.items.map((i) => i.id).sort();
    expect(tessCaseIds).toEqual(fromHub.map((c) => c.id).sort());
    expect(list.items.every((i) => i.assigneeId === session.user.id)).toBe(true);

    const view = await cli.ok<CaseView>('cases.get', { id: list.items[0]!.id });
    expect(view.case).toMatchObject({ id: list.items[0]!.id, subject: list.items[0]!.subject });

    const status = await cli.ok<SyncStatus>('sync.status', {});
    expect(status.cachedCases).toBe(fromHub.length);
    expect(status.cursor).toBeGreaterThan(0);
    expect(status.lastSyncAt).not.toBeNull();
    const synced = await cli.ok<SyncStatus>('sync.now', {});
    expect(synced.cursor).toBeGreaterThanOrEqual(status.cursor);
    expect(synced.cachedCases).toBe(fromHub.length);

    // Errors and notifications over the real pipes too.
    expect((await cli.call('cases.get', { id: 'nope' })).error).toMatchObject({ code: -32602, data: { code: 'invalid_input' } });
    expect((await cli.call('cases.nope', {})).error).toMatchObject({ code: -32601 });
    cli.send('{"jsonrpc":"2.0","method":"sync.status"}');
    cli.send('not json');
    await waitFor(() => cli.unmatched.find((m) => m.error?.code === -32700), { what: 'the parse error' });

    cli.endInput();
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.unmatched).toHaveLength(1); // the notification got no answer
    cli.expectCleanStdout();
    expect(cli.stderr).toContain('stdin closed');
  }, 90_000);

  it('restarted with the hub gone: still logged in, answers from the cache, exits 0 on SIGTERM', async () => {
    expect(tessCaseIds.length).toBeGreaterThan(0);
    await hub!.close();
    hub = null;

    const cli = start();
    const session = await cli.ok<SessionInfo | null>('session.current', {});
    expect(session?.user.username).toBe('tess');
    const list = await cli.ok<{ items: QueueItem[]; total: number }>('cases.list', {});
    expect(list.items.map((i) => i.id).sort()).toEqual(tessCaseIds);
    const view = await cli.ok<CaseView>('cases.get', { id: tessCaseIds[0] });
    expect(view.case.id).toBe(tessCaseIds[0]);

    const status = await cli.ok<SyncStatus>('sync.status', {});
    expect(status.connection).not.toBe('online');
    expect(status.cachedCases).toBe(tessCaseIds.length);
    expect((await cli.call('sync.now', {})).error).toMatchObject({ code: -32003, data: { code: 'unavailable' } });
    // Being offline is not being logged out.
    expect((await cli.ok<SessionInfo | null>('session.current', {}))?.user.username).toBe('tess');

    cli.signal('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    cli.expectCleanStdout();
    expect(cli.stderr).toContain('SIGTERM');
  }, 90_000);
});
