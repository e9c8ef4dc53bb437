/**
 * The console's local cache: one SQLite file, its repositories, and the one
 * write path for synced rows (`apply`/`remove`), used by both pull and live
 * events so both reconcile by rev the same way.
 */
import type { Article, Case, Customer, Device, Mention, Message, Queue, User } from '../../../shared/domain';
import type { CaseDetailResponse, SyncEntity } from '../../../shared/protocol';
import { type CacheDb, type OpenCacheOptions, openCacheDbWithKey } from './database';
import { createArticlesRepo } from './repos/articles';
import { createCasesRepo } from './repos/cases';
import { createConflictsRepo } from './repos/conflicts';
import { createCustomersRepo } from './repos/customers';
import { createDevicesRepo } from './repos/devices';
import { createDraftsRepo } from './repos/drafts';
import { createMentionsRepo } from './repos/mentions';
import { createMessagesRepo } from './repos/messages';
import { createMetaRepo } from './repos/meta';
import { createNoticesRepo } from './repos/notices';
import { createOutboxRepo } from './repos/outbox';
import { createPlansRepo } from './repos/plans';
import { createQueuesRepo } from './repos/queues';
import { createSlaRepo } from './repos/sla';
import { createRescopeRepo } from './repos/rescope';
import { createUsersRepo } from './repos/users';

export { CacheTooNewError, CACHE_FILE, type OpenCacheOptions } from './database';
export { CacheKeyError, CACHE_KEY_FILE } from './key';
export type { QueueFilter } from './repos/cases';
export type { MentionFilter } from './repos/mentions';

export interface EntityRows {
  case: Case;
  customer: Customer;
  message: Message;
  device: Device;
  queue: Queue;
  user: User;
  article: Article;
  mention: Mention;
}

/**
 * A write transaction that takes the write lock when it begins (BEGIN IMMEDIATE). Two connections write this file
 * (the core's, the pull thread's): a deferred one that read first and found the other's commit since could not
 * upgrade and fails at once (SQLITE_BUSY_SNAPSHOT, which no busy timeout waits out); an immediate one waits its turn.
 */
function immediate<T>(db: CacheDb, fn: () => T): T {
  return db.inTransaction ? db.transaction(fn)() : db.transaction(fn).immediate();
}

export function openCache(dataDir: string, opts: OpenCacheOptions = {}) {
  const { db, key } = openCacheDbWithKey(dataDir, opts);
  const outbox = createOutboxRepo(db);
  const meta = createMetaRepo(db);
  const plans = createPlansRepo(meta);
  const sla = createSlaRepo(meta);
  const cases = createCasesRepo(db, outbox, plans.current, sla.viewOf);
  const repos = {
    meta,
    plans,
    sla,
    outbox,
    conflicts: createConflictsRepo(db),
    notices: createNoticesRepo(db),
    drafts: createDraftsRepo(db),
    cases,
    messages: createMessagesRepo(db),
    customers: createCustomersRepo(db),
    devices: createDevicesRepo(db),
    queues: createQueuesRepo(db),
    users: createUsersRepo(db),
    articles: createArticlesRepo(db),
    mentions: createMentionsRepo(db, outbox),
    rescope: createRescopeRepo(db),
  };
  const byEntity = {
    case: repos.cases,
    message: repos.messages,
    customer: repos.customers,
    device: repos.devices,
    queue: repos.queues,
    user: repos.users,
    article: repos.articles,
    mention: repos.mentions,
  } as const;

  return {
    ...repos,
    /** The key this cache was opened with: the pull thread opens its own connection with it (`opts.key`). */
    key,
    /** Writes a synced row unless the cache already holds the same or a newer rev. Returns whether anything changed. */
    apply<E extends SyncEntity>(entity: E, row: EntityRows[E], rev: number): boolean {
      // Local changes the hub's row now holds are done; the rest stay laid over it.
      if (entity === 'case' || entity === 'mention') outbox.pruneAcked(row.id, (row as Case | Mention).version);
      const changed = (byEntity[entity] as { upsert(row: EntityRows[E], rev: number): boolean }).upsert(row, rev);
      // A customer's plan, value or influence is part of their cases' priority.
      if (changed && entity === 'customer') repos.cases.rescoreCustomer(row.id);
      return changed;
    },
    /** Removes a row unless the cache holds a newer rev of it (a stale tombstone). */
    remove(entity: SyncEntity, id: string, rev: number): boolean {
      const removed = byEntity[entity].remove(id, rev);
      if (removed && entity === 'case') repos.messages.removeOfCase(id);
      return removed;
    },
    /** Stores a case fetched from the hub with everything beside it; true when anything was new. */
    applyCaseDetail(detail: CaseDetailResponse): boolean {
      return immediate(db, () => {
        outbox.pruneAcked(detail.case.id, detail.case.version);
        let changed = repos.cases.upsert(detail.case, detail.case.rev);
        for (const message of detail.messages) changed = repos.messages.upsert(message, message.rev) || changed;
        if (detail.customer && repos.customers.upsert(detail.customer, detail.customer.rev)) {
          repos.cases.rescoreCustomer(detail.customer.id);
          changed = true;
        }
        if (detail.device) changed = repos.devices.upsert(detail.device, detail.device.rev) || changed;
        return changed;
      });
    },
    /** Runs `fn` in one SQLite transaction (nested calls become savepoints). */
    transaction: <T>(fn: () => T): T => immediate(db, fn),
    /** Forgets every synced row, local change and the sync position: another user or hub means another scope. */
    resetSynced(): void {
      immediate(db, () => {
        for (const repo of [...Object.values(byEntity), outbox, repos.conflicts, repos.notices, repos.drafts, repos.rescope]) repo.clear();
        repos.meta.delete('cursor');
        repos.meta.delete('lastSyncAt');
        repos.meta.delete('scope');
        repos.meta.delete('queueIds');
      });
    },
    close(): void {
      db.close();
    },
  };
}
export type Cache = ReturnType<typeof openCache>;
