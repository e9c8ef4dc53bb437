/**
 * Keeps the cache in step with the hub while someone is logged in: the live
 * socket, a pull on every (re)connect and on a timer, and a one-off fetch of
 * the case detail when a live case refers to a customer or device this
 * console has never seen (live events carry the case row only).
 */
import type { ConnectionState } from '../../shared/api';
import type { Cache } from './cache';
import type { CoreEvents } from './emitter';
import { CoreError } from './errors';
import { errorText, type HubClient } from './hub-client';
import { connectLive, type LiveConnection } from './live';
import type { StoredSession } from './session';
import { type Puller, PullCancelledError } from './sync';

export const RESYNC_INTERVAL_MS = 60_000;
/** A pull changing more cases than this says "reload all" (ids: []) rather than list them. */
const MAX_IDS_PER_EVENT = 500;

export interface Connection {
  start(session: StoredSession): void;
  stop(): void;
  state(): ConnectionState;
  /** Pulls now; rejects with the pull's error (the timer and reconnects swallow theirs). */
  syncNow(): Promise<void>;
}

export function createConnection(opts: {
  cache: Cache;
  hub: HubClient;
  puller: Puller;
  events: CoreEvents;
  /** The hub no longer accepts this session's token. */
  onUnauthorized(): void;
  log(message: string): void;
  resyncIntervalMs?: number;
}): Connection {
  const { cache, hub, events, log } = opts;
  let live: LiveConnection | null = null;
  let timer: NodeJS.Timeout | null = null;
  // Detail fetched once per case and session, so a case whose customer is out of scope cannot loop.
  const detailFetched = new Set<string>();

  async function syncNow(): Promise<void> {
    try {
      const result = await opts.puller.pull();
      if (result.applied === 0) return;
      // Names shown beside cases changed, or too many cases to list: "reload all".
      const everything = result.othersChanged || result.caseIds.length > MAX_IDS_PER_EVENT;
      events.emit('cases:changed', { ids: everything ? [] : result.caseIds });
    } catch (error) {
      // Logout or another login dropped this pull on purpose.
      if (error instanceof PullCancelledError) return;
      if (error instanceof CoreError && error.code === 'unauthorized') opts.onUnauthorized();
      throw error;
    }
  }

  function syncInBackground(why: string): void {
    syncNow().catch((error: unknown) => log(`sync (${why}) failed: ${errorText(error)}`));
  }

  async function fillMissing(id: string): Promise<void> {
    const item = cache.cases.item(id);
    if (!item || detailFetched.has(id)) return;
    const missingCustomer = item.customerId !== null && cache.customers.byId(item.customerId) === null;
    const missingDevice = item.deviceId !== null && cache.devices.byId(item.deviceId) === null;
    if (!missingCustomer && !missingDevice) return;
    detailFetched.add(id);
    const detail = await hub.caseDetail(id).catch((error: unknown) => {
      log(`case detail ${id} failed: ${errorText(error)}`);
      return null;
    });
    if (detail && cache.applyCaseDetail(detail)) events.emit('cases:changed', { ids: [id] });
  }

  function stop(): void {
    opts.puller.cancel();
    live?.close();
    live = null;
    if (timer) clearInterval(timer);
    timer = null;
    detailFetched.clear();
  }

  return {
    start(session) {
      stop();
      live = connectLive({
        hubUrl: session.hubUrl,
        token: session.token,
        cache,
        onState: (state) => events.emit('connection:changed', { state }),
        onCasesChanged(ids) {
          events.emit('cases:changed', { ids });
          for (const id of ids) void fillMissing(id);
        },
        onAlert: (alert) => events.emit('device:alert', alert),
        onConnected: () => syncInBackground('reconnect'),
        onUnauthorized: opts.onUnauthorized,
        log,
      });
      timer = setInterval(() => syncInBackground('timer'), opts.resyncIntervalMs ?? RESYNC_INTERVAL_MS);
      timer.unref();
    },
    stop,
    state: () => live?.state() ?? 'offline',
    syncNow,
  };
}
