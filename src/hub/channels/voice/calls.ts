/**
 * What a status callback does to a call, as Zammad's generic CTI does it: a
 * ringing call is offered (with the caller's customer and open cases) to the
 * user whose extension was dialled, else to the members of the queue that
 * answers the number; an ended call is logged on the caller's open case, or a
 * new one, through the shared pipeline. The calls table makes a repeated or
 * late callback change nothing. A call in progress to an agent's extension is
 * theirs (answer.ts: it takes all their capacity); an ended call frees
 * whoever was on it.
 */
import type { LiveCall } from '../../../shared/calls';
import type { CallOffered } from '../../../shared/protocol';
import type { Db } from '../../db/connect';
import { writeTransaction } from '../../db/write';
import { findCall, insertCall, openCasesOfCustomer, phoneNumberQueueId, updateCall, userIdByExtension } from '../../repos/calls';
import { findCustomerByIdentity } from '../../repos/inbound';
import { endLiveCall } from '../../repos/live-calls';
import { Rejection } from '../../repos/rejection';
import { loadActor } from '../../repos/users';
import { normaliseIdentity } from '../identity';
import { InboundMessageSchema } from '../inbound';
import type { InboundPipeline } from '../pipeline';
import { type Answered, offeredTo, takeCall } from './answer';
import { type CallStatusCallback, callEnded, callStage, normaliseEndedCall } from './payload';

export type CallOutcome = { status: 'duplicate' } | { status: 'offered'; offeredTo: string[] } | { status: 'recorded' } | { status: 'logged'; caseId: string };

/** A call changed (after commit): an agent answered it, or it ended — `call` when someone was on it, `rang` the agents it rang for. */
export type CallChange = { kind: 'answered'; answered: Answered } | { kind: 'ended'; callSid: string; call: LiveCall | null; rang: string[] };

export interface CallDeps {
  db: Db;
  pipeline: InboundPipeline;
  offer(offer: CallOffered): void;
  /** Routing and the boards follow (hub.ts: offers withdrawn and made again, agents recounted). */
  callChanged?(change: CallChange): void;
}

export async function handleCallStatus(deps: CallDeps, callback: CallStatusCallback): Promise<CallOutcome> {
  return callEnded(callback.CallStatus) ? logEndedCall(deps, callback) : advanceCall(deps, callback);
}

/** A call not yet ended: remember how far it got, and offer it when it rings. Offers are sent after commit. */
async function advanceCall(deps: CallDeps, callback: CallStatusCallback): Promise<CallOutcome> {
  let answered: Answered | null = null;
  const offers = await writeTransaction(deps.db, async (tx): Promise<CallOffered[] | null> => {
    const known = await findCall(tx, callback.CallSid);
    if (known && callStage(known.status as CallStatusCallback['CallStatus']) >= callStage(callback.CallStatus)) return null;
    if (known) await updateCall(tx, callback.CallSid, { status: callback.CallStatus });
    else await insertCall(tx, { callSid: callback.CallSid, fromNumber: callback.From, toNumber: callback.To, status: callback.CallStatus });
    if (callback.CallStatus === 'in-progress') {
      answered = await answeredByExtension(tx, callback);
      return [];
    }
    if (callback.CallStatus !== 'ringing') return [];
    const customer = await findCustomerByIdentity(tx, 'phone', normaliseIdentity('phone', callback.From));
    const offers: CallOffered[] = [];
    for (const userId of await offeredTo(tx, callback.To)) {
      const actor = await loadActor(tx, userId);
      if (!actor) continue;
      // Each agent is shown only the caller's cases in their own scope.
      const cases = customer ? await openCasesOfCustomer(tx, customer.id, actor) : [];
      offers.push({ callSid: callback.CallSid, from: callback.From, customer, cases, userId });
    }
    return offers;
  });
  if (offers === null) return { status: 'duplicate' };
  if (answered) deps.callChanged?.({ kind: 'answered', answered });
  for (const offer of offers) deps.offer(offer);
  return offers.length > 0 ? { status: 'offered', offeredTo: offers.map((o) => o.userId) } : { status: 'recorded' };
}

/**
 * A call in progress that was dialled to an agent's extension names who is on it (Twilio's callback says
 * only the number dialled): theirs. A queue's number names nobody; the console's Answer says who.
 */
async function answeredByExtension(tx: Db, callback: CallStatusCallback): Promise<Answered | null> {
  const agent = await userIdByExtension(tx, normaliseIdentity('phone', callback.To));
  if (!agent) return null;
  try {
    const answered = await takeCall(tx, { callSid: callback.CallSid, fromNumber: callback.From, toNumber: callback.To }, agent, new Date());
    return answered.fresh ? answered : null;
  } catch (error) {
    // Someone else is on it already (a transfer): the provider's word does not take it from them.
    if (error instanceof Rejection) return null;
    throw error;
  }
}

/** The ended call, logged once: the message and the call's final state commit together. */
async function logEndedCall(deps: CallDeps, callback: CallStatusCallback): Promise<CallOutcome> {
  // Whoever was on it is free at once, before the log (which may fail and be retried): routing offers them work again.
  const freed = await endLiveCall(deps.db, callback.CallSid);
  deps.callChanged?.({ kind: 'ended', callSid: callback.CallSid, call: freed, rang: await offeredTo(deps.db, callback.To) });
  const queueId = await phoneNumberQueueId(deps.db, normaliseIdentity('phone', callback.To));
  const message = InboundMessageSchema.parse(normaliseEndedCall(callback, queueId));
  const outcome = await deps.pipeline.receive(message, async (tx, routed) => {
    if (routed.status !== 'joined' && routed.status !== 'opened') return;
    const ended = { status: callback.CallStatus, endedAt: new Date(message.at), duration: callback.CallDuration ?? 0, caseId: routed.case.id };
    if (await findCall(tx, callback.CallSid)) await updateCall(tx, callback.CallSid, ended);
    else await insertCall(tx, { callSid: callback.CallSid, fromNumber: callback.From, toNumber: callback.To, ...ended });
  });
  return outcome.status === 'joined' || outcome.status === 'opened' ? { status: 'logged', caseId: outcome.case.id } : { status: 'duplicate' };
}
