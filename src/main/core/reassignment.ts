/**
 * A case of the user's that the hub gave to someone else (a supervisor's
 * reassignment, often while a technician was offline) is explained, not just
 * gone: a notice says where it went, and a reply draft it held is kept there.
 */
import type { QueueItem } from '../../shared/api';
import type { Cache } from './cache';
import { reassignedWording } from './notice-wording';

/** The case as it stands before a change, when it is the user's (only then can the change call for a notice); a cheap look-up first. */
export function caseOfTheUser(cache: Cache, meId: string | null, id: string): QueueItem | null {
  return meId && cache.cases.assigneeOf(id) === meId ? cache.cases.item(id) : null;
}

export function noticeIfReassigned(cache: Cache, meId: string | null, before: QueueItem | null, rev: number, offline: boolean): boolean {
  if (!meId || !before || before.assigneeId !== meId) return false;
  const after = cache.cases.item(before.id);
  if (after && after.assigneeId === meId) return false;
  const label = before.localOnly ? `New case “${before.subject}”` : `Case #${before.number} “${before.subject}”`;
  const where = after ? ` to ${after.assigneeName ?? `the ${after.queueName} queue`}` : '';
  const when = offline ? ' while you were offline' : '';
  const gone = after ? '' : '; it is no longer in your work';
  const pending = cache.outbox.pendingOf(before.id);
  const unsynced = pending > 0 ? ` Your ${pending} unsynced change${pending === 1 ? '' : 's'} to it will still be sent; any the hub refuses will be listed here.` : '';
  const draft = after ? null : cache.drafts.get(before.id, 'reply');
  const noteDraft = after ? null : cache.drafts.get(before.id, 'note');
  if (draft) cache.drafts.remove(before.id, 'reply');
  if (noteDraft) cache.drafts.remove(before.id, 'note');
  cache.notices.add({
    id: `reassigned:${before.id}:${rev}`,
    kind: 'reassigned',
    caseId: before.id,
    text: `${label} was reassigned${where}${when}${gone}.${unsynced}${draft || noteDraft ? ' What you were writing is kept below.' : ''}`,
    wording: reassignedWording(before, after, { offline, pending, kept: Boolean(draft || noteDraft) }),
    detail: draft || noteDraft ? { ...(draft ? { draft: draft.body } : {}), ...(noteDraft ? { noteDraft: noteDraft.body } : {}) } : null,
    createdAt: new Date().toISOString(),
  });
  return true;
}
