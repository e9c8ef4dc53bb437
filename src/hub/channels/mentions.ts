/**
 * Converting a mention into a case: the post becomes the case's inbound
 * message (with what a reply to it needs), its author a customer (found by
 * identity, or created now: answering them makes them one), and the case is
 * the one named or a new one in the mention's queue. The push (repos/push.ts)
 * checks scope and state and calls this inside its transaction.
 */
import type { Case, Channel, Customer, Message } from '../../shared/domain';
import type { Db } from '../db/connect';
import { insertCase, insertMessage } from '../repos/cases';
import type { MentionRow } from '../repos/mentions';
import { createBatchWrites } from './batch-writes';
import { customerOfAuthor, subjectOf } from './pipeline';
import { openCaseSla, writeRoutingNote } from '../sla';

export async function convertMention(
  tx: Db,
  mention: MentionRow,
  into: { existing: Case } | { newCaseId: string; queueId: string },
): Promise<{ case: Case; created: boolean; message: Message; customer: Customer | null }> {
  const channel = mention.channel as Channel;
  const writes = createBatchWrites(tx);
  const author = await customerOfAuthor(writes, { channel, handle: mention.author, displayName: '' }, () => mention.language);
  await writes.flush();
  const customer = writes.stored(author.customer);
  // Entitlement routing and the due times of the plan's policy, for a new case.
  const sla = 'existing' in into ? null : await openCaseSla(tx, { caseId: into.newCaseId, customerId: customer.id, newCustomer: author.created, plan: customer.plan, priority: 'normal', queueId: into.queueId });
  const caseRow =
    'existing' in into
      ? into.existing
      : await insertCase(tx, {
          id: into.newCaseId,
          subject: subjectOf({ body: mention.body, thread: null }, mention.author),
          status: 'new',
          priority: 'normal',
          channel,
          customerId: customer.id,
          deviceId: null,
          queueId: sla!.queueId,
          assigneeId: null,
          slaDueAt: sla!.slaDueAt,
          resolutionDueAt: sla!.resolutionDueAt,
          language: mention.language,
          sentiment: mention.sentiment,
          tags: [],
        });
  const message = await insertMessage(tx, {
    // The mention's id: converting twice can never append the post twice.
    id: mention.id,
    caseId: caseRow.id,
    direction: 'in',
    channel,
    author: mention.author,
    body: mention.body,
    externalId: mention.externalId,
    attachments: [],
    addressed: mention.addressed,
    replyContext: mention.replyContext,
  });
  if (sla) await writeRoutingNote(tx, caseRow.id, channel, sla.note);
  return { case: caseRow, created: !('existing' in into), message, customer };
}
