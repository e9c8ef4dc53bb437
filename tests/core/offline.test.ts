/**
 * Offline first against a real hub: a technician works with the hub
 * unreachable (a loopback proxy the test switches off) while a supervisor
 * changes the same cases; when the network returns every change is either on
 * the hub or shown as a conflict, and console and hub hold the same state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/hub';
import type { Case, Part } from '../../src/shared/domain';
import type { CaseField, CaseFields } from '../../src/shared/protocol';
import { call, consoleDir, goOffline, hubCase, hubFields, hubPush, hubUpdate, loginVia, ok, type ProxiedConsole, proxiedConsole, settle } from './console-fixture';
import articleTexts from '../../resources/demo/articles.json';
import { tempDir } from './fixtures';
import { hubCases, hubToken, startDemoHub, waitFor } from './hub-fixture';

describe('offline first', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let sam: string;
  let tessId: string;
  const consoles: ProxiedConsole[] = [];

  const open = async (name: string) => {
    const c = await proxiedConsole(hub.url, consoleDir(dir.path, name));
    consoles.push(c);
    return c;
  };
  /** Gives tess `n` more cases (with their customers) that she does not have yet. */
  const assignToTess = async (n: number): Promise<Case[]> => {
    const free = (await hubCases(hub.url, sam)).filter((c) => c.assigneeId !== tessId && ['new', 'open', 'pending'].includes(c.status)).slice(0, n);
    const results = await hubPush(hub.url, sam, free.map((c) => ({ kind: 'case.assign', entityId: c.id, baseVersion: c.version, payload: { assigneeId: tessId } })));
    expect(results.every((r) => r.status === 'applied')).toBe(true);
    return Promise.all(free.map(async (c) => (await hubCase(hub.url, sam, c.id)).case));
  };

  beforeAll(async () => {
    dir = await tempDir('switchboard-offline-');
    hub = await startDemoHub(dir.path);
    sam = await hubToken(hub.url, 'sam');
    const tess = await hubToken(hub.url, 'tess');
    tessId = (await hubCases(hub.url, tess))[0]!.assigneeId!;
  });
  afterAll(async () => {
    for (const c of consoles) await c.close();
    await hub?.close();
    await dir?.remove();
  });

  it('shows every change at once offline, keeps it through a restart, and sends it when the hub is back', async () => {
    const c = await open('tess-basic');
    await loginVia(c, 'tess');
    const [target] = await assignToTess(1);
    await ok(c.core, 'sync.now', {});
    expect(c.core.cache.customers.byId(target!.customerId!)).not.toBeNull();

    await goOffline(c);
    const parts: Part[] = [{ name: 'Thermostat', quantity: 1 }];
    const updated = await ok(c.core, 'cases.update', { id: target!.id, fields: { status: 'pending', resolution: 'Replaced the thermostat', parts } });
    expect(updated).toMatchObject({ status: 'pending', resolution: 'Replaced the thermostat', parts, pendingChanges: 1 });
    const note = await ok(c.core, 'cases.addNote', { id: target!.id, body: 'Customer not home, left a card' });
    await ok(c.core, 'drafts.save', { caseId: target!.id, body: 'Dear customer, half a reply' });
    const fresh = await ok(c.core, 'cases.create', { subject: 'Loose wiring found on site', queueId: target!.queueId, priority: 'high', note: 'Found while fixing the thermostat' });
    expect(fresh).toMatchObject({ localOnly: true, assigneeId: tessId, pendingChanges: 2 });
    // The queue answers from the cache with the changes in it.
    const pendingList = await ok(c.core, 'cases.list', { status: 'pending' });
    expect(pendingList.items.map((i) => i.id)).toContain(target!.id);
    const status = await ok(c.core, 'sync.status', {});
    expect(status).toMatchObject({ online: false, pending: 4, conflicts: 0 });

    // The console restarts while still offline: nothing is lost.
    await c.restart();
    const view = await ok(c.core, 'cases.get', { id: target!.id });
    expect(view).toMatchObject({ case: { status: 'pending', pendingChanges: 2 }, draft: 'Dear customer, half a reply' });
    expect(view!.messages.map((m) => m.id)).toContain(note.id);
    expect((await ok(c.core, 'sync.status', {})).pending).toBe(4);

    await settle(c);
    const onHub = await hubCase(hub.url, sam, target!.id);
    expect(onHub.case).toMatchObject({ status: 'pending', resolution: 'Replaced the thermostat', parts });
    expect(onHub.messages.filter((m) => m.body === 'Customer not home, left a card')).toHaveLength(1);
    const created = await hubCase(hub.url, sam, fresh.id);
    expect(created.case).toMatchObject({ subject: 'Loose wiring found on site', assigneeId: tessId, priority: 'high' });
    expect(created.case.number).toBeGreaterThan(0);
    expect(created.messages.map((m) => m.body)).toEqual(['Found while fixing the thermostat']);
    await waitFor(() => c.core.cache.cases.item(fresh.id)?.localOnly === false, { what: 'the hub’s row of the new case' });
    expect(c.core.cache.cases.item(fresh.id)).toMatchObject({ number: created.case.number, pendingChanges: 0 });
  });

  it('has the briefcase offline: the cases, their customers and devices, and the knowledge base with suggestions per case', async () => {
    const c = await open('tess-briefcase');
    await loginVia(c, 'tess');
    await goOffline(c);
    const mine = (await ok(c.core, 'cases.list', {})).items;
    expect(mine.length).toBeGreaterThanOrEqual(5);
    for (const item of mine) {
      if (item.customerId) expect(c.core.cache.customers.byId(item.customerId), `customer of #${item.number}`).not.toBeNull();
      if (item.deviceId) expect(c.core.cache.devices.byId(item.deviceId), `device of #${item.number}`).not.toBeNull();
    }
    const status = await ok(c.core, 'sync.status', {});
    expect(status).toMatchObject({ online: false, cachedCases: mine.length, cachedArticles: articleTexts.length });
    expect(status.lastSyncAt).not.toBeNull();

    // Suggestions put the articles sharing the case's tags first.
    const withTags = mine.filter((i) => i.tags.length > 0);
    expect(withTags.length).toBeGreaterThan(0);
    for (const item of withTags) {
      const view = (await ok(c.core, 'cases.get', { id: item.id }))!;
      expect(view.articles[0]!.tags.some((t) => item.tags.includes(t)), `#${item.number}`).toBe(true);
      const fitting = view.articles.filter((a) => a.tags.some((t) => item.tags.includes(t)));
      expect(fitting.length, `#${item.number} ${item.tags.join(',')}`).toBeGreaterThan(0);
    }
    const found = await ok(c.core, 'articles.search', { query: 'COOLANT pump' });
    expect(found.map((a) => a.title)).toEqual(['Volta EV: engine_temp alert above 110 °C']);
  });

  it('refuses bad input and changes without a session, writing nothing', async () => {
    const c = await open('tess-refusals');
    await loginVia(c, 'tess');
    const [item] = (await ok(c.core, 'cases.list', {})).items;
    const before = c.core.cache.outbox.countPending();
    for (const fields of [{ status: 'done' }, { parts: [{ name: '', quantity: 0 }] }, { owner: 'me' }, {}]) {
      const result = await call(c.core, 'cases.update', { id: item!.id, fields } as never);
      expect(result, JSON.stringify(fields)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(await call(c.core, 'cases.addNote', { id: item!.id, body: '   ' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call(c.core, 'cases.addNote', { id: '01a20000-0000-7000-8000-000000000000', body: 'x' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await ok(c.core, 'session.logout', {});
    expect(await call(c.core, 'cases.update', { id: item!.id, fields: { status: 'solved' } })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await call(c.core, 'cases.addNote', { id: item!.id, body: 'After logout' })).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(c.core.cache.outbox.countPending()).toBe(before);
    expect(c.core.cache.cases.item(item!.id)).toMatchObject({ status: item!.status, pendingChanges: 0 });
  });

  it('200 offline changes across 20 cases against a supervisor’s edits: each applied or a conflict, and one final state', async () => {
    const c = await open('tess-200');
    await loginVia(c, 'tess');
    const cases = await assignToTess(20);
    await ok(c.core, 'sync.now', {});
    await goOffline(c);

    const statuses = ['open', 'pending', 'on_hold'] as const;
    const priorities = ['low', 'normal', 'high', 'urgent'] as const;
    /** The last value the technician gave each field of each case. */
    const mine = new Map<string, Partial<Record<CaseField, unknown>>>();
    const notes: string[] = [];
    let queued = 0;
    const update = async (id: string, fields: CaseFields) => {
      const before = c.core.cache.cases.item(id)!.pendingChanges;
      const after = await ok(c.core, 'cases.update', { id, fields });
      // A field set to the value it already shows is no change and is not queued.
      if (after.pendingChanges > before) queued++;
    };
    for (let i = 0; i < 200; i++) {
      const target = cases[i % 20]!;
      const last = mine.get(target.id) ?? {};
      mine.set(target.id, last);
      switch (i % 5) {
        case 0:
        case 1: {
          const fields = i % 2 ? { status: statuses[i % 3]! } : { priority: priorities[i % 4]! };
          await update(target.id, fields);
          Object.assign(last, fields);
          break;
        }
        case 2: {
          const fields = { tags: [`visit-${i}`], parts: [{ name: `Part ${i}`, quantity: 1 + (i % 3) }] };
          await update(target.id, fields);
          Object.assign(last, fields);
          break;
        }
        case 3: {
          const fields = { resolution: `Step ${i} done` };
          await update(target.id, fields);
          Object.assign(last, fields);
          break;
        }
        default: {
          const body = `Site note ${i}`;
          await ok(c.core, 'cases.addNote', { id: target.id, body });
          notes.push(body);
          queued++;
        }
      }
      // Meanwhile the supervisor works the same cases on the hub.
      if (i % 10 === 0) {
        const theirs = cases[(i / 10) % 20]!;
        const result = await hubUpdate(hub.url, sam, theirs.id, i % 20 === 0 ? { priority: 'urgent' } : { status: 'on_hold', tags: ['escalated'] });
        expect(result.status).toBe('applied');
        await hubPush(hub.url, sam, [{ kind: 'case.note', entityId: theirs.id, baseVersion: 0, payload: { body: `Supervisor note ${i}` } }]);
      }
    }
    expect(queued).toBeGreaterThan(150);
    expect((await ok(c.core, 'sync.status', {})).pending).toBe(queued);

    await settle(c, 60_000);
    const conflicts = await ok(c.core, 'conflicts.list', {});
    expect(conflicts.length).toBeGreaterThan(0);
    for (const target of cases) {
      const onHub = await hubCase(hub.url, sam, target.id);
      for (const [field, value] of Object.entries(mine.get(target.id)!)) {
        const conflict = conflicts.find((x) => x.caseId === target.id && x.field === field);
        if (conflict) {
          expect(conflict.yours, `${field} of ${target.id}`).toEqual(value);
          expect(conflict.theirs).toEqual(onHub.case[field as CaseField]);
        } else {
          expect(onHub.case[field as CaseField], `${field} of ${target.id}`).toEqual(value);
        }
      }
      // The same state on both sides: the console's row is the hub's, its conversation the hub's.
      const local = c.core.cache.cases.item(target.id)!;
      expect(hubFields(local)).toEqual(hubFields(onHub.case));
      expect(local).toMatchObject({ pendingChanges: 0 });
      expect(c.core.cache.messages.ofCase(target.id).map((m) => [m.id, m.body])).toEqual(onHub.messages.map((m) => [m.id, m.body]));
    }
    const hubNotes = (await Promise.all(cases.map((t) => hubCase(hub.url, sam, t.id)))).flatMap((d) => d.messages.map((m) => m.body));
    for (const body of notes) expect(hubNotes.filter((b) => b === body)).toHaveLength(1);
  });

  it('keeps the user’s value or takes the hub’s, as they decide', async () => {
    const c = await open('tess-conflict');
    await loginVia(c, 'tess');
    const [a, b] = await assignToTess(2);
    await ok(c.core, 'sync.now', {});
    await goOffline(c);
    await ok(c.core, 'cases.update', { id: a!.id, fields: { status: 'solved' } });
    await ok(c.core, 'cases.update', { id: b!.id, fields: { status: 'solved' } });
    await hubUpdate(hub.url, sam, a!.id, { status: 'on_hold' });
    await hubUpdate(hub.url, sam, b!.id, { status: 'on_hold' });
    await settle(c);

    const [ca] = await ok(c.core, 'conflicts.list', { caseId: a!.id });
    expect(ca).toMatchObject({ field: 'status', yours: 'solved', theirs: 'on_hold' });
    // Until the user decides, the screen shows the hub's value and the conflict keeps theirs.
    expect(await ok(c.core, 'cases.get', { id: a!.id })).toMatchObject({ case: { status: 'on_hold', conflicts: 1 }, conflicts: [{ yours: 'solved' }] });

    await ok(c.core, 'conflicts.resolve', { id: ca!.id, keep: 'mine' });
    expect(c.core.cache.cases.item(a!.id)).toMatchObject({ status: 'solved', conflicts: 0 });
    const [cb] = await ok(c.core, 'conflicts.list', { caseId: b!.id });
    await ok(c.core, 'conflicts.resolve', { id: cb!.id, keep: 'theirs' });
    await settle(c);
    expect((await hubCase(hub.url, sam, a!.id)).case.status).toBe('solved');
    expect((await hubCase(hub.url, sam, b!.id)).case.status).toBe('on_hold');
    expect(await ok(c.core, 'conflicts.list', {})).toEqual([]);
  });

  it('explains a reassignment made while the technician was offline, and keeps what the hub then refuses', async () => {
    const c = await open('tess-moved');
    await loginVia(c, 'tess');
    const [moved] = await assignToTess(1);
    await ok(c.core, 'sync.now', {});
    await goOffline(c);
    await ok(c.core, 'cases.addNote', { id: moved!.id, body: 'Waited an hour on site' });
    await ok(c.core, 'drafts.save', { caseId: moved!.id, body: 'We will come back on Monday' });
    const ivan = (await (await fetch(new URL('/api/users', hub.url), { headers: { authorization: `Bearer ${sam}` } })).json()) as { users: { id: string; username: string; name: string }[] };
    const to = ivan.users.find((u) => u.username === 'ivan')!;
    await hubPush(hub.url, sam, [{ kind: 'case.assign', entityId: moved!.id, baseVersion: 0, payload: { assigneeId: to.id } }]);

    await settle(c);
    expect(c.core.cache.cases.item(moved!.id)).toBeNull();
    const notices = await ok(c.core, 'notices.list', {});
    const reassigned = notices.find((n) => n.kind === 'reassigned')!;
    expect(reassigned.text).toMatch(new RegExp(`#${moved!.number}.*reassigned.*while you were offline`));
    expect(reassigned.detail).toEqual({ draft: 'We will come back on Monday' });
    const refused = notices.find((n) => n.kind === 'rejected')!;
    expect(refused.text).toMatch(/Internal note.*refused/);
    expect(refused.detail).toMatchObject({ kind: 'case.note', payload: { body: 'Waited an hour on site' } });
    await ok(c.core, 'notices.dismiss', { id: refused.id });
    expect((await ok(c.core, 'notices.list', {})).map((n) => n.id)).toEqual([reassigned.id]);
  });
});
