/**
 * Carrying out a firing, inside the transaction of what made it fire: open a
 * case (or join the rule's open case for the same subject), set priority or
 * tags, and say whom to notify — then record the firing, so the case shows
 * "Opened by rule … because …". Publishing is the caller's, after commit.
 */
import { uuidv7 } from 'uuidv7';
import type { Case, Channel, Message } from '../../shared/domain';
import type { Action, RuleNotice } from '../../shared/rules';
import type { Db } from '../db/connect';
import { openCaseSla, writeRoutingNote } from '../sla';
import { findCase, insertCase, insertMessage } from '../repos/cases';
import { changeCaseByRule, type FiringOutcome, openCaseOfRule, queueIdsByName, recordFirings, setOpenCaseOfRule } from '../repos/rules';
import { decideCase, type Firing, firingNote, formatValue } from '../rules';

/** What the firing is about: the device's owner and device, or the message's case. */
export interface FiringSubject {
  channel: Channel;
  customerId: string | null;
  deviceId: string | null;
  language: string;
  sentiment: number | null;
  /** Who the note on the case is from: the device, or the rule engine for a message. */
  author: string;
  /** The case the message is on, which actions without open_case change; null for devices. */
  caseId: string | null;
}

/** Whom a notify action tells (src/shared/rules.ts). */
export type Notice = RuleNotice;

export interface Acted {
  outcome: FiringOutcome;
  /** The case as the firing left it (opened, joined or changed), or null. */
  case: Case | null;
  opened: boolean;
  /** The case row itself moved (opened, or priority or tags set): consoles need it again. */
  changed: boolean;
  /** The note posted on the case (opened or joined). */
  message: Message | null;
  notices: Notice[];
}

/** Queue names resolved once per transaction, and only when an action names one. */
export function queueNames(tx: Db): (name: string) => Promise<string | null> {
  let names: Promise<Map<string, string>> | null = null;
  return async (name) => (await (names ??= queueIdsByName(tx))).get(name) ?? null;
}

/** Where a firing's case stands before its other actions: what open_case did (or the case it is about). */
export interface Started {
  case: Case | null;
  outcome: FiringOutcome;
  opened: boolean;
  /** The note posted on the case, if any. */
  message: Message | null;
  /** The firing's add_tags are on the case already (given when it was inserted). */
  tagged: boolean;
  because: string;
}

export const openCaseAction = (firing: Firing) => firing.actions.find((a): a is Extract<Action, { type: 'open_case' }> => a.type === 'open_case');

export async function carryOut(tx: Db, firing: Firing, subject: FiringSubject, queueId: (name: string) => Promise<string | null>): Promise<Acted> {
  return finishFiring(tx, firing, await openStep(tx, firing, subject, queueId), queueId);
}

/** open_case: join the rule's open case for the subject, or open one in the named queue, with the note. */
async function openStep(tx: Db, firing: Firing, subject: FiringSubject, queueId: (name: string) => Promise<string | null>): Promise<Started> {
  const open = openCaseAction(firing);
  if (!open) return { case: subject.caseId ? await findCase(tx, subject.caseId) : null, outcome: 'notified', opened: false, message: null, tagged: false, because: firing.because };
  const existing = open.join ? await openCaseOfRule(tx, firing.ruleId, firing.subjectKey) : null;
  const decision = decideCase(open, existing);
  let caseRow: Case | null = null;
  if (decision.do === 'join') caseRow = await findCase(tx, decision.caseId);
  else {
    const queue = await queueId(open.queue);
    // A queue renamed or deleted since the rules were saved: nothing opens, and the firing says why.
    if (!queue) return { case: null, outcome: 'notified', opened: false, message: null, tagged: false, because: `${firing.because} (no queue named "${open.queue}": no case opened)` };
    const newCaseId = uuidv7();
    // Entitlement routing and the due times of the plan's policy.
    const sla = await openCaseSla(tx, { caseId: newCaseId, customerId: subject.customerId, priority: open.priority, queueId: queue });
    caseRow = await insertCase(tx, {
      id: newCaseId,
      subject: open.subject,
      status: 'new',
      priority: open.priority,
      channel: subject.channel,
      customerId: subject.customerId,
      deviceId: subject.deviceId,
      queueId: sla.queueId,
      assigneeId: null,
      slaDueAt: sla.slaDueAt,
      resolutionDueAt: sla.resolutionDueAt,
      language: subject.language,
      sentiment: subject.sentiment,
      tags: [...new Set(firing.actions.flatMap((a) => (a.type === 'add_tags' ? a.tags : [])))],
    });
    await setOpenCaseOfRule(tx, firing.ruleId, firing.subjectKey, caseRow.id);
    await writeRoutingNote(tx, caseRow.id, subject.channel, sla.note);
  }
  if (!caseRow) return { case: null, outcome: 'notified', opened: false, message: null, tagged: false, because: firing.because };
  const did = decision.do === 'join' ? 'joined' : 'opened';
  const message = await postNote(tx, caseRow, subject.channel, subject.author, `${firingNote(firing, did)}${readingsText(firing)}`);
  return { case: caseRow, outcome: did, opened: did === 'opened', message, tagged: did === 'opened', because: firing.because };
}

/** A rule's note on a case, as an inbound line of its channel. */
export function postNote(tx: Db, caseRow: Case, channel: Channel, author: string, body: string): Promise<Message> {
  return insertMessage(tx, { id: uuidv7(), caseId: caseRow.id, direction: 'in', channel, author, body, externalId: null });
}

/** The firing's other actions on the case it started with (priority, tags, notify), then the firing recorded. */
export async function finishFiring(tx: Db, firing: Firing, start: Started, queueId: (name: string) => Promise<string | null>): Promise<Acted> {
  const tags = firing.actions.flatMap((a) => (a.type === 'add_tags' ? a.tags : []));
  const priority = firing.actions.findLast((a): a is Extract<Action, { type: 'set_priority' }> => a.type === 'set_priority')?.priority;
  let { case: caseRow, outcome } = start;
  let changed = false;
  if (caseRow && (priority || (tags.length > 0 && !start.tagged))) {
    const after = await changeCaseByRule(tx, caseRow, { priority, tags: start.tagged ? undefined : tags });
    changed = after !== caseRow;
    if (changed && outcome === 'notified') outcome = 'updated';
    caseRow = after;
  }

  const notices: Notice[] = [];
  for (const action of firing.actions) {
    if (action.type !== 'notify') continue;
    const queue = action.queue ? await queueId(action.queue) : null;
    if (action.queue && !queue) continue;
    notices.push({ queueId: queue, role: action.role ?? null, ruleId: firing.ruleId, ruleName: firing.ruleName, because: start.because, caseId: caseRow?.id ?? null, caseNumber: caseRow?.number ?? null });
  }

  await recordFirings(tx, [{ firing: { ...firing, because: start.because }, caseId: caseRow?.id ?? null, outcome }]);
  return { outcome, case: caseRow, opened: start.opened, changed: changed || start.opened || start.outcome === 'updated', message: start.message, notices };
}

/** The readings that made a device rule fire, one per line under the note. */
function readingsText(firing: Firing): string {
  if (firing.readings.length === 0 || !firing.metric) return '';
  return `\n${firing.readings.map((r) => `- ${firing.metric} = ${formatValue(r.value)} at ${r.ts}`).join('\n')}`;
}
