/**
 * Numbered cache migrations. Each runs in one transaction together with the
 * bump of PRAGMA user_version, so a crash leaves the schema at a whole version.
 * Never edit a released migration: append a new one.
 *
 * Rows keep their full JSON in `data` (what the API returns); the columns next
 * to it exist only to index, sort and search. Times used for sorting are epoch
 * milliseconds because ISO strings with different offsets do not sort as text.
 * `*_folded` columns hold a Unicode lower-cased copy for search: SQLite's own
 * LIKE folds ASCII only, and customers write Russian, Icelandic, Indonesian.
 * No foreign keys between synced tables: a pull page may bring a message
 * before its case, and live events arrive in any order.
 */
import { DEFAULT_PLAN_ENTITLEMENTS } from '../../../shared/entitlements';
import { scoreOfJson } from './score';
import type { CacheDb } from './database';
import { fold } from './columns';

export interface CacheMigration {
  version: number;
  name: string;
  sql: string;
  /** Rows to rewrite with what SQL cannot compute (Unicode folding); runs after `sql`, in the same transaction. */
  backfill?: (db: CacheDb) => void;
}

/** The text a customer is found by (name, email, phone, handles), Unicode lower-cased. */
export function customerSearchText(c: { name: string; email: string | null; phone: string | null; handles: Record<string, string> }): string {
  // Phone numbers are searched by their digits too, so "+34 600" finds "+34600…".
  const digits = c.phone ? c.phone.replace(/\D/g, '') : '';
  return fold([c.name, c.email ?? '', c.phone ?? '', digits, ...Object.values(c.handles)].join(' '));
}

export const cacheMigrations: readonly CacheMigration[] = [
  {
    version: 1,
    name: 'initial cache',
    sql: `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE queues (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL) STRICT;
CREATE TABLE users (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL) STRICT;
CREATE TABLE customers (
  id TEXT PRIMARY KEY,
  rev INTEGER NOT NULL,
  name TEXT NOT NULL,
  name_folded TEXT NOT NULL,
  data TEXT NOT NULL
) STRICT;
CREATE TABLE devices (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, owner_id TEXT, data TEXT NOT NULL) STRICT;
CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  rev INTEGER NOT NULL,
  number INTEGER NOT NULL,
  subject_folded TEXT NOT NULL,
  status TEXT NOT NULL,
  priority_rank INTEGER NOT NULL,
  queue_id TEXT NOT NULL,
  assignee_id TEXT,
  customer_id TEXT,
  -- SLA due in epoch ms; cases without one sort last, so the index alone gives the queue order.
  sla_sort_ms INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  data TEXT NOT NULL
) STRICT;
-- The queue query: filter by queue and status, then order by rank, SLA, age.
CREATE INDEX cases_queue_order ON cases (queue_id, status, priority_rank, sla_sort_ms, created_ms, id);
CREATE INDEX cases_status_order ON cases (status, priority_rank, sla_sort_ms, created_ms, id);
CREATE INDEX cases_assignee ON cases (assignee_id);
CREATE INDEX cases_customer ON cases (customer_id, created_ms);
CREATE INDEX cases_number ON cases (number);
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  rev INTEGER NOT NULL,
  case_id TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  data TEXT NOT NULL
) STRICT;
CREATE INDEX messages_case ON messages (case_id, created_ms);
`,
  },
  {
    version: 2,
    name: 'outbox, conflicts, notices, drafts',
    sql: `
-- The hub's row as last received, when this console's unconfirmed changes are laid over it in data;
-- NULL when data is the hub's row as it is (or, at rev 0, a case created here not confirmed yet).
ALTER TABLE cases ADD COLUMN base TEXT;

-- Every change a user makes, written in the same transaction as its local effect.
-- acked_version: NULL while the hub has not answered; then the case version that
-- holds the change, kept as an overlay until the hub's row reaches that version.
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  base_version INTEGER NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  acked_version INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
) STRICT;
CREATE INDEX outbox_entity ON outbox (entity_id, seq);
CREATE INDEX outbox_pending ON outbox (acked_version, seq);

-- A field the hub kept its own value of: the user's value waits here for a decision.
CREATE TABLE conflicts (
  id TEXT PRIMARY KEY,
  mutation_id TEXT NOT NULL,
  case_id TEXT NOT NULL,
  field TEXT NOT NULL,
  yours TEXT NOT NULL,
  theirs TEXT NOT NULL,
  -- The case version the hub answered at: keeping the user's value is a change on top of it.
  hub_version INTEGER NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX conflicts_case ON conflicts (case_id);

-- What the user must be told about: a refused change (with everything it carried), a case reassigned away.
CREATE TABLE notices (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  case_id TEXT,
  text TEXT NOT NULL,
  detail TEXT,
  created_at TEXT NOT NULL
) STRICT;

-- Replies being written, saved as they are typed.
CREATE TABLE drafts (
  case_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('reply', 'note')),
  body TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (case_id, kind)
) STRICT;

-- Cases gained fields (resolution, parts): pull everything again.
DELETE FROM meta WHERE key IN ('cursor', 'lastSyncAt');
`,
  },
  {
    version: 3,
    name: 'knowledge base',
    sql: `
CREATE TABLE articles (
  id TEXT PRIMARY KEY,
  rev INTEGER NOT NULL,
  -- title, tags and body, Unicode lower-cased, for search
  text_folded TEXT NOT NULL,
  data TEXT NOT NULL
) STRICT;
`,
  },
  {
    version: 4,
    name: 'scope changes',
    sql: `
-- The synced rows held when the user's scope changed; each one the new full pull sends again is
-- crossed off, and what is left when it ends is no longer the user's to see.
CREATE TABLE unconfirmed (
  entity TEXT NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (entity, id)
) STRICT, WITHOUT ROWID;
`,
  },
  {
    version: 5,
    name: 'mentions, delivery, customer search',
    sql: `
-- The mentions inbox, synced like cases (entity 'mention'); base holds the hub's row while this
-- console's convert/dismiss is laid over it in data, as for cases.
CREATE TABLE mentions (
  id TEXT PRIMARY KEY,
  rev INTEGER NOT NULL,
  status TEXT NOT NULL,
  channel TEXT NOT NULL,
  language TEXT NOT NULL,
  queue_id TEXT,
  at_ms INTEGER NOT NULL,
  data TEXT NOT NULL,
  base TEXT
) STRICT;
CREATE INDEX mentions_status ON mentions (status, at_ms);

-- A reply's delivery (queued, sent, failed), to find failed ones without reading every row.
ALTER TABLE messages ADD COLUMN delivery_status TEXT;
CREATE INDEX messages_delivery ON messages (delivery_status) WHERE delivery_status IS NOT NULL;

-- Name, email, phone and handles, folded, for the new-case form's customer picker.
ALTER TABLE customers ADD COLUMN search_folded TEXT NOT NULL DEFAULT '';

-- Rows stored before these fields existed read as the hub's defaults.
UPDATE messages SET data = json_set(data, '$.addressed', json('true')) WHERE json_type(data, '$.addressed') IS NULL;
UPDATE messages SET data = json_set(data, '$.delivery', json('null')) WHERE json_type(data, '$.delivery') IS NULL;
UPDATE customers SET data = json_set(data, '$.doNotEngage', json('false')) WHERE json_type(data, '$.doNotEngage') IS NULL;

-- Mentions are a new entity (older ones sit below the cursor) and replies gained their delivery: pull everything again.
DELETE FROM meta WHERE key IN ('cursor', 'lastSyncAt');
`,
    backfill(db) {
      const rows = db.prepare<[], { id: string; data: string }>('SELECT id, data FROM customers').all();
      const set = db.prepare<[string, string]>('UPDATE customers SET search_folded = ? WHERE id = ?');
      for (const row of rows) set.run(customerSearchText(JSON.parse(row.data) as Parameters<typeof customerSearchText>[0]), row.id);
    },
  },
  {
    version: 6,
    name: 'priority score',
    sql: `
-- The queue is ordered by the explained priority score (cache/score.ts), kept per case and refreshed as time passes.
ALTER TABLE cases ADD COLUMN score REAL NOT NULL DEFAULT 0;
DROP INDEX cases_queue_order;
DROP INDEX cases_status_order;
CREATE INDEX cases_queue_score ON cases (queue_id, status, score DESC, created_ms, id);
CREATE INDEX cases_status_score ON cases (status, score DESC, created_ms, id);
`,
    backfill(db) {
      const rows = db.prepare<[], { id: string; data: string; customer: string | null }>('SELECT c.id, c.data, cu.data AS customer FROM cases c LEFT JOIN customers cu ON cu.id = c.customer_id').all();
      const set = db.prepare<[number, string]>('UPDATE cases SET score = ? WHERE id = ?');
      const now = Date.now();
      // No plan table was kept before this version: the defaults, until the hub sends its own and every case is scored again.
      for (const row of rows) set.run(scoreOfJson(row.data, row.customer, now, DEFAULT_PLAN_ENTITLEMENTS), row.id);
    },
  },
  {
    version: 7,
    name: 'queue routing, resolution due',
    sql: `
-- Rows stored before these fields existed read as the hub's defaults until the pull below sends them again.
UPDATE queues SET data = json_set(data, '$.routing', 'manual') WHERE json_type(data, '$.routing') IS NULL;
UPDATE cases SET data = json_set(data, '$.resolutionDueAt', json('null')) WHERE json_type(data, '$.resolutionDueAt') IS NULL;
UPDATE cases SET base = json_set(base, '$.resolutionDueAt', json('null')) WHERE base IS NOT NULL AND json_type(base, '$.resolutionDueAt') IS NULL;

-- Queues gained their routing mode and cases their resolution due time, below the cursor: pull everything again.
DELETE FROM meta WHERE key IN ('cursor', 'lastSyncAt');
`,
  },
  {
    version: 8,
    name: 'every queue by score',
    sql: `
-- A supervisor's first view lists the active cases of every queue by score: without this index, each page sorted
-- every case (190 ms for 100,000); with it, the page is the index's first rows.
CREATE INDEX cases_score ON cases (score DESC, created_ms, id);
`,
  },
  {
    version: 9,
    name: 'cases counted per queue and status',
    sql: `
-- A queue view's total (every active case of every queue: 100,000 here) counted row by row read hundreds of index
-- pages, and while the pull thread writes, the reading connection's page cache starts cold at every commit: 20-110 ms
-- a count. Kept here by triggers on every write path (the upsert's insert and update, the overlay's update, deletes).
CREATE TABLE case_counts (
  queue_id TEXT NOT NULL,
  status TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (queue_id, status)
) STRICT, WITHOUT ROWID;
INSERT INTO case_counts (queue_id, status, n) SELECT queue_id, status, count(*) FROM cases GROUP BY queue_id, status;
CREATE TRIGGER cases_counted_insert AFTER INSERT ON cases BEGIN
  INSERT INTO case_counts (queue_id, status, n) VALUES (NEW.queue_id, NEW.status, 1)
  ON CONFLICT (queue_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cases_counted_delete AFTER DELETE ON cases BEGIN
  UPDATE case_counts SET n = n - 1 WHERE queue_id = OLD.queue_id AND status = OLD.status;
END;
CREATE TRIGGER cases_counted_update AFTER UPDATE OF queue_id, status ON cases
WHEN OLD.queue_id IS NOT NEW.queue_id OR OLD.status IS NOT NEW.status BEGIN
  UPDATE case_counts SET n = n - 1 WHERE queue_id = OLD.queue_id AND status = OLD.status;
  INSERT INTO case_counts (queue_id, status, n) VALUES (NEW.queue_id, NEW.status, 1)
  ON CONFLICT (queue_id, status) DO UPDATE SET n = n + 1;
END;
`,
  },
];
