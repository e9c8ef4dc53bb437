/**
 * Runs routing rounds: on a short clock (offers lapse, agents free up) and
 * at once when something changes (a case arrives, an offer is declined, an
 * agent becomes available). One round at a time per hub; hubs sharing a
 * Postgres each run theirs, serialised by the write lock.
 */
import type { Logger } from 'pino';
import type { Db } from '../db/connect';
import type { Publisher } from '../live/publish';
import { type RoundResult, routeRound } from './router';
import { WaitingBoard } from './waiting-board';

export const ROUTING_INTERVAL_MS = 1_000;

export interface RoutingLoop {
  /**
   * A round soon (coalesced with one already under way). For work arriving in `queueId`, none when the
   * last round found that queue pulls: a burst of mail into pull queues costs no rounds (a queue switched
   * to push since, by another hub, is routed on the next tick).
   */
  kick(queueId?: string): void;
  /** A round now, its offers published (tests). */
  round(now?: Date): Promise<RoundResult>;
  stop(): void;
}

export function startRouting(db: Db, publish: Publisher, log: Logger, opts: { intervalMs?: number } = {}): RoutingLoop {
  let running: Promise<RoundResult> | null = null;
  let again = false;
  let stopped = false;
  /** As the last round read them; unknown before the first. */
  let pushQueueIds: Set<string> | null = null;
  /** The push queues' waiting cases, kept between this hub's rounds. */
  const board = new WaitingBoard();

  const round = async (now?: Date): Promise<RoundResult> => {
    const result = await routeRound(db, now, board);
    pushQueueIds = new Set(result.pushQueueIds);
    // After commit: an agent never hears of an offer that is not stored.
    for (const { userId, gone } of result.gone) publish.offerGone(userId, gone);
    for (const { userId, offer } of result.offers) publish.offer(userId, offer);
    return result;
  };
  const kick = (queueId?: string) => {
    if (stopped || (queueId !== undefined && pushQueueIds !== null && !pushQueueIds.has(queueId))) return;
    if (running) {
      again = true;
      return;
    }
    running = round()
      .catch((error: unknown) => {
        log.error({ err: error }, 'routing round failed');
        return { offers: [], gone: [], pushQueueIds: [] };
      })
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          kick();
        }
      });
  };
  const timer = setInterval(() => kick(), opts.intervalMs ?? ROUTING_INTERVAL_MS);
  timer.unref();
  return {
    kick,
    round,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
