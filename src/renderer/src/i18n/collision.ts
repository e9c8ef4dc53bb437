/**
 * What changed while the user wrote a reply (src/shared/collision.ts finds
 * it), said in the current language: the shared module keeps the rule, this
 * one the words.
 */
import type { WhileWriting } from '../../../shared/collision';
import { PRIORITY_TEXT, STATUS_TEXT } from '../lib/fields';
import { currentLocale, i18n } from './index';

const lower = (text: string) => text.toLocaleLowerCase(currentLocale());

/** One change as a phrase: "1 new message from the customer", "status changed to pending". */
export function describeChange(change: WhileWriting): string {
  switch (change.kind) {
    case 'messages':
      if (change.direction === 'in') return i18n.t('collision.fromCustomer', { count: change.count });
      if (change.direction === 'out') return i18n.t('collision.replies', { count: change.count, author: change.author });
      return i18n.t('collision.notes', { count: change.count, author: change.author });
    case 'status':
      return i18n.t('collision.status', { status: lower(STATUS_TEXT[change.to]) });
    case 'priority':
      return i18n.t('collision.priority', { priority: lower(PRIORITY_TEXT[change.to]) });
    case 'assignee':
      return change.to ? i18n.t('collision.assigned', { name: change.to }) : i18n.t('collision.unassigned');
    case 'queue':
      return i18n.t('collision.queue', { queue: change.to });
    case 'subject':
      return i18n.t('collision.subject', { subject: change.to });
    case 'tags':
      return i18n.t('collision.tags');
  }
}

/** "While you were writing: 1 new message from the customer, status changed to pending" (null: nothing changed). */
export function whileWritingSummary(changes: readonly WhileWriting[]): string | null {
  if (changes.length === 0) return null;
  // A comma list in each of our languages (Intl.ListFormat would add "and").
  return i18n.t('collision.summary', { changes: changes.map(describeChange).join(', ') });
}
