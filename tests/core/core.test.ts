/**
 * The console core against a real demo hub: login and pull, the queue from
 * the cache, case detail, live device alerts over real MQTT, and a restart
 * that serves from the cache with the hub gone.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import { type ConsoleCore, createConsoleCore, dispatch } from '../../src/main/core';
import type { ApiEvents, ApiInput, ApiMethod, ApiOutput, ApiResult } from '../../src/shared/api';
import { hubCases, hubToken, publishTelemetry, startDemoHub, startLocalHub, waitFor } from './hub-fixture';
import { tempDir } from './fixtures';

function call<M extends ApiMethod>(core: ConsoleCore, method: M, input: ApiInput<M>): Promise<ApiResult<ApiOutput<M>>> {
  return dispatch(core.handlers, method, input) as Promise<ApiResult<ApiOutput<M>>>;
}

async function ok<M extends ApiMethod>(core: ConsoleCore, method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const result = await call(core, method, input);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

function record<E extends keyof ApiEvents>(core: ConsoleCore, event: E): ApiEvents[E][] {
  const seen: ApiEvents[E][] = [];
  core.events.on(event, (payload) => seen.push(payload));
  return seen;
}


describe('console core with a real hub', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub | null;
  let core: ConsoleCore;
  const consoleDir = () => join(dir.path, 'console');

  beforeAll(async () => {
    dir = await tempDir('switchboard-core-hub-');
    hub = await startDemoHub(dir.path);
    core = await createConsoleCore({ dataDir: consoleDir(), hubUrl: hub.url });
  });

  afterAll(async () => {
    await core?.close();
    await hub?.close();
    await dir?.remove();
  });

  it('refuses a wrong password and malformed input without touching the session', async () => {
    const wrong = await call(core, 'session.login', { username: 'ana', password: 'nope' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const malformed = await dispatch(core.handlers, 'session.login', { username: '', password: 42 });
    expect(malformed).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await ok(core, 'session.current', {})).toBeNull();
    expect(core.cache.cases.count()).toBe(0);
  });

  it('logs in and pulls exactly the cases the hub shows that user', async () => {
    const sessionEvents = record(core, 'session:changed');
    const session = await ok(core, 'session.login', { username: 'ana', password: 'demo' });
    expect(session.user).toMatchObject({ username: 'ana', role: 'agent' });
    expect(session.hubUrl).toBe(hub!.url);
    expect(sessionEvents.at(-1)?.user?.username).toBe('ana');

    const fromHub = await hubCases(hub!.url, await hubToken(hub!.url, 'ana'));
    const cached = await ok(core, 'cases.list', { limit: 10_000 });
    expect(fromHub.length).toBeGreaterThan(0);
    expect(cached.total).toBe(fromHub.length);
    expect(cached.items.map((c) => c.id).sort()).toEqual(fromHub.map((c) => c.id).sort());
    // Same rows, not just the same ids.
    const hubById = new Map(fromHub.map((c) => [c.id, c]));
    for (const item of cached.items) expect(item).toMatchObject(hubById.get(item.id)!);

    const status = await ok(core, 'sync.status', {});
    expect(status.cachedCases).toBe(fromHub.length);
    expect(status.cursor).toBeGreaterThan(0);
    expect(status.lastSyncAt).not.toBeNull();
    expect((await ok(core, 'queues.list', {})).map((q) => q.name)).toContain('Devices');

    // A second pull finds nothing new and changes nothing.
    const again = await ok(core, 'sync.now', {});
    expect(again.cursor).toBe(status.cursor);
    expect(again.cachedCases).toBe(status.cachedCases);
  });

  it('lists the queue by its explained priority score, with names joined', async () => {
    const { items } = await ok(core, 'cases.list', { limit: 10_000 });
    const scores = items.map((i) => i.priorityScore);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(items.every((i) => i.priorityWhy.length > 0)).toBe(true);
    expect(items.every((i) => i.queueName.length > 0)).toBe(true);
    expect(items.some((i) => i.customerName !== null)).toBe(true);

    const active = await ok(core, 'cases.list', { status: 'active', limit: 10_000 });
    expect(active.items.every((i) => ['new', 'open', 'pending', 'on_hold'].includes(i.status))).toBe(true);
    const me = (await ok(core, 'session.current', {}))!.user.id;
    const mine = await ok(core, 'cases.list', { assignee: 'me', limit: 10_000 });
    expect(mine.items.every((i) => i.assigneeId === me)).toBe(true);
    const unassigned = await ok(core, 'cases.list', { assignee: 'unassigned', limit: 10_000 });
    expect(unassigned.items.every((i) => i.assigneeId === null)).toBe(true);
    expect(mine.total + unassigned.total).toBeLessThanOrEqual(items.length);
  });

  it('gets a case with its messages in order, its customer and the customer’s other cases', async () => {
    const { items } = await ok(core, 'cases.list', { limit: 10_000 });
    const withCustomer = items.find((i) => i.customerId !== null)!;
    const view = await ok(core, 'cases.get', { id: withCustomer.id });
    expect(view).not.toBeNull();
    expect(view!.case.id).toBe(withCustomer.id);
    expect(view!.customer?.id).toBe(withCustomer.customerId);
    expect(view!.messages.length).toBeGreaterThan(0);
    expect(view!.messages.every((m) => m.caseId === withCustomer.id)).toBe(true);
    const times = view!.messages.map((m) => Date.parse(m.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(view!.customerCases.every((c) => c.id !== withCustomer.id)).toBe(true);

    expect(await ok(core, 'cases.get', { id: '01900000-0000-7000-8000-000000000000' })).toBeNull();
    expect(await call(core, 'cases.get', { id: 'not-a-uuid' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  // How fast it arrives is measured by `npm run bench` (device alert → agent's console), not here.
  it('shows a case opened by a device rule live, with its alert, customer and device', async () => {
    await waitFor(async () => (await ok(core, 'sync.status', {})).connection === 'online', { what: 'the live socket' });
    const changed = record(core, 'cases:changed');
    const alerts = record(core, 'device:alert');
    const before = await ok(core, 'cases.list', { limit: 10_000 });
    expect(before.items.some((i) => i.deviceId === 'car-0001' && i.status !== 'closed' && i.status !== 'solved')).toBe(false);

    await publishTelemetry(hub!.mqttUrl, 'car-0001', 'engine_temp', [115, 115, 115]);
    const opened = await waitFor(
      async () => (await ok(core, 'cases.list', { limit: 10_000 })).items.find((i) => i.deviceId === 'car-0001' && !before.items.some((b) => b.id === i.id)),
      { timeoutMs: 10_000, what: 'the device case in cases.list' },
    );
    expect(changed.some((e) => e.ids.includes(opened.id))).toBe(true);
    expect(opened.queueName).toBe('Devices');
    await waitFor(() => alerts.find((a) => a.caseId === opened.id && a.deviceId === 'car-0001'), { what: 'device:alert' });

    // The alert text arrives as a message, and the customer and device follow from the case detail.
    const view = await waitFor(async () => {
      const v = await ok(core, 'cases.get', { id: opened.id });
      return v && v.messages.length > 0 && v.customer && v.device ? v : null;
    }, { what: 'the device case detail' });
    expect(view.device?.id).toBe('car-0001');
  });

  it('keeps its session across a restart and serves the cache with the hub stopped', async () => {
    const cachedBefore = await ok(core, 'cases.list', { limit: 10_000 });
    const anyCase = cachedBefore.items.find((i) => i.customerId !== null)!;
    const viewBefore = await ok(core, 'cases.get', { id: anyCase.id });
    await core.close();
    await hub!.close();
    hub = null;

    core = await createConsoleCore({ dataDir: consoleDir() });
    const session = await ok(core, 'session.current', {});
    expect(session?.user.username).toBe('ana');
    const cachedAfter = await ok(core, 'cases.list', { limit: 10_000 });
    expect(cachedAfter.items.map((i) => i.id)).toEqual(cachedBefore.items.map((i) => i.id));
    expect(cachedAfter.items.some((i) => i.deviceId === 'car-0001')).toBe(true);
    const viewAfter = await ok(core, 'cases.get', { id: anyCase.id });
    expect(viewAfter?.messages).toEqual(viewBefore?.messages);
    expect(viewAfter?.customer).toEqual(viewBefore?.customer);

    const status = await ok(core, 'sync.status', {});
    expect(status.connection).not.toBe('online');
    expect(status.cachedCases).toBe(cachedBefore.total);
    expect(await call(core, 'sync.now', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    // Being offline is not being logged out.
    expect((await ok(core, 'session.current', {}))?.user.username).toBe('ana');
  });
});

describe('sessions and scopes', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;

  beforeAll(async () => {
    dir = await tempDir('switchboard-core-scope-');
    hub = await startDemoHub(dir.path);
  });
  afterAll(async () => {
    await hub?.close();
    await dir?.remove();
  });

  it('logout ends the session; another user’s login replaces the cached scope with theirs', async () => {
    const core = await createConsoleCore({ dataDir: join(dir.path, 'console'), hubUrl: hub.url });
    try {
      await ok(core, 'session.login', { username: 'ana', password: 'demo' });
      const anaCases = (await ok(core, 'cases.list', { limit: 10_000 })).items.map((i) => i.id);

      const sessionEvents = record(core, 'session:changed');
      expect(await ok(core, 'session.logout', {})).toBeNull();
      expect(sessionEvents).toEqual([{ user: null }]);
      expect(await ok(core, 'session.current', {})).toBeNull();
      expect(await call(core, 'sync.now', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });

      await ok(core, 'session.login', { username: 'tess', password: 'demo' });
      const tessFromHub = await hubCases(hub.url, await hubToken(hub.url, 'tess'));
      const tessCached = (await ok(core, 'cases.list', { limit: 10_000 })).items.map((i) => i.id);
      expect(tessCached.sort()).toEqual(tessFromHub.map((c) => c.id).sort());
      expect(tessCached.sort()).not.toEqual(anaCases.sort());
    } finally {
      await core.close();
    }
  });

  it('ends the session at once when an admin signs the user out everywhere, keeping the cache for her next login', async () => {
    const core = await createConsoleCore({ dataDir: join(dir.path, 'console-signed-out'), hubUrl: hub.url });
    try {
      await ok(core, 'session.login', { username: 'ana', password: 'demo' });
      await waitFor(async () => (await ok(core, 'sync.status', {})).connection === 'online', { what: 'the live socket' });
      const sessionEvents = record(core, 'session:changed');
      const admin = { authorization: `Bearer ${await hubToken(hub.url, 'admin')}` };
      const { users } = (await (await fetch(new URL('/api/admin/users', hub.url), { headers: admin })).json()) as { users: { id: string; username: string }[] };
      const ana = users.find((u) => u.username === 'ana')!;
      const response = await fetch(new URL(`/api/admin/users/${ana.id}/sign-out`, hub.url), { method: 'POST', headers: admin });
      expect(response.status).toBe(204);
      // Ended by the live socket, well before the next periodic sync (a minute away).
      await waitFor(() => sessionEvents.some((e) => e.user === null), { timeoutMs: 10_000, what: 'the session to end' });
      expect(await ok(core, 'session.current', {})).toBeNull();
      expect(core.cache.cases.count()).toBeGreaterThan(0);
      await ok(core, 'session.login', { username: 'ana', password: 'demo' });
      expect((await ok(core, 'sync.status', {})).lastError).toBeNull();
    } finally {
      await core.close();
    }
  });

  it('drops a stored session the hub no longer accepts', async () => {
    const dataDir = join(dir.path, 'console-forged');
    const first = await createConsoleCore({ dataDir, hubUrl: hub.url });
    await ok(first, 'session.login', { username: 'ana', password: 'demo' });
    first.cache.meta.set('token', 'forged.token.value');
    await first.close();

    const core = await createConsoleCore({ dataDir, hubUrl: hub.url });
    try {
      await waitFor(async () => (await ok(core, 'session.current', {})) === null, { what: 'the session to be dropped' });
      // The cached rows stay: the same user logging in again keeps them.
      expect(core.cache.cases.count()).toBeGreaterThan(0);
    } finally {
      await core.close();
    }
  });
});

describe('reconnection', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub | null = null;

  beforeAll(async () => {
    dir = await tempDir('switchboard-core-reconnect-');
  });
  afterAll(async () => {
    await hub?.close();
    await dir?.remove();
  });

  // A hub restart (PGlite boot) plus socket.io's reconnect backoff can take a while on a loaded 2-core machine.
  it('reports reconnecting while the hub is down, then online, pulls on reconnect and catches up', async () => {
    hub = await startDemoHub(dir.path);
    const port = Number(new URL(hub.url).port);
    let pulls = 0;
    const countingFetch: typeof fetch = (input, init) => {
      if (String(input).endsWith('/api/sync/pull')) pulls++;
      return fetch(input, init);
    };
    const core = await createConsoleCore({ dataDir: join(dir.path, 'console'), hubUrl: hub.url, fetch: countingFetch });
    try {
      await ok(core, 'session.login', { username: 'ana', password: 'demo' });
      await waitFor(async () => (await ok(core, 'sync.status', {})).connection === 'online', { what: 'online' });
      const states = record(core, 'connection:changed');
      await hub.close();
      hub = null;
      await waitFor(() => states.some((s) => s.state === 'reconnecting'), { what: 'reconnecting' });
      const pullsWhileDown = pulls;

      // Same data, same port: the hub comes back with a change the console has not seen.
      hub = await startLocalHub(dir.path, { port });
      await publishTelemetry(hub.mqttUrl, 'car-0001', 'engine_temp', [120, 120, 120]);
      await waitFor(() => states.at(-1)?.state === 'online', { timeoutMs: 15_000, what: 'online again' });
      const device = await waitFor(
        async () => (await ok(core, 'cases.list', { limit: 10_000 })).items.find((i) => i.deviceId === 'car-0001'),
        { timeoutMs: 5000, what: 'the case opened while away' },
      );
      expect(device.queueName).toBe('Devices');
      // Events missed while away come back only through the cursor: a reconnect must pull.
      await waitFor(() => pulls > pullsWhileDown, { what: 'a pull after reconnecting' });
    } finally {
      await core.close();
    }
  }, 90_000);
});
