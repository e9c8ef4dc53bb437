/**
 * A device's readings through the rules, in the transaction that stores them:
 * the device's engine state is read once, advanced reading by reading (no
 * history is read back), and written once; each firing is carried out
 * (act.ts), with an alert for the console when it opened or joined a case.
 */
import { uuidv7 } from 'uuidv7';
import type { Alert, Case, Device, Message, TelemetryReading } from '../../shared/domain';
import type { Rule } from '../../shared/rules';
import type { Db } from '../db/connect';
import { insertAlert } from '../repos/devices';
import { customerFacts, loadDeviceState, saveDeviceState } from '../repos/rules';
import { type DeviceState, emptyDeviceState, evaluateReading, evaluateSilence, type Firing, type RuleSet } from '../rules';
import { type Acted, carryOut, type Notice, queueNames } from './act';

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

export async function runDeviceRules(tx: Db, rules: RuleSet, device: Device, readings: TelemetryReading[]): Promise<DeviceFired> {
  const relevant = readings.flatMap((r) => rules.byMetric.get(r.metric) ?? []);
  // Silence rules need every device's latest reading, whatever its metric.
  if (relevant.length === 0 && rules.silence.length === 0) return { cases: [], notices: [], health: 'ok' };
  let state: DeviceState = (await loadDeviceState(tx, device.id)) ?? emptyDeviceState(device.id, device.lastTelemetryAt);
  const customer = relevant.some(readsCustomer) ? await customerFacts(tx, device.ownerId) : null;
  const firings: Firing[] = [];
  for (const reading of readings) {
    const result = evaluateReading(rules, state, { deviceId: device.id, metric: reading.metric, value: reading.value, ts: reading.ts }, customer);
    state = result.state;
    firings.push(...result.firings);
  }
  await saveDeviceState(tx, state);
  const fired = await carryOutAll(tx, device, firings);
  // Still beyond a threshold (a streak under way, an excursion that fired): the device is not well.
  const beyond = Object.values(state.rules).some((r) => r.streak > 0 || r.fired);
  return { ...fired, health: worse(fired.health, beyond ? 'warning' : 'ok') };
}

/** The silence rules on a clock tick, over every device's state: the firings carried out, the states that moved saved. */
export async function runSilenceRules(tx: Db, rules: RuleSet, states: DeviceState[], deviceOf: (id: string) => Promise<Device | null>, now: Date): Promise<DeviceFired[]> {
  if (rules.silence.length === 0) return [];
  const result = evaluateSilence(rules, states, now);
  const byDevice = new Map<string, Firing[]>();
  for (const firing of result.firings) if (firing.deviceId) byDevice.set(firing.deviceId, [...(byDevice.get(firing.deviceId) ?? []), firing]);
  for (const moved of result.states) await saveDeviceState(tx, moved);
  const out: DeviceFired[] = [];
  for (const [deviceId, firings] of byDevice) {
    const device = await deviceOf(deviceId);
    if (device) out.push(await carryOutAll(tx, device, firings));
  }
  return out;
}

async function carryOutAll(tx: Db, device: Device, firings: Firing[]): Promise<DeviceFired> {
  const fired: DeviceFired = { cases: [], notices: [], health: 'ok' };
  if (firings.length === 0) return fired;
  const queueId = queueNames(tx);
  for (const firing of firings) {
    const acted: Acted = await carryOut(tx, firing, { channel: 'device', customerId: device.ownerId, deviceId: device.id, language: 'en', sentiment: null, author: device.id, caseId: null }, queueId);
    fired.notices.push(...acted.notices);
    const severity = firing.actions.find((a) => a.type === 'open_case')?.severity ?? 'warning';
    fired.health = worse(fired.health, SEVERITY_HEALTH[severity]);
    if (!acted.case) continue;
    const last = firing.readings.at(-1);
    // An alert when a case opens; a firing that joins it adds its readings as a note.
    const alert: Alert | null =
      acted.opened && acted.message && firing.metric && last
        ? { id: uuidv7(), deviceId: device.id, ruleId: firing.ruleId, caseId: acted.case.id, metric: firing.metric, value: last.value, message: acted.case.subject, at: new Date().toISOString() }
        : null;
    if (alert) await insertAlert(tx, alert);
    // A case touched twice in one payload is announced once, as it ended, with every note and alert.
    const entry = fired.cases.find((c) => c.case.id === acted.case!.id);
    if (entry) {
      entry.changed ||= acted.changed;
      entry.case = acted.case;
      entry.opened ||= acted.opened;
    }
    const target = entry ?? { case: acted.case, opened: acted.opened, changed: acted.changed, messages: [], alerts: [] };
    if (acted.message) target.messages.push(acted.message);
    if (alert) target.alerts.push(alert);
    if (!entry) fired.cases.push(target);
  }
  return fired;
}
