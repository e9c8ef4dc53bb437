/**
 * The notices the core writes (a change the hub refused, one someone else
 * handled first, one that no longer fits today's rules, a case reassigned
 * away) as a key and parameters beside their English text, so the window
 * says them in the user's language (src/renderer/src/i18n/wording.ts).
 * Parameters are facts (the change's kind, the case's number and subject,
 * the hub's reason and its key when it has one), never English phrases.
 */
import type { QueueItem } from '../../shared/api';
import { type Wording, type WordingParams, wording } from '../../shared/wording';
import type { Cache } from './cache';

type Change = { kind: string; entityId: string; payload?: unknown };

/** What a change was about: a case (or a new one), a mention's post, a customer, the user's own account. */
export function targetParams(cache: Cache, change: Change, caseId: string | null): WordingParams {
  if (change.kind === 'customer.consent') {
    const name = cache.customers.byId(change.entityId)?.name;
    return name ? { target: 'customer', name } : { target: 'someCustomer' };
  }
  if (change.kind === 'mention.convert' || change.kind === 'mention.dismiss') {
    const author = cache.mentions.byId(change.entityId)?.author;
    return author ? { target: 'mention', author } : { target: 'someMention' };
  }
  if (!caseId) return { target: 'account' };
  const item = cache.cases.item(caseId);
  if (!item) return { target: 'someCase' };
  return item.localOnly ? { target: 'newCase', subject: item.subject } : { target: 'case', number: item.number, subject: item.subject };
}

/** A reason's wording as flat notice parameters: its key, and its parameters under `prefix` (a notice's parameters are one flat record). */
function reasonParams(worded: Wording | undefined, keyName: string, prefix: string): WordingParams {
  if (!worded) return {};
  const params: WordingParams = { [keyName]: worded.key };
  for (const [name, value] of Object.entries(worded.params ?? {})) params[prefix + name] = value;
  return params;
}

/** `refusal`: the hub's `rejected` answer; its `wording` (the reason's key and facts) is absent from an older hub. */
export function refusedWording(
  cache: Cache,
  change: Change,
  caseId: string | null,
  refusal: { reason: string; detail?: string | undefined; wording?: Wording | undefined },
  english: string,
): Wording {
  const consent = refusal.reason === 'consent';
  return wording('notice.refused', {
    what: change.kind,
    ...targetParams(cache, change, caseId),
    // The English reason stays for a reason without a key (shown as the hub said it).
    reason: english,
    // A consent refusal is said as the rule's; its wording is the rule's detail (which reason, whether an override was tried).
    ...(consent ? { reasonKey: 'consent' } : reasonParams(refusal.wording, 'reasonKey', 'reason_')),
    ...(consent && refusal.detail ? { consentDetail: refusal.detail, ...reasonParams(refusal.wording, 'consentDetailKey', 'consent_') } : {}),
  });
}

export function handledElsewhereWording(cache: Cache, change: Change, caseId: string | null): Wording {
  return wording('notice.handledElsewhere', { what: change.kind, ...targetParams(cache, change, caseId) });
}

export function unsendableWording(cache: Cache, change: Change, caseId: string | null, reason: string): Wording {
  return wording('notice.unsendable', { what: change.kind, ...targetParams(cache, change, caseId), reason });
}

/** A case reassigned away: where it went, whether offline, what is still to send and whether drafts were kept. */
export function reassignedWording(before: QueueItem, after: QueueItem | null, facts: { offline: boolean; pending: number; kept: boolean }): Wording {
  return wording('notice.reassigned', {
    ...(before.localOnly ? { target: 'newCase' } : { target: 'case', number: before.number }),
    subject: before.subject,
    to: after ? (after.assigneeName ? 'person' : 'queue') : 'gone',
    ...(after?.assigneeName ? { assignee: after.assigneeName } : {}),
    ...(after ? { queue: after.queueName } : {}),
    offline: facts.offline ? 'yes' : 'no',
    pending: facts.pending,
    kept: facts.kept ? 'yes' : 'no',
  });
}
