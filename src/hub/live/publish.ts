/** Sends hub changes to exactly the consoles whose scope includes them. */
import type { Alert, Case, Mention, Message } from '../../shared/domain';
import type { CallOffered, PresenceState } from '../../shared/protocol';
import { type LiveServer, roomsForCase } from './io';

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
    message(message: Message, caseRow: Pick<Case, 'queueId' | 'assigneeId'>): void {
      io.to(roomsForCase(caseRow)).emit('message:upsert', message);
    },
    alert(alert: Alert, caseRow: Pick<Case, 'queueId' | 'assigneeId'>): void {
      io.to(roomsForCase(caseRow)).emit('device:alert', alert);
    },
    /** To supervisors, admins and the agents of the mention's queue (the one owning its channel; none: supervisors and admins), as the pull's scope. */
    mention(mention: Mention, event: 'mention:new' | 'mention:upsert' = 'mention:new'): void {
      io.to(['role:supervisor', 'role:admin', ...(mention.queueId ? [`queue:${mention.queueId}`] : [])]).emit(event, mention);
    },
    /** To the one agent the call is offered to. */
    callOffered(offer: CallOffered): void {
      io.to(`user:${offer.userId}`).emit('call:offered', offer);
    },
    presence(userId: string, state: PresenceState): void {
      io.to(['role:supervisor', 'role:admin', `user:${userId}`]).emit('presence:update', { userId, ...state });
      onChange();
    },
  };
}
