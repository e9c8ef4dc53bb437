/**
 * An inbound message through the message rules (keywords, language,
 * sentiment, influence, channel), in the transaction that routed it. On a
 * case: set_priority, add_tags and notify change it, and open_case routes a
 * case the message has just opened to the rule's queue ("Routed by rule …
 * because …"). A mention in the inbox: open_case makes it a case in the
 * rule's queue, as an agent's convert would. Every firing is recorded.
 */
import { uuidv7 } from 'uuidv7';
import { type Case, type Channel, type Customer, type Mention, type Message, PRIORITY_RANK } from '../../shared/domain';
import { entitlementOf } from '../../shared/entitlements';
import type { Rule } from '../../shared/rules';
import { type Carried, changeCase, currentCase, finishFiring, type FiringTx, firingTx, holdNote, holdOpenCaseOfRule, type Notice, openCaseAction, settle, type Started } from '../automation/act';
import type { Db } from '../db/connect';
import { drawRev, findMentionRow, setMentionStatus } from '../repos/mentions';
import { customerFacts } from '../repos/rules';
import { type CustomerFacts, evaluateMessage, type Firing, type RuleSet } from '../rules';
import { convertMention } from './mentions';

export interface RuledMessage {
  message: { id: string; channel: Channel; author: string; body: string; language: string | null; sentiment: number | null };
  customer: Customer | null;
  /** The case the message opened or joined; null for a mention. */
  case: Case | null;
  /** The message opened that case (a rule may then route it elsewhere). */
  openedIt: boolean;
  mention: Mention | null;
}

export interface MessageFired {
  /** The message's case as the rules left it (for a mention: the case it became), and whether its row moved. */
  case: Case | null;
  caseChanged: boolean;
  /** The mention, converted. */
  mention: Mention | null;
  /** The rules' notes, and the post of a converted mention. */
  messages: Message[];
  notices: Notice[];
}

const readsCustomer = (rule: Rule) => rule.customer !== undefined;

export async function runMessageRules(tx: Db, rules: RuleSet, input: RuledMessage): Promise<MessageFired | null> {
  if (rules.messages.length === 0) return null;
  const facts = await factsOf(tx, rules, input.customer);
  const firings = evaluateMessage(rules, { ...input.message, influence: input.customer?.influence ?? null }, facts);
  if (firings.length === 0) return null;
  const ftx = firingTx(tx);
  const at: Where = { caseId: input.case?.id ?? null, known: input.case, mention: input.mention, openedIt: input.openedIt };
  const carried: Carried[] = [];
  for (const firing of firings) {
    const start = await startOf(ftx, firing, at);
    // Routed once: a second rule's open_case does not move it again.
    if (start.outcome === 'updated' || start.opened) at.openedIt = false;
    const done = await finishFiring(ftx, firing, start);
    if (done.caseId) [at.caseId, at.known] = [done.caseId, done.known];
    carried.push(done);
  }
  // Notes and firings, held, go in at once.
  await ftx.writes.flush();
  const out: MessageFired = { case: input.case, caseChanged: false, mention: at.mention, messages: [], notices: [] };
  for (const done of carried) {
    const acted = settle(ftx, done);
    if (acted.case) out.case = acted.case;
    out.caseChanged ||= acted.changed;
    out.messages.push(...acted.messages);
    out.notices.push(...acted.notices);
  }
  return out;
}

/** Where the message stands as its firings are carried out: its case (or the case its mention became). */
interface Where {
  caseId: string | null;
  /** That case's row as last read, when it was read. */
  known: Case | null;
  mention: Mention | null;
  /** The message opened the case (a rule may then route it elsewhere). */
  openedIt: boolean;
}

/** What open_case does to a message: routes the case it just opened, or makes a mention a case. */
async function startOf(ftx: FiringTx, firing: Firing, at: Where): Promise<Started> {
  const open = openCaseAction(firing);
  const plain: Started = { caseId: at.caseId, known: at.known, outcome: 'notified', opened: false, posted: [], noteId: null, tagged: false, because: firing.because };
  if (!open || (at.caseId && !at.openedIt) || (!at.caseId && !at.mention)) return plain;
  const queue = await ftx.reads.queueId(open.queue);
  if (!queue) return { ...plain, because: `${firing.because} (no queue named "${open.queue}")` };
  const note = (caseRow: Case, verb: string) => holdNote(ftx, caseRow.id, caseRow.channel, 'rules', `${verb} by rule "${firing.ruleName}" because ${firing.because}`);

  if (at.caseId) {
    const current = await currentCase(ftx, at.caseId, at.known);
    // Routing never lowers what another rule (or the channel) made urgent.
    const priority = PRIORITY_RANK[open.priority] < PRIORITY_RANK[current.priority] ? open.priority : current.priority;
    const { after: moved } = await changeCase(ftx, at.caseId, at.known, { queueId: queue, priority });
    holdOpenCaseOfRule(ftx, firing.ruleId, firing.subjectKey, moved.id);
    return { ...plain, known: moved, outcome: 'updated', noteId: note(moved, 'Routed') };
  }
  const row = await findMentionRow(ftx.tx, at.mention!.id);
  if (!row || row.status === 'converted') return plain;
  const converted = await convertMention(ftx.tx, row, { newCaseId: uuidv7(), queueId: queue });
  at.mention = await setMentionStatus(ftx.tx, row.id, 'converted', converted.case.id, await drawRev(ftx.tx));
  const { after: prioritised } = await changeCase(ftx, converted.case.id, converted.case, { priority: open.priority });
  holdOpenCaseOfRule(ftx, firing.ruleId, firing.subjectKey, prioritised.id);
  return { ...plain, caseId: prioritised.id, known: prioritised, outcome: 'opened', opened: true, posted: [converted.message], noteId: note(prioritised, 'Opened') };
}

/** What conditions read of the author; the open cases only when a rule asks (a query). */
async function factsOf(tx: Db, rules: RuleSet, customer: Customer | null): Promise<CustomerFacts | null> {
  if (!customer) return null;
  if (rules.messages.some(readsCustomer)) return customerFacts(tx, customer.id);
  // No rule reads the customer: these facts are only the author's name for templates (the entitlement goes unread).
  return { id: customer.id, name: customer.name, plan: customer.plan, entitlement: entitlementOf(customer).kind, lifetimeValue: customer.lifetimeValue, openCases: 0 };
}
