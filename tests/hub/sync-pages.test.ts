/**
 * The pull reads each table a slice at a time (and writes each change's JSON
 * as it reads it) so a page of 5,000 rows never holds the hub's event loop: the pages
 * must be exactly those of one read per table — the same rows, in the same
 * order, the same cursor and hasMore — for a supervisor and for an agent with
 * tombstones and the rows that come along with a case that entered her scope;
 * and the bytes written parse to that page.
 */
import { eq, inArray } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/hub/db/connect';
import { cases, queueMembers, queues, users } from '../../src/hub/db/schema';
import { loadDemo } from '../../src/hub/demo/load';
import { pageJson } from '../../src/hub/http/page-json';
import { reassignCases } from '../../src/hub/repos/reassign';
import type { Actor } from '../../src/hub/repos/scope';
import { PageBytes } from '../../src/hub/repos/page-bytes';
import { type PulledPage, pullChanges, pullPage } from '../../src/hub/repos/sync';
import type { SyncPullResponse } from '../../src/shared/protocol';
import { backends } from './backends';

const LIMIT = 41;

describe.each(backends)('sync pull pages read in slices ($name)', (backend) => {
  let database: Database;
  let dispose: () => Promise<void>;
  let sam: Actor;
  let ana: Actor;

  const actorOf = async (username: string): Promise<Actor> => {
    const [user] = await database.db.select().from(users).where(eq(users.username, username));
    const memberships = await database.db.select({ queueId: queueMembers.queueId }).from(queueMembers).where(eq(queueMembers.userId, user!.id));
    return { id: user!.id, name: user!.name, role: user!.role as Actor['role'], queueIds: memberships.map((m) => m.queueId), sessionEpoch: user!.sessionEpoch };
  };

  /** Every page of a pull from the start, `slice` rows a query. */
  const walk = async (actor: Actor, slice: number): Promise<SyncPullResponse[]> => {
    const pages: SyncPullResponse[] = [];
    let cursor = 0;
    for (;;) {
      const page = await pullChanges(database.db, actor, cursor, LIMIT, slice);
      pages.push(page);
      cursor = page.cursor;
      if (!page.hasMore) return pages;
    }
  };

  beforeAll(async () => {
    const storage = await backend.storage();
    dispose = storage.dispose;
    database = await openDatabase(storage.options);
    await loadDemo(database.db, pino({ level: 'silent' }));
    sam = await actorOf('sam');
    ana = await actorOf('ana');
    // Cases leave Ana's queues (tombstones for her) and others enter them (with their customers, devices and messages).
    const [outside] = await database.db.select({ id: queues.id }).from(queues).where(eq(queues.name, 'Billing'));
    const [inside] = await database.db.select({ id: queues.id }).from(queues).where(eq(queues.name, 'Devices'));
    const hers = await database.db.select({ id: cases.id }).from(cases).where(inArray(cases.queueId, ana.queueIds)).orderBy(cases.number).limit(30);
    const others = await database.db.select({ id: cases.id }).from(cases).where(eq(cases.queueId, outside!.id)).orderBy(cases.number).limit(30);
    await reassignCases(database.db, sam, { caseIds: hers.map((c) => c.id), queueId: outside!.id, assigneeId: null });
    await reassignCases(database.db, sam, { caseIds: others.map((c) => c.id), queueId: inside!.id });
  }, 60_000);

  afterAll(async () => {
    await database?.close();
    await dispose?.();
  });

  it.each([
    ['a supervisor', () => sam],
    ['an agent', () => ana],
  ])('gives %s the pages of one read per table', async (_who, actor) => {
    const whole = await walk(actor(), LIMIT);
    expect(whole.length).toBeGreaterThan(5);
    expect(whole.flatMap((p) => p.changes).some((c) => c.op === 'delete')).toBe(actor() === ana);
    // Slices that do and do not divide the limit, down to one row a query.
    for (const slice of [1, 4, 7]) expect(await walk(actor(), slice)).toEqual(whole);
  });

  it('writes a page as JSON of the page', async () => {
    for (const actor of [sam, ana]) {
      const sent = await pullPage(database.db, actor, 0, LIMIT, 4);
      expect(JSON.parse(pageJson(sent).toString('utf8'))).toStrictEqual(await pullChanges(database.db, actor, 0, LIMIT));
    }
    const bare: PulledPage = { changes: [], cursor: 12, hasMore: false, bytes: new PageBytes() };
    expect(pageJson(bare).toString('utf8')).toBe(JSON.stringify({ changes: [], cursor: 12, hasMore: false }));
    const odd = { op: 'upsert', entity: 'case', id: 'x', rev: 1, row: { subject: 'Ñandú “quoted” \u2028 😀 \\ "' } } as const;
    const page = await pullPage(database.db, ana, 0, LIMIT);
    // A change's bytes are its part of a buffer its slice shares.
    const oddBytes = Buffer.from(`[0,${JSON.stringify(odd)}]]`);
    const unicode: PulledPage = { ...page, changes: [{ rev: 1, bytes: oddBytes, start: 3, end: oddBytes.length - 2 }, ...page.changes] };
    const decoded = await pullChanges(database.db, ana, 0, LIMIT);
    expect(JSON.parse(pageJson(unicode).toString('utf8'))).toStrictEqual({ ...decoded, changes: [odd, ...decoded.changes] });
  });
});
