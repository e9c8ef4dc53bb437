/**
 * A narrower scope empties the cache of what the user may no longer see: an
 * agent taken out of a queue keeps no copy of its cases on their laptop once
 * the console has synced, and gets them back when put in again; their own
 * assignments in that queue stay. Real hub, real SQLite files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import type { Queue } from '../../src/shared/domain';
import { consoleDir, hubPush, loginVia, ok, type ProxiedConsole, proxiedConsole, settle } from './console-fixture';
import { tempDir } from './fixtures';
import { hubCases, hubToken, startDemoHub } from './hub-fixture';

describe('scope changes', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let ana: ProxiedConsole;

  beforeAll(async () => {
    dir = await tempDir('switchboard-rescope-');
    hub = await startDemoHub(dir.path);
    ana = await proxiedConsole(hub.url, consoleDir(dir.path, 'ana'), { pullPageSize: 40 });
  });
  afterAll(async () => {
    await ana?.close();
    await hub?.close();
    await dir?.remove();
  });

  const members = async (queueId: string, userIds: string[], admin: string) => {
    const response = await fetch(new URL(`/api/admin/queues/${queueId}/members`, hub.url), {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userIds }),
    });
    expect(response.status).toBe(200);
  };
  const cachedIn = async (queueId: string) => (await ok(ana.core, 'cases.list', { queueId, limit: 10_000 })).items.map((i) => i.id).sort();

  it('drops the cases of a queue the agent left, keeps her own there, and brings them back when she returns', async () => {
    const [admin, sam] = await Promise.all([hubToken(hub.url, 'admin'), hubToken(hub.url, 'sam')]);
    await loginVia(ana, 'ana');
    await settle(ana);
    const me = await ok(ana.core, 'session.current', {});
    const anaId = me!.user.id;
    const { queues } = (await (await fetch(new URL('/api/queues', hub.url), { headers: { authorization: `Bearer ${sam}` } })).json()) as { queues: Queue[] };
    const social = queues.find((q) => q.name === 'Social')!;

    // One Social case becomes ana's own: it stays in her scope whatever her queues.
    const inSocial = (await hubCases(hub.url, sam)).filter((c) => c.queueId === social.id && c.status !== 'closed');
    const own = inSocial.find((c) => c.assigneeId === null)!;
    expect((await hubPush(hub.url, sam, [{ kind: 'case.assign', entityId: own.id, baseVersion: own.version, payload: { assigneeId: anaId } }]))[0]!.status).toBe('applied');
    await settle(ana);
    const before = await cachedIn(social.id);
    expect(before.length).toBeGreaterThan(3);
    expect(before).toContain(own.id);

    const otherMembers = (await (await fetch(new URL('/api/admin/users', hub.url), { headers: { authorization: `Bearer ${admin}` } })).json()) as {
      users: { id: string; queueIds: string[] }[];
    };
    const socialMembers = otherMembers.users.filter((u) => u.queueIds.includes(social.id)).map((u) => u.id);
    expect(socialMembers).toContain(anaId);
    await members(social.id, socialMembers.filter((id) => id !== anaId), admin);
    await settle(ana);
    // What the hub shows her now is exactly what her console keeps.
    const visible = (await hubCases(hub.url, await hubToken(hub.url, 'ana'))).filter((c) => c.queueId === social.id).map((c) => c.id).sort();
    // Her own assignments there stay (the one just given her among them); the rest of the queue goes.
    expect(visible).toContain(own.id);
    expect(visible.length).toBeLessThan(before.length);
    expect(await cachedIn(social.id)).toEqual(visible);
    // The other queue she is in is untouched.
    const devices = queues.find((q) => q.name === 'Devices')!;
    expect((await cachedIn(devices.id)).length).toBeGreaterThan(0);

    await members(social.id, socialMembers, admin);
    await settle(ana);
    expect(await cachedIn(social.id)).toEqual(before);
  });
});
