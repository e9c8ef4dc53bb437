/**
 * The look-ups the inbound pipeline makes for every message — is it stored
 * already, who is its author, which queue owns its channel, the clock and SLA
 * policy of a case it opens — answered for a
 * whole batch of messages at once and kept up to date as the batch writes
 * (a customer created by the batch's first message is found by its second).
 * Outside a batch (a mention converted by a push) each one is a query.
 */
import type { Channel, Customer } from '../../shared/domain';
import type { Db } from '../db/connect';
import { batchSlaReads, directSlaReads, type SlaReads } from '../sla';
import { channelQueueId, externalIdTaken, findCustomerByIdentity, identityKey, readBatchLookups, takenKey } from '../repos/inbound';
import { normaliseIdentity, userIdIdentity } from './identity';
import type { InboundMessage } from './inbound';

export interface Lookups {
  /** Whether the message is stored already; from now on it counts as stored. */
  claim(channel: Channel, externalId: string): Promise<boolean>;
  channelQueue(channel: Channel): Promise<string | null>;
  customerByIdentity(channel: Channel, value: string): Promise<Customer | null>;
  /** An identity the batch just gave a customer. */
  identityAdded(channel: Channel, value: string, customer: Customer): void;
  /** What opening a case reads besides the customer (the clock, the policies). */
  sla: SlaReads;
}

/** Each look-up a query of its own. */
export function directLookups(tx: Db): Lookups {
  return {
    claim: (channel, externalId) => externalIdTaken(tx, channel, externalId),
    channelQueue: (channel) => channelQueueId(tx, channel),
    customerByIdentity: (channel, value) => findCustomerByIdentity(tx, channel, value),
    identityAdded: () => undefined,
    sla: directSlaReads(tx),
  };
}

/** The identity keys a message's author may be known by. */
function identitiesOf(message: InboundMessage): { channel: Channel; value: string }[] {
  const { channel, handle, userId } = message.author;
  return [{ channel, value: normaliseIdentity(channel, handle) }, ...(userId ? [{ channel, value: userIdIdentity(userId) }] : [])];
}

/**
 * Everything the batch's messages will ask, sent at once (each query waiting on the one before would cost a
 * round trip to the database, and its thread, apiece); kept current as the batch writes.
 */
export async function batchLookups(tx: Db, batch: InboundMessage[]): Promise<Lookups> {
  // Only a message that is no mere mention can open a case: then what opening one reads comes in the same statement.
  const opens = batch.some((message) => message.addressing !== 'mention');
  const identities = batch.flatMap(identitiesOf);
  const read = readBatchLookups(tx, { ids: batch, identities, openingContext: opens });
  const sla = batchSlaReads(tx, opens ? read.then((rows) => rows.context!) : null);
  const { taken, known, queues } = await read;
  // Asked and not found: nothing else writes while the batch holds the write transaction.
  const asked = new Set(identities.map((i) => identityKey(i.channel, i.value)));
  return {
    async claim(channel, externalId) {
      const key = takenKey(channel, externalId);
      if (taken.has(key)) return true;
      taken.add(key);
      return false;
    },
    async channelQueue(channel) {
      if (!queues.has(channel)) queues.set(channel, await channelQueueId(tx, channel));
      return queues.get(channel)!;
    },
    async customerByIdentity(channel, value) {
      const key = identityKey(channel, value);
      if (known.has(key)) return known.get(key)!;
      return asked.has(key) ? null : findCustomerByIdentity(tx, channel, value);
    },
    identityAdded(channel, value, customer) {
      known.set(identityKey(channel, value), customer);
    },
    sla,
  };
}
