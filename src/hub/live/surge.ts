/**
 * Surge alerts: every few seconds each hub counts the arrivals of the last
 * window per channel and per surge keyword (the admin's channel settings, read
 * at each look, so a new one counts at once), in the database (so several
 * hubs see the same numbers), against the usual rate: the mean per window
 * over the previous 7 days (or the history there is) — or over the hour
 * before, when that is higher, so traffic that stays high is one surge told
 * once, not a new one every cooldown. A key surges when its count reaches
 * max(minimum, factor × usual): the minimum keeps a quiet channel from
 * alerting on three posts. The hub whose insert of the alert
 * lands (repos/surges.ts: one per key within the cooldown) sends `surge:alert`
 * to supervisors and admins on every hub, through the adapter.
 */
import { periodic } from '../ops/periodic';
import type { Logger } from 'pino';
import { uuidv7 } from 'uuidv7';
import type { SurgeAlert } from '../../shared/protocol';
import type { Db } from '../db/connect';
import { alertedSince, countArrivals, firstArrival, insertSurgeAlert, type SurgeKind, surgeDetails } from '../repos/surges';
import { type LiveServer, overseerRooms } from './io';

export interface SurgeOptions {
  /** How often each hub looks (default 30 s). */
  intervalMs?: number;
  /** The window arrivals are counted over (default 10 minutes). */
  windowMinutes?: number;
  /** How many times the usual rate a window must reach (default 3). */
  factor?: number;
  /** The fewest arrivals in a window that alert at all (default 20). */
  minimum?: number;
  /** Keywords watched besides the channels (lower case; default none); a function is asked at each look (the admin's channel settings change them live). */
  keywords?: readonly string[] | (() => Promise<readonly string[]>);
  /** No second alert for the same key within this time (default 30 minutes). */
  cooldownMinutes?: number;
}

export const SURGE_DEFAULTS = { intervalMs: 30_000, windowMinutes: 10, factor: 3, minimum: 20, cooldownMinutes: 30 } as const;

const HISTORY_MS = 7 * 24 * 60 * 60_000;
const RECENT_MS = 60 * 60_000;
/** The usual rates move slowly: read again at most this often (their query covers a week of arrivals). */
const USUAL_TTL_MS = 60_000;
const WATCHERS = overseerRooms();

export interface SurgeWatch {
  /** Looks once at `now` (tests pass their own clock); the alerts this hub raised. */
  check(now?: Date): Promise<SurgeAlert[]>;
  stop(): Promise<void>;
}

export function watchSurges(io: LiveServer, db: Db, log: Logger, opts: SurgeOptions = {}): SurgeWatch {
  const { intervalMs, windowMinutes, factor, minimum, cooldownMinutes } = { ...SURGE_DEFAULTS, ...stripUndefined(opts) };
  const watched = opts.keywords ?? [];
  const currentKeywords = async (): Promise<string[]> => [...new Set((typeof watched === 'function' ? await watched() : watched).map((k) => k.toLowerCase()))];
  const windowMs = windowMinutes * 60_000;
  const cooldownMs = cooldownMinutes * 60_000;
  /** The usual rates, for the keywords they were counted for: a keyword added since has none yet. */
  let usual: { at: number; keywords: string; rates: Map<string, number> } | null = null;

  /** Arrivals per window over the week and over the hour before this window, the higher; none while there is less than one window of history. */
  async function usualRates(now: Date, windowFrom: Date, keywords: string[]): Promise<Map<string, number>> {
    const asked = keywords.join('\n');
    if (usual && usual.keywords === asked && now.getTime() >= usual.at && now.getTime() - usual.at < USUAL_TTL_MS) return usual.rates;
    const first = (await firstArrival(db))?.getTime() ?? windowFrom.getTime();
    const rates = new Map<string, number>();
    for (const lookBack of [HISTORY_MS, RECENT_MS]) {
      const from = Math.max(windowFrom.getTime() - lookBack, first);
      const span = windowFrom.getTime() - from;
      if (span < windowMs) continue;
      for (const [key, n] of await countArrivals(db, new Date(from), windowFrom, keywords)) rates.set(key, Math.max(rates.get(key) ?? 0, (n * windowMs) / span));
    }
    usual = { at: now.getTime(), keywords: asked, rates };
    return rates;
  }

  async function run(now: Date, stopped: () => boolean): Promise<SurgeAlert[]> {
    const windowFrom = new Date(now.getTime() - windowMs);
    const keywords = await currentKeywords();
    const counts = await countArrivals(db, windowFrom, now, keywords);
    // Below the minimum nothing alerts, whatever the usual rate: most looks end here, without reading the history.
    const candidates = [...counts].filter(([, n]) => n >= minimum);
    if (candidates.length === 0) return [];
    const rates = await usualRates(now, windowFrom, keywords);
    const raised: SurgeAlert[] = [];
    for (const [id, count] of candidates) {
      const rate = rates.get(id) ?? 0;
      if (count < factor * rate) continue;
      const [kind, ...rest] = id.split(':') as [SurgeKind, ...string[]];
      const surge = { kind, key: rest.join(':') };
      if (await alertedSince(db, surge, new Date(now.getTime() - cooldownMs))) continue;
      const alert: SurgeAlert = {
        id: uuidv7(),
        ...surge,
        count,
        usual: Math.round(rate * 10) / 10,
        windowMinutes,
        at: now.toISOString(),
        ...(await surgeDetails(db, surge, windowFrom, now)),
      };
      // Another hub may have raised it meanwhile: only the one whose insert lands tells the consoles.
      if (!(await insertSurgeAlert(db, alert, windowFrom, cooldownMs))) continue;
      if (stopped()) break;
      io.to(WATCHERS).emit('surge:alert', alert);
      log.info({ kind, key: surge.key, count, usual: alert.usual, cases: alert.caseIds.length }, 'surge alert');
      raised.push(alert);
    }
    return raised;
  }

  return periodic(run, { intervalMs, log, what: 'surge check' });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
