/**
 * How few statements a device reading costs, on both backends: rows held
 * (src/hub/db/held-rows.ts) go in as one statement with an UPDATE beside
 * them, an upsert held twice writes once, and nothing is sent before the
 * flush. Then the telemetry path itself, counted through drizzle's logger on
 * the same connection: a reading that fires nothing is one look-up and one
 * write; one that opens a case adds one look-up — and what they wrote is
 * what the rules say (case, rule's open case, note, firing, alert, state,
 * device health). On embedded PGlite the write carries the commit: three
 * messages to its worker in all. Payloads of a device that arrive while its
 * transaction runs share the next one, in the order they came.
 */
import { count, eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCurrentRules } from '../../src/hub/automation/current-rules';
import type { DeviceFired } from '../../src/hub/automation/device-rules';
import { holdRows } from '../../src/hub/db/held-rows';
import { PGliteWorker } from '../../src/hub/db/pglite-proxy';
import { alerts, cases, customers, deviceRuleStates, devices, messages, queues, ruleFirings, ruleOpenCases, telemetry } from '../../src/hub/db/schema';
import { writeTransaction } from '../../src/hub/db/write';
import { createTelemetryIngest } from '../../src/hub/devices/ingest';
import { DEFAULT_RULES_PATH } from '../../src/hub/rules';
import { backends, countingStatements, databaseOf } from './backends';

const customer = (name: string): typeof customers.$inferInsert => ({
  id: uuidv7(),
  name,
  email: null,
  phone: null,
  handles: {},
  plan: 'premium',
  lifetimeValue: 10,
  influence: 0,
  language: 'en',
  preferredChannel: 'email',
  consent: true,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(backends)('a device reading’s writes on $name', (backend) => {
  const database = databaseOf(backend);

  it('holds rows of several tables and an UPDATE, and writes them in one statement; an upsert held twice writes once', async () => {
    const { db, statements } = countingStatements(database.db);
    const owner = customer('ola');
    await db.insert(customers).values(owner);
    await db.insert(devices).values({ id: 'held-1', model: 'Volta', serial: 'S1', ownerId: owner.id, health: 'ok', tokenHash: 'x' });
    const stored = await writeTransaction(db, async (tx) => {
      // Postgres's rev lock comes first: from here on.
      statements.length = 0;
      const writes = holdRows(tx);
      writes.insert(telemetry, { deviceId: 'held-1', metric: 'engine_temp', value: 101, ts: new Date('2026-11-30T10:00:00Z') });
      writes.insert(telemetry, { deviceId: 'held-1', metric: 'engine_temp', value: 102, ts: new Date('2026-11-30T10:00:01Z') });
      const onConflict = { onConflict: 'ON CONFLICT (device_id) DO UPDATE SET state = excluded.state, updated_at = now()', key: 'held-1' };
      writes.insert(deviceRuleStates, { deviceId: 'held-1', state: { n: 1 } }, onConflict);
      writes.insert(deviceRuleStates, { deviceId: 'held-1', state: { n: 2 } }, onConflict);
      writes.statement(sql`UPDATE ${devices} SET health = 'warning' WHERE id = 'held-1'`);
      const queueId = uuidv7();
      writes.insert(queues, { id: queueId, name: `Held ${queueId}`, description: '' }, { returning: true });
      // Nothing is sent until the flush.
      expect(statements).toEqual([]);
      expect(await tx.select({ n: count() }).from(telemetry).where(eq(telemetry.deviceId, 'held-1'))).toEqual([{ n: 0 }]);
      statements.length = 0;
      await writes.flush();
      expect(statements).toHaveLength(1);
      // A second flush with nothing held sends nothing.
      await writes.flush();
      expect(statements).toHaveLength(1);
      return writes.stored(queues, queueId);
    });
    expect(stored).toEqual((await database.db.select().from(queues).where(eq(queues.id, stored!.id)))[0]);
    expect((await database.db.select().from(telemetry).where(eq(telemetry.deviceId, 'held-1'))).map((r) => r.value).sort()).toEqual([101, 102]);
    expect(await database.db.select({ state: deviceRuleStates.state }).from(deviceRuleStates).where(eq(deviceRuleStates.deviceId, 'held-1'))).toEqual([{ state: { n: 2 } }]);
    expect(await database.db.select({ health: devices.health }).from(devices).where(eq(devices.id, 'held-1'))).toEqual([{ health: 'warning' }]);
  });

  it('leaves nothing when the one statement fails', async () => {
    await database.db.insert(devices).values({ id: 'held-2', model: 'Volta', serial: 'S3', ownerId: null, health: 'ok', tokenHash: 'x' });
    const failing = writeTransaction(database.db, async (tx) => {
      const writes = holdRows(tx);
      writes.insert(telemetry, { deviceId: 'held-2', metric: 'm', value: 1, ts: new Date() });
      writes.insert(telemetry, { deviceId: 'held-none', metric: 'm', value: 1, ts: new Date() });
      writes.statement(sql`UPDATE ${devices} SET health = 'critical' WHERE id = 'held-2'`);
      await writes.flush();
    });
    // No such device: the second reading's foreign key fails the statement, the first and the UPDATE with it.
    const error = await failing.then(() => null, (e: unknown) => e as { cause?: { code?: string } });
    expect(error?.cause?.code).toBe('23503');
    expect(await database.db.select({ health: devices.health }).from(devices).where(eq(devices.id, 'held-2'))).toEqual([{ health: 'ok' }]);
    expect(await database.db.select({ n: count() }).from(telemetry).where(eq(telemetry.deviceId, 'held-2'))).toEqual([{ n: 0 }]);
  });

  /** A device of its own owner, the demo rules, and the telemetry ingest on a connection that counts its statements. */
  async function deviceUnderTest(deviceId: string, ownerName: string, from: string) {
    const owner = customer(ownerName);
    await database.db.insert(customers).values(owner);
    // The rule opens its case in the Devices queue.
    if ((await database.db.select().from(queues).where(eq(queues.name, 'Devices'))).length === 0) await database.db.insert(queues).values({ id: uuidv7(), name: 'Devices', description: '' });
    await database.db.insert(devices).values({ id: deviceId, model: 'Volta EV', serial: `S-${deviceId}`, ownerId: owner.id, health: 'ok', tokenHash: 'x' });
    const rules = await createCurrentRules(database.db, { file: DEFAULT_RULES_PATH });
    await rules.get();
    const { db, statements } = countingStatements(database.db);
    const fired: DeviceFired[] = [];
    const ingest = createTelemetryIngest(db, rules, (f) => fired.push(f));
    const at = Date.parse(from);
    const reading = (value: number, i: number) => ({ metric: 'engine_temp', value, ts: new Date(at + i * 1000).toISOString() });
    return { owner, rules, statements, fired, ingest, reading, at };
  }

  it('ingests a reading that fires nothing in one look-up and one write, and one that opens a case with one look-up more', async () => {
    const { owner, rules, statements, fired, ingest, reading, at } = await deviceUnderTest('car-held', 'vera', '2026-11-30T12:00:00Z');
    try {
      // The first payload of a device not yet known to the hub looks it up before its lane: not counted.
      await ingest.ingest('car-held', reading(90, 0));
      // Postgres takes the rev lock first (writeTransaction): one statement more there.
      const lock = backend.name === 'postgres' ? 1 : 0;
      statements.length = 0;
      const sent = vi.spyOn(PGliteWorker.prototype as unknown as { request(message: { op: string; commit?: boolean }): Promise<unknown> }, 'request');
      await ingest.ingest('car-held', reading(112, 1));
      expect(statements, statements.join('\n')).toHaveLength(2 + lock);
      const toWorker = sent.mock.calls.map(([m]) => `${m.op}${m.commit ? '+commit' : ''}`);
      expect(toWorker).toEqual(backend.name === 'pglite' ? ['begin', 'query', 'query+commit'] : []);
      sent.mockRestore();
      await ingest.ingest('car-held', reading(113, 2));
      statements.length = 0;
      const third = await ingest.ingest('car-held', reading(115, 3));
      expect(statements, statements.join('\n')).toHaveLength(3 + lock);

      // What the one write stored is what the rules did.
      const [opened] = third.fired.cases;
      expect(opened).toMatchObject({ opened: true, changed: true, case: { deviceId: 'car-held', customerId: owner.id, priority: 'high', status: 'new', tags: ['device-alert', 'engine_temp'] } });
      expect(opened!.case).toEqual(expect.objectContaining((await database.db.select().from(cases).where(eq(cases.id, opened!.case.id))).map((r) => ({ id: r.id, number: r.number, rev: r.rev }))[0]));
      expect(opened!.messages.map((m) => m.body)).toEqual([expect.stringMatching(/^Opened by rule "Engine overheating" because .*\n- engine_temp = 112 at /)]);
      expect(opened!.alerts).toMatchObject([{ deviceId: 'car-held', ruleId: 'engine-overheating', caseId: opened!.case.id, metric: 'engine_temp', value: 115 }]);
      expect(await database.db.select({ caseId: ruleOpenCases.caseId }).from(ruleOpenCases).where(eq(ruleOpenCases.subjectKey, 'device:car-held'))).toEqual([{ caseId: opened!.case.id }]);
      expect(await database.db.select({ outcome: ruleFirings.outcome, caseId: ruleFirings.caseId }).from(ruleFirings).where(eq(ruleFirings.deviceId, 'car-held'))).toEqual([{ outcome: 'opened', caseId: opened!.case.id }]);
      expect(await database.db.select({ n: count() }).from(alerts).where(eq(alerts.deviceId, 'car-held'))).toEqual([{ n: 1 }]);
      expect(await database.db.select({ n: count() }).from(messages).where(eq(messages.caseId, opened!.case.id))).toEqual([{ n: 1 }]);
      expect(await database.db.select({ n: count() }).from(telemetry).where(eq(telemetry.deviceId, 'car-held'))).toEqual([{ n: 4 }]);
      const [device] = await database.db.select().from(devices).where(eq(devices.id, 'car-held'));
      expect(device).toMatchObject({ health: 'critical', lastTelemetryAt: new Date(at + 3000), version: 5 });

      // A fourth hot reading joins nothing new: the rule has fired (its state says so) until the value drops.
      statements.length = 0;
      const fifth = await ingest.ingest('car-held', reading(116, 4));
      expect(fifth.fired.cases).toEqual([]);
      expect(statements).toHaveLength(2 + lock);
      expect(fired).toHaveLength(5);
    } finally {
      await ingest.drain();
      await rules.close();
    }
  });

  it('ingests the payloads of a device that arrive while its transaction runs in the next one, in the order they came', async () => {
    const { rules, statements, fired, ingest, reading } = await deviceUnderTest('car-burst', 'mira', '2026-11-30T13:00:00Z');
    try {
      await ingest.ingest('car-burst', reading(90, 0));
      const lock = backend.name === 'postgres' ? 1 : 0;
      statements.length = 0;
      // The first payload's transaction is under way (its look-up sent); three more come meanwhile and share the next.
      const first = ingest.ingest('car-burst', reading(100, 1));
      while (statements.length < 1 + lock) await new Promise((r) => setImmediate(r));
      const results = await Promise.all([first, ingest.ingest('car-burst', [reading(112, 2), reading(113, 3)]), ingest.ingest('car-burst', reading(115, 4)), ingest.ingest('car-burst', reading(116, 5))]);
      // Two transactions: one look-up and one write, then one look-up, the firing's look-up and one write.
      expect(statements, statements.join('\n')).toHaveLength(2 + lock + 3 + lock);
      expect(results.map((r) => r.stored)).toEqual([1, 2, 1, 1]);
      // The rule saw them in the order they came: the third hot reading (115) opened one case; the three shared it.
      const opened = results[1]!.fired.cases.filter((c) => c.opened);
      expect(opened).toHaveLength(1);
      expect(opened[0]!.alerts).toMatchObject([{ metric: 'engine_temp', value: 115 }]);
      expect(results[2]!.fired).toBe(results[1]!.fired);
      expect(results[0]!.fired.cases).toEqual([]);
      // Told once per transaction.
      expect(fired).toHaveLength(3);
      expect(await database.db.select({ n: count() }).from(telemetry).where(eq(telemetry.deviceId, 'car-burst'))).toEqual([{ n: 6 }]);
      expect(await database.db.select({ n: count() }).from(cases).where(eq(cases.deviceId, 'car-burst'))).toEqual([{ n: 1 }]);
    } finally {
      await ingest.drain();
      await rules.close();
    }
  });
});
