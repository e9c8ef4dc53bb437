/**
 * Telemetry ingest, the one path for MQTT and HTTP: validate, then store the
 * readings and run the device rules in one transaction, so a payload is
 * either wholly ingested or not at all. Payloads of one device are processed
 * one at a time (and the write lock serialises hubs sharing a Postgres), so
 * two quick messages can never open two cases. Only a device known to exist
 * gets such a lane (known-devices.ts), and only while it has payloads
 * waiting: a flood of messages for unknown devices leaves nothing behind.
 */
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import {
  type Alert,
  type Case,
  type Device,
  DeviceIdSchema,
  isDone,
  type Message,
  type Priority,
  TelemetryBatchSchema,
  type TelemetryReading,
  TelemetryReadingSchema,
} from '../../shared/domain';
import type { Db } from '../db/connect';
import { writeTransaction } from '../db/write';
import { findCase, insertCase, insertMessage } from '../repos/cases';
import { findDevice, getRuleState, insertAlert, insertReadings, markDeviceSeen, recentReadings, type Rule, rulesFor, setRuleState } from '../repos/devices';
import { createKnownDevices } from './known-devices';
import { slaDueAt } from './sla';

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

export interface CaseOpened {
  case: Case;
  message: Message;
  alert: Alert;
}

export interface IngestResult {
  stored: number;
  opened: CaseOpened[];
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

const crosses = (rule: Rule, value: number) => (rule.operator === '>' ? value > rule.threshold : value < rule.threshold);
const HEALTH_RANK: Record<Device['health'], number> = { ok: 0, warning: 1, critical: 2 };

interface RuleProgress {
  streak: number;
  openCaseId: string | null;
  /** Health this rule implies after the latest reading it saw. */
  health: Device['health'];
}

export function createTelemetryIngest(db: Db, onCaseOpened: (opened: CaseOpened) => void): TelemetryIngest & DeviceLanes {
  const lanes = new Map<string, Promise<unknown>>();
  const inFlight = new Set<Promise<unknown>>();
  const devices = createKnownDevices(db);

  function process(deviceId: string, readings: TelemetryReading[]): Promise<IngestResult> {
    return writeTransaction(db, async (tx) => {
      const device = await findDevice(tx, deviceId);
      if (!device) throw new TelemetryError('unknown_device', `unknown device "${deviceId}"`);
      const ids = await insertReadings(tx, deviceId, readings);
      const rulesByMetric = new Map<string, Rule[]>();
      const progress = new Map<string, RuleProgress>();
      const opened: CaseOpened[] = [];

      for (const [index, reading] of readings.entries()) {
        let rules = rulesByMetric.get(reading.metric);
        if (!rules) rulesByMetric.set(reading.metric, (rules = await rulesFor(tx, deviceId, reading.metric)));
        for (const rule of rules) {
          const state = progress.get(rule.id) ?? (await loadProgress(tx, rule.id, deviceId));
          progress.set(rule.id, state);
          const crossed = crosses(rule, reading.value);
          state.streak = crossed ? state.streak + 1 : 0;
          if (crossed && state.streak >= rule.consecutive && !state.openCaseId) {
            const recent = await recentReadings(tx, deviceId, rule.metric, ids[index]!, rule.consecutive);
            const result = await openCase(tx, rule, device, recent);
            opened.push(result);
            state.openCaseId = result.case.id;
            state.streak = 0;
          }
          state.health = !crossed ? 'ok' : state.openCaseId ? 'critical' : 'warning';
        }
      }

      for (const [ruleId, state] of progress) await setRuleState(tx, ruleId, deviceId, state.streak, state.openCaseId);
      const health = [...progress.values()].reduce<Device['health']>((worst, s) => (HEALTH_RANK[s.health] > HEALTH_RANK[worst] ? s.health : worst), 'ok');
      await markDeviceSeen(tx, deviceId, new Date(readings.at(-1)!.ts), health);
      return { stored: readings.length, opened };
    });
  }

  async function ingestOne(deviceId: string, payload: unknown): Promise<IngestResult> {
    const readings = parseTelemetry(deviceId, payload);
    // Taken at once when the device is known, so its payloads keep their order; any other waits for a look-up first.
    if (!lanes.has(deviceId) && !devices.known(deviceId)) {
      const lookup = devices.lookUp(deviceId);
      if (!lookup) throw new TelemetryError('busy', `too many payloads wait for their device to be looked up; "${deviceId}" was refused`);
      if (!(await lookup)) throw new TelemetryError('unknown_device', `unknown device "${deviceId}"`);
    }
    const previous = lanes.get(deviceId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => process(deviceId, readings));
    lanes.set(deviceId, run);
    try {
      const result = await run;
      // Published only after commit: a console never hears of a case it cannot pull.
      for (const opened of result.opened) onCaseOpened(opened);
      return result;
    } finally {
      if (lanes.get(deviceId) === run) lanes.delete(deviceId);
    }
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

/** The persisted streak, forgetting an open case that has since been solved or closed. */
async function loadProgress(tx: Db, ruleId: string, deviceId: string): Promise<RuleProgress> {
  const state = await getRuleState(tx, ruleId, deviceId);
  let openCaseId = state.openCaseId;
  if (openCaseId) {
    const open = await findCase(tx, openCaseId);
    if (!open || isDone(open.status)) openCaseId = null;
  }
  return { streak: state.streak, openCaseId, health: 'ok' };
}

const formatValue = (value: number) => String(Math.round(value * 100) / 100);

async function openCase(tx: Db, rule: Rule, device: Device, recent: TelemetryReading[]): Promise<CaseOpened> {
  const now = new Date();
  const last = recent.at(-1)!;
  const direction = rule.operator === '>' ? 'above' : 'below';
  const subject = `${device.id}: ${rule.metric} ${direction} ${formatValue(rule.threshold)} (${formatValue(last.value)}) for ${rule.consecutive} consecutive readings`;
  const priority = rule.priority as Priority;
  const created = await insertCase(tx, {
    id: uuidv7(),
    subject,
    status: 'new',
    priority,
    channel: 'device',
    customerId: device.ownerId,
    deviceId: device.id,
    queueId: rule.queueId,
    assigneeId: null,
    slaDueAt: slaDueAt(priority, now),
    language: 'en',
    sentiment: null,
    tags: ['device-alert', rule.metric],
  });
  const lines = recent.map((r) => `- ${r.metric} = ${formatValue(r.value)} at ${r.ts}`);
  const message = await insertMessage(tx, {
    id: uuidv7(),
    caseId: created.id,
    direction: 'in',
    channel: 'device',
    author: device.id,
    body: `Rule "${rule.name}" fired on ${device.id} (${device.model}): ${rule.metric} ${direction} ${formatValue(rule.threshold)} for ${rule.consecutive} consecutive readings.\n${lines.join('\n')}`,
    externalId: null,
  });
  const alert: Alert = {
    id: uuidv7(),
    deviceId: device.id,
    ruleId: rule.id,
    caseId: created.id,
    metric: rule.metric,
    value: last.value,
    message: subject,
    at: now.toISOString(),
  };
  await insertAlert(tx, alert);
  return { case: created, message, alert };
}
