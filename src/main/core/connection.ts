/**
 * Keeps the cache and the hub in step while someone is logged in: the live
 * socket; a sync (push the outbox and pull by cursor side by side, then a
 * last pull) on every (re)connect, on a timer, and soon after every local
 * change; retries with backoff while
 * the hub cannot be reached; and a one-off fetch of the case detail when a
 * live case refers to a customer or device this console has never seen.
 */
import type { ConnectionState, MentionItem, SyncStatus } from '../../shared/api';
import { type CaseWatch, type SlaSettings, SlaSettingsSchema } from '../../shared/protocol';
import type { Offer, OfferGone } from '../../shared/routing';
import { type PlanEntitlements, PlansSettingsSchema } from '../../shared/entitlements';
import type { Cache } from './cache';
import type { CoreEvents } from './emitter';
import { CoreError } from './errors';
import type { Wording } from '../../shared/wording';
import { errorText, type HubClient } from './hub-client';
import { connectLive, type LiveConnection } from './live';
import { fetchChannelSettings, keepChannelSettings } from './channel-settings';
import type { Pusher } from './push';
import type { StoredSession } from './session';
import { type Puller, PullCancelledError } from './sync';

export const RESYNC_INTERVAL_MS = 60_000;
/** A pull changing more cases than this says "reload all" (ids: []) rather than list them. */
const MAX_IDS_PER_EVENT = 500;
/** Retries after a failed sync: 1 s, 2 s, 4 s … up to 30 s, each with ±50 % jitter so consoles do not return in step. */
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;
/** Local changes are pushed in one go when made in quick succession. */
const PUSH_DEBOUNCE_MS = 25;

export interface Connection {
  start(session: StoredSession): void;
  stop(): void;
  state(): ConnectionState;
  /** Pushes and pulls now; rejects with the first error (the timer, reconnects and retries swallow theirs). */
  syncNow(): Promise<void>;
  /** A change was written to the outbox: push it soon. */
  changed(): void;
  status(): SyncStatus;
  /** A long pull moved on (the puller reports it; null when done). */
  setProgress(progress: SyncStatus['progress']): void;
  /** Collision detection: the case open here (nothing while logged out). */
  watch(next: CaseWatch): void;
}

export function createConnection(opts: {
  cache: Cache;
  hub: HubClient;
  puller: Puller;
  pusher: Pusher;
  events: CoreEvents;
  me(): string | null;
  /** The hub no longer accepts this session's token. */
  onUnauthorized(): void;
  /** Push routing's offers to this user, and their end (src/main/core/routing.ts keeps them). */
  onOffer?(offer: Offer): void;
  onOfferGone?(gone: OfferGone): void;
  /** Every successful (re)connect, after the pull it starts (the offers held while away, say). */
  onConnected?(): void;
  log(message: string): void;
  resyncIntervalMs?: number;
  /** Tests shorten the backoff. */
  retryBaseMs?: number;
}): Connection {
  const { cache, hub, events, log } = opts;
  let live: LiveConnection | null = null;
  /** Counts the connection's stops: what was asked before one is not applied after it. */
  let stops = 0;
  let timer: NodeJS.Timeout | null = null;
  let retry: NodeJS.Timeout | null = null;
  let pushSoon: NodeJS.Timeout | null = null;
  let failures = 0;
  let syncing = 0;
  let lastError: string | null = null;
  let lastErrorWording: Wording | null = null;
  let progress: SyncStatus['progress'] = null;
  /** Set while the live connection is down: the next pull catches up on what happened meanwhile. */
  let wasOffline = false;
  // Detail fetched once per case and session, so a case whose customer is out of scope cannot loop.
  const detailFetched = new Set<string>();

  function status(): SyncStatus {
    const connection = live?.state() ?? 'offline';
    return {
      online: connection === 'online',
      connection,
      syncing: syncing > 0,
      pending: cache.outbox.countPending(),
      conflicts: cache.conflicts.count(),
      cursor: Number(cache.meta.get('cursor') ?? 0),
      lastSyncAt: cache.meta.get('lastSyncAt'),
      cachedCases: cache.cases.count(),
      cachedArticles: cache.articles.count(),
      progress,
      lastError,
      lastErrorWording,
    };
  }
  const announce = () => events.emit('sync:changed', status());

  function casesChanged(ids: string[], everything = false): void {
    if (ids.length === 0 && !everything) return;
    events.emit('cases:changed', { ids: everything || ids.length > MAX_IDS_PER_EVENT ? [] : ids });
  }

  /** Runs one step of syncing, keeping the `syncing` flag and the last error for the status. */
  async function tracked<T>(step: () => Promise<T>): Promise<T> {
    syncing++;
    announce();
    try {
      const result = await step();
      failures = 0;
      lastError = null;
      lastErrorWording = null;
      return result;
    } catch (error) {
      if (error instanceof PullCancelledError) throw error;
      if (error instanceof CoreError && error.code === 'unauthorized') opts.onUnauthorized();
      else {
        lastError = errorText(error);
        // The hub's or the core's key for it (hub unreachable, a refusal), so the sync popover says it in the user's language.
        lastErrorWording = error instanceof CoreError ? (error.wording ?? null) : null;
        scheduleRetry();
      }
      throw error;
    } finally {
      syncing--;
      announce();
    }
  }

  function mentionsChanged(ids: string[], arrived: MentionItem[] = []): void {
    events.emit('mentions:changed', { ids, arrived });
  }

  async function push(): Promise<number> {
    const pushed = await tracked(() => opts.pusher.push());
    casesChanged(pushed.caseIds);
    if (pushed.mentionIds.length > 0) mentionsChanged(pushed.mentionIds);
    return pushed.sent;
  }

  async function pull(afterOffline: boolean): Promise<void> {
    const result = await tracked(() => opts.puller.pull({ afterOffline }));
    if (result.applied > 0) casesChanged(result.caseIds, result.othersChanged);
    if (result.mentionsChanged) mentionsChanged([]);
  }

  async function syncNow(): Promise<void> {
    try {
      const afterOffline = wasOffline;
      // Outbox and pull side by side (the overlay keeps the user's changes on top of whatever arrives);
      // a last pull then brings the hub's rows holding what was just pushed.
      const [sent] = await Promise.all([push(), pull(afterOffline)]);
      if (sent > 0) await pull(false);
      if (afterOffline && live?.state() === 'online') wasOffline = false;
    } catch (error) {
      // Logout or another login dropped this pull on purpose.
      if (error instanceof PullCancelledError) return;
      throw error;
    }
  }

  function syncInBackground(why: string): void {
    syncNow().catch((error: unknown) => log(`sync (${why}) failed: ${errorText(error)}`));
  }

  function scheduleRetry(): void {
    if (retry || !live) return;
    const base = Math.min(RETRY_MAX_MS, (opts.retryBaseMs ?? RETRY_BASE_MS) * 2 ** failures);
    failures++;
    const delay = base * (0.5 + Math.random());
    retry = setTimeout(() => {
      retry = null;
      syncInBackground('retry');
    }, delay);
    retry.unref();
  }

  async function fillMissing(id: string): Promise<void> {
    const item = cache.cases.item(id);
    if (!item || detailFetched.has(id)) return;
    const missingCustomer = item.customerId !== null && cache.customers.byId(item.customerId) === null;
    const missingDevice = item.deviceId !== null && cache.devices.byId(item.deviceId) === null;
    if (!missingCustomer && !missingDevice) return;
    detailFetched.add(id);
    const asked = stops;
    const detail = await hub.caseDetail(id).catch((error: unknown) => {
      log(`case detail ${id} failed: ${errorText(error)}`);
      return null;
    });
    // Answered after the connection stopped (signed out, or the core closing and its cache with it): dropped.
    if (asked !== stops) return;
    if (detail && cache.applyCaseDetail(detail)) events.emit('cases:changed', { ids: [id] });
  }

  /** The hub's plan table: the queue is scored again by it when it changed (the entitlement weighs in every score). */
  function keepPlans(table: PlanEntitlements): void {
    if (!cache.plans.keep(table)) return;
    cache.cases.rescore();
    events.emit('cases:changed', { ids: [] });
  }

  /** The hub's SLA policies: every case's countdown follows its own (paused statuses, calendar, warning lead); the windows reload the queue when they changed. */
  function keepSla(settings: SlaSettings): void {
    if (cache.sla.keep(settings)) events.emit('cases:changed', { ids: [] });
  }

  function clearTimers(): void {
    for (const t of [timer, retry, pushSoon]) if (t) clearTimeout(t);
    timer = retry = pushSoon = null;
  }

  function stop(): void {
    stops++;
    opts.puller.cancel();
    live?.close();
    live = null;
    clearTimers();
    detailFetched.clear();
    failures = 0;
  }

  return {
    start(session) {
      stop();
      live = connectLive({
        hubUrl: session.hubUrl,
        token: session.token,
        cache,
        me: opts.me,
        catchingUp: () => wasOffline,
        onState(state) {
          if (state !== 'online') wasOffline = true;
          events.emit('connection:changed', { state });
          announce();
        },
        onCasesChanged(ids) {
          events.emit('cases:changed', { ids });
          for (const id of ids) fillMissing(id).catch((error: unknown) => log(`case detail ${id} not kept: ${errorText(error)}`));
        },
        onNotice: announce,
        onAlert: (alert) => events.emit('device:alert', alert),
        onMention(mention, arrived) {
          const item = arrived ? cache.mentions.item(mention.id) : null;
          mentionsChanged([mention.id], item ? [item] : []);
        },
        onCallOffered(offer) {
          // The hub sends it to this user's room; a stale session's socket must not pop another user's call.
          if (offer.userId === opts.me()) events.emit('call:offered', offer);
        },
        onCallGone: (gone) => events.emit('call:gone', gone),
        onQueueStats: (stats) => events.emit('queue:stats', stats),
        onSurge: (alert) => events.emit('surge:alert', alert),
        onSla: (alert) => events.emit('sla:alert', alert),
        onSettings(settings) {
          keepChannelSettings(cache, settings);
          events.emit('settings:changed', settings);
        },
        onPlans(table) {
          keepPlans(table);
          // Every announcement, changed here or not: an open Plans tab compares it with its draft.
          events.emit('plans:changed', { entitlements: table });
        },
        onSlaSettings(settings) {
          keepSla(settings);
          events.emit('sla:changed', settings);
        },
        onAgentStats: (stats) => events.emit('agent:stats', stats),
        onPresence({ userId, ...state }) {
          // A supervisor hears everyone's; the console's own is the user's.
          if (userId === opts.me()) events.emit('presence:changed', state);
        },
        onConnected() {
          // The network is back: start over with short waits.
          if (retry) clearTimeout(retry);
          retry = null;
          failures = 0;
          syncInBackground('reconnect');
          opts.onConnected?.();
          // Saved while this console was away: the last known stays in force until the hub answers.
          const asked = live;
          fetchChannelSettings(hub)
            .then((settings) => {
              // Logged out or in again meanwhile: that session asks for its own.
              if (asked !== live) return;
              if (keepChannelSettings(cache, settings)) events.emit('settings:changed', settings);
            })
            .catch((error: unknown) => log(`channel settings: ${errorText(error)}`));
          hub
            .json('GET', '/api/settings/plans', PlansSettingsSchema)
            .then(({ entitlements }) => asked === live && keepPlans(entitlements))
            .catch((error: unknown) => log(`plan table: ${errorText(error)}`));
          hub
            .json('GET', '/api/settings/sla', SlaSettingsSchema)
            .then((settings) => asked === live && keepSla(settings))
            .catch((error: unknown) => log(`SLA policies: ${errorText(error)}`));
        },
        // Moved between queues or given another role: the pull sees the new scope and fetches it (sync.ts).
        onScopeChanged: () => syncInBackground('scope changed'),
        onUnauthorized: opts.onUnauthorized,
        onWatchers: (watchers) => events.emit('case:watchers', watchers),
        onOffer: opts.onOffer,
        onOfferGone: opts.onOfferGone,
        log,
      });
      timer = setInterval(() => syncInBackground('timer'), opts.resyncIntervalMs ?? RESYNC_INTERVAL_MS);
      timer.unref();
    },
    stop,
    state: () => live?.state() ?? 'offline',
    syncNow,
    changed() {
      announce();
      if (!live || pushSoon) return;
      pushSoon = setTimeout(() => {
        pushSoon = null;
        push().catch((error: unknown) => log(`push failed, will retry: ${errorText(error)}`));
      }, PUSH_DEBOUNCE_MS);
    },
    status,
    setProgress(next) {
      progress = next;
      announce();
    },
    watch: (next) => live?.watch(next),
  };
}
