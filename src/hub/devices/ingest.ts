/**
 * Telemetry ingest, the one path for MQTT and HTTP: validate, then store the
 * readings and run the device rules in one transaction, so a payload is
 * either wholly ingested or not at all. Payloads of one device are processed
 * one transaction at a time (and the write lock serialises hubs sharing a
 * Postgres), so two quick messages can never open two cases; those that
 * arrive while one runs share the next, in the order they came. Only a device known to exist
 * gets such a lane (known-devices.ts), and only while it has payloads
 * waiting: a flood of messages for unknown devices leaves nothing behind.
 */
import { z } from 'zod';
import { DeviceIdSchema, TelemetryBatchSchema, type TelemetryReading, TelemetryReadingSchema } from '../../shared/domain';
import type { CurrentRules } from '../automation/current-rules';
import { type DeviceFired, readingsReadCustomer, runDeviceRules } from '../automation/device-rules';
import type { Db } from '../db/connect';
import { writeTransaction } from '../db/write';
import { holdRows } from '../db/held-rows';
import { holdDeviceSeen, holdReadings, readReadingContext } from '../repos/devices';
import { createKnownDevices } from './known-devices';

export class TelemetryError extends Error {
  constructor(
    /** `busy`: too many payloads wait for their device to be looked up; the same payload may succeed later. */
    readonly code: 'invalid_payload' | 'unknown_device' | 'busy',
    message: string,
  ) {
    super(message);
    this.name = 'TelemetryError';
  }
}

export interface IngestResult {
  stored: number;
  /** What the device rules did: cases opened, joined or changed, and whom to tell; published after commit. */
  fired: DeviceFired;
}

export interface TelemetryIngest {
  /** Validates and ingests one payload; throws TelemetryError for bad input, which is then stored nowhere. */
  ingest(deviceId: string, payload: unknown): Promise<IngestResult>;
  /** Resolves when every payload accepted so far has been processed (for a graceful close). */
  drain(): Promise<void>;
}

export interface DeviceLanes {
  /** Devices with payloads waiting or being processed: each a lane in memory, dropped when it falls idle. */
  busyDevices(): number;
}

/** Validated readings, oldest first; throws TelemetryError naming the bad field. */
export function parseTelemetry(deviceId: string, payload: unknown): TelemetryReading[] {
  const id = DeviceIdSchema.safeParse(deviceId);
  if (!id.success) throw new TelemetryError('invalid_payload', z.prettifyError(id.error));
  // Parse against the branch the payload claims to be, so errors name the bad field, not "invalid union".
  const parsed = (Array.isArray(payload) ? TelemetryBatchSchema : TelemetryReadingSchema).safeParse(payload);
  if (!parsed.success) throw new TelemetryError('invalid_payload', z.prettifyError(parsed.error));
  const readings = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  return [...readings].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
}

/** At most this many readings share a transaction: a bigger one would hold the device's next payloads back. */
const MAX_BATCH_READINGS = 1_000;

/** Payloads of one device waiting for its lane, to be ingested together. */
interface Batch {
  payloads: { readings: TelemetryReading[]; resolve(result: IngestResult): void; reject(error: unknown): void }[];
  readings: number;
}

export function createTelemetryIngest(db: Db, rules: CurrentRules, onFired: (fired: DeviceFired) => void): TelemetryIngest & DeviceLanes {
  const lanes = new Map<string, Promise<unknown>>();
  /** Per device, the batch still waiting for its lane: a payload that arrives meanwhile joins it. */
  const waiting = new Map<string, Batch>();
  const inFlight = new Set<Promise<unknown>>();
  const devices = createKnownDevices(db);

  async function process(deviceId: string, readings: TelemetryReading[]): Promise<IngestResult> {
    // Read before the transaction: embedded PGlite has one connection, which the transaction holds.
    const current = await rules.get();
    // A reading that fires nothing is BEGIN, one look-up, and one write that commits; one that opens a case, one more look-up.
    return writeTransaction(db, async (tx) => {
      const context = await readReadingContext(tx, deviceId, { customer: readingsReadCustomer(current, readings) });
      if (!context) throw new TelemetryError('unknown_device', `unknown device "${deviceId}"`);
      const writes = holdRows(tx);
      holdReadings(writes, deviceId, readings);
      const run = await runDeviceRules(writes, current, context, readings);
      holdDeviceSeen(writes, deviceId, new Date(readings.at(-1)!.ts), run.health);
      await writes.flush({ last: true });
      return { stored: readings.length, fired: run.settle() };
    });
  }

  /**
   * The payloads that queued while the device's previous transaction ran, in one transaction, in the order they
   * came (each still sorted within itself, as it would be alone). Should it fail, each runs alone, so only a
   * payload that fails by itself fails.
   */
  async function runBatch(deviceId: string, batch: Batch): Promise<void> {
    if (waiting.get(deviceId) === batch) waiting.delete(deviceId);
    const { payloads } = batch;
    try {
      settle(payloads, await process(deviceId, payloads.flatMap((p) => p.readings)));
    } catch (error) {
      if (payloads.length === 1) return payloads[0]!.reject(error);
      for (const p of payloads) await process(deviceId, p.readings).then((alone) => settle([p], alone), p.reject);
    }
  }

  /** A committed transaction's payloads answered, each with its own readings' count, once its firings are announced. */
  function settle(payloads: Batch['payloads'], result: IngestResult): void {
    try {
      // Published only after commit: a console never hears of a case it cannot pull.
      onFired(result.fired);
    } catch (error) {
      for (const p of payloads) p.reject(error);
      return;
    }
    for (const p of payloads) p.resolve({ stored: p.readings.length, fired: result.fired });
  }

  async function ingestOne(deviceId: string, payload: unknown): Promise<IngestResult> {
    const readings = parseTelemetry(deviceId, payload);
    // Taken at once when the device is known, so its payloads keep their order; any other waits for a look-up first.
    if (!lanes.has(deviceId) && !devices.known(deviceId)) {
      const lookup = devices.lookUp(deviceId);
      if (!lookup) throw new TelemetryError('busy', `too many payloads wait for their device to be looked up; "${deviceId}" was refused`);
      if (!(await lookup)) throw new TelemetryError('unknown_device', `unknown device "${deviceId}"`);
    }
    return new Promise<IngestResult>((resolve, reject) => {
      let batch = waiting.get(deviceId);
      if (!batch || batch.readings + readings.length > MAX_BATCH_READINGS) {
        const next: Batch = { payloads: [], readings: 0 };
        batch = next;
        waiting.set(deviceId, next);
        const previous = lanes.get(deviceId) ?? Promise.resolve();
        const run = previous.catch(() => undefined).then(() => runBatch(deviceId, next));
        lanes.set(deviceId, run);
        void run.finally(() => {
          if (lanes.get(deviceId) === run) lanes.delete(deviceId);
        });
      }
      batch.payloads.push({ readings, resolve, reject });
      batch.readings += readings.length;
    });
  }

  return {
    ingest(deviceId, payload) {
      const run = ingestOne(deviceId, payload);
      inFlight.add(run);
      const settled = () => inFlight.delete(run);
      run.then(settled, settled);
      return run;
    },
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    busyDevices: () => lanes.size,
  };
}
