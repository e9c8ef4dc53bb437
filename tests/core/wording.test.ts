/**
 * The texts the user reads that the hub and the core make carry their key
 * and parameters all the way to the API (src/shared/wording.ts): a hub's
 * refusal (wrong password, a role's 403) through the hub client and
 * dispatch, and a notice the core writes (a case reassigned away) stored
 * with its wording beside the English — which stays for logs and scripts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import type { Case } from '../../src/shared/domain';
import { randomUUID } from 'node:crypto';
import { refusedWording } from '../../src/main/core/notice-wording';
import { rejectionOf } from '../../src/shared/rejections';
import type { Cache } from '../../src/main/core/cache';
import { call, consoleDir, goOffline, loginVia, ok, type ProxiedConsole, proxiedConsole } from './console-fixture';
import { tempDir } from './fixtures';
import { hubCases, hubToken, startDemoHub, waitFor } from './hub-fixture';

describe('keys and parameters beside the English', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  const consoles: ProxiedConsole[] = [];
  const open = async (name: string) => {
    const c = await proxiedConsole(hub.url, consoleDir(dir.path, name));
    consoles.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = await tempDir('switchboard-wording-');
    hub = await startDemoHub(dir.path);
  });
  afterAll(async () => {
    for (const c of consoles) await c.close();
    await hub?.close();
    await dir?.remove();
  });

  it('a hub refusal: wrong password, and a 403 for a role', async () => {
    const ana = await open('ana');
    expect(await call(ana.core, 'session.login', { username: 'ana', password: 'not-the-password' })).toEqual({
      ok: false,
      error: { code: 'unauthorized', message: 'wrong username or password', wording: { key: 'hub.wrongPassword' } },
    });
    await loginVia(ana, 'ana');
    const refused = await call(ana.core, 'audit.list', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'unauthorized', message: 'only supervisors and admins may read the audit log', wording: { key: 'hub.forbiddenRole', params: { roles: 'overseers' } } } });
  });

  it('routing and schema refusals: an offer gone, the hub refusing the input', async () => {
    const ana = await open('ana-routing');
    await loginVia(ana, 'ana');
    // No such offer (lapsed, or someone took the case meanwhile): the hub's 404 carries its key through the core.
    const gone = await call(ana.core, 'routing.accept', { caseId: randomUUID() });
    expect(gone).toMatchObject({ ok: false, error: { code: 'not_found', message: 'no such offer: it lapsed or went to someone else', wording: { key: 'rejection.offerGone' } } });
    // A body the hub's schema refuses: 400 with a general key and zod's English as the detail.
    const token = await hubToken(hub.url, 'ana');
    const response = await fetch(new URL('/api/offers/not-a-case/accept', hub.url), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; wording?: unknown };
    expect(body.wording).toEqual({ key: 'hub.invalidInput', params: { detail: body.message } });
    // The console's own check of the same contract: a general key too.
    expect(await call(ana.core, 'routing.accept', { caseId: 'not-a-case' })).toMatchObject({ ok: false, error: { code: 'invalid_input', wording: { key: 'core.invalidInput' } } });
  });

  it('the sync status says why the last sync failed as a key (the hub unreachable)', async () => {
    const ana = await open('ana-sync');
    await loginVia(ana, 'ana');
    await goOffline(ana);
    expect((await call(ana.core, 'sync.now', {})).ok).toBe(false);
    const status = await ok(ana.core, 'sync.status', {});
    expect(status.lastError).toMatch(/unreachable/);
    expect(status.lastErrorWording).toEqual({ key: 'hub.unreachable', params: { origin: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) } });
    ana.proxy.setOnline(true);
  });

  it('a refused change’s notice keeps the key and facts the hub sent with its reason, the consent detail’s too', () => {
    const cache = {} as Cache;
    const change = { kind: 'presence.set', entityId: 'u1' };
    const noSuch = rejectionOf('noSuch', { what: 'assignee' });
    expect(refusedWording(cache, change, null, { reason: noSuch.text, wording: noSuch.wording }, noSuch.text).params).toMatchObject({ reasonKey: 'rejection.noSuch', reason_what: 'assignee' });
    const tooLong = rejectionOf('replyTooLong', { channel: 'x', limit: 280 });
    expect(refusedWording(cache, change, null, { reason: 'channel', detail: tooLong.text, wording: tooLong.wording }, 'x').params).toMatchObject({
      reasonKey: 'rejection.replyTooLong',
      reason_channel: 'x',
      reason_limit: 280,
    });
    const consent = rejectionOf('consentDoNotEngage', { override: 'no' });
    expect(refusedWording(cache, change, null, { reason: 'consent', detail: consent.text, wording: consent.wording }, 'x').params).toMatchObject({
      reasonKey: 'consent',
      consentDetail: 'the customer is marked do-not-engage',
      consentDetailKey: 'rejection.consentDoNotEngage',
      consent_override: 'no',
    });
    // An older hub sends no wording: its English is shown as it said it (the consent rule's, inside the rule's sentence).
    const older = refusedWording(cache, change, null, { reason: 'no such assignee' }, 'no such assignee').params;
    expect(older).toMatchObject({ reason: 'no such assignee' });
    expect(older).not.toHaveProperty('reasonKey');
    const olderConsent = refusedWording(cache, change, null, { reason: 'consent', detail: 'the customer is marked do-not-engage' }, 'x').params;
    expect(olderConsent).toMatchObject({ reasonKey: 'consent', consentDetail: 'the customer is marked do-not-engage' });
    expect(olderConsent).not.toHaveProperty('consentDetailKey');
  });

  it('a notice the core writes: a case reassigned away, worded by key with its facts', async () => {
    const ana = await open('ana-notice');
    await loginVia(ana, 'ana');
    const sam = await hubToken(hub.url, 'sam');
    const anaId = (await ok(ana.core, 'session.current', {}))!.user.id;
    const [mine] = (await hubCases(hub.url, sam)).filter((c: Case) => c.assigneeId === anaId && !['solved', 'closed'].includes(c.status));
    expect(mine).toBeDefined();
    await waitFor(() => ana.core.cache.cases.item(mine!.id), { what: 'ana holds the case' });
    const response = await fetch(new URL('/api/cases/reassign', hub.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${sam}` },
      body: JSON.stringify({ caseIds: [mine!.id], assigneeId: null }),
    });
    expect(response.status).toBe(200);
    const notice = await waitFor(async () => (await ok(ana.core, 'notices.list', {})).find((n) => n.kind === 'reassigned' && n.caseId === mine!.id), { timeoutMs: 15_000, what: 'the notice' });
    expect(notice.text).toMatch(new RegExp(`^Case #${mine!.number} .* was reassigned to the .* queue`));
    expect(notice.wording).toEqual({
      key: 'notice.reassigned',
      params: { target: 'case', number: mine!.number, subject: mine!.subject, to: 'queue', queue: expect.any(String), offline: 'no', pending: 0, kept: 'no' },
    });
  });
});
