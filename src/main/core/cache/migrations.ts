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
export interface CacheMigration {
  version: number;
  name: string;
  sql: string;
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
];
