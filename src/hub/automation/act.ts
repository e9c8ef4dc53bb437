/**
 * Carrying out a firing, inside the transaction of what made it fire: open a
 * case (or join the rule's open case for the same subject), set priority or
 * tags, and say whom to notify — then record the firing, so the case shows
 * "Opened by rule … because …". Publishing is the caller's, after commit.
 *
 * What firings write is held (db/held-rows.ts) and goes in with the rest of
 * their transaction in one statement; what they read comes from `FiringReads`,
 * a query each or read ahead in one statement. `settle` gives each firing's
 * outcome once the rows are written.
 */
import { uuidv7 } from 'uuidv7';
import type { Case, Channel, Message } from '../../shared/domain';
import type { Plan } from '../../shared/entitlements';
import type { Action, RuleNotice } from '../../shared/rules';
import type { Db } from '../db/connect';
import { type HeldRows, holdRows } from '../db/held-rows';
import { toCase, toMessage } from '../db/rows';
import { cases, messages, ruleFirings, ruleOpenCases } from '../db/schema';
import { batchSlaReads, directSlaReads, openCaseSla, routingNote, type SlaReads } from '../sla';
import { changeCaseByRule, type FiringContext, type FiringOutcome, openCaseOfRule, openedKey, queueIdsByName } from '../repos/rules';
import { decideCase, type Firing, firingNote, formatValue } from '../rules';

/** What the firing is about: the device's owner and device, or the message's case. */
export interface FiringSubject {
  channel: Channel;
  customerId: string | null;
  deviceId: string | null;
  language: string;
  sentiment: number | null;
  /** The customer's plan when known (it picks the SLA policy of a case opened); null: read when needed. */
  plan: Plan | null;
  /** Who the note on the case is from: the device, or the rule engine for a message. */
  author: string;
}

/** Whom a notify action tells (src/shared/rules.ts). */
export type Notice = RuleNotice;

/** What carrying out firings reads. */
export interface FiringReads {
  queueId(name: string): Promise<string | null>;
  /** The case this rule opened for this subject, if it is still being worked. */
  openCaseOfRule(ruleId: string, subjectKey: string): Promise<Case | null>;
  sla: SlaReads;
}

/** Each read a query of its own, made when first needed (queue names once per transaction). */
export function directFiringReads(tx: Db): FiringReads {
  let names: Promise<Map<string, string>> | null = null;
  return {
    queueId: async (name) => (await (names ??= queueIdsByName(tx))).get(name) ?? null,
    openCaseOfRule: (ruleId, subjectKey) => openCaseOfRule(tx, ruleId, subjectKey),
    sla: directSlaReads(tx),
  };
}

/** Reads answered by a look-up made ahead (repos/rules.ts readFiringContext); what it was not asked is a query. */
export function contextFiringReads(tx: Db, context: FiringContext): FiringReads {
  const direct = directFiringReads(tx);
  const sla = context.opening ? batchSlaReads(tx, Promise.resolve(context.opening)) : direct.sla;
  return {
    queueId: async (name) => context.queueIds.get(name) ?? null,
    openCaseOfRule: async (ruleId, subjectKey) => {
      const key = openedKey(ruleId, subjectKey);
      return context.asked.has(key) ? (context.openCases.get(key) ?? null) : direct.openCaseOfRule(ruleId, subjectKey);
    },
    sla: { ...sla, queueName: async (id) => context.queueNames.get(id) ?? null },
  };
}

/** The firings of one transaction: what they read, and the rows they hold until it writes them. */
export interface FiringTx {
  readonly tx: Db;
  readonly reads: FiringReads;
  readonly writes: HeldRows;
  /** Cases this transaction's firings opened (rule and subject → case id): a later firing joins them. */
  readonly opened: Map<string, string>;
  /** Each case as a rule last changed it (a change is written at once). */
  readonly changed: Map<string, Case>;
}

export function firingTx(tx: Db, reads: FiringReads = directFiringReads(tx), writes: HeldRows = holdRows(tx)): FiringTx {
  return { tx, reads, writes, opened: new Map(), changed: new Map() };
}

/** A firing carried out, its rows perhaps still held: `settle` reads what it did once they are written. */
export interface Carried {
  outcome: FiringOutcome;
  caseId: string | null;
  /** The case's row as read before, when it existed (joined, or the message's). */
  known: Case | null;
  opened: boolean;
  changed: boolean;
  /** Rows already written for it (a converted mention's post), then its note, held. */
  posted: Message[];
  noteId: string | null;
  notices: Omit<Notice, 'caseId' | 'caseNumber'>[];
}

/** What a firing did, its rows as stored. */
export interface Acted {
  outcome: FiringOutcome;
  /** The case as the firing left it (opened, joined or changed), or null. */
  case: Case | null;
  opened: boolean;
  /** The case row itself moved (opened, or priority or tags set): consoles need it again. */
  changed: boolean;
  /** What it posted on the case: its note (opened or joined), and a converted mention's post before it. */
  messages: Message[];
  notices: Notice[];
}

/** Where a firing's case stands before its other actions: what open_case did (or the case it is about). */
export interface Started {
  caseId: string | null;
  known: Case | null;
  outcome: FiringOutcome;
  opened: boolean;
  posted: Message[];
  noteId: string | null;
  /** The firing's add_tags are on the case already (given when it was opened). */
  tagged: boolean;
  because: string;
}

export const openCaseAction = (firing: Firing) => firing.actions.find((a): a is Extract<Action, { type: 'open_case' }> => a.type === 'open_case');

const nothing = (because: string): Started => ({ caseId: null, known: null, outcome: 'notified', opened: false, posted: [], noteId: null, tagged: false, because });

export async function carryOut(ftx: FiringTx, firing: Firing, subject: FiringSubject): Promise<Carried> {
  return finishFiring(ftx, firing, await openStep(ftx, firing, subject));
}

/** open_case: join the rule's open case for the subject, or open one in the named queue, with the note. */
async function openStep(ftx: FiringTx, firing: Firing, subject: FiringSubject): Promise<Started> {
  const open = openCaseAction(firing);
  if (!open) return nothing(firing.because);
  const key = openedKey(firing.ruleId, firing.subjectKey);
  const heldOpen = ftx.opened.get(key);
  const existing = open.join && !heldOpen ? await ftx.reads.openCaseOfRule(firing.ruleId, firing.subjectKey) : null;
  const decision = decideCase(open, heldOpen ?? existing?.id ?? null);
  let caseId: string;
  if (decision.do === 'join') caseId = decision.caseId;
  else {
    const queue = await ftx.reads.queueId(open.queue);
    // A queue renamed or deleted since the rules were saved: nothing opens, and the firing says why.
    if (!queue) return nothing(`${firing.because} (no queue named "${open.queue}": no case opened)`);
    caseId = uuidv7();
    // Entitlement routing and the due times of the plan's policy.
    const sla = await openCaseSla(ftx.tx, { caseId, customerId: subject.customerId, plan: subject.plan, priority: open.priority, queueId: queue }, ftx.reads.sla);
    ftx.writes.insert(
      cases,
      {
        id: caseId,
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
      },
      { returning: true },
    );
    holdOpenCaseOfRule(ftx, firing.ruleId, firing.subjectKey, caseId);
    if (sla.note) ftx.writes.insert(messages, routingNote(caseId, subject.channel, sla.note));
  }
  const did = decision.do === 'join' ? 'joined' : 'opened';
  const noteId = holdNote(ftx, caseId, subject.channel, subject.author, `${firingNote(firing, did)}${readingsText(firing)}`);
  return { caseId, known: existing, outcome: did, opened: did === 'opened', posted: [], noteId, tagged: did === 'opened', because: firing.because };
}

/** A rule's note on a case, as an inbound line of its channel: held, its id given. */
export function holdNote(ftx: FiringTx, caseId: string, channel: Channel, author: string, body: string): string {
  const id = uuidv7();
  ftx.writes.insert(messages, { id, caseId, direction: 'in', channel, author, body, externalId: null }, { returning: true });
  return id;
}

/** "Join instead of opening another": the rule's open case for this subject is now this one. */
export function holdOpenCaseOfRule(ftx: FiringTx, ruleId: string, subjectKey: string, caseId: string): void {
  const key = openedKey(ruleId, subjectKey);
  ftx.opened.set(key, caseId);
  ftx.writes.insert(ruleOpenCases, { ruleId, subjectKey, caseId }, { onConflict: 'ON CONFLICT (rule_id, subject_key) DO UPDATE SET case_id = excluded.case_id', key });
}

/** The case as it stands now in this transaction: what is held is written first. */
export async function currentCase(ftx: FiringTx, caseId: string, known: Case | null): Promise<Case> {
  await ftx.writes.flush();
  const row = caseNow(ftx, caseId, known);
  if (!row) throw new Error(`case ${caseId} is neither stored nor held`);
  return row;
}

/** A rule's change of a case (priority, tags, queue), written at once. */
export async function changeCase(ftx: FiringTx, caseId: string, known: Case | null, change: Parameters<typeof changeCaseByRule>[2]): Promise<{ before: Case; after: Case }> {
  const before = await currentCase(ftx, caseId, known);
  const after = await changeCaseByRule(ftx.tx, before, change);
  if (after !== before) ftx.changed.set(caseId, after);
  return { before, after };
}

/** The case as this transaction last left it: changed by a rule, else as a flush stored it, else as read before. */
const caseNow = (ftx: FiringTx, caseId: string, known: Case | null): Case | null => {
  const changed = ftx.changed.get(caseId);
  if (changed) return changed;
  const stored = ftx.writes.stored(cases, caseId);
  return stored ? toCase(stored) : known;
};

/** The firing's other actions on the case it started with (priority, tags, notify), then the firing recorded. */
export async function finishFiring(ftx: FiringTx, firing: Firing, start: Started): Promise<Carried> {
  const tags = firing.actions.flatMap((a) => (a.type === 'add_tags' ? a.tags : []));
  const priority = firing.actions.findLast((a): a is Extract<Action, { type: 'set_priority' }> => a.type === 'set_priority')?.priority;
  let { outcome } = start;
  let changed = false;
  if (start.caseId && (priority || (tags.length > 0 && !start.tagged))) {
    const { before, after } = await changeCase(ftx, start.caseId, start.known, { priority, tags: start.tagged ? undefined : tags });
    changed = after !== before;
    if (changed && outcome === 'notified') outcome = 'updated';
  }

  const notices: Carried['notices'] = [];
  for (const action of firing.actions) {
    if (action.type !== 'notify') continue;
    const queue = action.queue ? await ftx.reads.queueId(action.queue) : null;
    if (action.queue && !queue) continue;
    notices.push({ queueId: queue, role: action.role ?? null, ruleId: firing.ruleId, ruleName: firing.ruleName, because: start.because });
  }

  ftx.writes.insert(ruleFirings, {
    id: uuidv7(),
    ruleId: firing.ruleId,
    ruleName: firing.ruleName,
    kind: firing.kind,
    deviceId: firing.deviceId,
    messageId: firing.message?.id ?? null,
    customerId: firing.customerId,
    caseId: start.caseId,
    outcome,
    because: start.because,
    readings: firing.readings,
    actions: firing.actions,
    at: new Date(firing.at),
  });
  return {
    outcome,
    caseId: start.caseId,
    known: start.known,
    opened: start.opened,
    changed: changed || start.opened || start.outcome === 'updated',
    posted: start.posted,
    noteId: start.noteId,
    notices,
  };
}

/** What a carried-out firing did, once its transaction's held rows are written (`ftx.writes.flush()`). */
export function settle(ftx: FiringTx, carried: Carried): Acted {
  const row = carried.caseId ? caseNow(ftx, carried.caseId, carried.known) : null;
  if (carried.caseId && !row) throw new Error(`case ${carried.caseId} was not written`);
  const note = carried.noteId ? ftx.writes.stored(messages, carried.noteId) : undefined;
  if (carried.noteId && !note) throw new Error(`note ${carried.noteId} was not written`);
  return {
    outcome: carried.outcome,
    case: row,
    opened: carried.opened,
    changed: carried.changed,
    messages: [...carried.posted, ...(note ? [toMessage(note)] : [])],
    notices: carried.notices.map((n) => ({ ...n, caseId: row?.id ?? null, caseNumber: row?.number ?? null })),
  };
}

/** The readings that made a device rule fire, one per line under the note. */
function readingsText(firing: Firing): string {
  if (firing.readings.length === 0 || !firing.metric) return '';
  return `\n${firing.readings.map((r) => `- ${firing.metric} = ${formatValue(r.value)} at ${r.ts}`).join('\n')}`;
}
