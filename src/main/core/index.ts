/**
 * The console core: session, cache, sync and live connection behind the
 * handlers of the console API. Plain Node — the same object serves Electron's
 * IPC, the browser shell's bridge, tests and the benchmark.
 */
import type { ApiHandlers, SessionInfo, SyncStatus } from '../../shared/api';
import type { User } from '../../shared/domain';
import type { CaseDetailResponse } from '../../shared/protocol';
import { type CacheDb, openCache } from './cache/database';
import { createEntityStore } from './cache/entities';
import { createMetaStore } from './cache/meta';
import { createQueries } from './cache/queries';
import { CoreEvents } from './emitter';
import { CoreError } from './errors';
import { createHubClient } from './hub-client';
import { connectLive, type LiveConnection } from './live';
import { createPuller } from './sync';

export { CoreError } from './errors';
export { CoreEvents } from './emitter';

export const DEFAULT_HUB_URL = 'http://127.0.0.1:4710';
const RESYNC_INTERVAL_MS = 60_000;

export interface ConsoleCoreOptions {
  dataDir: string;
  /** The hub used when a login names none. */
  hubUrl?: string;
  /** better-sqlite3's native binding built for Electron's ABI. */
  nativeBinding?: string;
  fetch?: typeof fetch;
  log?: (message: string) => void;
}

export interface ConsoleCore {
  handlers: ApiHandlers;
  events: CoreEvents;
  /** The SQLite cache, for tests and the benchmark. */
  cache: CacheDb;
  close(): Promise<void>;
}

interface StoredSession {
  hubUrl: string;
  token: string;
  user: User;
}

export async function createConsoleCore(opts: ConsoleCoreOptions): Promise<ConsoleCore> {
  const db = openCache(opts.dataDir, { nativeBinding: opts.nativeBinding });
  const meta = createMetaStore(db);
  const entities = createEntityStore(db);
  const queries = createQueries(db);
  const events = new CoreEvents();
  const log = opts.log ?? (() => undefined);

  let session = meta.getJson<StoredSession>('session');
  const hub = createHubClient(() => session, opts.fetch);
  const puller = createPuller(db, meta, entities, hub);
  let live: LiveConnection | null = null;
  let timer: NodeJS.Timeout | null = null;

  const storeDetail = db.transaction((detail: CaseDetailResponse) => {
    entities.upsert('case', detail.case);
    for (const message of detail.messages) entities.upsert('message', message);
    if (detail.customer) entities.upsert('customer', detail.customer);
    if (detail.device) entities.upsert('device', detail.device);
  });

  async function sync(): Promise<void> {
    try {
      const result = await puller.pull();
      if (result.applied > 0) events.emit('cases:changed', { ids: result.caseIds.length <= 200 ? result.caseIds : [] });
    } catch (error) {
      log(`sync failed: ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof CoreError && error.code === 'unauthorized') endSession();
    }
  }

  /** A live case whose customer this console has never seen: fetch the detail once. */
  async function fillMissing(ids: string[]): Promise<void> {
    for (const id of ids) {
      const view = queries.caseView(id);
      if (!view || (view.case.customerId && !view.customer) || (view.case.deviceId && !view.device)) {
        const detail = await hub.caseDetail(id).catch(() => null);
        if (detail) {
          storeDetail(detail);
          events.emit('cases:changed', { ids: [id] });
        }
      }
    }
  }
  events.on('cases:changed', ({ ids }) => void fillMissing(ids));

  function startSession(current: StoredSession): void {
    live?.close();
    live = connectLive({
      hubUrl: current.hubUrl,
      token: current.token,
      entities,
      events,
      onConnected: () => void sync(),
      onUnauthorized: endSession,
      log,
    });
    timer ??= setInterval(() => void sync(), RESYNC_INTERVAL_MS);
  }

  function endSession(): void {
    live?.close();
    live = null;
    if (timer) clearInterval(timer);
    timer = null;
    session = null;
    meta.delete('session');
    events.emit('session:changed', { user: null });
  }

  function status(): SyncStatus {
    return {
      connection: live?.state() ?? 'offline',
      cursor: Number(meta.get('cursor') ?? 0),
      lastSyncAt: meta.get('lastSyncAt'),
      cachedCases: queries.caseCount(),
    };
  }

  const info = (s: StoredSession): SessionInfo => ({ user: s.user, hubUrl: s.hubUrl });

  const handlers: ApiHandlers = {
    async 'session.login'({ hubUrl, username, password }) {
      const url = hubUrl ?? session?.hubUrl ?? opts.hubUrl ?? DEFAULT_HUB_URL;
      const answer = await hub.login(url, username, password);
      const next: StoredSession = { hubUrl: url, token: answer.token, user: answer.user };
      // Another user or hub means another scope: start the cache afresh.
      if (!session || session.user.id !== next.user.id || session.hubUrl !== next.hubUrl) {
        db.transaction(() => {
          entities.clearAll();
          meta.delete('cursor');
          meta.delete('lastSyncAt');
        })();
      }
      session = next;
      meta.setJson('session', next);
      await sync();
      startSession(next);
      events.emit('session:changed', { user: next.user });
      return info(next);
    },
    async 'session.current'() {
      return session ? info(session) : null;
    },
    async 'session.logout'() {
      endSession();
      return null;
    },
    async 'queues.list'() {
      return queries.queues();
    },
    async 'cases.list'(input) {
      const assigneeId = input.assignee === 'me' ? (session?.user.id ?? '') : input.assignee === 'unassigned' ? null : undefined;
      return queries.queue({ queueId: input.queueId, status: input.status, assigneeId, search: input.search || undefined, limit: input.limit });
    },
    async 'cases.get'({ id }) {
      if (live?.state() === 'online') {
        const detail = await hub.caseDetail(id).catch((error: unknown) => {
          log(`case detail from hub failed, answering from cache: ${String(error)}`);
          return null;
        });
        if (detail) storeDetail(detail);
      }
      return queries.caseView(id);
    },
    async 'sync.status'() {
      return status();
    },
    async 'sync.now'() {
      if (!session) throw new CoreError('unauthorized', 'not logged in');
      await sync();
      return status();
    },
  };

  if (session) startSession(session);

  return {
    handlers,
    events,
    cache: db,
    async close() {
      live?.close();
      live = null;
      if (timer) clearInterval(timer);
      timer = null;
      db.close();
    },
  };
}
