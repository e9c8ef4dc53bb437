/**
 * The console refuses at its API what the hub's push would refuse (the text
 * rules of src/shared/domain.ts), so the user is told at once and nothing is
 * queued to be rejected later.
 */
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningHub } from '../../src/hub/hub';
import { type ConsoleCore, createConsoleCore } from '../../src/main/core';
import type { Mutation } from '../../src/shared/protocol';
import { call, ok } from './console-fixture';
import { tempDir } from './fixtures';
import { startDemoHub, waitFor } from './hub-fixture';

describe('console input rules', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let hub: RunningHub;
  let core: ConsoleCore;
  let caseId: string;
  let queueId: string;

  beforeAll(async () => {
    dir = await tempDir('switchboard-core-input-');
    hub = await startDemoHub(dir.path);
    core = await createConsoleCore({ dataDir: join(dir.path, 'console'), hubUrl: hub.url });
    await ok(core, 'session.login', { username: 'ana', password: 'demo' });
    const [first] = (await ok(core, 'cases.list', { status: 'active' })).items;
    caseId = first!.id;
    queueId = first!.queueId;
  });

  afterAll(async () => {
    await core?.close();
    await hub?.close();
    await dir?.remove();
  });

  it('refuses an over-long subject, tag or language and text with a NUL, queueing nothing', async () => {
    const refused = [
      await call(core, 'cases.update', { id: caseId, fields: { subject: 'x'.repeat(301) } }),
      await call(core, 'cases.create', { subject: 'x'.repeat(301), queueId }),
      await call(core, 'cases.update', { id: caseId, fields: { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) } }),
      await call(core, 'cases.create', { subject: 'Fine', queueId, language: 'not a language' }),
      await call(core, 'cases.addNote', { id: caseId, body: 'call\u0000back' }),
      await call(core, 'cases.reply', { id: caseId, body: 'half \ud800 a pair' }),
    ];
    for (const result of refused) expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const messages = refused.map((r) => (r.ok ? '' : r.error.message));
    expect(messages[0]).toMatch(/300/);
    expect(messages[0]).toMatch(/subject/);
    expect(messages[3]).toMatch(/language/);
    expect(messages[4]).toMatch(/NUL/);
    expect((await ok(core, 'sync.status', {})).pending).toBe(0);
  });

  it('takes a subject at the limit, and so does the hub', async () => {
    const item = await ok(core, 'cases.update', { id: caseId, fields: { subject: 'y'.repeat(300) } });
    expect(item.subject).toBe('y'.repeat(300));
    await waitFor(async () => (await ok(core, 'sync.now', {})).pending === 0, { timeoutMs: 10_000, what: 'the change pushed' });
    expect(await ok(core, 'notices.list', {})).toEqual([]);
    expect((await ok(core, 'cases.get', { id: caseId }))!.case).toMatchObject({ subject: 'y'.repeat(300), pendingChanges: 0 });
  });

  it('sets aside whole a change queued under older, looser rules, and still sends the ones after it', async () => {
    const long = 'z'.repeat(400);
    const { version } = (await ok(core, 'cases.get', { id: caseId }))!.case;
    // As a console of an earlier version queued it offline, when subjects could be longer.
    const outdated = { id: uuidv7(), kind: 'case.update', entityId: caseId, baseVersion: version, payload: { fields: { subject: long } }, createdAt: new Date().toISOString() };
    core.cache.outbox.add(outdated as Mutation);
    await ok(core, 'cases.addNote', { id: caseId, body: 'queued after the outdated change' });

    await waitFor(async () => (await ok(core, 'sync.now', {})).pending === 0, { timeoutMs: 10_000, what: 'the outbox emptied' });
    const notices = await ok(core, 'notices.list', {});
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ id: outdated.id, kind: 'rejected', caseId });
    expect(notices[0]!.text).toMatch(/subject.*300/);
    // Nothing the user typed is lost: the notice keeps the whole subject.
    expect(JSON.stringify(notices[0]!.detail)).toContain(long);
    const detail = (await ok(core, 'cases.get', { id: caseId }))!;
    // The hub's copy (a rev), not only the local one.
    const note = detail.messages.find((m) => m.body === 'queued after the outdated change');
    expect(note).toMatchObject({ direction: 'note' });
    expect(note!.rev).toBeGreaterThan(0);
    expect(detail.case.subject).not.toBe(long);
  });
});
