/**
 * Rows as JSON (src/hub/db/json-rows.ts), on both backends: what insertRows
 * stores and gives back is what drizzle's own insert and select give — times,
 * json, booleans, doubles, nulls, the columns' defaults for keys left out, the
 * sequence's rev — an upsert takes the conflicting row, and a row read as
 * `to_jsonb` decodes to drizzle's row.
 */
import { eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { insertRows, rowFromJson } from '../../src/hub/db/json-rows';
import { customerIdentities, customers, mentions } from '../../src/hub/db/schema';
import { backends, databaseOf } from './backends';

const customer = (name: string, extra: Partial<typeof customers.$inferInsert> = {}): typeof customers.$inferInsert => ({
  id: uuidv7(),
  name,
  email: null,
  phone: '+3545551234',
  handles: { x: `@${name}`, mastodon: `@${name}@example.social` },
  plan: 'premium',
  lifetimeValue: 1234.5,
  influence: 0.25,
  language: 'is',
  preferredChannel: 'x',
  consent: true,
  ...extra,
});

describe.each(backends)('rows as JSON on $name', (backend) => {
  const database = databaseOf(backend);

  it('inserts rows in one statement and gives back what drizzle’s select reads, defaults and all', async () => {
    const db = database.db;
    // The second leaves plan_on_record and do_not_engage out (their defaults), the third sets them: two shapes.
    const rows = [customer('helga'), customer('jon', { email: 'jon@example.is', doNotEngage: undefined }), customer('ana', { planOnRecord: false, doNotEngage: true, createdAt: new Date('2026-01-02T03:04:05.678Z') })];
    const returned = await insertRows(db, customers, rows, { returning: true });
    const selected = await db.select().from(customers).where(sql`${customers.id} IN (${sql.join(rows.map((r) => sql`${r.id}`), sql`, `)})`);
    expect(returned).toHaveLength(3);
    for (const row of returned) expect(row).toEqual(selected.find((s) => s.id === row.id));

    const [helga, jon, ana] = rows.map((r) => returned.find((x) => x.id === r.id)!);
    expect(helga).toMatchObject({ name: 'helga', handles: { x: '@helga', mastodon: '@helga@example.social' }, lifetimeValue: 1234.5, influence: 0.25, consent: true, planOnRecord: true, doNotEngage: false, email: null, version: 1 });
    expect(jon!.email).toBe('jon@example.is');
    expect(ana).toMatchObject({ planOnRecord: false, doNotEngage: true, createdAt: new Date('2026-01-02T03:04:05.678Z') });
    expect(helga!.createdAt).toBeInstanceOf(Date);
    // Revs from the sequence, in the rows' order.
    expect(typeof helga!.rev).toBe('number');
    expect(new Set(returned.map((r) => r.rev)).size).toBe(3);
  });

  it('returns only the keys asked for, upserts on conflict, and leaves nothing of a failed statement', async () => {
    const db = database.db;
    const [owner, other] = await insertRows(db, customers, [customer('dewi'), customer('eko')], { returning: ['id'] });
    expect(Object.keys(owner!)).toEqual(['id']);
    await insertRows(db, customerIdentities, [{ channel: 'x', value: 'dewi', customerId: owner!.id }]);
    const onConflict = 'ON CONFLICT (channel, value) DO UPDATE SET customer_id = excluded.customer_id';
    await insertRows(db, customerIdentities, [{ channel: 'x', value: 'dewi', customerId: other!.id }], { onConflict });
    expect((await db.select().from(customerIdentities).where(eq(customerIdentities.value, 'dewi'))).map((r) => r.customerId)).toEqual([other!.id]);

    const id = uuidv7();
    const mention = { id, channel: 'x', author: '@nina', body: 'hi', externalId: `m-${id}`, language: 'en', at: new Date('2026-11-30T10:00:00Z'), replyContext: { conversation: ['a', 'b'] } };
    const [stored] = await insertRows(db, mentions, [mention], { returning: ['id', 'rev', 'at', 'replyContext', 'status'] });
    expect(stored).toMatchObject({ id, at: new Date('2026-11-30T10:00:00Z'), replyContext: { conversation: ['a', 'b'] }, status: 'new' });
    // The same id again: the statement fails whole, and the first row stays as it was.
    await expect(insertRows(db, mentions, [{ ...mention, id: uuidv7() }, { ...mention, body: 'changed' }])).rejects.toThrow();
    expect((await db.select().from(mentions).where(eq(mentions.externalId, mention.externalId))).map((r) => r.body)).toEqual(['hi']);
  });

  it('decodes a row read as to_jsonb as drizzle’s select does', async () => {
    const db = database.db;
    const [row] = await insertRows(db, customers, [customer('siti', { email: 'siti@example.id', planOnRecord: false })], { returning: true });
    const read = (await db.execute(sql`SELECT to_jsonb(c) AS json FROM customers c WHERE c.id = ${row!.id}`)) as unknown as { rows: { json: unknown }[] };
    const json = read.rows[0]!.json;
    const decoded = rowFromJson(customers, (typeof json === 'string' ? JSON.parse(json) : json) as Record<string, unknown>);
    expect(decoded).toEqual(row);
  });

  it('refuses a value it cannot carry as JSON, naming the column', async () => {
    await expect(insertRows(database.db, customers, [customer('ivan', { version: sql`1 + 1` as unknown as number })])).rejects.toThrow(/customers\.version is SQL/);
  });
});
