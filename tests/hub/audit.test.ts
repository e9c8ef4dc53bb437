/**
 * The audit log: reassignments, consent overrides and changes, admin changes
 * and sign-outs are recorded (who, when, what, from, to, why) in the
 * transaction of the change; supervisors and admins read and filter it, as
 * JSON or CSV; nobody else may; and the database refuses to change or delete
 * an entry, on either backend.
 */
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { AuditEntry } from '../../src/shared/audit';
import type { Case } from '../../src/shared/domain';
import type { MutationResult, SyncPushResponse } from '../../src/shared/protocol';
import { auditCsv, csvField } from '../../src/shared/audit';
import { listAudit, recordAudit } from '../../src/hub/repos/audit';
import { backends, startTestHub, type TestHub, withDatabase } from './backends';
import { me, pullAll, queuesOf, rowsOf, waitFor } from './helpers';
import { newXUser, postX, tweet, X_BRAND, xActivity } from './x-webhooks';

describe('audit CSV', () => {
  it('quotes what needs quoting and defuses what a spreadsheet would run as a formula', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a, "b"\nc')).toBe('"a, ""b""\nc"');
    expect(csvField('=HYPERLINK("http://evil")')).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField(null)).toBe('');
    expect(csvField({ queueId: 'q' })).toBe('"{""queueId"":""q""}"');
    const csv = auditCsv([{ id: 'i', at: '2026-01-01T00:00:00.000Z', actorId: null, action: 'user.sign_out', entity: 'user', entityId: 'u', before: null, after: null, reason: null }]);
    expect(csv).toBe('id,at,actorId,action,entity,entityId,before,after,reason\r\ni,2026-01-01T00:00:00.000Z,,user.sign_out,user,u,,,\r\n');
  });
});

describe.each(backends)('the audit table on $name', (backend) => {
  it('refuses to change, delete or empty an entry', async () => {
    const storage = await backend.storage();
    try {
      await withDatabase(storage.options, async (db) => {
        await recordAudit(db, [{ actorId: null, action: 'user.sign_out', entity: 'user', entityId: 'someone' }]);
        // drizzle wraps the database's error: its cause is Postgres's own.
        const refused = { cause: { message: 'audit_log is append-only' } };
        await expect(db.execute(sql`UPDATE audit_log SET reason = 'rewritten'`)).rejects.toMatchObject(refused);
        await expect(db.execute(sql`DELETE FROM audit_log`)).rejects.toMatchObject(refused);
        await expect(db.execute(sql`TRUNCATE audit_log`)).rejects.toMatchObject(refused);
        expect(await listAudit(db, { limit: 10 })).toMatchObject([{ action: 'user.sign_out', entityId: 'someone', reason: null }]);
      });
    } finally {
      await storage.dispose();
    }
  });
});

describe.each(backends)('the audit log on $name', (backend) => {
  let hub: TestHub;
  let sam: string;
  let ana: string;
  let admin: string;
  let samId: string;

  beforeAll(async () => {
    hub = await startTestHub(backend);
    [sam, ana, admin] = await Promise.all([hub.login('sam'), hub.login('ana'), hub.login('admin')]);
    samId = (await me(hub, sam)).user.id;
  });
  afterAll(async () => {
    await hub?.close();
  });

  const push = async (token: string, kind: string, entityId: string, payload: object, baseVersion = 1): Promise<MutationResult> => {
    const response = await hub.post('/api/sync/push', { mutations: [{ id: uuidv7(), kind, entityId, baseVersion, payload, createdAt: new Date().toISOString() }] }, token);
    return ((await response.json()) as SyncPushResponse).results[0]!;
  };
  const audit = async (query = '', token = sam) => {
    const response = await hub.get(`/api/audit${query}`, token);
    expect(response.status).toBe(200);
    return ((await response.json()) as { entries: AuditEntry[] }).entries;
  };

  it('records a reassignment with where the case was and where it went, and who moved it', async () => {
    const cases = rowsOf<Case>((await pullAll(hub, sam)).changes, 'case');
    const c = cases.find((row) => row.status !== 'closed' && row.assigneeId === null)!;
    const queues = await queuesOf(hub, sam);
    const target = queues.find((q) => q.id !== c.queueId)!;
    expect(await push(sam, 'case.assign', c.id, { assigneeId: samId, queueId: target.id }, c.version)).toMatchObject({ status: 'applied' });
    const [entry] = await audit('?action=case.assign&limit=1');
    expect(entry).toMatchObject({ actorId: samId, action: 'case.assign', entity: 'case', entityId: c.id, before: { queueId: c.queueId, assigneeId: null }, after: { queueId: target.id, assigneeId: samId } });
    expect(Date.now() - Date.parse(entry!.at)).toBeLessThan(60_000);
  });

  it('records a consent override with its reason, and a change of what the customer agreed to', async () => {
    const post = tweet(newXUser('zoe'), '@switchboard hi', { inReplyToUser: X_BRAND, inReplyToStatus: '1' });
    await postX(hub.url, xActivity({ tweets: [post] }));
    const caseRow = await waitFor(async () => {
      const { changes } = await pullAll(hub, sam);
      const message = rowsOf<{ caseId: string; externalId: string | null }>(changes, 'message').find((m) => m.externalId === post.id_str);
      return message && rowsOf<Case>(changes, 'case').find((c) => c.id === message.caseId);
    });
    expect(await push(ana, 'customer.consent', caseRow.customerId!, { doNotEngage: true })).toMatchObject({ status: 'applied' });
    const reply = await push(sam, 'message.send', caseRow.id, { channel: 'x', body: 'A recall notice.', override: { reason: 'safety recall' } });
    expect(reply).toMatchObject({ status: 'applied' });
    const [override] = await audit('?action=consent.override&limit=1');
    expect(override).toMatchObject({ actorId: samId, entity: 'message', entityId: reply.id, reason: 'safety recall', after: { caseId: caseRow.id, channel: 'x' } });
    const [consent] = await audit('?action=customer.consent&limit=1');
    expect(consent).toMatchObject({ entity: 'customer', entityId: caseRow.customerId, before: { doNotEngage: false }, after: { doNotEngage: true } });
    // A refused override (an agent's) leaves no entry.
    await push(ana, 'message.send', caseRow.id, { channel: 'x', body: 'Again.', override: { reason: 'I insist' } });
    expect((await audit('?action=consent.override')).filter((e) => e.reason === 'I insist')).toEqual([]);
    // The case's own history: the override names the case; the customer's consent is not about it.
    const ofCase = await audit(`?caseId=${caseRow.id}`);
    expect(ofCase.map((e) => e.id)).toContain(override!.id);
    expect(ofCase.map((e) => e.id)).not.toContain(consent!.id);
    expect(ofCase.every((e) => e.entityId === caseRow.id || (e.after as { caseId?: string } | null)?.caseId === caseRow.id)).toBe(true);
  });

  it('records admin changes (never a password) and sign-outs; filters by actor and time; exports CSV', async () => {
    const adminId = (await me(hub, admin)).user.id;
    const since = new Date(Date.now() - 1000).toISOString();
    const created = await hub.post('/api/admin/users', { username: `temp${Date.now()}`, name: 'Temp Agent', role: 'agent', password: 'a-long-password-1' }, admin);
    expect(created.status).toBe(201);
    const user = ((await created.json()) as { user: { id: string } }).user;
    const patched = await fetch(new URL(`/api/admin/users/${user.id}`, hub.url), {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ role: 'supervisor', password: 'another-password-2' }),
    });
    expect(patched.status).toBe(200);
    expect((await hub.post(`/api/admin/users/${user.id}/sign-out`, {}, admin)).status).toBe(204);

    const mine = await audit(`?actor=${adminId}&since=${encodeURIComponent(since)}`);
    expect(mine.map((e) => e.action)).toEqual(['user.sign_out', 'user.update', 'user.create']);
    expect(mine.every((e) => e.entityId === user.id && e.actorId === adminId)).toBe(true);
    expect(mine[1]).toMatchObject({ before: { role: 'agent' }, after: { role: 'supervisor', password: 'reset' } });
    expect(JSON.stringify(mine)).not.toContain('another-password-2');
    expect(JSON.stringify(mine)).not.toContain('argon2');
    expect(await audit(`?actor=${adminId}&until=${encodeURIComponent(since)}`)).toEqual([]);

    const csv = await hub.get(`/api/audit.csv?actor=${adminId}&since=${encodeURIComponent(since)}`, admin);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('id,at,actorId,action,entity,entityId,before,after,reason');
    expect(lines.slice(1).map((l) => l.split(',')[3])).toEqual(['user.sign_out', 'user.update', 'user.create']);
  });

  it('is for supervisors and admins only, and validates its query', async () => {
    expect((await hub.get('/api/audit', ana)).status).toBe(403);
    expect((await hub.get('/api/audit.csv', ana)).status).toBe(403);
    expect((await hub.get('/api/audit')).status).toBe(401);
    expect((await hub.get('/api/audit?action=case.delete', sam)).status).toBe(400);
    expect((await hub.get('/api/audit?limit=0', sam)).status).toBe(400);
    expect((await hub.get('/api/audit?since=yesterday', sam)).status).toBe(400);
    expect((await audit('?limit=10000', admin)).length).toBeGreaterThan(0);
  });
});
