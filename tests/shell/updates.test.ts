/**
 * The Electron shell's auto-update (src/main/updates.ts) with a stand-in for
 * electron-updater's AppUpdater: nothing at all when the decision is off, the
 * generic feed set only when a URL was decided, and a failing feed logged.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startAutoUpdate, type Updater } from '../../src/main/updates';

function fakeUpdater(check: () => Promise<unknown> = async () => null) {
  const events = new EventEmitter();
  const calls: string[] = [];
  const updater = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    allowDowngrade: true,
    logger: null,
    setFeedURL(options: unknown) {
      calls.push(`setFeedURL ${JSON.stringify(options)}`);
    },
    checkForUpdates() {
      calls.push('checkForUpdates');
      return check();
    },
    on(event: string, listener: (...args: unknown[]) => void) {
      events.on(event, listener);
      return updater;
    },
  };
  return { updater, events, calls, asUpdater: updater as unknown as Updater };
}

describe('auto-update', () => {
  it('does nothing when off, saying why', () => {
    const { updater, calls, asUpdater } = fakeUpdater();
    const logs: string[] = [];
    startAutoUpdate({ enabled: false, reason: "turned off by the administrator's policy" }, (m) => logs.push(m), asUpdater)();
    expect(calls).toEqual([]);
    expect(updater.autoDownload).toBe(false);
    expect(logs).toEqual(["auto-update off: turned off by the administrator's policy"]);
  });

  it("sets the policy's generic feed and checks at once; downloads in the background, installs on quit, never downgrades", () => {
    const { updater, calls, asUpdater } = fakeUpdater();
    const stop = startAutoUpdate({ enabled: true, feedUrl: 'https://updates.corp.example/switchboard/', source: 'policy' }, () => undefined, asUpdater);
    stop();
    expect(calls).toEqual(['setFeedURL {"provider":"generic","url":"https://updates.corp.example/switchboard/"}', 'checkForUpdates']);
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true, allowDowngrade: false });
  });

  it("keeps the installer's own feed when no URL was decided", () => {
    const { calls, asUpdater } = fakeUpdater();
    startAutoUpdate({ enabled: true, feedUrl: null, source: 'default' }, () => undefined, asUpdater)();
    expect(calls).toEqual(['checkForUpdates']);
  });

  it('logs an unreachable feed instead of failing', async () => {
    const { events, asUpdater } = fakeUpdater(() => Promise.reject(new Error('net::ERR_INTERNET_DISCONNECTED')));
    const logs: string[] = [];
    const logged = new Promise<void>((resolve) => {
      startAutoUpdate({ enabled: true, feedUrl: null, source: 'default' }, (m) => {
        logs.push(m);
        if (m.includes('ERR_INTERNET_DISCONNECTED')) resolve();
      }, asUpdater)();
    });
    await logged;
    events.emit('error', new Error('feed answered 404'));
    expect(logs).toContain('auto-update: net::ERR_INTERNET_DISCONNECTED');
    expect(logs).toContain('auto-update: feed answered 404');
  });
});
