/**
 * A device's readings through the rules, in the transaction that stores them:
 * the device's engine state is read once (with the device), advanced reading
 * by reading (no history is read back), and written once; each firing is
 * carried out (act.ts), with an alert for the console when it opened a case.
 * What they read besides is one statement, and everything they write is held
 * and goes in with the readings in one more.
 */
import { uuidv7 } from 'uuidv7';
import type { Alert, Case, Device, Message, TelemetryReading } from '../../shared/domain';
import type { Plan } from '../../shared/entitlements';
import type { Rule } from '../../shared/rules';
import type { Db } from '../db/connect';
import { type HeldRows, holdRows } from '../db/held-rows';
import { holdAlert } from '../repos/devices';
import { holdDeviceState, readFiringContext } from '../repos/rules';
import { type CustomerFacts, type DeviceState, emptyDeviceState, evaluateReading, evaluateSilence, type Firing, type RuleSet } from '../rules';
import { type Carried, carryOut, contextFiringReads, firingTx, type Notice, openCaseAction, settle } from './act';

export interface DeviceFired {
  /** Cases opened, joined or changed, each with the notes it got and, when opened, its alert; `changed` when the case row itself moved. */
  cases: { case: Case; opened: boolean; changed: boolean; messages: Message[]; alerts: Alert[] }[];
  notices: Notice[];
  /** The device's health after these readings. */
  health: Device['health'];
}

const SEVERITY_HEALTH = { info: 'ok', warning: 'warning', critical: 'critical' } as const satisfies Record<string, Device['health']>;
const RANK: Record<Device['health'], number> = { ok: 0, warning: 1, critical: 2 };
const worse = (a: Device['health'], b: Device['health']) => (RANK[b] > RANK[a] ? b : a);

/** Whether a rule's conditions or subject read the customer: only then is the owner looked up. */
const readsCustomer = (rule: Rule) => rule.customer !== undefined || rule.then.some((a) => a.type === 'open_case' && a.subject.includes('{customer}'));

/** What a device's readings are judged with, read in one statement (repos/devices.ts readReadingContext). */
export interface ReadingContext {
  device: Device;
  /** The device's engine state; null before its first reading. */
  state: DeviceState | null;
  ownerPlan: Plan | null;
  /** The owner's facts, when a rule the readings reach reads them. */
  customer: CustomerFacts | null;
}

/** The rules a device's readings may reach read the customer: their facts are then read with the device. */
export const readingsReadCustomer = (rules: RuleSet, readings: TelemetryReading[]) => readings.some((r) => (rules.byMetric.get(r.metric) ?? []).some(readsCustomer));

/** What the rules did, once the transaction's held rows are written (`settle`); the device's health at once. */
export interface DeviceRun {
  health: Device['health'];
  settle(): DeviceFired;
}

/** No rule fired: nothing to carry out, the device well as far as these rules go. */
const NOTHING_FIRED: DeviceRun = { health: 'ok', settle: () => ({ cases: [], notices: [], health: 'ok' }) };

/** The readings through the rules; the state and everything the firings write are held in `writes`. */
export async function runDeviceRules(writes: HeldRows, rules: RuleSet, context: ReadingContext, readings: TelemetryReading[]): Promise<DeviceRun> {
  const { device } = context;
  const relevant = readings.flatMap((r) => rules.byMetric.get(r.metric) ?? []);
  // Silence rules need every device's latest reading, whatever its metric.
  if (relevant.length === 0 && rules.silence.length === 0) return NOTHING_FIRED;
  let state: DeviceState = context.state ?? emptyDeviceState(device.id, device.lastTelemetryAt);
  const firings: Firing[] = [];
  for (const reading of readings) {
    const result = evaluateReading(rules, state, { deviceId: device.id, metric: reading.metric, value: reading.value, ts: reading.ts }, context.customer);
    state = result.state;
    firings.push(...result.firings);
  }
  holdDeviceState(writes, state);
  const run = await carryOutAll(writes, device, context.ownerPlan, firings);
  // Still beyond a threshold (a streak under way, an excursion that fired): the device is not well.
  const beyond = Object.values(state.rules).some((r) => r.streak > 0 || r.fired);
  const health = worse(run.health, beyond ? 'warning' : 'ok');
  return { health, settle: () => ({ ...run.settle(), health }) };
}

/** The silence rules on a clock tick, over every device's state: the firings carried out, the states that moved saved. */
export async function runSilenceRules(tx: Db, rules: RuleSet, states: DeviceState[], deviceOf: (id: string) => Promise<Device | null>, now: Date): Promise<DeviceFired[]> {
  if (rules.silence.length === 0) return [];
  const result = evaluateSilence(rules, states, now);
  const byDevice = new Map<string, Firing[]>();
  for (const firing of result.firings) if (firing.deviceId) byDevice.set(firing.deviceId, [...(byDevice.get(firing.deviceId) ?? []), firing]);
  const writes = holdRows(tx);
  for (const moved of result.states) holdDeviceState(writes, moved);
  const runs: DeviceRun[] = [];
  for (const [deviceId, firings] of byDevice) {
    const device = await deviceOf(deviceId);
    if (device) runs.push(await carryOutAll(writes, device, null, firings));
  }
  await writes.flush();
  return runs.map((run) => run.settle());
}

async function carryOutAll(writes: HeldRows, device: Device, ownerPlan: Plan | null, firings: Firing[]): Promise<DeviceRun> {
  if (firings.length === 0) return NOTHING_FIRED;
  // What the firings read, in one statement: their rules' open cases for the device, the queues, and what opening a case reads.
  const context = await readFiringContext(writes.tx, {
    openCases: firings.filter((f) => openCaseAction(f)?.join).map((f) => ({ ruleId: f.ruleId, subjectKey: f.subjectKey })),
    opening: firings.some((f) => openCaseAction(f) !== undefined),
  });
  const ftx = firingTx(writes.tx, contextFiringReads(writes.tx, context), writes);
  let health: Device['health'] = 'ok';
  const done: { carried: Carried; alert: Alert | null }[] = [];
  for (const firing of firings) {
    const carried = await carryOut(ftx, firing, { channel: 'device', customerId: device.ownerId, deviceId: device.id, language: 'en', sentiment: null, plan: ownerPlan, author: device.id });
    const severity = openCaseAction(firing)?.severity ?? 'warning';
    health = worse(health, SEVERITY_HEALTH[severity]);
    const last = firing.readings.at(-1);
    // An alert when a case opens; a firing that joins it adds its readings as a note.
    const alert: Alert | null =
      carried.opened && carried.caseId && carried.noteId && firing.metric && last
        ? { id: uuidv7(), deviceId: device.id, ruleId: firing.ruleId, caseId: carried.caseId, metric: firing.metric, value: last.value, message: openCaseAction(firing)!.subject, at: new Date().toISOString() }
        : null;
    if (alert) holdAlert(writes, alert);
    done.push({ carried, alert });
  }
  return {
    health,
    settle() {
      const fired: DeviceFired = { cases: [], notices: [], health };
      for (const { carried, alert } of done) {
        const acted = settle(ftx, carried);
        fired.notices.push(...acted.notices);
        if (!acted.case) continue;
        // A case touched twice in one payload is announced once, as it ended, with every note and alert.
        const entry = fired.cases.find((c) => c.case.id === acted.case!.id);
        if (entry) {
          entry.changed ||= acted.changed;
          entry.case = acted.case;
          entry.opened ||= acted.opened;
        }
        const target = entry ?? { case: acted.case, opened: acted.opened, changed: acted.changed, messages: [], alerts: [] };
        target.messages.push(...acted.messages);
        if (alert) target.alerts.push(alert);
        if (!entry) fired.cases.push(target);
      }
      return fired;
    },
  };
}
