/** Sends hub changes to exactly the consoles whose scope includes them. */
import type { Alert, Case, Mention, Message } from '../../shared/domain';
import type { Presence } from '../../shared/protocol';
import { type LiveServer, roomsForCase } from './io';

export type Publisher = ReturnType<typeof createPublisher>;

export function createPublisher(io: LiveServer) {
  return {
    case(row: Case): void {
      io.to(roomsForCase(row)).emit('case:upsert', row);
    },
    /** To consoles that could see the case where it was and cannot where it is now. */
    caseMoved(row: Case, from: Pick<Case, 'queueId' | 'assigneeId'>, rev: number): void {
      io.to(roomsForCase(from)).except(roomsForCase(row)).emit('case:removed', { id: row.id, rev });
    },
    message(message: Message, caseRow: Pick<Case, 'queueId' | 'assigneeId'>): void {
      io.to(roomsForCase(caseRow)).emit('message:upsert', message);
    },
    alert(alert: Alert, caseRow: Pick<Case, 'queueId' | 'assigneeId'>): void {
      io.to(roomsForCase(caseRow)).emit('device:alert', alert);
    },
    /** Mentions are not cases yet: every agent may triage them (technicians work only their own cases). */
    mention(mention: Mention): void {
      io.to(['role:agent', 'role:supervisor', 'role:admin']).emit('mention:new', mention);
    },
    presence(userId: string, presence: Presence): void {
      io.to(['role:supervisor', 'role:admin', `user:${userId}`]).emit('presence:update', { userId, presence });
    },
  };
}
