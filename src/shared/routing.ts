/**
 * Routing's rules of the domain, written once: how a queue hands out work,
 * how much of an agent's capacity each channel takes (a call takes all of
 * it; chats, mails and mentions fit several together, as in Omni-Channel),
 * and what an offer says to the console it is made to.
 */
import { z } from 'zod';
import { CaseSchema, type Channel, type Queue, type Role, RoutingModeSchema } from './domain';
import { PriorityWhyPartSchema } from './priority';

// Defined beside the queue row that carries them (domain.ts imports nothing from here).
export { ROUTING_MODES, RoutingModeSchema, type RoutingMode } from './domain';

/**
 * "Next case" means something only to an agent who works at least one queue
 * in pull mode: push queues offer their work, manual ones are assigned by hand.
 */
export function mayTakeNextCase(role: Role, queues: readonly (Pick<Queue, 'routing'> & { member: boolean })[]): boolean {
  return role === 'agent' && queues.some((q) => q.member && q.routing === 'pull');
}

/** Statuses of an assigned case that keep taking the agent's capacity. */
export const LOADING_STATUSES = ['new', 'open'] as const;

export interface Load {
  channel: Channel;
  status: string;
  /** A call the agent is on now (src/shared/calls.ts), not a case: it rings through the phone channel (`call:offered`) and its case counts once logged. */
  liveCall?: boolean;
}

/** What a live call weighs: all of the agent's capacity, whatever it is (as Omni-Channel counts a call). */
export const liveCallLoad = (callSid: string): Load => ({ channel: 'phone', status: `call:${callSid}`, liveCall: true });

/**
 * How much of an agent's capacity a piece of work takes: a case one unit, so
 * chats, mails and mentions fit several together; a live call all of it.
 */
export const loadOf = (c: Load): number => (c.liveCall ? Number.POSITIVE_INFINITY : 1);

/** Whether an agent with this capacity, already working `cases`, may get one more. */
export function hasRoomFor(capacity: number, cases: readonly Load[], next: Load): boolean {
  const used = cases.reduce((sum, c) => sum + loadOf(c), 0);
  return used + loadOf(next) <= capacity;
}

/** An agent's skills cover what the queue requires. */
export const hasSkills = (skills: readonly string[], required: readonly string[]): boolean => required.every((s) => skills.includes(s));

/** A case offered to this agent (`offer:new`): accept or decline before `expiresAt`, or it goes to the next agent. */
export const OfferSchema = z.object({
  case: CaseSchema,
  expiresAt: z.iso.datetime({ offset: true }),
  /** The priority line the agent reads: why this case, now (English). */
  why: z.string(),
  /** The same reasons as data, for the console to say in its user's language (a hub from before sends none). */
  whyParts: z.array(PriorityWhyPartSchema).default([]),
});
export type Offer = z.infer<typeof OfferSchema>;

/** An offer withdrawn from this agent (`offer:gone`): taken, declined, lapsed, or the case moved. */
export const OfferGoneSchema = z.object({ caseId: z.uuid(), reason: z.enum(['accepted', 'declined', 'timeout', 'withdrawn']) });
export type OfferGone = z.infer<typeof OfferGoneSchema>;

/** How an admin sets a queue's routing (PUT /api/admin/queues/:id/routing). */
export const QueueRoutingSchema = z.strictObject({
  routing: RoutingModeSchema,
  /** Skills an agent needs for the queue's work (a language, a product, a channel). */
  requiredSkills: z.array(z.string().trim().min(1).max(40)).max(20).default([]),
  /** How long an offer waits for its agent before it goes to the next (5–600 s). */
  offerSeconds: z.number().int().min(5).max(600).default(30),
});
export type QueueRouting = z.infer<typeof QueueRoutingSchema>;
