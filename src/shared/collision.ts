/**
 * Collision detection, the rules hub and console share: who is on a case
 * (several consoles of one person are one entry), and what changed on a case
 * while a reply to it was being written (the warning before it is sent).
 */
import type { Case, Message } from './domain';
import type { CaseWatcher, WatchMode } from './protocol';

/** One socket on a case, as the hub keeps it. */
export interface WatchingSocket {
  userId: string;
  name: string;
  mode: WatchMode;
  since: string;
}

/**
 * One entry per person: replying if any of their consoles is (since the
 * earliest of those), else viewing since their earliest console; people
 * replying first, then by who came first.
 */
export function collapseWatchers(sockets: readonly WatchingSocket[]): CaseWatcher[] {
  const byUser = new Map<string, CaseWatcher>();
  for (const s of sockets) {
    const seen = byUser.get(s.userId);
    const wins = !seen || (s.mode === 'replying' && seen.mode === 'viewing') || (s.mode === seen.mode && s.since < seen.since);
    if (wins) byUser.set(s.userId, { userId: s.userId, name: s.name, mode: s.mode, since: s.since });
  }
  const rank = (w: CaseWatcher) => (w.mode === 'replying' ? 0 : 1);
  return [...byUser.values()].sort((a, b) => rank(a) - rank(b) || a.since.localeCompare(b.since) || a.userId.localeCompare(b.userId));
}

/* ------------------------------------------------------ the stale reply */

/** The case as the reply's writer last saw it (the names are the ones shown). */
export type CaseFacts = Pick<Case, 'status' | 'priority' | 'assigneeId' | 'queueId' | 'subject' | 'tags'> & { assigneeName: string | null; queueName: string };

/** What the case looked like when a reply was started (or last reviewed). */
export interface ReplyBasis {
  /** Every message the writer had seen. */
  messageIds: string[];
  facts: CaseFacts;
}

const factsOf = (c: CaseFacts): CaseFacts => ({
  status: c.status,
  priority: c.priority,
  assigneeId: c.assigneeId,
  assigneeName: c.assigneeName,
  queueId: c.queueId,
  queueName: c.queueName,
  subject: c.subject,
  tags: [...c.tags],
});

export function replyBasis(c: CaseFacts, messages: readonly Pick<Message, 'id'>[]): ReplyBasis {
  return { messageIds: messages.map((m) => m.id), facts: factsOf(c) };
}

type FactKey = 'status' | 'priority' | 'assignee' | 'queue' | 'subject' | 'tags';
const sameFact: Record<FactKey, (a: CaseFacts, b: CaseFacts) => boolean> = {
  status: (a, b) => a.status === b.status,
  priority: (a, b) => a.priority === b.priority,
  assignee: (a, b) => a.assigneeId === b.assigneeId,
  queue: (a, b) => a.queueId === b.queueId,
  subject: (a, b) => a.subject === b.subject,
  tags: (a, b) => a.tags.length === b.tags.length && a.tags.every((t) => b.tags.includes(t)),
};
const FACT_KEYS = Object.keys(sameFact) as FactKey[];
const copyFact: Record<FactKey, (to: CaseFacts, from: CaseFacts) => void> = {
  status: (to, from) => void (to.status = from.status),
  priority: (to, from) => void (to.priority = from.priority),
  assignee: (to, from) => void ((to.assigneeId = from.assigneeId), (to.assigneeName = from.assigneeName)),
  queue: (to, from) => void ((to.queueId = from.queueId), (to.queueName = from.queueName)),
  subject: (to, from) => void (to.subject = from.subject),
  tags: (to, from) => void (to.tags = [...from.tags]),
};

/**
 * The writer changed the case themselves (this console's unconfirmed changes
 * went up between two looks at it): what changed between those looks is
 * theirs, so it becomes part of the basis rather than news.
 */
export function absorbOwnChange(basis: ReplyBasis, previous: CaseFacts & { pendingChanges: number }, next: CaseFacts & { pendingChanges: number }): ReplyBasis {
  if (next.pendingChanges <= previous.pendingChanges) return basis;
  const facts = factsOf(basis.facts);
  for (const key of FACT_KEYS) if (!sameFact[key](previous, next)) copyFact[key](facts, next);
  return { ...basis, facts };
}

export type WhileWriting =
  | { kind: 'messages'; direction: Message['direction']; author: string; count: number }
  | { kind: 'status'; to: Case['status'] }
  | { kind: 'priority'; to: Case['priority'] }
  | { kind: 'assignee'; to: string | null }
  | { kind: 'queue'; to: string }
  | { kind: 'subject'; to: string }
  | { kind: 'tags' };

/**
 * What arrived or changed since the basis, from anyone but the writer: new
 * messages (grouped by kind and author; the writer's own replies and notes do
 * not count) and case facts that differ now.
 */
export function changedWhileWriting(basis: ReplyBasis, now: CaseFacts, messages: readonly Pick<Message, 'id' | 'direction' | 'author'>[], me: { name: string }): WhileWriting[] {
  const seen = new Set(basis.messageIds);
  const groups = new Map<string, Extract<WhileWriting, { kind: 'messages' }>>();
  for (const m of messages) {
    if (seen.has(m.id) || (m.direction !== 'in' && m.author === me.name)) continue;
    // Whoever writes in, it is the customer's side of the conversation.
    const author = m.direction === 'in' ? '' : m.author;
    const key = `${m.direction}\u0000${author}`;
    const group = groups.get(key);
    if (group) group.count++;
    else groups.set(key, { kind: 'messages', direction: m.direction, author, count: 1 });
  }
  const changes: WhileWriting[] = [...groups.values()];
  const was = basis.facts;
  if (!sameFact.status(was, now)) changes.push({ kind: 'status', to: now.status });
  if (!sameFact.priority(was, now)) changes.push({ kind: 'priority', to: now.priority });
  if (!sameFact.assignee(was, now)) changes.push({ kind: 'assignee', to: now.assigneeId ? (now.assigneeName ?? 'someone else') : null });
  if (!sameFact.queue(was, now)) changes.push({ kind: 'queue', to: now.queueName });
  if (!sameFact.subject(was, now)) changes.push({ kind: 'subject', to: now.subject });
  if (!sameFact.tags(was, now)) changes.push({ kind: 'tags' });
  return changes;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One change as a phrase: "1 new message from the customer", "status changed to pending". */
export function describeChange(change: WhileWriting): string {
  switch (change.kind) {
    case 'messages':
      if (change.direction === 'in') return `${plural(change.count, 'new message', 'new messages')} from the customer`;
      if (change.direction === 'out') return `${plural(change.count, 'reply', 'replies')} from ${change.author}`;
      return `${plural(change.count, 'internal note', 'internal notes')} from ${change.author}`;
    case 'status':
      return `status changed to ${change.to.replace('_', ' ')}`;
    case 'priority':
      return `priority changed to ${change.to}`;
    case 'assignee':
      return change.to ? `assigned to ${change.to}` : 'unassigned';
    case 'queue':
      return `moved to ${change.to}`;
    case 'subject':
      return `subject changed to “${change.to}”`;
    case 'tags':
      return 'tags changed';
  }
}

/** "While you were writing: 1 new message from the customer, status changed to pending" (null: nothing changed). */
export function whileWritingSummary(changes: readonly WhileWriting[]): string | null {
  return changes.length === 0 ? null : `While you were writing: ${changes.map(describeChange).join(', ')}`;
}
