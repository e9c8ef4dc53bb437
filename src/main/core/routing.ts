/**
 * Push and pull routing on the console side. The offers the hub makes this
 * user (`offer:new`) are kept here, in memory, until they are answered, lapse
 * or the hub withdraws them (`offer:gone`), so a reloaded window shows them
 * again (`routing.offers`). Answering an offer and "Next case" happen on the
 * hub or not at all: never queued, so offline they fail as `unavailable`. A
 * case the hub gives the user is written to the cache from its answer at
 * once; the live feed's copy of the same move then changes nothing.
 */
import { z } from 'zod';
import type { ApiHandlers, OfferItem, QueueItem } from '../../shared/api';
import { type Case, CaseSchema } from '../../shared/domain';
import { type Offer, type OfferGone, OfferSchema } from '../../shared/routing';
import { CallAnswerSchema } from '../../shared/calls';
import type { Cache } from './cache';
import type { Connection } from './connection';
import type { CoreEvents } from './emitter';
import { CoreError } from './errors';
import type { HubClient } from './hub-client';
import type { Session } from './session';

type RoutingMethod = 'routing.offers' | 'routing.accept' | 'routing.decline' | 'routing.next' | 'calls.answer';

const TakenAnswer = z.object({ case: CaseSchema.nullable() });
const HeldAnswer = z.object({ offers: z.array(OfferSchema) });
/** 204: the hub answers nothing. */
const NoAnswer = z.null();

export interface Routing {
  handlers: Pick<ApiHandlers, RoutingMethod>;
  /** A live `offer:new` (validated). */
  offered(offer: Offer): void;
  /** A live `offer:gone` (validated). */
  gone(gone: OfferGone): void;
  /** Cases changed in the cache: an offered case someone took (here, on another console of the user's) is no longer on offer. */
  casesChanged(ids: string[]): void;
  /** Connected (again): the offers the hub holds for the user, which a restarted core or a missed event would not know. */
  resume(): Promise<void>;
  /** Signed out or in as someone else: the offers were the last user's. */
  clear(): void;
}

export function createRouting(deps: { cache: Cache; hub: HubClient; session: Session; connection: Connection; events: CoreEvents; log(message: string): void }): Routing {
  const { cache, hub, session, connection, events } = deps;
  const open = new Map<string, { item: OfferItem; timer: NodeJS.Timeout }>();

  const itemOf = (offer: Offer): OfferItem => ({
    ...offer,
    receivedAt: new Date().toISOString(),
    customerName: offer.case.customerId ? (cache.customers.byId(offer.case.customerId)?.name ?? null) : null,
    queueName: cache.queues.byId(offer.case.queueId)?.name ?? null,
  });

  /** Drops an offer and tells the windows, once. */
  function drop(caseId: string, reason: OfferGone['reason']): void {
    const held = open.get(caseId);
    if (!held) return;
    clearTimeout(held.timer);
    open.delete(caseId);
    events.emit('offer:gone', { caseId, reason });
  }

  function offered(offer: Offer): void {
    const { id } = offer.case;
    const left = Date.parse(offer.expiresAt) - Date.now();
    if (left <= 0) return;
    const held = open.get(id);
    if (held) clearTimeout(held.timer);
    // The offer carries the whole case: the cache holds it before the user can open it (rev-reconciled, so an older copy changes nothing).
    if (cache.apply('case', offer.case, offer.case.rev)) events.emit('cases:changed', { ids: [id] });
    const item = itemOf(offer);
    // The hub withdraws a lapsed offer on its next round; the card leaves at the deadline without waiting for it.
    const timer = setTimeout(() => drop(id, 'timeout'), left);
    timer.unref?.();
    open.set(id, { item, timer });
    events.emit('offer:new', item);
  }

  const loggedIn = (): string => {
    const me = session.current()?.user.id;
    if (!me) throw new CoreError('unauthorized', 'not logged in');
    return me;
  };
  /** Routing answers only on the hub: refuse at once while it cannot be reached. */
  const online = (what: string): string => {
    const me = loggedIn();
    if (connection.state() !== 'online') throw new CoreError('unavailable', `${what} needs the hub, and this console is offline; try again when it is back`);
    return me;
  };

  /** The hub's answer written to the cache at once (the live feed brings the same move a moment later). */
  function keep(row: Case): QueueItem {
    if (cache.apply('case', row, row.rev)) events.emit('cases:changed', { ids: [row.id] });
    const item = cache.cases.item(row.id);
    if (!item) throw new CoreError('internal', `case ${row.id} could not be stored`);
    return item;
  }

  return {
    offered,
    gone: ({ caseId, reason }) => drop(caseId, reason),
    async resume() {
      const asked = session.current()?.user.id;
      if (!asked) return;
      try {
        const { offers } = await hub.json('GET', '/api/offers', HeldAnswer);
        // Signed out or in as someone else meanwhile: these were the last user's.
        if (session.current()?.user.id !== asked) return;
        const held = new Set(offers.map((offer) => offer.case.id));
        for (const caseId of [...open.keys()]) if (!held.has(caseId)) drop(caseId, 'withdrawn');
        for (const offer of offers) if (!open.has(offer.case.id)) offered(offer);
      } catch (error) {
        // The live events still bring new offers; these come back on the next connect.
        deps.log(`routing: the offers held could not be read: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    casesChanged(ids) {
      for (const id of ids.length === 0 ? [...open.keys()] : ids) {
        if (!open.has(id)) continue;
        const assignee = cache.cases.assigneeOf(id);
        if (assignee !== null) drop(id, assignee === session.current()?.user.id ? 'accepted' : 'withdrawn');
      }
    },
    clear() {
      for (const { timer } of open.values()) clearTimeout(timer);
      open.clear();
    },
    handlers: {
      async 'routing.offers'() {
        loggedIn();
        return [...open.values()].map((held) => held.item).sort((a, b) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt));
      },
      async 'routing.accept'({ caseId }) {
        online('Accepting an offer');
        try {
          const answer = await hub.json('POST', `/api/offers/${encodeURIComponent(caseId)}/accept`, TakenAnswer, {});
          if (!answer.case) throw new CoreError('internal', 'the hub accepted the offer but sent no case');
          const item = keep(answer.case);
          drop(caseId, 'accepted');
          return item;
        } catch (error) {
          // Lapsed, or taken by someone else meanwhile (404 / 409): the offer is over whatever the user does.
          if (error instanceof CoreError && (error.status === 404 || error.status === 409)) {
            drop(caseId, 'withdrawn');
            throw new CoreError('not_found', error.message, error.status, error.wording);
          }
          throw error;
        }
      },
      async 'routing.decline'({ caseId }) {
        online('Declining an offer');
        try {
          await hub.json('POST', `/api/offers/${encodeURIComponent(caseId)}/decline`, NoAnswer, {});
        } catch (error) {
          // Already over on the hub: nothing left to decline.
          if (!(error instanceof CoreError && error.status === 404)) throw error;
        }
        drop(caseId, 'declined');
        return null;
      },
      async 'routing.next'() {
        online('Next case');
        try {
          const answer = await hub.json('POST', '/api/routing/next', TakenAnswer, {});
          return answer.case ? keep(answer.case) : null;
        } catch (error) {
          // 404: nothing waits in the user's pull queues that they may take.
          if (error instanceof CoreError && error.status === 404) return null;
          throw error;
        }
      },
      async 'calls.answer'({ callSid }) {
        // The hub must hear it now: routing stops offering the user work while the call lasts.
        online('Answering a call');
        return (await hub.json('POST', `/api/calls/${encodeURIComponent(callSid)}/answer`, CallAnswerSchema, {})).call;
      },
    },
  };
}
