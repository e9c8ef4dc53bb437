/**
 * Who answered a call. The console's Answer on the screen pop says it for a call rung through a queue's
 * number (only an agent it was offered to may, and the first one keeps it); the provider's `in-progress`
 * callback says it for a call dialled straight to an agent's extension (calls.ts). Either way the call is
 * recorded as theirs (repos/live-calls.ts) and the offers they hold are withdrawn: while it lasts the call
 * takes all of their capacity, and routing offers them nothing until its final callback.
 */
import type { LiveCall } from '../../../shared/calls';
import type { Refusal } from '../../../shared/rejections';
import { wording } from '../../../shared/wording';
import type { Publisher } from '../../live/publish';
import type { RoutingLoop } from '../../routing/loop';
import type { CallChange } from './calls';
import type { Db } from '../../db/connect';
import { writeTransaction } from '../../db/write';
import { findCall, phoneNumberQueueId, queueMemberIds, userIdByExtension } from '../../repos/calls';
import { channelQueueId } from '../../repos/inbound';
import { normaliseIdentity } from '../identity';
import { liveCall, recordLiveCall } from '../../repos/live-calls';
import { Rejection } from '../../repos/rejection';
import type { Actor } from '../../repos/scope';
import { withdrawOffersOf } from '../../routing/router';
import { type CallStatus, callEnded } from './payload';

/** Why an Answer is refused, in English; each is worded `calls.<name>`. */
export const CALL_REFUSALS = {
  unknown: 'no such call',
  ended: 'the call has ended',
  notOffered: 'the call was not offered to you',
  answeredByOther: 'someone else answered the call',
} as const;

/** A refused Answer with its key, which the route sends on (src/shared/rejections.ts). */
const callRefusal = (name: keyof typeof CALL_REFUSALS): Refusal => ({ text: CALL_REFUSALS[name], wording: wording(`calls.${name}`) });

export interface Answered {
  call: LiveCall;
  /** Cases whose offer to the agent was withdrawn (for `offer:gone` after commit). */
  withdrawn: string[];
  /** False when the agent had already answered it (a repeated Answer, or the callback after it). */
  fresh: boolean;
  /** The agents the call rang for: their pops close once someone answered it. */
  rang: string[];
}

/** Records `userId` on the call in `tx`, unless someone else is on it already (conflict). */
export async function takeCall(tx: Db, call: { callSid: string; fromNumber: string; toNumber: string }, userId: string, now: Date): Promise<Answered> {
  const held = await liveCall(tx, call.callSid);
  if (held) {
    if (held.userId !== userId) throw new Rejection('conflict', callRefusal('answeredByOther'));
    return { call: held, withdrawn: [], fresh: false, rang: [] };
  }
  const stored = await recordLiveCall(tx, { callSid: call.callSid, userId, from: call.fromNumber, answeredAt: now.toISOString() });
  if (stored.userId !== userId) throw new Rejection('conflict', callRefusal('answeredByOther'));
  return { call: stored, withdrawn: await withdrawOffersOf(tx, userId), fresh: true, rang: await offeredTo(tx, call.toNumber) };
}

/** The console's Answer: the call still rings or is in progress, and was offered to this agent. */
export function answerCall(db: Db, actor: Actor, callSid: string, now = new Date()): Promise<Answered> {
  return writeTransaction(db, async (tx) => {
    const call = await findCall(tx, callSid);
    if (!call) throw new Rejection('not_found', callRefusal('unknown'));
    if (callEnded(call.status as CallStatus)) throw new Rejection('conflict', callRefusal('ended'));
    if (!(await offeredTo(tx, call.toNumber)).includes(actor.id)) throw new Rejection('forbidden', callRefusal('notOffered'));
    return takeCall(tx, call, actor.id, now);
  });
}

/** The user whose extension was dialled; else the members of the queue answering the number (or, for a number no queue answers, the phone channel's). */
export async function offeredTo(tx: Db, to: string): Promise<string[]> {
  const number = normaliseIdentity('phone', to);
  const direct = await userIdByExtension(tx, number);
  if (direct) return [direct];
  const queueId = (await phoneNumberQueueId(tx, number)) ?? (await channelQueueId(tx, 'phone'));
  return queueId ? queueMemberIds(tx, queueId) : [];
}

/**
 * After commit: the offers withdrawn from an agent who answered are over for them (the next round offers
 * those cases to others), the boards recount (who is on a call), and a freed agent gets work again now.
 */
export function announceCallChange(change: CallChange, hub: { publish: Pick<Publisher, 'offerGone' | 'staffChanged' | 'callGone'>; routing?: Pick<RoutingLoop, 'kick'> }): void {
  if (change.kind === 'answered') {
    const { call, withdrawn, rang } = change.answered;
    for (const caseId of withdrawn) hub.publish.offerGone(call.userId, { caseId, reason: 'withdrawn' });
    // The phone stops ringing for everyone else it rang for.
    hub.publish.callGone(rang.filter((id) => id !== call.userId), { callSid: call.callSid, reason: 'answered' });
  } else {
    hub.publish.callGone(change.rang, { callSid: change.callSid, reason: 'ended' });
    // Nobody was on it: nobody's capacity changed.
    if (!change.call) return;
  }
  hub.publish.staffChanged();
  hub.routing?.kick();
}
