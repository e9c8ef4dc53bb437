/**
 * The channel settings through the console core: fetched on connecting and
 * kept in the cache (a console offline, even restarted, applies the last
 * known), replaced live by `settings:changed`, and caught up on reconnecting
 * when saved meanwhile; only admins replace them, the hub's word; the core's
 * reply rule follows the consent policy it holds.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import { openCache } from '../../src/main/core/cache';
import { createChanges } from '../../src/main/core/changes';
import { keepChannelSettings, NO_CHANNEL_SETTINGS } from '../../src/main/core/channel-settings';
import type { ChannelSettings } from '../../src/shared/channel-settings';
import { call, consoleDir, goOffline, loginVia, ok, type ProxiedConsole, proxiedConsole, settle } from './console-fixture';
import { aCase, aCustomer, aMessage, aQueue, aUser, tempDir } from './fixtures';
import { startDemoHub, waitFor } from './hub-fixture';

describe('channel settings through the console core', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let admin: ProxiedConsole;
  let ana: ProxiedConsole;

  beforeAll(async () => {
    dir = await tempDir('switchboard-channel-settings-');
    hub = await startDemoHub(join(dir.path, 'hub'));
    [admin, ana] = await Promise.all([proxiedConsole(hub.url, consoleDir(dir.path, 'admin')), proxiedConsole(hub.url, consoleDir(dir.path, 'ana'))]);
    await Promise.all([loginVia(admin, 'admin'), loginVia(ana, 'ana')]);
  });
  afterAll(async () => {
    for (const c of [admin, ana]) await c?.close();
    await hub?.close();
    await dir?.remove();
  });

  const settingsOf = (c: ProxiedConsole) => ok(c.core, 'settings.channels', {});
  /** The next `settings:changed` the console's windows hear. */
  const nextChange = (c: ProxiedConsole, timeoutMs = 10_000) => new Promise<ChannelSettings>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no settings:changed within ${timeoutMs} ms`)), timeoutMs);
    const off = c.core.events.on('settings:changed', (settings) => {
      off();
      clearTimeout(timer);
      resolve(settings);
    });
  });

  it('are fetched on connecting, kept offline and across a restart, and caught up on reconnecting', async () => {
    // The demo hub's: its X account, the default consent rule.
    const first = await waitFor(async () => {
      const settings = await settingsOf(ana);
      return settings.handles.x === '@switchboard' ? settings : null;
    }, { timeoutMs: 10_000, what: 'settings fetched' });
    expect(first.consent).toEqual({ unaddressed: 'opt-in', firstContact: 'opt-in' });

    await goOffline(ana);
    const saved = await ok(admin.core, 'admin.settings.channels.update', { ...first, surgeKeywords: ['Outage'], consent: { unaddressed: 'allowed', firstContact: 'opt-in' } });
    expect(saved).toMatchObject({ surgeKeywords: ['outage'], consent: { unaddressed: 'allowed' } });
    expect(await settingsOf(admin)).toEqual(saved);

    // Offline, and offline after a restart: the last known.
    expect(await settingsOf(ana)).toEqual(first);
    await ana.restart();
    expect(await settingsOf(ana)).toEqual(first);

    const caughtUp = nextChange(ana);
    await settle(ana);
    expect(await caughtUp).toEqual(saved);
    expect(await settingsOf(ana)).toEqual(saved);
  });

  it('change live on every console when an admin saves them', async () => {
    const current = await settingsOf(admin);
    const heard = nextChange(ana);
    const adminHeard = nextChange(admin);
    const saved = await ok(admin.core, 'admin.settings.channels.update', { ...current, handles: { ...current.handles, mastodon: '@Switchboard@mastodon.social' } });
    expect(saved.handles.mastodon).toBe('@switchboard@mastodon.social');
    expect(await heard).toEqual(saved);
    expect(await adminHeard).toEqual(saved);
    expect(await settingsOf(ana)).toEqual(saved);
  });

  it('are replaced by admins only, and a bad value is refused with the reason', async () => {
    const current = await settingsOf(ana);
    expect(await call(ana.core, 'admin.settings.channels.update', current)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const bad = await call(admin.core, 'admin.settings.channels.update', { ...current, listeningKeywords: ['x'] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringContaining('a keyword takes at least 2 characters') } });
    expect(await settingsOf(admin)).toEqual(current);
  });
});

describe('the core’s reply rule under the consent policy it holds', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir('switchboard-consent-policy-');
  });
  afterAll(() => dir?.remove());

  it('refuses a reply to a post not addressed to the brand by default, and sends it once the policy allows', () => {
    const cache = openCache(join(dir.path, 'cache'));
    try {
      const me = aUser({ role: 'agent' });
      const changes = createChanges({ cache, me: () => me, onWritten: () => undefined, onMentions: () => undefined });
      const queue = aQueue();
      const customer = aCustomer({ consent: false, doNotEngage: false, handles: { x: '@fan' } });
      const c = aCase({ queueId: queue.id, channel: 'x', customerId: customer.id });
      cache.apply('queue', queue, queue.rev);
      cache.apply('customer', customer, customer.rev);
      cache.apply('case', c, c.rev);
      const post = aMessage({ caseId: c.id, channel: 'x', addressed: false, rev: 2 });
      cache.apply('message', post, post.rev);

      expect(() => changes.reply({ id: c.id, body: 'Hi!', channel: 'x' })).toThrow(/not addressed to the brand/);
      keepChannelSettings(cache, { ...NO_CHANNEL_SETTINGS, consent: { unaddressed: 'allowed', firstContact: 'opt-in' } });
      expect(changes.reply({ id: c.id, body: 'Hi!', channel: 'x' }).delivery?.status).toBe('queued');
    } finally {
      cache.close();
    }
  });
});
