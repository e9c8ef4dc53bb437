/**
 * Numbered cache migrations, each run in one transaction and recorded in
 * PRAGMA user_version. Rows keep their full JSON in `data`; the columns
 * beside it exist to index and sort.
 */
export const cacheMigrations: { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE queues (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE users (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE customers (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE devices (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, owner_id TEXT, data TEXT NOT NULL);
CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  rev INTEGER NOT NULL,
  number INTEGER NOT NULL,
  subject TEXT NOT NULL,
  status TEXT NOT NULL,
  priority_rank INTEGER NOT NULL,
  queue_id TEXT NOT NULL,
  assignee_id TEXT,
  customer_id TEXT,
  sla_due_at TEXT,
  created_at TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX cases_queue_status_rank ON cases (queue_id, status, priority_rank, sla_due_at, created_at);
CREATE INDEX cases_status_rank ON cases (status, priority_rank, sla_due_at, created_at);
CREATE INDEX cases_customer ON cases (customer_id, created_at);
CREATE INDEX cases_assignee ON cases (assignee_id);
CREATE TABLE messages (id TEXT PRIMARY KEY, rev INTEGER NOT NULL, case_id TEXT NOT NULL, created_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX messages_case ON messages (case_id, created_at);
`,
  },
];
