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
import { finishFiring, type Notice, openCaseAction, postNote, queueNames, type Started } from '../automation/act';
import type { Db } from '../db/connect';
import { drawRev, findMentionRow, setMentionStatus } from '../repos/mentions';
import { changeCaseByRule, customerFacts, setOpenCaseOfRule } from '../repos/rules';
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
  const queueId = queueNames(tx);
  const out: MessageFired = { case: input.case, caseChanged: false, mention: input.mention, messages: [], notices: [] };
  let openedIt = input.openedIt;
  for (const firing of firings) {
    const start = await startOf(tx, firing, out, openedIt, queueId);
    // Routed once: a second rule's open_case does not move it again.
    if (start.outcome === 'updated' || start.opened) openedIt = false;
    const acted = await finishFiring(tx, firing, start, queueId);
    if (acted.case) out.case = acted.case;
    out.caseChanged ||= acted.changed;
    if (acted.message) out.messages.push(acted.message);
    out.notices.push(...acted.notices);
  }
  return out;
}

/** What open_case does to a message: routes the case it just opened, or makes a mention a case. */
async function startOf(tx: Db, firing: Firing, out: MessageFired, openedIt: boolean, queueId: (name: string) => Promise<string | null>): Promise<Started> {
  const open = openCaseAction(firing);
  const plain: Started = { case: out.case, outcome: 'notified', opened: false, message: null, tagged: false, because: firing.because };
  if (!open || (out.case && !openedIt) || (!out.case && !out.mention)) return plain;
  const queue = await queueId(open.queue);
  if (!queue) return { ...plain, because: `${firing.because} (no queue named "${open.queue}")` };
  const note = (caseRow: Case, verb: string) => postNote(tx, caseRow, caseRow.channel, 'rules', `${verb} by rule "${firing.ruleName}" because ${firing.because}`);

  if (out.case) {
    // Routing never lowers what another rule (or the channel) made urgent.
    const priority = PRIORITY_RANK[open.priority] < PRIORITY_RANK[out.case.priority] ? open.priority : out.case.priority;
    const moved = await changeCaseByRule(tx, out.case, { queueId: queue, priority });
    await setOpenCaseOfRule(tx, firing.ruleId, firing.subjectKey, moved.id);
    return { ...plain, case: moved, outcome: 'updated', message: await note(moved, 'Routed'), tagged: false };
  }
  const row = await findMentionRow(tx, out.mention!.id);
  if (!row || row.status === 'converted') return plain;
  const converted = await convertMention(tx, row, { newCaseId: uuidv7(), queueId: queue });
  out.mention = await setMentionStatus(tx, row.id, 'converted', converted.case.id, await drawRev(tx));
  out.messages.push(converted.message);
  const prioritised = await changeCaseByRule(tx, converted.case, { priority: open.priority });
  await setOpenCaseOfRule(tx, firing.ruleId, firing.subjectKey, prioritised.id);
  return { ...plain, case: prioritised, outcome: 'opened', opened: true, message: await note(prioritised, 'Opened') };
}

/** What conditions read of the author; the open cases only when a rule asks (a query). */
async function factsOf(tx: Db, rules: RuleSet, customer: Customer | null): Promise<CustomerFacts | null> {
  if (!customer) return null;
  if (rules.messages.some(readsCustomer)) return customerFacts(tx, customer.id);
  // No rule reads the customer: these facts are only the author's name for templates (the entitlement goes unread).
  return { id: customer.id, name: customer.name, plan: customer.plan, entitlement: entitlementOf(customer).kind, lifetimeValue: customer.lifetimeValue, openCases: 0 };
}
