/**
 * The console core: session, cache, sync and live connection behind the
 * handlers of the console API. Plain Node — the same object serves Electron's
 * IPC and the browser shell's bridge (from a worker thread: worker-host.ts),
 * the headless console, tests and the benchmarks.
 */
import type { ApiHandlers } from '../../shared/api';
import type { AgentStats, PresenceState, QueueStats } from '../../shared/protocol';
import { hubAddressProblem } from '../../shared/hub-address';
import { type Cache, openCache } from './cache';
import { createConnection } from './connection';
import { isNewerPresence } from './presence-order';
import { CoreEvents } from './emitter';
import { CoreError } from './errors';
import { createChanges } from './changes';
import { createHandlers } from './handlers';
import { createHubClient, errorText, type HubClient } from './hub-client';
import { sameHub } from './hub-lock';
import { createRevocations } from './revocations';
import { createSession } from './session';
import { createTokenKeeper } from './token-refresh';
import type { SecretBox } from './secret-box';
import { createPusher } from './push';
import { createPuller, pagesInThisThread, PULL_PAGE_SIZE } from './sync';
import { pagesInPullThread } from './pull-thread';
import { createRouting } from './routing';

export { CacheKeyError, CacheTooNewError } from './cache';
export { CoreError } from './errors';
export { sameHub } from './hub-lock';
export { CoreEvents } from './emitter';
export { dispatch } from './dispatch';
export { parsePullPageSize } from './sync';
export type { SecretBox } from './secret-box';
export { coreEndpoint, type CoreEndpoint, startConsoleCoreInWorker, type WorkerCoreEndpoint, type WorkerCoreOptions } from './worker-host';

export const DEFAULT_HUB_URL = 'http://127.0.0.1:4710';

/** How often the queue's priority scores are brought up to the clock. */
const RESCORE_INTERVAL_MS = 60_000;

export interface ConsoleCoreOptions {
  /** Where cache.sqlite lives. */
  dataDir: string;
  /** The hub a login uses when it names none and none was used before. */
  hubUrl?: string;
  /**
   * The hub the administrator's policy fixes (src/main/policy): every sign-in goes there, one naming
   * another hub is refused, a session restored from another hub is ended. Wins over `hubUrl`.
   */
  lockedHubUrl?: string;
  /** Plain http:// to a hub outside loopback (the shells' SWITCHBOARD_ALLOW_INSECURE_HUB); otherwise such a hub is refused. */
  allowInsecureHub?: boolean;
  /** better-sqlite3's native addon built for Electron's ABI. */
  nativeBinding?: string;
  fetch?: typeof fetch;
  /** Seals the cache's key and the stored session token (Electron: safeStorage). */
  secrets?: SecretBox;
  log?: (message: string) => void;
  /** Periodic pull; tests shorten it. */
  resyncIntervalMs?: number;
  /** First wait before retrying a failed sync (doubles up to 30 s); tests shorten it. */
  retryBaseMs?: number;
  /** Rows per pull page; tests shrink it to stop a pull halfway. */
  pullPageSize?: number;
}

export interface ConsoleCore {
  handlers: ApiHandlers;
  events: CoreEvents;
  /** The cache, for tests and the benchmark; the API goes through `handlers`. */
  cache: Cache;
  close(): Promise<void>;
}

export async function createConsoleCore(opts: ConsoleCoreOptions): Promise<ConsoleCore> {
  // Every hub address enters here: the default, a login's, a stored session's (the live socket and requests use the session's).
  const hubRefusal = (hubUrl: string) => hubAddressProblem(hubUrl, { allowInsecure: opts.allowInsecureHub ?? false });
  const defaultHubUrl = opts.lockedHubUrl ?? opts.hubUrl;
  const refusedDefault = defaultHubUrl === undefined ? null : hubRefusal(defaultHubUrl);
  if (refusedDefault) throw new CoreError('invalid_input', refusedDefault);

  const cache = openCache(opts.dataDir, { nativeBinding: opts.nativeBinding, secrets: opts.secrets });
  const events = new CoreEvents();
  const log = opts.log ?? (() => undefined);

  const client = createHubClient(() => session.credentials(), opts.fetch);
  const hub: HubClient = {
    ...client,
    async login(hubUrl, username, password) {
      const refused = hubRefusal(hubUrl);
      if (refused) throw new CoreError('invalid_input', refused);
      return client.login(hubUrl, username, password);
    },
  };
  // A sign-out the hub could not hear is kept, sealed, and sent when it can (at start, after a sign-in, on reconnect, by retries).
  const revocations = createRevocations({ cache, hub, secrets: opts.secrets, log, retryBaseMs: opts.retryBaseMs });
  const session = createSession({ cache, hub, defaultHubUrl: defaultHubUrl ?? DEFAULT_HUB_URL, lockedHubUrl: opts.lockedHubUrl, secrets: opts.secrets, log, revoke: (ending) => revocations.revoke(ending) });
  const me = () => session.current()?.user.id ?? null;
  // Pages are fetched, parsed and written in a thread of their own; a `fetch` given by a test cannot cross to it, so then here.
  const pullThread = opts.fetch ? null : pagesInPullThread({ dataDir: opts.dataDir, key: cache.key, nativeBinding: opts.nativeBinding, credentials: () => session.credentials(), log });
  const pages = pullThread ?? pagesInThisThread(cache, hub);
  const connection = createConnection({
    cache,
    hub,
    puller: createPuller(cache, pages, opts.pullPageSize ?? PULL_PAGE_SIZE, { me, onProgress: (progress) => connection.setProgress(progress) }),
    pusher: createPusher(cache, hub),
    events,
    me,
    // An expired access token (back after days offline) is refreshed; only a refused refresh token ends the session.
    onUnauthorized: () => void tokens.recover('the hub refused the access token'),
    onOffer: (offer) => routing.offered(offer),
    onOfferGone: (gone) => routing.gone(gone),
    onConnected: () => void routing.resume(),
    log,
    resyncIntervalMs: opts.resyncIntervalMs,
    retryBaseMs: opts.retryBaseMs,
  });
  const tokens = createTokenKeeper({
    session,
    onRefreshed(next) {
      // The live socket keeps the token it connected with: a new one with the new token, and a sync on connect.
      if (!closed) connection.start(next);
    },
    onRefused: (why) => endSession(why),
    log,
    retryBaseMs: opts.retryBaseMs,
  });
  const changes = createChanges({
    cache,
    me: () => session.current()?.user ?? null,
    onWritten(ids) {
      events.emit('cases:changed', { ids });
      connection.changed();
    },
    onMentions(ids) {
      events.emit('mentions:changed', { ids, arrived: [] });
      connection.changed();
    },
  });

  // Push routing's open offers, kept here so a reloaded window shows them again.
  const routing = createRouting({ cache, hub, session, connection, events, log });
  events.on('cases:changed', ({ ids }) => routing.casesChanged(ids));

  let closed = false;
  // SLA time left moves with the clock, and with it each case's priority: the queue is scored again every minute.
  const rescoring = setInterval(() => {
    if (!closed && cache.cases.rescore() > 0) events.emit('cases:changed', { ids: [] });
  }, RESCORE_INTERVAL_MS);
  rescoring.unref?.();
  // The user's presence as last heard (the hub's answer to /api/me, a live update, or the user's own choice).
  let presence: PresenceState | null = null;
  events.on('presence:changed', (state) => {
    presence = state;
  });
  // The latest queue statistics, for a board opened between two of them.
  let queueStats: QueueStats[] | null = null;
  events.on('queue:stats', (stats) => {
    queueStats = stats;
  });
  let agentStats: AgentStats[] | null = null;
  events.on('agent:stats', (stats) => {
    agentStats = stats;
  });

  /** Ends the session here (the outbox and cache stay for the next sign-in); a sign-out also revokes its tokens on the hub. */
  function endSession(why: string, { signOut = false } = {}): void {
    if (closed || !session.current()) return;
    log(`logged out: ${why}`);
    tokens.stop();
    connection.stop();
    routing.clear();
    if (signOut) void session.signOut();
    else session.logout();
    events.emit('session:changed', { user: null });
  }

  /** Checks a stored token and picks up changes to the user (name, role) made while away. */
  async function refreshUser(): Promise<void> {
    try {
      const me = await hub.me();
      if (me.user) session.updateUser(me.user);
      // A live update may have overtaken this answer (presence-order.ts).
      if (me.presence && isNewerPresence(me.presence, presence)) events.emit('presence:changed', me.presence);
    } catch (error) {
      if (closed) return;
      if (error instanceof CoreError && error.code === 'unauthorized') void tokens.recover('the stored token is no longer valid');
      else log(`could not reach the hub to check the session: ${errorText(error)}`);
    }
  }

  const handlers = createHandlers({
    cache,
    hub,
    session,
    connection,
    changes,
    routing: routing.handlers,
    async onLogin(current) {
      connection.stop();
      routing.clear();
      presence = null;
      queueStats = null;
      agentStats = null;
      // The first pull fills the cache before login answers, so the queue is there when the UI asks.
      await connection.syncNow().catch((error: unknown) => log(`first pull failed: ${errorText(error)}`));
      connection.start(current);
      tokens.start();
      events.emit('session:changed', { user: current.user });
      void refreshUser();
      void revocations.flush();
    },
    queueStats: () => queueStats,
    agentStats: () => agentStats,
    presence: {
      get: () => presence,
      set(input) {
        const state = changes.setPresence(input);
        events.emit('presence:changed', state);
        // Pushed now, not at the next sync: supervisors and routing read it.
        connection.changed();
        return state;
      },
    },
    onLogout: () => endSession('logout', { signOut: true }),
    hubSetting: () => ({ hubUrl: opts.lockedHubUrl ?? session.current()?.hubUrl ?? cache.meta.get('hubUrl') ?? defaultHubUrl ?? DEFAULT_HUB_URL, lockedByPolicy: opts.lockedHubUrl !== undefined }),
    log,
  });

  events.on('connection:changed', ({ state }) => {
    if (state === 'online') void revocations.flush();
  });
  if (revocations.count() > 0) void revocations.flush();

  const restored = session.current();
  // Signed in on another hub before the policy fixed this one: ended, its token never sent there again.
  const otherThanLocked = restored && opts.lockedHubUrl && !sameHub(restored.hubUrl, opts.lockedHubUrl) ? `the policy fixes the hub to ${opts.lockedHubUrl}, not ${restored.hubUrl}` : null;
  const refusedRestored = restored ? (otherThanLocked ?? hubRefusal(restored.hubUrl)) : null;
  if (refusedRestored) {
    // Signed in before the rule (or its allowance) changed: neither the token nor the cache's changes go there.
    endSession(refusedRestored);
  } else if (restored) {
    // Logged in from a previous run: serve the cache at once, catch up in the background.
    connection.start(restored);
    // An access token that expired while the console was closed is refreshed at once.
    tokens.start();
    void refreshUser();
    connection.syncNow().catch((error: unknown) => log(`pull on start failed: ${errorText(error)}`));
  }

  return {
    handlers,
    events,
    cache,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(rescoring);
      revocations.stop();
      tokens.stop();
      connection.stop();
      routing.clear();
      events.removeAllListeners();
      await pullThread?.close();
      cache.close();
    },
  };
}
