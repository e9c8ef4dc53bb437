/**
 * A change built as JSON by the database (src/hub/db/change-json.ts) is the
 * change the domain mappers give (src/hub/db/rows.ts) of the same row, on both
 * backends: every entity the pull sends, over the demo's rows and rows with
 * every nullable field empty and every awkward value set (times with
 * microseconds, doubles, nested json, quotes, control characters, non-ASCII).
 */
import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { pino } from 'pino';
import { uuidv7 } from 'uuidv7';
import { beforeAll, describe, expect, it } from 'vitest';
import { upsertJson, type WireEntity } from '../../src/hub/db/change-json';
import { toArticle, toCase, toCustomer, toDevice, toMention, toMessage, toQueue, toUser } from '../../src/hub/db/rows';
import { articles, cases, customers, devices, mentions, messages, queues, users } from '../../src/hub/db/schema';
import { loadDemo } from '../../src/hub/demo/load';
import type { Db } from '../../src/hub/db/connect';
import { backends, databaseOf } from './backends';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each pair's mapper takes that table's rows
const entities: [WireEntity, PgTable, (row: any) => { id: string }][] = [
  ['case', cases, toCase],
  ['message', messages, toMessage],
  ['customer', customers, toCustomer],
  ['device', devices, toDevice],
  ['article', articles, toArticle],
  ['queue', queues, toQueue],
  ['user', users, toUser],
  ['mention', mentions, toMention],
];

const awkward = 'Quote " backslash \\ tab \t newline \n bell \u0007 — Þórunn 日本 🙂 </script>';

/** Rows beside the demo's: one with every nullable field empty, one with every one set to something awkward. */
async function seedEdgeRows(db: Db): Promise<void> {
  const [queue] = await db.select({ id: queues.id }).from(queues).limit(1);
  const [agent] = await db.select({ id: users.id }).from(users).limit(1);
  const customerId = uuidv7();
  await db.insert(customers).values([
    { id: customerId, name: awkward, email: null, phone: null, handles: { x: '@a', mastodon: `@${awkward}@example.social` }, plan: 'premium', lifetimeValue: 0.1 + 0.2, influence: 1e-7, language: 'is', preferredChannel: 'x', consent: false },
  ]);
  await db.insert(devices).values([
    { id: 'dev-empty', model: 'M1', serial: 'S1', ownerId: null, health: 'ok', lastTelemetryAt: null, tokenHash: 'h' },
    { id: `dev-${awkward}`, model: awkward, serial: 'S2', ownerId: customerId, health: 'critical', lastTelemetryAt: new Date('2026-03-04T05:06:07.089Z'), tokenHash: 'h' },
  ]);
  const full = uuidv7();
  const empty = uuidv7();
  await db.insert(cases).values([
    { id: empty, subject: 'empty', status: 'new', priority: 'low', channel: 'email', customerId: null, deviceId: null, queueId: queue!.id, assigneeId: null, slaDueAt: null, resolutionDueAt: null, language: 'en', sentiment: null, tags: [], resolution: null },
    {
      id: full,
      subject: awkward,
      status: 'solved',
      priority: 'urgent',
      channel: 'device',
      customerId,
      deviceId: `dev-${awkward}`,
      queueId: queue!.id,
      assigneeId: agent!.id,
      slaDueAt: new Date('2026-12-31T23:59:59.999Z'),
      resolutionDueAt: new Date('1999-01-02T03:04:05.000Z'),
      language: 'ja',
      sentiment: -0.3333333333333333,
      tags: ['a"b', 'ü'],
      resolution: awkward,
      parts: [{ name: awkward, quantity: 3 }],
    },
  ]);
  await db.insert(messages).values([
    { id: uuidv7(), caseId: full, direction: 'in', channel: 'email', author: awkward, body: awkward, externalId: null, attachments: [], delivery: null },
    { id: uuidv7(), caseId: full, direction: 'out', channel: 'x', author: 'a', body: 'b', externalId: 'ext', attachments: [{ id: uuidv7(), fileName: awkward, contentType: 'text/plain', size: 12 }], addressed: false, delivery: { status: 'failed', externalId: null, reason: awkward, attempts: 3, consentOverride: null, at: '2026-02-03T04:05:06.007Z' } },
  ]);
  await db.insert(mentions).values([
    { id: uuidv7(), channel: 'x', author: '@a', body: awkward, externalId: 'm1', language: 'en' },
    { id: uuidv7(), channel: 'bluesky', author: '@b', body: 'b', externalId: 'm2', language: 'is', status: 'converted', customerId, url: 'https://example.test/p', inReplyTo: 'p0', addressed: false, sentiment: 0.75, queueId: queue!.id, caseId: full },
  ]);
  // Microseconds the mapper's Date cannot hold: both must drop them alike.
  await db.execute(sql`UPDATE cases SET updated_at = '2026-05-06 07:08:09.123987+00', sla_due_at = '2026-05-06 07:08:09.000999+00' WHERE id = ${full}`);
}

describe.each(backends)('changes built as JSON by $name', (backend) => {
  const database = databaseOf(backend);
  beforeAll(async () => {
    expect(await loadDemo(database.db, pino({ level: 'silent' }))).toBe(true);
    await seedEdgeRows(database.db);
  });

  it.each(entities)('a %s change is the one its mapper gives, for every row', async (entity, table, map) => {
    const db = database.db;
    const rows = await db.select({ row: table as never, json: upsertJson(entity) }).from(table);
    expect(rows.length).toBeGreaterThan(entity === 'user' || entity === 'queue' || entity === 'article' ? 0 : 1);
    for (const { row, json } of rows as { row: Record<string, unknown>; json: string }[]) {
      const mapped = map(row);
      const expected = { op: 'upsert', entity, id: mapped.id, rev: Number(row.rev), row: JSON.parse(JSON.stringify(mapped)) };
      expect(JSON.parse(json)).toStrictEqual(expected);
    }
  });
});
