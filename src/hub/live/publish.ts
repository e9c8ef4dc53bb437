/** Sends hub changes to exactly the consoles whose scope includes them. */
import type { Alert, Case, Customer, Device, Mention, Message } from '../../shared/domain';
import { type CallGone, type CallOffered, CASES_BATCH_MAX, type PresenceState, type SlaSettings } from '../../shared/protocol';
import type { Offer, OfferGone } from '../../shared/routing';
import type { PlansSettings } from '../../shared/entitlements';
import type { Notice } from '../automation/act';
import { type LiveServer, overseerRooms, roomsForCase } from './io';

export type Publisher = ReturnType<typeof createPublisher>;

/** `onChange`: a case or a presence changed (what queue statistics are made of). */
export function createPublisher(io: LiveServer, onChange: () => void = () => undefined) {
  return {
    case(row: Case): void {
      io.to(roomsForCase(row)).emit('case:upsert', row);
      onChange();
    },
    /** To consoles that could see the case where it was and cannot where it is now. */
    caseMoved(row: Case, from: Pick<Case, 'queueId' | 'assigneeId'>, rev: number): void {
      io.to(roomsForCase(from)).except(roomsForCase(row)).emit('case:removed', { id: row.id, rev });
      onChange();
    },
    /**
     * Many cases moved at once: each console gets the rows it may see, the ids
     * that left its scope and the notes, a few `cases:batch` events instead of
     * one event per row. Cases going to the same place share one audience.
     */
    casesMoved(
      moves: { row: Case; from: Pick<Case, 'queueId' | 'assigneeId'> }[],
      notes: Message[],
      named: { customers: Customer[]; devices: Device[] },
    ): void {
      const notesOf = groupBy(notes, (note) => note.caseId);
      const customerOf = new Map(named.customers.map((c) => [c.id, c]));
      const deviceOf = new Map(named.devices.map((d) => [d.id, d]));
      const namedBy = (part: typeof moves) => ({
        customers: [...new Set(part.flatMap((m) => (m.row.customerId ? [m.row.customerId] : [])))].flatMap((id) => customerOf.get(id) ?? []),
        devices: [...new Set(part.flatMap((m) => (m.row.deviceId ? [m.row.deviceId] : [])))].flatMap((id) => deviceOf.get(id) ?? []),
      });
      const place = (c: Pick<Case, 'queueId' | 'assigneeId'>) => `${c.queueId}/${c.assigneeId ?? ''}`;
      for (const group of groupBy(moves, (move) => place(move.row)).values()) {
        const audience = roomsForCase(group[0]!.row);
        for (const part of chunks(group, CASES_BATCH_MAX)) {
          const [first = [], ...more] = chunks(part.flatMap((move) => notesOf.get(move.row.id) ?? []), CASES_BATCH_MAX);
          io.to(audience).emit('cases:batch', { cases: part.map((move) => move.row), ...namedBy(part), removed: [], messages: first });
          for (const messages of more) io.to(audience).emit('cases:batch', { cases: [], customers: [], devices: [], removed: [], messages });
        }
      }
      for (const group of groupBy(moves, (move) => `${place(move.from)}>${place(move.row)}`).values()) {
        const [from, to] = [roomsForCase(group[0]!.from), roomsForCase(group[0]!.row)];
        for (const part of chunks(group, CASES_BATCH_MAX)) {
          io.to(from).except(to).emit('cases:batch', { cases: [], customers: [], devices: [], removed: part.map((move) => ({ id: move.row.id, rev: move.row.rev })), messages: [] });
        }
      }
      if (moves.length > 0) onChange();
    },
    message(message: Message, caseRow: Pick<Case, 'queueId' | 'assigneeId'>): void {
      io.to(roomsForCase(caseRow)).emit('message:upsert', message);
    },
    alert(alert: Alert, caseRow: Pick<Case, 'queueId' | 'assigneeId'>): void {
      io.to(roomsForCase(caseRow)).emit('device:alert', alert);
    },
    /** To supervisors, admins and the agents of the mention's queue (the one owning its channel; none: supervisors and admins), as the pull's scope. */
    mention(mention: Mention, event: 'mention:new' | 'mention:upsert' = 'mention:new'): void {
      io.to([...overseerRooms(), ...(mention.queueId ? [`queue:${mention.queueId}`] : [])]).emit(event, mention);
    },
    /** To the one agent the call is offered to. */
    /** A rule's notify action: to the members of a queue or everyone of a role, and those who oversee. */
    ruleNotice(notice: Notice): void {
      io.to([...overseerRooms(), ...(notice.queueId ? [`queue:${notice.queueId}`] : []), ...(notice.role ? [`role:${notice.role}`] : [])]).emit('rule:notify', notice);
    },
    /** A case offered to one agent (routing/): only they hear of it. */
    offer(userId: string, offer: Offer): void {
      io.to(`user:${userId}`).emit('offer:new', offer);
    },
    offerGone(userId: string, gone: OfferGone): void {
      io.to(`user:${userId}`).emit('offer:gone', gone);
    },
    callOffered(offer: CallOffered): void {
      io.to(`user:${offer.userId}`).emit('call:offered', offer);
    },
    /** Closes the screen pops of the agents a call rang for. */
    callGone(userIds: string[], gone: CallGone): void {
      if (userIds.length > 0) io.to(userIds.map((id) => `user:${id}`)).emit('call:gone', gone);
    },
    presence(userId: string, state: PresenceState): void {
      io.to([...overseerRooms(), `user:${userId}`]).emit('presence:update', { userId, ...state });
      onChange();
    },
    /**
     * Who works which queue, or a user's role, skills or capacity changed: the
     * boards recount at once, and the consoles of `rescoped` users (their
     * queues or role changed) pull again to learn their new scope.
     */
    staffChanged(rescoped: string[] = []): void {
      if (rescoped.length > 0) io.to(rescoped.map((id) => `user:${id}`)).emit('scope:changed');
      onChange();
    },
    /** What each plan includes changed: every console (on every hub) scores its queue with the new table. */
    plansChanged(answer: PlansSettings): void {
      io.emit('plans:changed', answer);
    },
    /** The SLA policies changed: to every console, on every hub (each counts down by the case's own policy); an open SLA tab shows them or warns. */
    slaChanged(answer: SlaSettings): void {
      io.emit('sla:changed', answer);
    },
    /** How a queue routes changed: its members' consoles pull now (the row's new rev brings the mode). */
    queueChanged(queueId: string): void {
      io.to(`queue:${queueId}`).emit('scope:changed');
    },
  };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
