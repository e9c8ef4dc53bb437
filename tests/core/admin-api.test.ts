/**
 * The admin screen's and audit log's calls through the console core against
 * a real hub: each is forwarded to the hub and answers with its word; bad
 * input is refused by the contract's schema before any request; the hub
 * refuses an agent; offline the calls fail as unavailable, never queued.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import { type ConsoleCore, createConsoleCore } from '../../src/main/core';
import type { Case } from '../../src/shared/domain';
import { call, consoleDir, goOffline, loginVia, ok, type ProxiedConsole, proxiedConsole } from './console-fixture';
import { tempDir } from './fixtures';
import { hubCases, hubToken, startDemoHub, waitFor } from './hub-fixture';

describe('admin and audit calls through the console core', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let admin: ConsoleCore;
  /** Requests the admin's core made to the hub's admin and audit API. */
  const adminRequests: string[] = [];
  const consoles: ProxiedConsole[] = [];

  beforeAll(async () => {
    dir = await tempDir('switchboard-admin-api-');
    hub = await startDemoHub(dir.path);
    const counting: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (/^\/api\/(admin|audit)/.test(url.pathname)) adminRequests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
      return fetch(input, init);
    };
    admin = await createConsoleCore({ dataDir: join(dir.path, 'admin'), hubUrl: hub.url, fetch: counting, resyncIntervalMs: 3_600_000 });
    await ok(admin, 'session.login', { username: 'admin', password: 'demo' });
    await waitFor(async () => (await ok(admin, 'sync.status', {})).online, { timeoutMs: 10_000, what: 'admin online' });
  });
  afterAll(async () => {
    for (const c of consoles) await c.close();
    await admin?.close();
    await hub?.close();
    await dir?.remove();
  });

  it('forwards users, queues and members to the hub, and reads the audit log with names', async () => {
    const before = await ok(admin, 'admin.users.list', {});
    expect(before.map((u) => u.username)).toContain('ana');

    const nora = await ok(admin, 'admin.users.create', { username: 'nora', name: 'Nora Lind', role: 'agent', password: 'correct horse', skills: ['sv', 'billing'] });
    expect(nora).toMatchObject({ username: 'nora', skills: ['sv', 'billing'], capacity: 10, queueIds: [] });
    const taken = await call(admin, 'admin.users.create', { username: 'nora', name: 'Other', role: 'agent', password: 'correct horse' });
    expect(taken).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'the username "nora" is taken' } });

    expect(await ok(admin, 'admin.users.update', { id: nora.id, patch: { capacity: 4, skills: ['sv'] } })).toMatchObject({ capacity: 4, skills: ['sv'] });
    const queue = await ok(admin, 'admin.queues.create', { name: 'Loyalty', description: 'Points and rewards' });
    expect(await ok(admin, 'admin.queues.update', { id: queue.id, patch: { name: 'Loyalty club' } })).toMatchObject({ name: 'Loyalty club', version: 2 });
    expect(await ok(admin, 'admin.queues.setMembers', { id: queue.id, userIds: [nora.id] })).toEqual({ queueId: queue.id, userIds: [nora.id] });
    expect((await ok(admin, 'admin.users.list', {})).find((u) => u.id === nora.id)?.queueIds).toEqual([queue.id]);
    expect(await ok(admin, 'admin.users.setPresence', { id: nora.id, state: { presence: 'away', reason: 'Training' } })).toMatchObject({ userId: nora.id, presence: 'away', reason: 'Training' });
    expect(await ok(admin, 'admin.users.signOut', { id: nora.id })).toBeNull();

    // The names come from the console's cache, which the pull fills with the new user and queue.
    await ok(admin, 'sync.now', {});
    const created = await ok(admin, 'audit.list', { action: 'user.create' });
    expect(created.entries.map((e) => e.entityId)).toEqual([nora.id]);
    expect(created.names[nora.id]).toBe('Nora Lind');
    const members = await ok(admin, 'audit.list', { action: 'queue.members' });
    expect(members.entries[0]).toMatchObject({ entityId: queue.id, after: { userIds: [nora.id] } });
    expect(members.names[queue.id]).toBe('Loyalty club');
    const all = await ok(admin, 'audit.list', { limit: 3 });
    expect(all.entries.map((e) => e.action)).toEqual(['user.sign_out', 'presence.override', 'queue.members']);
    expect(all.more).toBe(true);
  });

  it('filters the audit log by case number and exports the same filter as CSV', async () => {
    const token = await hubToken(hub.url, 'admin');
    const [first, second] = (await hubCases(hub.url, token)).filter((c: Case) => c.status === 'open' || c.status === 'new');
    const queues = await ok(admin, 'queues.list', {});
    const other = (c: Case) => queues.find((q) => q.id !== c.queueId)!.id;
    await ok(admin, 'cases.reassign', { caseIds: [first!.id], queueId: other(first!), note: 'wrong queue' });
    await ok(admin, 'cases.reassign', { caseIds: [second!.id], queueId: other(second!) });
    await ok(admin, 'sync.now', {});

    const byNumber = await ok(admin, 'audit.list', { case: `#${first!.number}` });
    expect(byNumber.entries).toHaveLength(1);
    expect(byNumber.entries[0]).toMatchObject({ action: 'case.assign', entityId: first!.id, reason: 'wrong queue' });
    expect(byNumber.names[first!.id]).toBe(`#${first!.number}`);
    expect((await ok(admin, 'audit.list', { case: second!.id })).entries.map((e) => e.entityId)).toEqual([second!.id]);
    expect(await call(admin, 'audit.list', { case: '#99999999' })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const csv = await ok(admin, 'audit.export', { case: String(first!.number) });
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,at,actorId,action,entity,entityId,before,after,reason');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`case.assign,case,${first!.id}`);
    expect(lines[1]).toMatch(/,wrong queue$/);
    const assigns = (await ok(admin, 'audit.export', { action: 'case.assign' })).trimEnd().split('\r\n');
    expect(assigns).toHaveLength(3);
  });

  it("moves an agent into a queue: her console pulls the queue's cases at once, not at the next timed sync", async () => {
    const ana = await proxiedConsole(hub.url, consoleDir(dir.path, 'ana'));
    consoles.push(ana);
    await loginVia(ana, 'ana');
    const anaId = (await ok(ana.core, 'session.current', {}))!.user.id;
    const support = (await ok(admin, 'queues.list', {})).find((q) => q.name === 'Support')!;
    const inSupport = () => ana.core.cache.cases.queue({ queueId: support.id, limit: 1 }).total;
    expect(inSupport()).toBe(0);
    const members = (await ok(admin, 'admin.users.list', {})).filter((u) => u.queueIds.includes(support.id)).map((u) => u.id);
    await ok(admin, 'admin.queues.setMembers', { id: support.id, userIds: [...members, anaId] });
    // The console's timed sync is an hour away (proxiedConsole): only the hub's word brings these now.
    await waitFor(() => inSupport() > 0, { timeoutMs: 10_000, what: "Support's cases on ana's console" });
    await ok(admin, 'admin.queues.setMembers', { id: support.id, userIds: members });
    await waitFor(() => inSupport() === 0, { timeoutMs: 10_000, what: "Support's cases gone from ana's console" });
  });

  it('refuses bad input before any request to the hub', async () => {
    const sent = adminRequests.length;
    const refusals = await Promise.all([
      call(admin, 'admin.users.create', { username: 'Bad Name', name: 'X', role: 'agent', password: 'short' }),
      call(admin, 'admin.users.create', { username: 'okname', name: 'X', role: 'boss' as 'agent', password: 'long enough' }),
      call(admin, 'admin.users.update', { id: 'not-an-id', patch: { capacity: 3 } }),
      call(admin, 'admin.users.update', { id: '01890000-0000-7000-8000-000000000000', patch: {} }),
      call(admin, 'admin.users.setPresence', { id: '01890000-0000-7000-8000-000000000000', state: { presence: 'away' } }),
      call(admin, 'admin.queues.create', { name: '' }),
      call(admin, 'admin.queues.setMembers', { id: '01890000-0000-7000-8000-000000000000', userIds: ['nobody'] }),
      call(admin, 'audit.list', { action: 'case.delete' as 'case.assign' }),
      call(admin, 'audit.export', { since: 'yesterday' }),
    ]);
    for (const refused of refusals) expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(adminRequests.length).toBe(sent);
  });

  it("has an agent's calls refused by the hub, and fails offline without queueing", async () => {
    const dewi = await proxiedConsole(hub.url, consoleDir(dir.path, 'dewi'));
    consoles.push(dewi);
    await loginVia(dewi, 'dewi');
    for (const refused of [
      await call(dewi.core, 'admin.users.list', {}),
      await call(dewi.core, 'admin.users.create', { username: 'sneaky', name: 'Sneaky', role: 'admin', password: 'long enough' }),
      await call(dewi.core, 'audit.list', {}),
      await call(dewi.core, 'audit.export', {}),
    ])
      expect(refused).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await ok(admin, 'admin.users.list', {})).map((u) => u.username)).not.toContain('sneaky');

    await goOffline(dewi);
    expect(await call(dewi.core, 'admin.queues.create', { name: 'Offline' })).toMatchObject({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('offline') } });
    expect((await ok(dewi.core, 'sync.status', {})).pending).toBe(0);
  });
});
