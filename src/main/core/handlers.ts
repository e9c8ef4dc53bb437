/**
 * The console API (src/shared/api.ts) implemented on the cache. Reads always
 * answer from the cache so the console works offline; inputs arrive already
 * validated by dispatch().
 */
import type { ApiHandlers, ApiParsedInput, CaseView, HubSetting, QueueItem, SessionInfo } from '../../shared/api';
import { type AgentStats, type PresenceState, type QueueStats, ReassignResponseSchema } from '../../shared/protocol';
import { createAdminHandlers } from './admin-handlers';
import { SurgeListResponseSchema } from '../../shared/protocol';
import type { Cache } from './cache';
import type { Changes } from './changes';
import type { Connection } from './connection';
import type { Routing } from './routing';
import { CoreError } from './errors';
import { errorText, type HubClient } from './hub-client';
import type { Session, StoredSession } from './session';

/** How long cases.get waits for the hub before answering from what is cached. */
const DETAIL_TIMEOUT_MS = 2_500;
/** Knowledge suggestions shown beside a case. */
const SUGGESTED_ARTICLES = 5;

export interface HandlerDeps {
  cache: Cache;
  hub: HubClient;
  session: Session;
  connection: Connection;
  changes: Changes;
  /** Offers and "Next case" (src/main/core/routing.ts). */
  routing: Routing['handlers'];
  /** Login succeeded: pull, go live, tell the windows. */
  onLogin(session: StoredSession): Promise<void>;
  onLogout(): void;
  /** The hub a sign-in uses and whether the policy fixes it. */
  hubSetting(): HubSetting;
  /** The user's presence: the last one heard, and setting it (shown at once, queued for the hub). */
  presence: { get(): PresenceState | null; set(input: ApiParsedInput<'presence.set'>): PresenceState };
  /** The latest queue statistics heard (supervisors and admins get them). */
  queueStats(): QueueStats[] | null;
  /** The latest agent statistics heard (supervisors and admins get them). */
  agentStats(): AgentStats[] | null;
  log(message: string): void;
}

const deviceOf = (cache: Cache, item: QueueItem) => (item.deviceId ? cache.devices.byId(item.deviceId) : null);

function caseView(cache: Cache, id: string): CaseView | null {
  const item = cache.cases.item(id);
  if (!item) return null;
  const device = deviceOf(cache, item);
  return {
    case: item,
    messages: cache.messages.ofCase(id),
    customer: item.customerId ? cache.customers.byId(item.customerId) : null,
    device,
    customerCases: item.customerId ? cache.cases.ofCustomer(item.customerId, id) : [],
    conflicts: cache.conflicts.ofCase(id),
    draft: cache.drafts.get(id, 'reply')?.body ?? null,
    noteDraft: cache.drafts.get(id, 'note')?.body ?? null,
    articles: cache.articles.forCase(item, device?.model ?? null, SUGGESTED_ARTICLES),
  };
}

const info = (s: StoredSession): SessionInfo => ({ user: s.user, hubUrl: s.hubUrl });

export function createHandlers(deps: HandlerDeps): ApiHandlers {
  const { cache, session, connection, changes } = deps;
  const loggedIn = () => {
    if (!session.current()) throw new CoreError('unauthorized', 'not logged in');
  };
  /** A queue by id or by name, as scripts name them. */
  const queueIdOf = (queue: string): string => {
    const found = cache.queues.all().find((q) => q.id === queue || q.name.toLowerCase() === queue.toLowerCase());
    if (!found) throw new CoreError('not_found', `no queue "${queue}" in this console`);
    return found.id;
  };
  return {
    ...createAdminHandlers(deps),
    ...deps.routing,
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
    async 'session.hub'() {
      return deps.hubSetting();
    },
    async 'queues.list'() {
      return cache.queues.views();
    },
    async 'cases.list'(input) {
      const me = session.current()?.user.id;
      if (input.assignee === 'me' && !me) throw new CoreError('unauthorized', 'not logged in');
      const assigneeId = input.assignee === 'me' ? me : input.assignee === 'unassigned' ? null : undefined;
      const queueId = input.queueId ?? (input.queue ? queueIdOf(input.queue) : undefined);
      return cache.cases.queue({ queueId, status: input.status, assigneeId, search: input.search, conflicted: input.conflicts, limit: input.limit });
    },
    async 'cases.get'({ id }) {
      // Fill in what the cache may lack (messages of a case seen only through a live event), then answer from the cache.
      // Not while this console's own changes of the case wait: the hub's view would only be older.
      if (session.current() && connection.state() === 'online' && cache.outbox.pendingOf(id) === 0) {
        try {
          const detail = await deps.hub.caseDetail(id, DETAIL_TIMEOUT_MS);
          if (detail) cache.applyCaseDetail(detail);
        } catch (error) {
          deps.log(`case detail ${id} from the hub failed, answering from the cache: ${errorText(error)}`);
        }
      }
      return caseView(cache, id);
    },
    // Changes check the session themselves, when they record (src/main/core/changes.ts).
    'cases.update': async (input) => changes.updateCase(input),
    'cases.addNote': async (input) => changes.addNote(input),
    'cases.reply': async (input) => changes.reply(input),
    'cases.assign': async (input) => changes.assign(input),
    'cases.create': async (input) => changes.createCase(input),
    async 'cases.reassign'(input) {
      loggedIn();
      // All or none, on the hub: the moved cases come back through the live feed like anyone's change.
      return deps.hub.json('POST', '/api/cases/reassign', ReassignResponseSchema, input);
    },
    async 'surges.list'() {
      loggedIn();
      // The hub keeps them (one per surge, whichever hub raised it): a console that connects later sees them too.
      return (await deps.hub.json('GET', '/api/surges', SurgeListResponseSchema)).alerts;
    },
    'messages.retry': async (input) => changes.retryReply(input),
    'mentions.convert': async (input) => changes.convertMention(input),
    'mentions.dismiss': async (input) => changes.dismissMention(input),
    'customers.setConsent': async (input) => changes.setConsent(input),
    async 'mentions.list'(input) {
      return cache.mentions.list(input);
    },
    async 'attachments.download'({ caseId, attachmentId }) {
      loggedIn();
      // The name and size as the message lists them; the bytes only from the hub (never cached: they can be large).
      const meta = cache.messages
        .ofCase(caseId)
        .flatMap((m) => m.attachments)
        .find((a) => a.id === attachmentId);
      if (!meta) throw new CoreError('not_found', 'no such attachment on this case');
      const file = await deps.hub.attachment(caseId, attachmentId);
      if (!file) throw new CoreError('not_found', 'the hub has no such attachment on a case of yours');
      return { fileName: meta.fileName, contentType: file.contentType, size: file.bytes.length, base64: file.bytes.toString('base64') };
    },
    async 'customers.search'({ query, limit }) {
      return cache.customers.search(query, limit);
    },
    async 'customers.devices'({ customerId }) {
      return cache.devices.ofOwner(customerId);
    },
    async 'drafts.save'({ caseId, body, kind }) {
      loggedIn();
      cache.drafts.save(caseId, body, kind);
      return null;
    },
    async 'users.list'() {
      return cache.users.all();
    },
    async 'articles.search'({ query, caseId, limit }) {
      if (caseId) {
        const item = cache.cases.item(caseId);
        if (!item) throw new CoreError('not_found', `no case ${caseId} in this console`);
        const model = deviceOf(cache, item)?.model ?? null;
        if (!query) return cache.articles.forCase(item, model, limit);
        // Matching the words typed, the ones that fit the case first.
        const matching = cache.articles.search(query, 1000);
        const rank = new Map(cache.articles.forCase(item, model, 1000).map((a, i) => [a.id, i]));
        return matching.sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity)).slice(0, limit);
      }
      return query ? cache.articles.search(query, limit) : [];
    },
    async 'conflicts.list'({ caseId }) {
      return caseId ? cache.conflicts.ofCase(caseId) : cache.conflicts.all();
    },
    async 'conflicts.resolve'({ id, keep }) {
      loggedIn();
      if (keep === 'mine') changes.keepMine(id);
      else changes.takeTheirs(id);
      return null;
    },
    async 'notices.list'() {
      return cache.notices.all();
    },
    async 'notices.dismiss'({ id }) {
      if (!cache.notices.remove(id)) throw new CoreError('not_found', 'no such notice');
      connection.changed();
      return null;
    },
    async 'presence.get'() {
      loggedIn();
      return deps.presence.get();
    },
    async 'presence.set'(input) {
      return deps.presence.set(input);
    },
    async 'queues.stats'() {
      loggedIn();
      return deps.queueStats();
    },
    async 'agents.stats'() {
      loggedIn();
      return deps.agentStats();
    },
    async 'sync.status'() {
      return connection.status();
    },
    // Fire and forget: nothing to answer while logged out or offline (told again on reconnect).
    async 'cases.watch'(input) {
      connection.watch(input);
      return null;
    },
    async 'sync.now'() {
      loggedIn();
      await connection.syncNow();
      return connection.status();
    },
  };
}
