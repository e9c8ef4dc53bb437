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
import { slaDueAt } from '../devices/sla';
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

export async function carryOut(tx: Db, firing: Firing, subject: FiringSubject, queueId: (name: string) => Promise<string | null>): Promise<Acted> {
  const open = firing.actions.find((a): a is Extract<Action, { type: 'open_case' }> => a.type === 'open_case');
  const tags = firing.actions.flatMap((a) => (a.type === 'add_tags' ? a.tags : []));
  const priority = firing.actions.findLast((a): a is Extract<Action, { type: 'set_priority' }> => a.type === 'set_priority')?.priority;
  const note = (did: 'opened' | 'joined') => `${firingNote(firing, did)}${readingsText(firing)}`;

  let caseRow: Case | null = null;
  let outcome: FiringOutcome = 'notified';
  let opened = false;
  let changed = false;
  let message: Message | null = null;
  let because = firing.because;

  if (open) {
    const existing = open.join ? await openCaseOfRule(tx, firing.ruleId, firing.subjectKey) : null;
    const decision = decideCase(open, existing);
    if (decision.do === 'join') {
      caseRow = await findCase(tx, decision.caseId);
      outcome = 'joined';
    } else {
      const queue = await queueId(open.queue);
      if (queue) {
        const now = new Date();
        caseRow = await insertCase(tx, {
          id: uuidv7(),
          subject: open.subject,
          status: 'new',
          priority: open.priority,
          channel: subject.channel,
          customerId: subject.customerId,
          deviceId: subject.deviceId,
          queueId: queue,
          assigneeId: null,
          slaDueAt: slaDueAt(open.priority, now),
          language: subject.language,
          sentiment: subject.sentiment,
          tags: [...new Set(tags)],
        });
        await setOpenCaseOfRule(tx, firing.ruleId, firing.subjectKey, caseRow.id);
        outcome = 'opened';
        opened = true;
      } else {
        // A queue renamed or deleted since the rules were saved: nothing opens, and the firing says why.
        because = `${because} (no queue named "${open.queue}": no case opened)`;
      }
    }
    if (caseRow) {
      message = await insertMessage(tx, {
        id: uuidv7(),
        caseId: caseRow.id,
        direction: 'in',
        channel: subject.channel,
        author: subject.author,
        body: note(outcome === 'joined' ? 'joined' : 'opened'),
        externalId: null,
      });
    }
  } else if (subject.caseId) {
    caseRow = await findCase(tx, subject.caseId);
  }

  if (caseRow && (priority || tags.length > 0)) {
    const after = await changeCaseByRule(tx, caseRow, { priority, tags: opened ? undefined : tags });
    changed = after !== caseRow;
    if (changed && outcome === 'notified') outcome = 'updated';
    caseRow = after;
  }

  const notices: Notice[] = [];
  for (const action of firing.actions) {
    if (action.type !== 'notify') continue;
    const queue = action.queue ? await queueId(action.queue) : null;
    if (action.queue && !queue) continue;
    notices.push({ queueId: queue, role: action.role ?? null, ruleId: firing.ruleId, ruleName: firing.ruleName, because, caseId: caseRow?.id ?? null, caseNumber: caseRow?.number ?? null });
  }

  await recordFirings(tx, [{ firing: { ...firing, because }, caseId: caseRow?.id ?? null, outcome }]);
  return { outcome, case: caseRow, opened, changed: changed || opened, message, notices };
}

/** The readings that made a device rule fire, one per line under the note. */
function readingsText(firing: Firing): string {
  if (firing.readings.length === 0 || !firing.metric) return '';
  return `\n${firing.readings.map((r) => `- ${firing.metric} = ${formatValue(r.value)} at ${r.ts}`).join('\n')}`;
}
