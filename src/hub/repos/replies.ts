/**
 * What a reply needs before it is queued: the rules of src/shared/replies.ts
 * (channel, length, consent) against the case's customer and the inbound
 * message it answers (the case's latest on the reply's channel), and the
 * delivery target the sender will use.
 */
import { and, desc, eq } from 'drizzle-orm';
import type { Channel, Role } from '../../shared/domain';
import { consentRefusal, identityOn, isReplyChannel, refuseReply } from '../../shared/replies';
import { rejectionOf } from '../../shared/rejections';
import type { Db } from '../db/connect';
import { type cases, customers, messages } from '../db/schema';
import type { DeliveryTarget } from './deliveries';
import { Rejection } from './rejection';
import { readConsentPolicy } from './channel-settings';

type CaseRow = typeof cases.$inferSelect;

async function customerOf(tx: Db, caseRow: CaseRow) {
  if (!caseRow.customerId) return null;
  const [customer] = await tx.select().from(customers).where(eq(customers.id, caseRow.customerId));
  return customer ?? null;
}

/** The case's latest inbound message on a channel: what a reply there answers. */
async function answeredMessage(tx: Db, caseId: string, channel: Channel) {
  const [message] = await tx
    .select({ externalId: messages.externalId, author: messages.author, addressed: messages.addressed, context: messages.replyContext })
    .from(messages)
    .where(and(eq(messages.caseId, caseId), eq(messages.channel, channel), eq(messages.direction, 'in')))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(1);
  return message?.externalId ? { ...message, externalId: message.externalId } : null;
}

/**
 * Checks a reply against the rules and resolves where it goes. Throws a
 * Rejection (reason `consent`, `channel` or `length`, with the detail)
 * before anything is written.
 */
export async function prepareReply(
  tx: Db,
  actor: { role: Role },
  caseRow: CaseRow,
  payload: { channel: Channel; body: string; override?: { reason: string } },
): Promise<{ target: DeliveryTarget; consentOverride: string | null }> {
  const customer = await customerOf(tx, caseRow);
  const { channel } = payload;
  const answers = isReplyChannel(channel) ? await answeredMessage(tx, caseRow.id, channel) : null;
  const recipient = customer && isReplyChannel(channel) ? identityOn(customer, channel) : null;
  if (isReplyChannel(channel) && !recipient && !answers) {
    throw new Rejection('channel', rejectionOf('noIdentity', { channel }));
  }
  // The policy saved last, read in this transaction: every hub applies the same one.
  const context = { channel, body: payload.body, customer, answers, policy: await readConsentPolicy(tx) };
  const refused = refuseReply(context, payload.override && { role: actor.role, reason: payload.override.reason });
  if (refused) throw new Rejection(refused.reason, refused);
  return {
    target: { recipient, answers, case: { id: caseRow.id, number: caseRow.number, subject: caseRow.subject } },
    // Kept only where it was needed: an override of a reply the rule allowed says nothing.
    consentOverride: payload.override && consentRefusal(context) ? payload.override.reason : null,
  };
}

/** A failed reply sent again must still pass consent as it stands now, unless a supervisor's override came with it. */
export async function refuseRetry(tx: Db, caseRow: CaseRow, message: { channel: string; consentOverride: string | null; answersAddressed: boolean | null }): Promise<void> {
  if (message.consentOverride) return;
  const customer = await customerOf(tx, caseRow);
  const refusal = consentRefusal({
    channel: message.channel as Channel,
    customer,
    answers: message.answersAddressed === null ? null : { addressed: message.answersAddressed },
    policy: await readConsentPolicy(tx),
  });
  if (refusal) throw new Rejection('consent', refusal);
}
