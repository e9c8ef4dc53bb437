/**
 * Telemetry ingest, the one path for MQTT and HTTP: validate, store, then run
 * the device rules. Readings of one device are processed one batch at a time
 * so two quick messages can never open two cases.
 */
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import { DeviceIdSchema, type Case, type Message, type Priority, type TelemetryReading, TelemetryBatchSchema, TelemetryReadingSchema } from '../../shared/domain';
import type { Db } from '../db/connect';
import { writeTransaction } from '../db/write';
import { findCase, insertCase, insertMessage } from '../repos/cases';
import { findDevice, getRuleState, insertAlert, insertReadings, markDeviceSeen, type Rule, rulesFor, setRuleState } from '../repos/devices';
import type { Alert } from '../../shared/domain';
import { slaDueAt } from './sla';

export class TelemetryError extends Error {
  constructor(
    readonly code: 'invalid_payload' | 'unknown_device',
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

export interface TelemetryIngest {
  /** Validates and ingests one payload; throws TelemetryError for bad input, which is then stored nowhere. */
  ingest(deviceId: string, payload: unknown): Promise<{ stored: number; opened: CaseOpened[] }>;
}

export function parseTelemetry(deviceId: string, payload: unknown): TelemetryReading[] {
  const id = DeviceIdSchema.safeParse(deviceId);
  if (!id.success) throw new TelemetryError('invalid_payload', z.prettifyError(id.error));
  // Parse against the branch the payload claims to be, so errors name the bad field, not "invalid union".
  const parsed = (Array.isArray(payload) ? TelemetryBatchSchema : TelemetryReadingSchema).safeParse(payload);
  if (!parsed.success) throw new TelemetryError('invalid_payload', z.prettifyError(parsed.error));
  const readings = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
  return [...readings].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
}

export function createTelemetryIngest(db: Db, onCaseOpened: (opened: CaseOpened) => void): TelemetryIngest {
  const lanes = new Map<string, Promise<unknown>>();

  async function process(deviceId: string, readings: TelemetryReading[]) {
    const device = await findDevice(db, deviceId);
    if (!device) throw new TelemetryError('unknown_device', `unknown device "${deviceId}"`);
    await insertReadings(db, deviceId, readings);
    const opened: CaseOpened[] = [];
    let crossing = false;
    for (const reading of readings) {
      for (const rule of await rulesFor(db, deviceId, reading.metric)) {
        const crossed = rule.operator === '>' ? reading.value > rule.threshold : reading.value < rule.threshold;
        crossing ||= crossed;
        const result = await applyRule(rule, deviceId, device.ownerId, reading, crossed);
        if (result) opened.push(result);
      }
    }
    const last = readings.at(-1);
    if (last) await writeTransaction(db, (tx) => markDeviceSeen(tx, deviceId, new Date(last.ts), opened.length > 0 ? 'critical' : crossing ? 'warning' : 'ok'));
    return { stored: readings.length, opened };
  }

  async function applyRule(rule: Rule, deviceId: string, ownerId: string | null, reading: TelemetryReading, crossed: boolean) {
    const state = await getRuleState(db, rule.id, deviceId);
    let openCaseId = state.openCaseId;
    if (openCaseId) {
      const open = await findCase(db, openCaseId);
      if (!open || open.status === 'solved' || open.status === 'closed') openCaseId = null;
    }
    const streak = crossed ? state.streak + 1 : 0;
    if (streak < rule.consecutive || openCaseId) {
      await setRuleState(db, rule.id, deviceId, streak, openCaseId);
      return null;
    }
    return writeTransaction(db, async (t) => {
      const now = new Date();
      const symbol = rule.operator === '>' ? 'above' : 'below';
      const subject = `${deviceId}: ${rule.metric} ${symbol} ${rule.threshold} (${reading.value}) for ${rule.consecutive} consecutive readings`;
      const priority = rule.priority as Priority;
      const created = await insertCase(t, {
        id: uuidv7(),
        subject,
        status: 'new',
        priority,
        channel: 'device',
        customerId: ownerId,
        deviceId,
        queueId: rule.queueId,
        assigneeId: null,
        slaDueAt: slaDueAt(priority, now),
        language: 'en',
        sentiment: null,
        tags: ['device-alert', rule.metric],
      });
      const message = await insertMessage(t, {
        id: uuidv7(),
        caseId: created.id,
        direction: 'in',
        channel: 'device',
        author: deviceId,
        body: `Rule "${rule.name}" fired: ${rule.metric} was ${symbol} ${rule.threshold} for ${rule.consecutive} consecutive readings; last reading ${reading.value} at ${reading.ts}.`,
        externalId: null,
      });
      const alert: Alert = {
        id: uuidv7(),
        deviceId,
        ruleId: rule.id,
        caseId: created.id,
        metric: rule.metric,
        value: reading.value,
        message: subject,
        at: now.toISOString(),
      };
      await insertAlert(t, alert);
      await setRuleState(t, rule.id, deviceId, 0, created.id);
      return { case: created, message, alert };
    });
  }

  return {
    async ingest(deviceId, payload) {
      const readings = parseTelemetry(deviceId, payload);
      const previous = lanes.get(deviceId) ?? Promise.resolve();
      const run = previous.catch(() => undefined).then(() => process(deviceId, readings));
      lanes.set(deviceId, run);
      try {
        const result = await run;
        for (const opened of result.opened) onCaseOpened(opened);
        return result;
      } finally {
        if (lanes.get(deviceId) === run) lanes.delete(deviceId);
      }
    },
  };
}
