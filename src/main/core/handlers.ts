/**
 * The console API (src/shared/api.ts) implemented on the cache. Reads always
 * answer from the cache so the console works offline; inputs arrive already
 * validated by dispatch().
 */
import type { ApiHandlers, CaseView, SessionInfo, SyncStatus } from '../../shared/api';
import type { Cache } from './cache';
import type { Connection } from './connection';
import { CoreError } from './errors';
import { errorText, type HubClient } from './hub-client';
import type { Session, StoredSession } from './session';

/** How long cases.get waits for the hub before answering from what is cached. */
const DETAIL_TIMEOUT_MS = 2_500;

export interface HandlerDeps {
  cache: Cache;
  hub: HubClient;
  session: Session;
  connection: Connection;
  /** Login succeeded: pull, go live, tell the windows. */
  onLogin(session: StoredSession): Promise<void>;
  onLogout(): void;
  log(message: string): void;
}

export function syncStatus(cache: Cache, connection: Connection): SyncStatus {
  return {
    connection: connection.state(),
    cursor: Number(cache.meta.get('cursor') ?? 0),
    lastSyncAt: cache.meta.get('lastSyncAt'),
    cachedCases: cache.cases.count(),
  };
}

function caseView(cache: Cache, id: string): CaseView | null {
  const item = cache.cases.item(id);
  if (!item) return null;
  return {
    case: item,
    messages: cache.messages.ofCase(id),
    customer: item.customerId ? cache.customers.byId(item.customerId) : null,
    device: item.deviceId ? cache.devices.byId(item.deviceId) : null,
    customerCases: item.customerId ? cache.cases.ofCustomer(item.customerId, id) : [],
  };
}

const info = (s: StoredSession): SessionInfo => ({ user: s.user, hubUrl: s.hubUrl });

export function createHandlers(deps: HandlerDeps): ApiHandlers {
  const { cache, session, connection } = deps;
  return {
    async 'session.login'(input) {
      const current = await session.login(input);
      await deps.onLogin(current);
      return info(current);
    },
    async 'session.current'() {
      const current = session.current();
      return current ? info(current) : null;
    },
    async 'session.logout'() {
      deps.onLogout();
      return null;
    },
    async 'queues.list'() {
      return cache.queues.all();
    },
    async 'cases.list'(input) {
      const me = session.current()?.user.id;
      if (input.assignee === 'me' && !me) throw new CoreError('unauthorized', 'not logged in');
      const assigneeId = input.assignee === 'me' ? me : input.assignee === 'unassigned' ? null : undefined;
      return cache.cases.queue({ queueId: input.queueId, status: input.status, assigneeId, search: input.search, limit: input.limit });
    },
    async 'cases.get'({ id }) {
      // Fill in what the cache may lack (messages of a case seen only through a live event), then answer from the cache.
      if (session.current() && connection.state() === 'online') {
        try {
          const detail = await deps.hub.caseDetail(id, DETAIL_TIMEOUT_MS);
          if (detail) cache.applyCaseDetail(detail);
        } catch (error) {
          deps.log(`case detail ${id} from the hub failed, answering from the cache: ${errorText(error)}`);
        }
      }
      return caseView(cache, id);
    },
    async 'sync.status'() {
      return syncStatus(cache, connection);
    },
    async 'sync.now'() {
      if (!session.current()) throw new CoreError('unauthorized', 'not logged in');
      await connection.syncNow();
      return syncStatus(cache, connection);
    },
  };
}
