/** Collision detection's shared rules: who is on a case, and what changed while a reply was being written. */
import { describe, expect, it } from 'vitest';
import { absorbOwnChange, type CaseFacts, changedWhileWriting, collapseWatchers, replyBasis, whileWritingSummary } from '../../src/shared/collision';
import type { Message } from '../../src/shared/domain';

describe('collapseWatchers', () => {
  it('makes one entry per person, replying if any console is, people replying first', () => {
    const list = collapseWatchers([
      { userId: 'a', name: 'Ana', mode: 'viewing', since: '2026-01-01T10:00:00.000Z' },
      { userId: 'b', name: 'Bo', mode: 'viewing', since: '2026-01-01T10:05:00.000Z' },
      { userId: 'b', name: 'Bo', mode: 'replying', since: '2026-01-01T10:07:00.000Z' },
      { userId: 'b', name: 'Bo', mode: 'viewing', since: '2026-01-01T10:01:00.000Z' },
      { userId: 'c', name: 'Cy', mode: 'viewing', since: '2026-01-01T09:00:00.000Z' },
      { userId: 'c', name: 'Cy', mode: 'viewing', since: '2026-01-01T11:00:00.000Z' },
    ]);
    expect(list).toEqual([
      { userId: 'b', name: 'Bo', mode: 'replying', since: '2026-01-01T10:07:00.000Z' },
      { userId: 'c', name: 'Cy', mode: 'viewing', since: '2026-01-01T09:00:00.000Z' },
      { userId: 'a', name: 'Ana', mode: 'viewing', since: '2026-01-01T10:00:00.000Z' },
    ]);
  });
  it('is empty for nobody', () => expect(collapseWatchers([])).toEqual([]));
});

describe('what changed while a reply was written', () => {
  const facts: CaseFacts = {
    status: 'open',
    priority: 'normal',
    assigneeId: 'u-me',
    assigneeName: 'Me Myself',
    queueId: 'q-1',
    queueName: 'Support',
    subject: 'Printer on fire',
    tags: ['vip', 'hardware'],
  };
  const me = { name: 'Me Myself' };
  let n = 0;
  const message = (direction: Message['direction'], author: string) => ({ id: `m-${++n}`, direction, author });
  const seen = [message('in', 'customer@example.com'), message('out', 'Me Myself')];
  const basis = replyBasis(facts, seen);

  it('says nothing when nothing changed (the same tags in another order, the writer’s own messages)', () => {
    const mine = [message('out', 'Me Myself'), message('note', 'Me Myself')];
    const changes = changedWhileWriting(basis, { ...facts, tags: ['hardware', 'vip'] }, [...seen, ...mine], me);
    expect(changes).toEqual([]);
    expect(whileWritingSummary(changes)).toBeNull();
  });

  it('counts new messages by kind and author, and the facts that differ now', () => {
    const arrived = [message('in', 'customer@example.com'), message('in', 'Customer Name'), message('note', 'Bo Agent'), message('out', 'Bo Agent'), message('note', 'Bo Agent')];
    const now: CaseFacts = { ...facts, status: 'on_hold', priority: 'high', assigneeId: 'u-bo', assigneeName: 'Bo Agent', queueId: 'q-2', queueName: 'Billing', subject: 'Printer fine', tags: ['vip'] };
    const changes = changedWhileWriting(basis, now, [...seen, ...arrived], me);
    expect(whileWritingSummary(changes)).toBe(
      'While you were writing: 2 new messages from the customer, 2 internal notes from Bo Agent, 1 reply from Bo Agent, status changed to on hold, priority changed to high, assigned to Bo Agent, moved to Billing, subject changed to “Printer fine”, tags changed',
    );
  });

  it('matches the brief’s example sentence', () => {
    const changes = changedWhileWriting(basis, { ...facts, status: 'pending' }, [...seen, message('in', 'x')], me);
    expect(whileWritingSummary(changes)).toBe('While you were writing: 1 new message from the customer, status changed to pending');
  });

  it('says a case left without an assignee is unassigned', () => {
    expect(whileWritingSummary(changedWhileWriting(basis, { ...facts, assigneeId: null, assigneeName: null }, seen, me))).toBe('While you were writing: unassigned');
  });

  it('takes the writer’s own change of the case into the basis (their unconfirmed changes went up), not another’s', () => {
    const before = { ...facts, pendingChanges: 0 };
    const mineNow = { ...facts, status: 'pending' as const, pendingChanges: 1 };
    const rebased = absorbOwnChange(basis, before, mineNow);
    expect(changedWhileWriting(rebased, mineNow, seen, me)).toEqual([]);
    // The same change arriving from the hub (no change of this console's) stays news.
    const theirs = { ...facts, status: 'pending' as const, pendingChanges: 0 };
    expect(absorbOwnChange(basis, before, theirs)).toBe(basis);
    expect(changedWhileWriting(basis, theirs, seen, me)).toEqual([{ kind: 'status', to: 'pending' }]);
    // The basis it was given is left as it was.
    expect(basis.facts.status).toBe('open');
  });
});
